// OpenID Connect for ChatGPT Enterprise (REQ-18, CGPT-14..16): discovery that is a valid OpenID
// provider document, openid/email/profile granted, an RS256 ID token with the nonce and the
// person's email, and a userinfo endpoint whose email_verified is true only when the operator said so.
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUserEmail } from '../../src/accounts/email.ts';
import { WireClient } from '../kit/client.ts';
import { startTestServer, type TestServer } from '../kit/server.ts';

let server: TestServer;
let person: WireClient;

beforeAll(async () => {
  server = await startTestServer({ users: ['alice'] });
  person = new WireClient(server.url, { username: 'alice' });
});
afterAll(() => server.close());

const OIDC_SCOPE = 'openid email profile offline_access notes:read notes:write';

async function setEmail(email: string | null, verified: boolean): Promise<void> {
  const outcome = await server.services.queue.apply((state) => setUserEmail(state, { username: 'alice', email, verified }));
  expect(outcome.kind).toBe('email_set');
}

async function keySet() {
  return createLocalJWKSet((await (await fetch(`${server.url}/oauth/jwks.json`)).json()) as JSONWebKeySet);
}

async function oidcTokens(scope = OIDC_SCOPE, nonce = 'n-0S6_WzA2Mj') {
  const client = await person.register({ client_name: 'ChatGPT', redirect_uris: ['https://chatgpt.com/connector_platform_oauth_redirect'], token_endpoint_auth_method: 'none' });
  const tokens = await person.tokens(client, { scope, params: { nonce } });
  return { client, tokens };
}

function userinfo(token: string | undefined, method = 'GET') {
  return fetch(`${server.url}/oauth/userinfo`, { method, headers: token === undefined ? {} : { Authorization: `Bearer ${token}` } });
}

describe('OpenID Connect', () => {
  it('[REQ-18][CGPT-16] /.well-known/openid-configuration is a complete OpenID provider document', async () => {
    const response = await fetch(`${server.url}/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    const doc = (await response.json()) as Record<string, unknown>;
    expect(doc).toMatchObject({
      issuer: server.url,
      authorization_endpoint: `${server.url}/oauth/authorize`,
      token_endpoint: `${server.url}/oauth/token`,
      userinfo_endpoint: `${server.url}/oauth/userinfo`,
      jwks_uri: `${server.url}/oauth/jwks.json`,
      response_types_supported: ['code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
    });
    expect(doc.scopes_supported).toEqual(expect.arrayContaining(['openid', 'email', 'profile']));
    const as = (await (await fetch(`${server.url}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
    expect(as.scopes_supported).toEqual(expect.arrayContaining(['openid', 'email']));
  });

  it('[REQ-18][CGPT-14][CGPT-16] an openid flow gets an RS256 ID token with the nonce and a verified email, and userinfo says the same', async () => {
    await setEmail('alice@example.com', true);
    const { client, tokens } = await oidcTokens();
    expect((tokens.scope ?? "").split(' ')).toEqual(expect.arrayContaining(['openid', 'email', 'profile']));
    expect(tokens.id_token).toBeDefined();
    const { payload, protectedHeader } = await jwtVerify(tokens.id_token!, await keySet(), { algorithms: ['RS256'], issuer: server.url, audience: client.clientId });
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload).toMatchObject({ nonce: 'n-0S6_WzA2Mj', email: 'alice@example.com', email_verified: true, preferred_username: 'alice' });
    const info = await userinfo(tokens.access_token);
    expect(info.status).toBe(200);
    expect(await info.json()).toEqual({ sub: payload.sub, email: 'alice@example.com', email_verified: true, preferred_username: 'alice', name: 'alice' });
    const posted = await userinfo(tokens.access_token, 'POST');
    expect(posted.status).toBe(200);
  });

  it('[REQ-18][CGPT-16] an email the operator did not verify is email_verified false, never true by default', async () => {
    await setEmail('alice@example.org', false);
    const { tokens } = await oidcTokens('openid email notes:read');
    const info = (await (await userinfo(tokens.access_token)).json()) as Record<string, unknown>;
    expect(info).toMatchObject({ email: 'alice@example.org', email_verified: false });
    expect(info).not.toHaveProperty('preferred_username'); // profile was not granted
    await setEmail(null, false);
    const { tokens: later } = await oidcTokens('openid email notes:read');
    expect(await (await userinfo(later.access_token)).json()).toEqual({ sub: expect.any(String) });
  });

  it('[REQ-18] a refresh returns a fresh ID token (without a nonce)', async () => {
    const { client, tokens } = await oidcTokens();
    const reply = await person.refresh(client, tokens.refresh_token!);
    const body = JSON.parse(reply.text) as { id_token?: string };
    expect(reply.status).toBe(200);
    const { payload } = await jwtVerify(body.id_token!, await keySet(), { algorithms: ['RS256'], issuer: server.url, audience: client.clientId });
    expect(payload.nonce).toBeUndefined();
  });

  it('[REQ-18][CGPT-15] id_token_hint on a new authorization is tolerated', async () => {
    const { client, tokens } = await oidcTokens();
    const again = await person.tokens(client, { scope: OIDC_SCOPE, params: { id_token_hint: tokens.id_token! } });
    expect(again.access_token).toBeDefined();
  });

  it('[REQ-18] without openid there is no ID token, and userinfo answers 403 insufficient_scope', async () => {
    const { tokens } = await oidcTokens('notes:read');
    expect(tokens.id_token).toBeUndefined();
    const info = await userinfo(tokens.access_token);
    expect(info.status).toBe(403);
    expect(info.headers.get('www-authenticate')).toBe('Bearer error="insufficient_scope", error_description="this access token was not granted the openid scope", scope="openid"');
  });

  it('[REQ-18][RFC6750-04] userinfo without a token is 401 with a bare Bearer challenge; with a bad one, invalid_token', async () => {
    const none = await userinfo(undefined);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    const bad = await userinfo('not.a.token');
    expect(bad.status).toBe(401);
    expect(bad.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    expect(((await bad.json()) as { error: string }).error).toBe('invalid_token');
  });

  it('[REQ-18][REQ-17] the consent page says what the OpenID scopes mean', async () => {
    const client = await person.register({ client_name: 'ChatGPT', redirect_uris: ['https://chatgpt.com/connector_platform_oauth_redirect'], token_endpoint_auth_method: 'none' });
    await oidcTokens(); // signed in by now
    const query = new URLSearchParams({ client_id: client.clientId, response_type: 'code', redirect_uri: client.redirectUri, code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256', scope: OIDC_SCOPE });
    const start = await person.browser.fetch(`/oauth/authorize?${query}`);
    const page = await (await person.browser.fetch(start.headers.get('location')!)).text();
    expect(page).toContain('See your email address');
    expect(page).toContain('Confirm who you are on this server');
  });
});

describe('OpenID Connect turned off', () => {
  it('[REQ-18][EC-12] with OPENID_CONNECT=off nothing OIDC is advertised and the scopes are accepted but dropped', async () => {
    const off = await startTestServer({ users: ['bob'], env: { OPENID_CONNECT: 'off' } });
    try {
      expect((await fetch(`${off.url}/.well-known/openid-configuration`)).status).toBe(404);
      expect((await fetch(`${off.url}/oauth/userinfo`)).status).toBe(404);
      const as = (await (await fetch(`${off.url}/.well-known/oauth-authorization-server`)).json()) as { scopes_supported: string[] };
      expect(as.scopes_supported).not.toContain('openid');
      const bob = new WireClient(off.url, { username: 'bob' });
      const client = await bob.register();
      const tokens = await bob.tokens(client, { scope: 'openid email notes:read' });
      expect(tokens.scope).toBe('notes:read');
      expect(tokens.id_token).toBeUndefined();
    } finally {
      await off.close();
    }
  });
});
