// Metadata-document clients end to end over HTTP: a ChatGPT-shaped document with private_key_jwt
// and a Claude-shaped public one, each through authorization, consent, code exchange, refresh and
// revocation, with the documents and key sets served by a local HTTPS host (test CA, 127.0.0.1).
// Then everything a document host can get wrong, which must never stall or break the server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatgptDocument as shapedLikeChatgpt, claudeDocument as shapedLikeClaude } from '../kit/client-documents.ts';
import { WireClient } from '../kit/client.ts';
import { ClientKey, DocumentHost } from '../kit/document-host.ts';
import { newPkce } from '../kit/pkce.ts';
import { startTestServer, type TestServer } from '../kit/server.ts';

const CHATGPT_ID = 'https://chatgpt.com/oauth/client.json';
const CHATGPT_JWKS = 'https://chatgpt.com/oauth/jwks.json';
const CHATGPT_CALLBACK = 'https://chatgpt.com/connector/oauth/cb_7Hq2';
const CLAUDE_ID = 'https://claude.ai/oauth/mcp-oauth-client-metadata';
const CLAUDE_CALLBACK = 'https://claude.ai/api/mcp/auth_callback';
const CLAUDE_CODE_ID = 'https://claude.ai/oauth/claude-code-client-metadata';
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

const chatgptDocument = () => shapedLikeChatgpt(CHATGPT_ID, CHATGPT_CALLBACK);
const claudeDocument = (id = CLAUDE_ID, redirectUris = [CLAUDE_CALLBACK]) => ({ ...shapedLikeClaude(id, redirectUris), token_endpoint_auth_method: 'none' });

let host: DocumentHost;
let key: ClientKey;
let server: TestServer;
let person: WireClient;

beforeAll(async () => {
  host = await DocumentHost.start();
  key = await ClientKey.generate('cimd-20260428030119');
  server = await startTestServer({ users: ['alice'], fetchPolicy: host.fetchPolicy() });
  person = new WireClient(server.url, { username: 'alice' });
});
afterAll(async () => {
  await server.close();
  await host.close();
});

function form(fields: Record<string, string>): RequestInit {
  return { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() };
}

async function post(path: string, fields: Record<string, string>, target = server): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${target.url}${path}`, form(fields));
  const text = await response.text();
  return { status: response.status, json: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

const tokenEndpoint = () => `${server.url}/oauth/token`;

describe('a ChatGPT-shaped client: metadata document and private_key_jwt', () => {
  beforeAll(() => {
    host.serve(CHATGPT_ID, chatgptDocument(), { headers: { 'cache-control': 'max-age=3600' } });
    host.serve(CHATGPT_JWKS, key.jwks());
  });

  it('[REQ-13][CGPT-30][CGPT-32][CGPT-34][EC-29] authorizes, exchanges with an assertion, refreshes, refuses a replay and revokes', async () => {
    const client = { clientId: CHATGPT_ID, redirectUri: CHATGPT_CALLBACK };
    const { code, verifier } = await person.code(client);
    const exchange = await post('/oauth/token', {
      grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: CHATGPT_CALLBACK, resource: server.mcpUrl,
      client_assertion_type: ASSERTION_TYPE, client_assertion: await key.sign(CHATGPT_ID, tokenEndpoint()),
    });
    expect(exchange.status, JSON.stringify(exchange.json)).toBe(200);
    expect(typeof exchange.json.refresh_token).toBe('string');

    // The access token works at /mcp and names the document URL as its client.
    const mcp = await person.mcp(exchange.json.access_token as string);
    expect(mcp.status).toBe(200);
    const claims = JSON.parse(Buffer.from((exchange.json.access_token as string).split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    expect(claims.client_id).toBe(CHATGPT_ID);

    // The issuer is an audience too (RFC7523-01), here in an array.
    const assertion = await key.sign(CHATGPT_ID, [server.url]);
    const refreshed = await post('/oauth/token', { grant_type: 'refresh_token', refresh_token: exchange.json.refresh_token as string, client_assertion_type: ASSERTION_TYPE, client_assertion: assertion });
    expect(refreshed.status, JSON.stringify(refreshed.json)).toBe(200);

    const replay = await post('/oauth/token', { grant_type: 'refresh_token', refresh_token: refreshed.json.refresh_token as string, client_assertion_type: ASSERTION_TYPE, client_assertion: assertion });
    expect(replay.status).toBe(401);
    expect(replay.json).toMatchObject({ error: 'invalid_client' });
    expect(String(replay.json.error_description)).toContain('jti replay');

    const revoked = await post('/oauth/revoke', { token: refreshed.json.refresh_token as string, client_assertion_type: ASSERTION_TYPE, client_assertion: await key.sign(CHATGPT_ID, tokenEndpoint()) });
    expect(revoked.status).toBe(200);
    const afterRevoke = await post('/oauth/token', { grant_type: 'refresh_token', refresh_token: refreshed.json.refresh_token as string, client_assertion_type: ASSERTION_TYPE, client_assertion: await key.sign(CHATGPT_ID, tokenEndpoint()) });
    expect(afterRevoke.json.error).toBe('invalid_grant');
    // The document was fetched once for all of this (max-age=3600), the key set once too.
    expect(host.hitCount(CHATGPT_ID)).toBe(1);
    expect(host.hitCount(CHATGPT_JWKS)).toBe(1);
  });

  it('[CIMD-04][EC-28] without an assertion the ChatGPT client is refused, even though its plural offers none', async () => {
    const { code, verifier } = await person.code({ clientId: CHATGPT_ID, redirectUri: CHATGPT_CALLBACK });
    const reply = await post('/oauth/token', { grant_type: 'authorization_code', client_id: CHATGPT_ID, code, code_verifier: verifier });
    expect(reply.status).toBe(401);
    expect(String(reply.json.error_description)).toContain('private_key_jwt');
  });

  it.each<[string, () => Promise<string>, string]>([
    ['signed by another key under the same kid', async () => (await ClientKey.generate('cimd-20260428030119')).sign(CHATGPT_ID, tokenEndpoint()), 'does not verify'],
    ['for another audience', () => key.sign(CHATGPT_ID, 'https://evil.example/token'), 'aud'],
    ['expired', () => key.sign(CHATGPT_ID, tokenEndpoint(), { exp: Math.floor(Date.now() / 1000) - 120, iat: Math.floor(Date.now() / 1000) - 180 }), 'expired'],
    ['valid for an hour', () => key.sign(CHATGPT_ID, tokenEndpoint(), { exp: Math.floor(Date.now() / 1000) + 3600 }), 'too long'],
    ['signed with HS256', async () => {
      const { SignJWT } = await import('jose');
      return new SignJWT({ iss: CHATGPT_ID, sub: CHATGPT_ID, aud: tokenEndpoint(), exp: Math.floor(Date.now() / 1000) + 60, jti: 'x' }).setProtectedHeader({ alg: 'HS256' }).sign(new Uint8Array(32));
    }, 'alg'],
    ['typed as an access token', () => key.sign(CHATGPT_ID, tokenEndpoint(), {}, { typ: 'at+jwt' }), 'typ'],
    ['not a JWT at all', async () => 'not-a-jwt', 'not a JWT'],
  ])('[EC-29] an assertion %s is 401 invalid_client, and the code stays usable', async (_, make, why) => {
    const { code, verifier } = await person.code({ clientId: CHATGPT_ID, redirectUri: CHATGPT_CALLBACK });
    const bad = await post('/oauth/token', { grant_type: 'authorization_code', client_id: CHATGPT_ID, code, code_verifier: verifier, client_assertion_type: ASSERTION_TYPE, client_assertion: await make() });
    expect(bad.status).toBe(401);
    expect(bad.json.error).toBe('invalid_client');
    expect(String(bad.json.error_description)).toContain(why);
    const good = await post('/oauth/token', { grant_type: 'authorization_code', code, code_verifier: verifier, client_assertion_type: ASSERTION_TYPE, client_assertion: await key.sign(CHATGPT_ID, tokenEndpoint()) });
    expect(good.status).toBe(200);
  });

  it('[EC-29] a rotated key (a kid the cached set lacks) makes the key set be fetched again, once', async () => {
    const rotated = await ClientKey.generate('cimd-20261201000000');
    host.serve(CHATGPT_JWKS, { keys: [...key.jwks().keys, ...rotated.jwks().keys] });
    server.clock.offset += 120; // past the one-refetch-a-minute bound
    const before = host.hitCount(CHATGPT_JWKS);
    const { code, verifier } = await person.code({ clientId: CHATGPT_ID, redirectUri: CHATGPT_CALLBACK });
    const now = Math.floor(Date.now() / 1000) + server.clock.offset;
    const reply = await post('/oauth/token', { grant_type: 'authorization_code', code, code_verifier: verifier, client_assertion_type: ASSERTION_TYPE, client_assertion: await rotated.sign(CHATGPT_ID, tokenEndpoint(), { iat: now, exp: now + 60 }) });
    expect(reply.status, JSON.stringify(reply.json)).toBe(200);
    expect(host.hitCount(CHATGPT_JWKS)).toBe(before + 1);
    // A made-up kid right after does not trigger another fetch.
    const stranger = await ClientKey.generate('made-up');
    const { code: code2, verifier: verifier2 } = await person.code({ clientId: CHATGPT_ID, redirectUri: CHATGPT_CALLBACK });
    const refused = await post('/oauth/token', { grant_type: 'authorization_code', code: code2, code_verifier: verifier2, client_assertion_type: ASSERTION_TYPE, client_assertion: await stranger.sign(CHATGPT_ID, tokenEndpoint(), { iat: now, exp: now + 60 }) });
    expect(refused.status).toBe(401);
    expect(host.hitCount(CHATGPT_JWKS)).toBe(before + 1);
    server.clock.offset -= 120;
  });
});

describe('Claude-shaped clients: public metadata documents', () => {
  it('[REQ-13][CLA-04][CLA-15] Claude completes the flow with PKCE alone, and the consent page leads with the document host', async () => {
    host.serve(CLAUDE_ID, claudeDocument());
    const pkce = newPkce();
    const query = new URLSearchParams({ client_id: CLAUDE_ID, response_type: 'code', redirect_uri: CLAUDE_CALLBACK, code_challenge: pkce.challenge, code_challenge_method: 'S256', resource: server.mcpUrl, state: 's1' });
    await person.code({ clientId: CHATGPT_ID, redirectUri: CHATGPT_CALLBACK }); // signed in by now
    const start = await person.browser.fetch(`/oauth/authorize?${query}`);
    expect(start.status).toBe(303);
    const consent = await person.browser.fetch(start.headers.get('location')!);
    const page = await consent.text();
    expect(page).toContain('<p class="client-host">claude.ai</p>');
    expect(page).toContain('claims to be <strong>Claude</strong>');

    const { code, verifier } = await person.code({ clientId: CLAUDE_ID, redirectUri: CLAUDE_CALLBACK });
    const reply = await post('/oauth/token', { grant_type: 'authorization_code', client_id: CLAUDE_ID, code, code_verifier: verifier, resource: server.mcpUrl });
    expect(reply.status, JSON.stringify(reply.json)).toBe(200);
    const refreshed = await post('/oauth/token', { grant_type: 'refresh_token', client_id: CLAUDE_ID, refresh_token: reply.json.refresh_token as string });
    expect(refreshed.status).toBe(200);
  });

  it('[REQ-13][CLA-14][EC-22] Claude Code\'s document with loopback redirects matches on any port', async () => {
    host.serve(CLAUDE_CODE_ID, claudeDocument(CLAUDE_CODE_ID, ['http://localhost/callback', 'http://127.0.0.1/callback']));
    const { code, verifier } = await person.code({ clientId: CLAUDE_CODE_ID, redirectUri: 'http://localhost:53682/callback' });
    const reply = await post('/oauth/token', { grant_type: 'authorization_code', client_id: CLAUDE_CODE_ID, code, code_verifier: verifier });
    expect(reply.status).toBe(200);
  });
});

describe('what a document host can get wrong', () => {
  const authorizePage = async (clientId: string, redirectUri = 'https://claude.ai/api/mcp/auth_callback', target = server) => {
    const pkce = newPkce();
    const query = new URLSearchParams({ client_id: clientId, response_type: 'code', redirect_uri: redirectUri, code_challenge: pkce.challenge, code_challenge_method: 'S256' });
    const response = await fetch(`${target.url}/oauth/authorize?${query}`, { redirect: 'manual' });
    return { status: response.status, location: response.headers.get('location'), text: await response.text() };
  };
  let counter = 0;
  const fresh = () => `https://documents.example/clients/${++counter}.json`;

  it.each<[string, (url: string) => void, string]>([
    ['answers 404 with an HTML page', () => {}, 'answered HTTP 404'],
    ['answers a redirect', (url) => host.serve(url, '', { status: 302, headers: { location: 'https://claude.ai/other' } }), 'redirect'],
    ['answers HTML with status 200 (a bot challenge)', (url) => host.serve(url, '<html>checking your browser</html>', { headers: { 'content-type': 'text/html' } }), 'not JSON'],
    ['answers a document over 5 KB', (url) => host.serve(url, { ...claudeDocument(url), padding: 'x'.repeat(6000) }), 'larger than'],
    ['answers broken JSON', (url) => host.serve(url, '{"client_id": '), 'not valid JSON'],
    ['serves another client\'s document', (url) => host.serve(url, claudeDocument()), 'not the URL it was fetched from'],
  ])('[REQ-13][EC-41][CIMD-03] a host that %s gets a 400 page naming why, never a redirect', async (_, arrange, why) => {
    const url = fresh();
    arrange(url);
    const page = await authorizePage(url);
    expect(page.status).toBe(400);
    expect(page.location).toBeNull();
    expect(page.text).toContain(why);
  });

  it('[REQ-13][CIMD-03] a failed first fetch is not cached: once the host is fixed the next request works', async () => {
    const url = fresh();
    expect((await authorizePage(url)).status).toBe(400);
    host.serve(url, claudeDocument(url));
    expect((await authorizePage(url)).status).toBe(303);
  });

  it('[REQ-13] after a good fetch, a failing host is covered by the last good copy; it is asked again only after 5 minutes', async () => {
    const url = fresh();
    host.serve(url, claudeDocument(url), { headers: { 'cache-control': 'no-store' } });
    expect((await authorizePage(url)).status).toBe(303);
    host.serve(url, '<html>down</html>', { status: 503, headers: { 'content-type': 'text/html' } });
    server.clock.offset += 301;
    expect((await authorizePage(url)).status).toBe(303);
    expect(host.hitCount(url)).toBe(2);
    expect((await authorizePage(url)).status).toBe(303);
    expect(host.hitCount(url)).toBe(2);
    // Beyond 7 days since the last good fetch, the copy is no longer used.
    server.clock.offset += 7 * 24 * 3600;
    expect((await authorizePage(url)).status).toBe(400);
    server.clock.offset -= 301 + 7 * 24 * 3600;
  });

  it('[REQ-13][EC-41] a slow host is given up on at the time limit, and other requests are answered meanwhile', async () => {
    const slow = await startTestServer({ fetchPolicy: host.fetchPolicy({ timeoutMs: 400 }) });
    try {
      const url = fresh();
      host.serve(url, claudeDocument(url), { delayMs: 1500 });
      const started = Date.now();
      const page = authorizePage(url, CLAUDE_CALLBACK, slow);
      const other = await fetch(`${slow.url}/.well-known/oauth-authorization-server`);
      expect(other.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(400);
      const answered = await page;
      expect(answered.status).toBe(400);
      expect(answered.text).toContain('did not answer within');
    } finally {
      await slow.close();
    }
  });

  it('[REQ-13][EC-41] a host name that resolves to a private address is never connected to', async () => {
    const guarded = await startTestServer({
      fetchPolicy: { ...host.fetchPolicy(), hosts: {}, lookup: ((_: string, options: unknown, callback: (e: null, a: { address: string; family: number }[]) => void) => callback(null, [{ address: '10.1.2.3', family: 4 }])) as never },
    });
    try {
      const page = await authorizePage('https://intranet.test/client.json', CLAUDE_CALLBACK, guarded);
      expect(page.status).toBe(400);
      expect(page.text).toContain('non-public address (10.1.2.3)');
      const literal = await authorizePage('https://127.0.0.1/client.json', CLAUDE_CALLBACK, guarded);
      expect(literal.text).toContain('127.0.0.1 is not a public address');
    } finally {
      await guarded.close();
    }
  });

  it('[REQ-13][EC-41] a URL client_id that is not a usable document URL is refused without any fetch', async () => {
    const before = host.hits.length;
    for (const url of ['http://claude.ai/oauth/x', 'https://claude.ai/oauth/../x', 'https://claude.ai/x#frag']) {
      const page = await authorizePage(url);
      expect(page.status, url).toBe(400);
    }
    expect(host.hits.length).toBe(before);
  });
});

describe('test servers are offline by default', () => {
  it('[REQ-13][EC-41] a test server given no fetch policy resolves no name: a real client host is never contacted', async () => {
    const plain = await startTestServer();
    try {
      const pkce = newPkce();
      const query = new URLSearchParams({ client_id: CHATGPT_ID, response_type: 'code', redirect_uri: CHATGPT_CALLBACK, code_challenge: pkce.challenge, code_challenge_method: 'S256' });
      const before = host.hits.length;
      const response = await fetch(`${plain.url}/oauth/authorize?${query}`, { redirect: 'manual' });
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('its host name does not resolve');
      expect(host.hits.length).toBe(before);
    } finally {
      await plain.close();
    }
  });
});

describe('with metadata documents turned off', () => {
  it('[REQ-13] a URL client_id is an unknown client and nothing is fetched', async () => {
    const off = await startTestServer({ env: { CLIENT_METADATA_DOCUMENTS: 'off' }, fetchPolicy: host.fetchPolicy() });
    try {
      host.serve(CLAUDE_ID, claudeDocument());
      const before = host.hits.length;
      const pkce = newPkce();
      const query = new URLSearchParams({ client_id: CLAUDE_ID, response_type: 'code', redirect_uri: CLAUDE_CALLBACK, code_challenge: pkce.challenge, code_challenge_method: 'S256' });
      const response = await fetch(`${off.url}/oauth/authorize?${query}`, { redirect: 'manual' });
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('not registered');
      expect(host.hits.length).toBe(before);
    } finally {
      await off.close();
    }
  });
});
