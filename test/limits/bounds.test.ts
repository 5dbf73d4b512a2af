// Size bounds over the wire: each answers with a clear error in its endpoint's shape, and a long
// `state` still round-trips byte for byte.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_HEADER_BYTES, MAX_QUERY_BYTES } from '../../src/http/middleware/bounds.ts';
import type { RunningServer } from '../../src/server.ts';
import { approveInBrowser, callTool, obtainTokens } from '../mcp/harness.ts';
import { authorizationPath, limitedServer, register, registeredClientId, REDIRECT_URI, tokenRequest } from './harness.ts';

let server: RunningServer;
let base: string;
let clientId: string;

beforeAll(async () => {
  server = await limitedServer({ RATE_LIMITS: 'off' }, ['alice']);
  base = server.url;
  clientId = await registeredClientId(base);
});
afterAll(() => server.close());

/** `length` characters of printable ASCII, most of which must be percent-encoded, and a few non-ASCII. */
function awkwardState(length: number): string {
  const alphabet = ' !"#$%&\'()*+,/:;<=>?@[\\]^`{|}~-._aZ09é✓';
  return Array.from({ length }, (_, i) => alphabet[(i * 7) % alphabet.length]).join('');
}

/** A raw HTTP/1.1 exchange, for requests fetch will not make. */
function rawRequest(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, headers, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('[limits] state', () => {
  it('[EC-24] a 2 KB state of awkward characters round-trips unchanged through authorize, sign-in, consent and redirect', async () => {
    const state = awkwardState(2048);
    const path = authorizationPath(base, clientId, { state });
    expect(path.length, 'the request stays inside the query bound').toBeLessThan(MAX_QUERY_BYTES);
    const redirect = await approveInBrowser(base, path, 'alice');
    expect(redirect.origin + redirect.pathname).toBe(REDIRECT_URI);
    expect(redirect.searchParams.get('code')).toMatch(/.+/);
    expect(redirect.searchParams.get('state')).toBe(state);
    expect(redirect.searchParams.get('iss')).toBe(base);
  });

  it('[EC-24] a 4096-character state, the longest accepted, is echoed too', async () => {
    const state = 'x'.repeat(4096);
    const redirect = await approveInBrowser(base, authorizationPath(base, clientId, { state }), 'alice');
    expect(redirect.searchParams.get('state')).toBe(state);
  });

  it('[EC-24] a 5 KB state is refused with invalid_request and not echoed', async () => {
    const response = await fetch(`${base}${authorizationPath(base, clientId, { state: 's'.repeat(5 * 1024) })}`, { redirect: 'manual' });
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location')!);
    expect(location.origin + location.pathname).toBe(REDIRECT_URI);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('error_description')).toMatch(/state is longer than 4096/);
    expect(location.searchParams.has('state')).toBe(false);
    expect(location.searchParams.get('iss')).toBe(base);
  });
});

describe('[limits] headers and query strings', () => {
  it('[limits] headers over 16 KB get a clean 431 from the HTTP layer, with a line saying why', async () => {
    const answer = await rawRequest('/oauth/authorize', { 'X-Padding': 'p'.repeat(MAX_HEADER_BYTES) });
    expect(answer.status).toBe(431);
    expect(answer.headers.connection).toBe('close');
    expect(answer.body).toBe(`431 Request Header Fields Too Large: the request line and headers may total at most ${MAX_HEADER_BYTES} bytes\n`);
  });

  it('[limits] on a kept-alive connection, oversized headers after a normal request still get the 431', async () => {
    expect((await fetch(`${base}/.well-known/oauth-authorization-server`)).status).toBe(200);
    const response = await fetch(`${base}/.well-known/oauth-authorization-server`, { headers: { 'X-Padding': 'p'.repeat(MAX_HEADER_BYTES) } });
    expect(response.status).toBe(431);
    expect(await response.text()).toMatch(/^431 Request Header Fields Too Large/);
  });

  it('[limits] a request line over 16 KB is covered by the same 431', async () => {
    const answer = await rawRequest(`/oauth/authorize?client_id=${'c'.repeat(MAX_HEADER_BYTES)}`);
    expect(answer.status).toBe(431);
  });

  it('[limits] the server still answers after refusing oversized headers', async () => {
    await rawRequest('/', { 'X-Padding': 'p'.repeat(MAX_HEADER_BYTES) });
    expect((await fetch(`${base}/.well-known/oauth-authorization-server`)).status).toBe(200);
  });

  it('[limits] an authorization request with a query over 8 KB (under Node\'s 16 KB) gets a 414 page, never a redirect', async () => {
    const path = authorizationPath(base, clientId, { state: 'q'.repeat(MAX_QUERY_BYTES) });
    expect(path.length).toBeLessThan(MAX_HEADER_BYTES);
    const response = await fetch(`${base}${path}`, { redirect: 'manual' });
    expect(response.status).toBe(414);
    expect(response.headers.get('location')).toBeNull();
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain('This address is too long');
    expect(html).toContain(`The query string is longer than ${MAX_QUERY_BYTES} bytes.`);
  });

  it('[limits] the same bound on an OAuth JSON endpoint answers OAuth JSON', async () => {
    const response = await fetch(`${base}/oauth/register?pad=${'q'.repeat(MAX_QUERY_BYTES)}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(response.status).toBe(414);
    expect(await response.json()).toEqual({ error: 'invalid_request', error_description: `the query string is longer than ${MAX_QUERY_BYTES} bytes` });
  });
});

describe('[limits] bodies', () => {
  const oversized = new URLSearchParams({ grant_type: 'authorization_code', pad: 'b'.repeat(70 * 1024) });

  it('[limits] a form over 64 KB at the token endpoint is 413 in OAuth JSON', async () => {
    const response = await tokenRequest(base, { pad: 'b'.repeat(70 * 1024) });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ error: 'invalid_request', error_description: 'the request body is too large' });
  });

  it('[limits] a form over 64 KB at sign-in is a 413 page', async () => {
    const response = await fetch(`${base}/login`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: oversized });
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await response.text()).toContain('the request body is too large');
  });

  it('[limits] a registration over 64 KB is 413 invalid_client_metadata', async () => {
    const response = await register(base, {}, { redirect_uris: [REDIRECT_URI], client_name: 'n'.repeat(70 * 1024) });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: string }).error).toBe('invalid_client_metadata');
  });
});

describe('[limits] notes over MCP', () => {
  it('[limits] a note body over 100,000 characters is a tool error that says how long it may be', async () => {
    const { access_token: token } = await obtainTokens(base, 'alice');
    const result = await callTool(`${base}/mcp`, token, 'create_note', { title: 'too long', body: 'x'.repeat(100_001) });
    expect(result.isError).toBe(true);
    const [content] = result.content as { type: string; text: string }[];
    expect(content?.text).toMatch(/at most 100000 characters/);
    const fits = await callTool(`${base}/mcp`, token, 'create_note', { title: 'just fits', body: 'x'.repeat(100_000) });
    expect(fits.isError).toBeUndefined();
  });
});
