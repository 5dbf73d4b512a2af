// What the crash test's OAuth clients send over the wire, and the one distinction the test lives
// by: a whole answer from the server (it acknowledged something, or refused it) versus a dropped
// connection (the server was killed; it acknowledged nothing). That distinction is why these
// requests are not the kit's WireClient: it reads a cut as a failed reply, this test must not.
import { Browser } from '../../kit/browser.ts';

export const REDIRECT = 'https://chatgpt.com/connector_platform_oauth_redirect';

/** The connection dropped before a whole answer arrived. */
export class ConnectionCut extends Error {
  override readonly name = 'ConnectionCut';
}

export interface Answer {
  status: number;
  json: Record<string, unknown>;
}

/** Runs one request and reads its whole body; any failure on the way is a cut. */
async function whole(request: () => Promise<Response>): Promise<{ response: Response; text: string }> {
  try {
    const response = await request();
    return { response, text: await response.text() };
  } catch (error) {
    throw new ConnectionCut(`connection dropped: ${(error as Error).message}`, { cause: error });
  }
}

function unexpected(what: string, status: number, text: string): Error {
  return new Error(`${what}: unexpected ${status} ${text.slice(0, 300)}`);
}

export async function postForm(base: string, path: string, fields: Record<string, string>): Promise<Answer> {
  const { response, text } = await whole(() =>
    fetch(new URL(path, base), { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) }),
  );
  try {
    return { status: response.status, json: JSON.parse(text) as Record<string, unknown> };
  } catch {
    throw unexpected(`POST ${path} answered with something that is not JSON`, response.status, text);
  }
}

/** Dynamic client registration of a public client, the way ChatGPT does it. */
export async function registerClient(base: string): Promise<string> {
  const { response, text } = await whole(() =>
    fetch(new URL('/oauth/register', base), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ client_name: 'Crash test client', redirect_uris: [REDIRECT] }) }),
  );
  if (response.status !== 201) throw unexpected('registration', response.status, text);
  return (JSON.parse(text) as { client_id: string }).client_id;
}

/** Signs in through the login form; the session cookie stays in `browser` for every later flow. */
export async function signIn(browser: Browser, username: string, password: string): Promise<void> {
  const page = await whole(() => browser.fetch('/login'));
  const signedIn = await whole(() => browser.submit('/login', page.text, { username, password }));
  if (signedIn.response.status !== 303) throw unexpected('sign-in', signedIn.response.status, signedIn.text);
}

function codeFrom(location: string | null): string | undefined {
  if (location === null || !location.startsWith(REDIRECT)) return undefined;
  return new URL(location).searchParams.get('code') ?? undefined;
}

/** Authorization request, then the consent form approved by the signed-in person: the code. */
export async function approvedCode(browser: Browser, clientId: string, challenge: string): Promise<string> {
  const query = new URLSearchParams({ client_id: clientId, response_type: 'code', redirect_uri: REDIRECT, code_challenge: challenge, code_challenge_method: 'S256', state: 'crash', scope: 'notes:read notes:write offline_access' });
  const start = await whole(() => browser.fetch(`/oauth/authorize?${query}`));
  const consentPath = start.response.headers.get('location');
  if (start.response.status !== 303 || consentPath === null || !consentPath.startsWith('/consent')) throw unexpected('authorization request', start.response.status, start.text);
  const consent = await whole(() => browser.fetch(consentPath));
  const skipped = codeFrom(consent.response.headers.get('location'));
  if (skipped !== undefined) return skipped; // an earlier consent already covered it
  if (consent.response.status !== 200) {
    throw unexpected(`consent page (a session acknowledged before the kill must survive; Location ${String(consent.response.headers.get('location'))})`, consent.response.status, consent.text);
  }
  const approved = await whole(() => browser.submit(consentPath, consent.text, { decision: 'approve' }));
  const code = codeFrom(approved.response.headers.get('location'));
  if (approved.response.status !== 303 || code === undefined) throw unexpected('consent approval', approved.response.status, approved.text);
  return code;
}

export function redeemCode(base: string, clientId: string, code: string, verifier: string): Promise<Answer> {
  return postForm(base, '/oauth/token', { grant_type: 'authorization_code', client_id: clientId, code, code_verifier: verifier });
}

export function refreshWith(base: string, clientId: string, refreshToken: string): Promise<Answer> {
  return postForm(base, '/oauth/token', { grant_type: 'refresh_token', client_id: clientId, refresh_token: refreshToken });
}

export function refreshTokenOf(answer: Answer, what: string): string {
  const token = answer.json.refresh_token;
  if (answer.status !== 200 || typeof token !== 'string') throw unexpected(what, answer.status, JSON.stringify(answer.json));
  return token;
}
