// The authorization server over a real socket on 127.0.0.1: discovery, registration, the
// authorization page flow with sign-in and consent, token and revocation endpoints, and the
// HTTP-level rules (status codes, headers, media types, error shapes).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../kit/browser.ts';
import { authorizationQuery, WireClient } from '../kit/client.ts';
import { PASSWORD, startTestServer, type TestServer } from '../kit/server.ts';

const CHATGPT = 'https://chatgpt.com/connector_platform_oauth_redirect';
const CHATGPT_CLIENT = { client_name: 'ChatGPT', redirect_uris: [CHATGPT], token_endpoint_auth_method: 'none' };
const VERIFIER = 'dBjftJeZ4CVP-mJ92K9tqYk9vYv7Qn3xZ9yk2R8mXa0';

let server: TestServer;
let base: string;

beforeAll(async () => {
  server = await startTestServer({ users: ['alice'] });
  base = server.url;
});
afterAll(() => server.close());

/** POST /oauth/register with `metadata` as JSON: the answer as it came. */
function register(metadata: Record<string, unknown> = CHATGPT_CLIENT) {
  return new WireClient(base).registration(metadata);
}

async function clientId(): Promise<string> {
  return (await new WireClient(base).register(CHATGPT_CLIENT)).clientId;
}

function authorizeUrl(id: string, extra: Record<string, string> = {}): string {
  return `/oauth/authorize?${authorizationQuery(base, id, VERIFIER, { redirect_uri: CHATGPT, state: 'st-1', scope: 'notes:read notes:write offline_access', ...extra })}`;
}

/** Walks authorize → login → consent as alice in `browser`; returns the final redirect to the client. */
function authorizeAsAlice(browser: Browser, id: string, decision: 'approve' | 'deny' = 'approve'): Promise<URL> {
  return new WireClient(base, { username: 'alice', browser }).approve(authorizeUrl(id), { decision });
}

async function token(body: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base}/oauth/token`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(body) });
}

describe('[http] discovery', () => {
  it('[REQ-01][CGPT-01][CGPT-OBS-01] the protected-resource metadata is served, identical, at the root and path-inserted locations', async () => {
    const root = await (await fetch(`${base}/.well-known/oauth-protected-resource`)).json();
    const path = await (await fetch(`${base}/.well-known/oauth-protected-resource/mcp`)).json();
    expect(root).toEqual(path);
    expect(root).toMatchObject({ resource: `${base}/mcp`, authorization_servers: [base], scopes_supported: ['notes:read', 'notes:write'], bearer_methods_supported: ['header'] });
  });

  it('[REQ-08][CGPT-08][CGPT-10][CGPT-13][MCP-11] the AS metadata advertises S256, iss support and an issuer identical to the PRM entry', async () => {
    const response = await fetch(`${base}/.well-known/oauth-authorization-server`);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const metadata = (await response.json()) as Record<string, unknown>;
    expect(metadata).toMatchObject({
      issuer: base,
      authorization_endpoint: `${base}/oauth/authorize`,
      token_endpoint: `${base}/oauth/token`,
      registration_endpoint: `${base}/oauth/register`,
      jwks_uri: `${base}/oauth/jwks.json`,
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
    });
    expect(metadata.scopes_supported).toContain('offline_access');
    // CLA-04: Claude picks a metadata document only with both of these.
    expect(metadata.client_id_metadata_document_supported).toBe(true);
    expect(metadata.token_endpoint_auth_methods_supported).toEqual(['none', 'client_secret_basic', 'client_secret_post', 'private_key_jwt']);
    expect(metadata.token_endpoint_auth_signing_alg_values_supported).toEqual(['RS256', 'PS256', 'ES256', 'EdDSA']);
  });

  it('[REQ-13] with CLIENT_METADATA_DOCUMENTS=off neither documents nor private_key_jwt are advertised', async () => {
    const server = await startTestServer({ env: { CLIENT_METADATA_DOCUMENTS: 'off' } });
    try {
      const metadata = (await (await fetch(`${server.url}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
      expect(metadata.client_id_metadata_document_supported).toBe(false);
      expect(metadata.token_endpoint_auth_methods_supported).not.toContain('private_key_jwt');
      expect(metadata).not.toHaveProperty('token_endpoint_auth_signing_alg_values_supported');
    } finally {
      await server.close();
    }
  });

  it('[EC-08][EC-10] other well-known paths are JSON 404s', async () => {
    for (const path of ['/.well-known/oauth-protected-resource/other', '/.well-known/x', '/.well-known/openid-configuration/x']) {
      const response = await fetch(base + path);
      expect(response.status, path).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/application\/json/);
    }
  });

  it('[REQ-08][REQ-18] the JWKS publishes public keys only: ES256 for access tokens, RS256 for ID tokens', async () => {
    const jwks = (await (await fetch(`${base}/oauth/jwks.json`)).json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys.map((key) => key['alg']).sort()).toEqual(['ES256', 'RS256']);
    for (const key of jwks.keys) {
      expect(key).toMatchObject(key['kty'] === 'EC' ? { crv: 'P-256', alg: 'ES256' } : { kty: 'RSA', alg: 'RS256' });
      for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(key).not.toHaveProperty(member);
    }
  });
});

describe('[http] registration', () => {
  it('[REQ-14][RFC7591-03] registration answers 201 with the effective metadata and no-store', async () => {
    const response = await register();
    expect(response.status).toBe(201);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(JSON.parse(response.text)).toMatchObject({ client_name: 'ChatGPT', redirect_uris: [CHATGPT], token_endpoint_auth_method: 'none' });
  });

  it('[RFC7591-04] malformed JSON, the wrong media type and a refused redirect are 400 with an RFC 7591 error', async () => {
    const malformed = await fetch(`${base}/oauth/register`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"redirect_uris": [' });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: 'invalid_client_metadata' });
    const form = await fetch(`${base}/oauth/register`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'redirect_uris=x' });
    expect(await form.json()).toMatchObject({ error: 'invalid_client_metadata' });
    const refused = await register({ redirect_uris: ['http://evil.example/cb'] });
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.text)).toMatchObject({ error: 'invalid_redirect_uri' });
  });

  it('[http] a body over the size limit is refused with a clear 413, not a crash', async () => {
    const response = await register({ redirect_uris: [CHATGPT], client_name: 'x'.repeat(200_000) });
    expect(response.status).toBe(413);
    expect(JSON.parse(response.text)).toMatchObject({ error: 'invalid_client_metadata' });
  });
});

describe('[http] authorization, sign-in and consent', () => {
  it('[REQ-09][REQ-12][CGPT-22] a full flow redirects with code, state and iss, and the code buys tokens', async () => {
    const browser = new Browser(base);
    const id = await clientId();
    const redirect = await authorizeAsAlice(browser, id);
    expect(`${redirect.origin}${redirect.pathname}`).toBe(CHATGPT);
    expect(redirect.searchParams.get('state')).toBe('st-1');
    expect(redirect.searchParams.get('iss')).toBe(base);
    const response = await token({ grant_type: 'authorization_code', client_id: id, code: redirect.searchParams.get('code')!, code_verifier: VERIFIER, redirect_uri: CHATGPT, resource: `${base}/mcp` });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'notes:read notes:write offline_access' });
    expect(String(body.access_token).split('.')).toHaveLength(3);
    const verified = await server.services.verifyAccessToken(String(body.access_token));
    expect(verified).toMatchObject({ ok: true, claims: { iss: base, aud: `${base}/mcp`, client_id: id } });
  });

  it('[REQ-17] a returning client asking for nothing new skips the consent page', async () => {
    const browser = new Browser(base);
    const id = await clientId();
    await authorizeAsAlice(browser, id);
    const first = await authorizeAsAlice(browser, id);
    const code = first.searchParams.get('code')!;
    await token({ grant_type: 'authorization_code', client_id: id, code, code_verifier: VERIFIER });
    const again = await browser.fetch(authorizeUrl(id));
    const consent = await browser.fetch(again.headers.get('location')!);
    expect(consent.status).toBe(303);
    expect(consent.headers.get('location')).toMatch(/^https:\/\/chatgpt\.com\/connector_platform_oauth_redirect\?code=/);
  });

  it('[EC-25][REQ-12] denying consent redirects with access_denied, state and iss', async () => {
    const redirect = await authorizeAsAlice(new Browser(base), await clientId(), 'deny');
    expect(Object.fromEntries(redirect.searchParams)).toMatchObject({ error: 'access_denied', state: 'st-1', iss: base });
  });

  it('[REQ-10][OA21-07] an unregistered redirect_uri gets an HTML error page, never a redirect', async () => {
    const response = await fetch(base + authorizeUrl(await clientId(), { redirect_uri: 'https://attacker.example/cb' }), { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    expect(await response.text()).toContain('redirect_uri is not registered');
  });

  it('[REQ-09][REQ-12] a request without PKCE is redirected back with invalid_request, state and iss', async () => {
    const response = await fetch(base + authorizeUrl(await clientId(), { code_challenge: '' }), { redirect: 'manual' });
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location')!);
    expect(Object.fromEntries(location.searchParams)).toMatchObject({ error: 'invalid_request', state: 'st-1', iss: base });
  });

  it('[MCP-45][REQ-17] pages forbid framing, allow no inline script, and consent refuses a forged form', async () => {
    const browser = new Browser(base);
    const id = await clientId();
    const start = await browser.fetch(authorizeUrl(id));
    const consentUrl = new URL(start.headers.get('location')!, base).href;
    const toLogin = await browser.fetch(consentUrl);
    const loginUrl = new URL(toLogin.headers.get('location')!, base).href;
    const login = await browser.fetch(loginUrl);
    const loginPage = await login.text();
    expect(login.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(login.headers.get('x-frame-options')).toBe('DENY');
    expect(login.headers.get('access-control-allow-origin')).toBeNull();
    expect(loginPage).not.toMatch(/<script/i);
    const afterLogin = await browser.submit(loginUrl, loginPage, { username: 'alice', password: PASSWORD });
    expect(new URL(afterLogin.headers.get('location')!, base).href).toBe(consentUrl);
    const consentPage = await (await browser.fetch(consentUrl)).text();
    const forged = await browser.submit(consentUrl, consentPage, { decision: 'approve', csrf: 'forged' });
    expect(forged.status).toBe(403);
    expect(forged.headers.get('location')).toBeNull();
  });

  it('[MCP-45] a login form posted without its CSRF cookie is refused, and return_to cannot leave the site', async () => {
    const forged = await fetch(`${base}/login`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ username: 'alice', password: PASSWORD, csrf: 'x' }), redirect: 'manual' });
    expect(forged.status).toBe(403);
    const browser = new Browser(base);
    const page = await browser.fetch('/login?return_to=//evil.example/');
    const signedIn = await browser.submit(`${base}/login`, await page.text(), { username: 'alice', password: PASSWORD });
    expect(signedIn.headers.get('location')).toBe('/');
  });

  it('[http] a wrong password shows the form again with a message, not a session', async () => {
    const browser = new Browser(base);
    const page = await browser.fetch('/login');
    const response = await browser.submit(`${base}/login`, await page.text(), { username: 'alice', password: 'wrong password!' });
    expect(response.status).toBe(401);
    expect(await response.text()).toContain('do not match');
    expect([...browser.cookies.keys()].some((k) => k.includes('session'))).toBe(false);
  });
});

describe('[http] token and revocation endpoints', () => {
  it('[REQ-15][CLA-11] the token endpoint accepts only form-encoded bodies', async () => {
    const response = await fetch(`${base}/oauth/token`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"grant_type":"authorization_code"}' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('[REQ-15][OA21-07] invalid_client over Basic is a 401 with a Basic challenge', async () => {
    const response = await token({ grant_type: 'authorization_code', code: 'x' }, { Authorization: `Basic ${Buffer.from('nobody:secret').toString('base64')}` });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Basic /);
    expect(await response.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('[REQ-19][RFC7009-02] revocation answers 200 and the revoked refresh token is dead', async () => {
    const id = await clientId();
    const redirect = await authorizeAsAlice(new Browser(base), id);
    const tokens = (await (await token({ grant_type: 'authorization_code', client_id: id, code: redirect.searchParams.get('code')!, code_verifier: VERIFIER })).json()) as { refresh_token: string; access_token: string };
    const revoked = await fetch(`${base}/oauth/revoke`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ client_id: id, token: tokens.refresh_token }) });
    expect(revoked.status).toBe(200);
    expect((await server.services.verifyAccessToken(tokens.access_token)).ok).toBe(false);
    const refresh = await token({ grant_type: 'refresh_token', client_id: id, refresh_token: tokens.refresh_token });
    expect(await refresh.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('[REQ-19] revoking one access token leaves the refresh token working', async () => {
    const id = await clientId();
    const redirect = await authorizeAsAlice(new Browser(base), id);
    const tokens = (await (await token({ grant_type: 'authorization_code', client_id: id, code: redirect.searchParams.get('code')!, code_verifier: VERIFIER })).json()) as { refresh_token: string; access_token: string };
    await fetch(`${base}/oauth/revoke`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ client_id: id, token: tokens.access_token, token_type_hint: 'access_token' }) });
    expect((await server.services.verifyAccessToken(tokens.access_token)).ok).toBe(false);
    expect((await token({ grant_type: 'refresh_token', client_id: id, refresh_token: tokens.refresh_token })).status).toBe(200);
  });

  it('[http] preflight requests to the token endpoint are answered without authentication', async () => {
    const response = await fetch(`${base}/oauth/token`, { method: 'OPTIONS', headers: { Origin: 'https://app.example', 'Access-Control-Request-Method': 'POST' } });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-headers')).toContain('Authorization');
  });
});
