// Rate limits over the wire: each one trips at its threshold with 429, Retry-After and the body its
// endpoint promises, leaves the other limits and keys alone, and RATE_LIMITS=off turns them all off.
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.ts';
import { obtainTokens, postMcp } from '../mcp/harness.ts';
import { Browser } from '../kit/browser.ts';
import { authorizationPath, limitedServer, PASSWORD, register, registeredClientId, retryAfter, signIn, tokenRequest } from './harness.ts';

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(env: NodeJS.ProcessEnv, users: string[] = []): Promise<string> {
  server = await limitedServer(env, users);
  return server.url;
}

async function expectOAuth429(response: Response, windowSeconds: number): Promise<void> {
  expect(response.status).toBe(429);
  const seconds = retryAfter(response);
  expect(seconds).toBeGreaterThanOrEqual(1);
  expect(seconds).toBeLessThanOrEqual(windowSeconds);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  expect(response.headers.get('cache-control')).toBe('no-store');
  expect(await response.json()).toEqual({ error: 'temporarily_unavailable', error_description: `too many requests; retry after ${seconds} seconds` });
}

async function expectPage429(response: Response, windowSeconds: number): Promise<string> {
  expect(response.status).toBe(429);
  const seconds = retryAfter(response);
  expect(seconds).toBeLessThanOrEqual(windowSeconds);
  expect(response.headers.get('content-type')).toMatch(/^text\/html/);
  const html = await response.text();
  expect(html).toContain(`retry after ${seconds} seconds`);
  return html;
}

describe('[limits] registration per IP', () => {
  it('[REQ-14] the registration after the limit is 429 temporarily_unavailable with Retry-After; authorization is unaffected', async () => {
    const base = await start({ RATE_LIMIT_REGISTER_PER_IP: '2/1h' });
    const clientId = await registeredClientId(base);
    expect((await register(base)).status).toBe(201);
    await expectOAuth429(await register(base), 3600);
    await expectOAuth429(await register(base), 3600);
    const authorize = await fetch(`${base}${authorizationPath(base, clientId)}`, { redirect: 'manual' });
    expect(authorize.status).toBe(303);
  });

  it('[limits] behind a trusted proxy the IP is the last X-Forwarded-For entry, so a client cannot pick its own key', async () => {
    const base = await start({ RATE_LIMIT_REGISTER_PER_IP: '1/1h', TRUST_PROXY: '1' });
    expect((await register(base, { 'X-Forwarded-For': '203.0.113.1' })).status).toBe(201);
    expect((await register(base, { 'X-Forwarded-For': '203.0.113.2' })).status).toBe(201);
    await expectOAuth429(await register(base, { 'X-Forwarded-For': '198.51.100.9, 203.0.113.1' }), 3600);
  });
});

describe('[limits] token endpoint per client and per IP', () => {
  it('[SEC-RATE-02] only successful requests spend a client\'s budget: requests that merely name it do not', async () => {
    const base = await start({ RATE_LIMIT_TOKEN_PER_CLIENT: '2/1m', RATE_LIMIT_TOKEN_FAILURES_PER_IP: '1000/1m' }, ['alice']);
    const tokens = await obtainTokens(base, 'alice'); // the exchange: one success
    // Bogus refreshes naming the victim's client, from anyone: refused, and not counted for the client.
    for (let i = 0; i < 5; i += 1) expect((await tokenRequest(base, { grant_type: 'refresh_token', client_id: tokens.clientId, refresh_token: `bogus-${i}` })).status).toBe(400);
    const refreshed = await tokenRequest(base, { grant_type: 'refresh_token', client_id: tokens.clientId, refresh_token: tokens.refresh_token! });
    expect(refreshed.status).toBe(200);
    // Two successes now: the client's own budget is spent, and its next request waits.
    const next = (await refreshed.json()) as { refresh_token: string };
    await expectOAuth429(await tokenRequest(base, { grant_type: 'refresh_token', client_id: tokens.clientId, refresh_token: next.refresh_token }), 60);
  });

  it('[SEC-RATE-02] failed token requests count against their address: the attacker is stopped, the victim elsewhere is not', async () => {
    const base = await start({ RATE_LIMIT_TOKEN_FAILURES_PER_IP: '3/1m', TRUST_PROXY: '1' }, ['alice']);
    const tokens = await obtainTokens(base, 'alice');
    const attacker = { 'X-Forwarded-For': '198.51.100.7' };
    for (let i = 0; i < 3; i += 1) expect((await tokenRequest(base, { grant_type: 'refresh_token', client_id: tokens.clientId, refresh_token: `bogus-${i}` }, attacker)).status).toBe(400);
    await expectOAuth429(await tokenRequest(base, { grant_type: 'refresh_token', client_id: tokens.clientId, refresh_token: tokens.refresh_token! }, attacker), 60);
    const victim = await tokenRequest(base, { grant_type: 'refresh_token', client_id: tokens.clientId, refresh_token: tokens.refresh_token! }, { 'X-Forwarded-For': '203.0.113.50' });
    expect(victim.status).toBe(200);
  });

  it('[limits] one IP over its limit gets 429 whichever client it names', async () => {
    const base = await start({ RATE_LIMIT_TOKEN_PER_IP: '3/1m' });
    for (const id of ['one', 'two', 'three']) expect((await tokenRequest(base, { client_id: id })).status).toBe(401);
    await expectOAuth429(await tokenRequest(base, { client_id: 'four' }), 60);
    expect((await register(base)).status).toBe(201);
  });
});

describe('[limits] revocation per IP', () => {
  it('[SEC-RATE-03] /oauth/revoke answers 429 past its per-IP limit', async () => {
    const base = await start({ RATE_LIMIT_REVOKE_PER_IP: '2/1m' });
    const revoke = () => fetch(`${base}/oauth/revoke`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'client_id=nobody&token=x' });
    for (let i = 0; i < 2; i += 1) expect((await revoke()).status).toBe(401);
    await expectOAuth429(await revoke(), 60);
  });
});

describe('[limits] authorization per IP', () => {
  it('[limits] the authorization request after the limit is a 429 page with Retry-After, never a redirect', async () => {
    const base = await start({ RATE_LIMIT_AUTHORIZE_PER_IP: '2/1m' });
    const clientId = await registeredClientId(base);
    for (let i = 0; i < 2; i += 1) expect((await fetch(`${base}${authorizationPath(base, clientId)}`, { redirect: 'manual' })).status).toBe(303);
    const refused = await fetch(`${base}${authorizationPath(base, clientId)}`, { redirect: 'manual' });
    expect(refused.headers.get('location')).toBeNull();
    const html = await expectPage429(refused, 60);
    expect(html).toContain('Too many requests');
    // The router ignores case and one trailing slash; so does the limit.
    expect((await fetch(`${base}/OAuth/Authorize/?client_id=${clientId}`, { redirect: 'manual' })).status).toBe(429);
    expect((await register(base)).status).toBe(201);
  });
});

describe('[limits] sign-in failures per username and per IP', () => {
  it('[limits] after the failures allowed for a username from one address even its right password waits there, and another username signs in', async () => {
    const base = await start({ RATE_LIMIT_LOGIN_PER_USER: '3/15m' }, ['alice', 'bob']);
    for (let i = 0; i < 3; i += 1) expect((await signIn(base, 'alice', 'wrong password')).status).toBe(401);
    const html = await expectPage429(await signIn(base, 'ALICE', PASSWORD), 900);
    expect(html).toContain('Too many sign-in attempts');
    expect((await signIn(base, 'bob', PASSWORD)).status).toBe(303);
  });

  it('[limits] a successful sign-in clears its username count, and successes never count', async () => {
    const base = await start({ RATE_LIMIT_LOGIN_PER_USER: '3/15m', RATE_LIMIT_LOGIN_PER_IP: '4/15m' }, ['alice']);
    for (let i = 0; i < 2; i += 1) expect((await signIn(base, 'alice', 'wrong password')).status).toBe(401);
    for (let i = 0; i < 5; i += 1) expect((await signIn(base, 'alice', PASSWORD)).status).toBe(303);
    for (let i = 0; i < 2; i += 1) expect((await signIn(base, 'alice', 'wrong password')).status).toBe(401);
    // Four failures from this IP now: the IP limit answers next, whatever the username.
    await expectPage429(await signIn(base, 'bob', 'anything'), 900);
  });

  it('[limits] failures spread over usernames trip the per-IP limit', async () => {
    const base = await start({ RATE_LIMIT_LOGIN_PER_IP: '3/15m' }, ['alice']);
    for (const name of ['carol', 'dave', 'erin']) expect((await signIn(base, name, 'guess')).status).toBe(401);
    await expectPage429(await signIn(base, 'alice', PASSWORD), 900);
  });

  it('[limits] an expired sign-in form is not counted as a failure', async () => {
    const base = await start({ RATE_LIMIT_LOGIN_PER_IP: '1/15m' }, ['alice']);
    for (let i = 0; i < 3; i += 1) {
      const stale = await fetch(`${base}/login`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'username=alice&password=x&csrf=stale' });
      expect(stale.status).toBe(403);
    }
    expect((await signIn(base, 'alice', PASSWORD)).status).toBe(303);
  });

  it('[limits] parallel guesses count at once: no more than the limit reach the password check', async () => {
    const base = await start({ RATE_LIMIT_LOGIN_PER_USER: '3/15m' }, ['alice']);
    const statuses = (await Promise.all(Array.from({ length: 8 }, () => signIn(base, 'alice', 'wrong password')))).map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(5);
  });
});

describe('[limits] first-run setup per IP', () => {
  it('[SEC-SETUP-01] setup posts past RATE_LIMIT_SETUP_PER_IP get a 429 page with Retry-After, whatever their token; the setup page still opens', async () => {
    server = await limitedServer({ RATE_LIMIT_SETUP_PER_IP: '2/15m' });
    const base = server.url;
    const setupPath = new URL(server.setupUrl!).pathname + new URL(server.setupUrl!).search;
    const browser = new Browser(base);
    const post = async (token: string) => {
      const page = await browser.fetch(setupPath);
      return browser.submit(setupPath, await page.text(), { token, username: 'owner', password: PASSWORD, password_confirm: PASSWORD });
    };
    for (const token of ['bogus', '']) expect((await post(token)).status).toBe(400);
    const refused = await post(new URL(server.setupUrl!).searchParams.get('token')!);
    const html = await expectPage429(refused, 900);
    expect(html).toContain('Too many setup attempts');
    expect((await browser.fetch(setupPath)).status).toBe(200);
  });
});

describe('[limits] /mcp per verified grant, or per IP for everything else', () => {
  it('[SEC-RATE-01] a caller over its limit gets 429 with a JSON-RPC error; a verified token has its grant\'s own count', async () => {
    const base = await start({ RATE_LIMIT_MCP: '2/1m', RATE_LIMIT_MCP_PER_IP: '2/1m' }, ['alice']);
    const { access_token: token } = await obtainTokens(base, 'alice');
    const ping = { jsonrpc: '2.0', id: 1, method: 'ping' };
    for (let i = 0; i < 2; i += 1) expect((await postMcp(`${base}/mcp`, ping)).status).toBe(401);
    const refused = await postMcp(`${base}/mcp`, ping);
    expect(refused.status).toBe(429);
    expect(retryAfter(new Response(null, { headers: refused.headers }))).toBeLessThanOrEqual(60);
    expect(refused.message).toEqual({ jsonrpc: '2.0', error: { code: -32000, message: expect.stringMatching(/^too many requests; retry after \d+ seconds$/) as unknown }, id: null });
    // The anonymous count of this IP does not touch the verified caller, nor the reverse.
    for (let i = 0; i < 2; i += 1) expect((await postMcp(`${base}/mcp`, ping, { token, headers: { 'MCP-Protocol-Version': '2025-06-18' } })).status).not.toBe(429);
    expect((await postMcp(`${base}/mcp`, ping, { token })).status).toBe(429);
  });

  it('[SEC-RATE-01] a fresh made-up bearer on every request buys no fresh budget: it counts against the address', async () => {
    const base = await start({ RATE_LIMIT_MCP_PER_IP: '3/1m' }, ['alice']);
    const ping = { jsonrpc: '2.0', id: 1, method: 'ping' };
    for (let i = 0; i < 3; i += 1) expect((await postMcp(`${base}/mcp`, ping, { token: `random-${i}-${Math.random()}` })).status).toBe(401);
    expect((await postMcp(`${base}/mcp`, ping, { token: 'yet-another' })).status).toBe(429);
    expect((await postMcp(`${base}/mcp`, ping)).status).toBe(429);
    // A verified token still gets through: its grant has its own budget.
    const { access_token: token } = await obtainTokens(base, 'alice');
    expect((await postMcp(`${base}/mcp`, ping, { token })).status).not.toBe(429);
  });

  it('[limits] CORS preflights are not counted', async () => {
    const base = await start({ RATE_LIMIT_MCP_PER_IP: '1/1m' });
    for (let i = 0; i < 3; i += 1) expect((await fetch(`${base}/mcp`, { method: 'OPTIONS' })).status).toBe(204);
    expect((await postMcp(`${base}/mcp`, { jsonrpc: '2.0', id: 1, method: 'ping' })).status).toBe(401);
  });
});

describe('[limits] RATE_LIMITS=off', () => {
  it('[limits] turns every limit off, for load tests', async () => {
    const one = { RATE_LIMIT_REGISTER_PER_IP: '1/1h', RATE_LIMIT_TOKEN_PER_IP: '1/1m', RATE_LIMIT_AUTHORIZE_PER_IP: '1/1m', RATE_LIMIT_LOGIN_PER_IP: '1/15m', RATE_LIMIT_MCP: '1/1m', RATE_LIMIT_MCP_PER_IP: '1/1m', RATE_LIMIT_TOKEN_FAILURES_PER_IP: '1/1m' };
    const base = await start({ RATE_LIMITS: 'off', ...one }, ['alice']);
    const clientId = await registeredClientId(base);
    for (let i = 0; i < 3; i += 1) {
      expect((await register(base)).status).toBe(201);
      expect((await tokenRequest(base, { client_id: clientId })).status).toBe(400);
      expect((await fetch(`${base}${authorizationPath(base, clientId)}`, { redirect: 'manual' })).status).toBe(303);
      expect((await signIn(base, 'alice', 'wrong password')).status).toBe(401);
      expect((await postMcp(`${base}/mcp`, { jsonrpc: '2.0', id: 1, method: 'ping' })).status).toBe(401);
    }
  });
});
