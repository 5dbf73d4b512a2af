// The consent route's own answers, case by case: what the page shows, and each way a form post is
// refused with a page that says what to do (and leaves the request waiting when it should).
// Remembered consent has its own file (remembered-consent.test.ts).
import { parse } from 'node-html-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizationQuery, REDIRECT_URI, WireClient, type Client } from '../kit/client.ts';
import { newPkce } from '../kit/pkce.ts';
import { startTestServer, type TestServer } from '../kit/server.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ users: ['alice'] });
});
afterAll(() => server.close());

/** Alice, signed in, and a new authorization request of a new client waiting for her answer. */
async function waiting(metadata: Record<string, unknown> = {}): Promise<{ person: WireClient; client: Client; requestId: string; csrf: string; verifier: string }> {
  const person = new WireClient(server.url, { username: 'alice' });
  expect((await person.signIn()).status).toBe(303);
  const client = await person.register({ client_name: 'test client', redirect_uris: [REDIRECT_URI], token_endpoint_auth_method: 'none', ...metadata });
  const { verifier } = newPkce();
  const query = authorizationQuery(server.url, client.clientId, verifier, { state: 'st-1', scope: 'notes:read notes:write' });
  const authorize = await person.browser.fetch(`/oauth/authorize?${query}`);
  await authorize.body?.cancel();
  const requestId = new URL(authorize.headers.get('location')!, server.url).searchParams.get('request')!;
  const page = await person.browser.fetch(`/consent?request=${encodeURIComponent(requestId)}`);
  const csrf = parse(await page.text()).querySelector('input[name="csrf"]')?.getAttribute('value') ?? '';
  return { person, client, requestId, csrf, verifier };
}

function post(person: WireClient, fields: Record<string, string | string[]>): Promise<Response> {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) body.append(name, v);
  return person.browser.fetch('/consent', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body });
}

/** The refusal page: its status and its heading. */
async function refusal(response: Response): Promise<{ status: number; heading: string | undefined }> {
  return { status: response.status, heading: parse(await response.text()).querySelector('h1')?.text.trim() };
}

/** Whether the request still waits: its consent page still opens. */
async function stillWaiting(person: WireClient, requestId: string): Promise<boolean> {
  const page = await person.browser.fetch(`/consent?request=${encodeURIComponent(requestId)}`);
  await page.body?.cancel();
  return page.status === 200;
}

describe('the consent page', () => {
  it('[REQ-17] names the app, the person signed in and the host the answer goes to', async () => {
    const { person, requestId } = await waiting({ client_name: 'Pocket Helper' });
    const page = parse(await (await person.browser.fetch(`/consent?request=${encodeURIComponent(requestId)}`)).text());
    const text = page.text;
    expect(text).toContain('Pocket Helper');
    expect(text).toContain('alice');
    expect(text).toContain('127.0.0.1:8976');
    expect(page.querySelector('form')?.getAttribute('action')).toBe('/consent');
    expect(page.querySelector('input[name="request_id"]')?.getAttribute('value')).toBe(requestId);
  });

  it('[REQ-17] an app registered without a name is shown by its host, never as "undefined"', async () => {
    const { person, requestId } = await waiting({ client_name: undefined });
    const text = parse(await (await person.browser.fetch(`/consent?request=${encodeURIComponent(requestId)}`)).text()).text;
    expect(text).toContain('127.0.0.1:8976');
    expect(text).not.toContain('undefined');
  });

  it('[REQ-17] without a request, with the request named twice, or with an unknown one, the page says there is nothing to approve', async () => {
    const { person, requestId } = await waiting();
    for (const query of ['', `?request=${requestId}&request=${requestId}`, '?request=no-such-request']) {
      expect(await refusal(await person.browser.fetch(`/consent${query}`)), query).toEqual({ status: 400, heading: 'Nothing to approve' });
    }
    expect(await stillWaiting(person, requestId)).toBe(true);
  });
});

describe('answering the consent form', () => {
  it('[REQ-17][OA21-07] a post without a session asks to sign in again', async () => {
    const { requestId, csrf } = await waiting();
    const stranger = new WireClient(server.url);
    expect(await refusal(await post(stranger, { csrf, request_id: requestId, decision: 'approve', scope: 'notes:read' }))).toEqual({ status: 401, heading: 'Please sign in again' });
  });

  it('[REQ-17] a post with a missing or wrong CSRF value is refused and the request keeps waiting', async () => {
    const { person, requestId, csrf } = await waiting();
    for (const fields of [{}, { csrf: `${csrf}x` }, { csrf: '' }]) {
      expect(await refusal(await post(person, { ...fields, request_id: requestId, decision: 'approve', scope: 'notes:read' }))).toEqual({ status: 403, heading: 'Please try again' });
    }
    expect(await stillWaiting(person, requestId)).toBe(true);
  });

  it('[REQ-17] a post for no request or an unknown one has nothing to approve', async () => {
    const { person, csrf } = await waiting();
    for (const request of [{}, { request_id: 'no-such-request' }]) {
      expect(await refusal(await post(person, { csrf, ...request, decision: 'approve', scope: 'notes:read' }))).toEqual({ status: 400, heading: 'Nothing to approve' });
    }
  });

  it('[REQ-17][EC-25] Deny sends the app access_denied with its state, and the request is gone', async () => {
    const { person, requestId, csrf } = await waiting();
    const answer = await post(person, { csrf, request_id: requestId, decision: 'deny' });
    expect(answer.status).toBe(303);
    const back = new URL(answer.headers.get('location')!);
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT_URI);
    expect([back.searchParams.get('error'), back.searchParams.get('state'), back.searchParams.get('code')]).toEqual(['access_denied', 'st-1', null]);
    expect(await stillWaiting(person, requestId)).toBe(false);
  });

  it('[REQ-17] a post that says neither Approve nor Deny is refused and the request keeps waiting', async () => {
    const { person, requestId, csrf } = await waiting();
    for (const decision of [undefined, 'maybe', '']) {
      const fields: Record<string, string> = { csrf, request_id: requestId, scope: 'notes:read' };
      if (decision !== undefined) fields.decision = decision;
      expect(await refusal(await post(person, fields)), String(decision)).toEqual({ status: 400, heading: 'Choose Approve or Deny' });
    }
    expect(await stillWaiting(person, requestId)).toBe(true);
  });

  it('[REQ-17][EC-14] approving with no permission ticked is refused; one ticked permission is exactly what the token gets', async () => {
    const { person, client, requestId, csrf, verifier } = await waiting();
    expect(await refusal(await post(person, { csrf, request_id: requestId, decision: 'approve' }))).toEqual({ status: 400, heading: 'Nothing was approved' });
    const answer = await post(person, { csrf, request_id: requestId, decision: 'approve', scope: 'notes:read' });
    expect(answer.status).toBe(303);
    const code = new URL(answer.headers.get('location')!).searchParams.get('code')!;
    const exchanged = JSON.parse((await person.exchange(client, code, verifier)).text) as { scope: string };
    expect(exchanged.scope).toBe('notes:read');
  });
});

describe('the authorization endpoint\'s own error page', () => {
  it('[REQ-10][OA21-07] a request that cannot be answered to the client is a 400 page naming the error code', async () => {
    const answer = await fetch(`${server.url}/oauth/authorize?response_type=code`, { redirect: 'manual' });
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
    const page = parse(await answer.text());
    expect(page.querySelector('h1')?.text.trim()).toBe('This connection request cannot be completed');
    expect(page.text).toContain('Error code: invalid_request');
    expect(page.text).toContain('client_id is missing');
  });
});
