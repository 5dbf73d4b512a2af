// Interoperability with a strict third-party client: oauth4webapi (panva) drives the running
// server on 127.0.0.1 through discovery, dynamic registration, the authorization code flow with
// PKCE S256, `state` and `resource` (sign-in and consent through the server's own HTML forms),
// RFC 9207 `iss` validation, refresh rotation and RFC 7009 revocation. Anything oauth4webapi
// rejects is an interop finding about the server, so the test never relaxes its checks beyond
// allowing plain http on loopback.
import * as oauth from 'oauth4webapi';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, startTestServer, type TestServer } from '../kit/server.ts';
import { Browser } from '../kit/browser.ts';

const USERNAME = 'alice';
const REGISTERED_REDIRECT = 'http://127.0.0.1/callback';
/** RFC 8252 §7.3: the loopback redirect actually used carries a port; the server matches any port. */
const REDIRECT_URI = 'http://127.0.0.1:53682/callback';
/** The server is plain http on loopback; oauth4webapi refuses that unless told otherwise. */
const insecure = { [oauth.allowInsecureRequests]: true } as const;

interface Session {
  as: oauth.AuthorizationServer;
  client: oauth.Client;
  resource: string;
  scope: string;
}

let server: TestServer;
let sessionPromise: Promise<Session> | undefined;

beforeAll(async () => {
  server = await startTestServer({ users: [USERNAME], env: { RATE_LIMITS: 'on' } });
});
afterAll(() => server.close());

/** Discovery (AS and protected-resource metadata) and registration, done once and shared. */
function session(): Promise<Session> {
  sessionPromise ??= (async () => {
    const issuer = new URL(server.url);
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }));

    const resourceIdentifier = new URL(`${server.url}/mcp`);
    const prm = await oauth.processResourceDiscoveryResponse(resourceIdentifier, await oauth.resourceDiscoveryRequest(resourceIdentifier, insecure));

    const registered = await oauth.processDynamicClientRegistrationResponse(
      await oauth.dynamicClientRegistrationRequest(as, { client_name: 'oauth4webapi interop', redirect_uris: [REGISTERED_REDIRECT], token_endpoint_auth_method: 'none' }, insecure),
    );
    // What Claude does (CLA-12): the PRM scopes, plus offline_access when the AS metadata lists it.
    const offline = as.scopes_supported?.includes('offline_access') ? ['offline_access'] : [];
    return { as, client: registered, resource: prm.resource, scope: [...(prm.scopes_supported ?? []), ...offline].join(' ') };
  })();
  return sessionPromise;
}

interface Authorization {
  callback: URL;
  params: URLSearchParams;
  tokens: oauth.TokenEndpointResponse;
}

/** Walks authorize → login → consent as a browser would; returns the redirect back to the client. */
async function signInAndConsent(authorizationUrl: URL): Promise<URL> {
  const browser = new Browser(server.url);
  let response = await browser.fetch(authorizationUrl.href);
  for (let hops = 0; hops < 8; hops += 1) {
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || !location) throw new Error(`unexpected ${response.status} during sign-in: ${await response.text()}`);
    const next = new URL(location, server.url);
    if (next.origin !== new URL(server.url).origin || next.pathname === '/callback') return next;
    response = await browser.fetch(next.href);
    if (response.status !== 200) continue;
    const html = await response.text();
    if (next.pathname === '/login') response = await browser.submit(next.href, html, { username: USERNAME, password: PASSWORD });
    else if (next.pathname === '/consent') response = await browser.submit(next.href, html, { decision: 'approve' });
    else throw new Error(`unexpected page ${next.pathname}`);
  }
  throw new Error('too many redirects');
}

/** One authorization code flow with PKCE S256, state and resource, redeemed for tokens. */
async function authorize(): Promise<Authorization> {
  const { as, client, resource, scope } = await session();
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const codeChallenge = await oauth.calculatePKCECodeChallenge(codeVerifier);
  const state = oauth.generateRandomState();

  const authorizationUrl = new URL(as.authorization_endpoint!);
  authorizationUrl.search = new URLSearchParams({
    client_id: client.client_id,
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    code_challenge: codeChallenge,
    code_challenge_method: 'S256',
    state,
    resource,
    scope,
  }).toString();

  const callback = await signInAndConsent(authorizationUrl);
  // RFC 9207: oauth4webapi requires `iss` (the metadata advertises it) and compares it exactly.
  const params = oauth.validateAuthResponse(as, client, callback, state);
  const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, REDIRECT_URI, codeVerifier, { additionalParameters: { resource }, ...insecure });
  const tokens = await oauth.processAuthorizationCodeResponse(as, client, response);
  return { callback, params, tokens };
}

async function refresh(refreshToken: string): Promise<oauth.TokenEndpointResponse> {
  const { as, client } = await session();
  return oauth.processRefreshTokenResponse(as, client, await oauth.refreshTokenGrantRequest(as, client, oauth.None(), refreshToken, insecure));
}

async function verifyAccessToken(token: string) {
  const { as, resource } = await session();
  const jwks = createRemoteJWKSet(new URL(as.jwks_uri!));
  return jwtVerify(token, jwks, { issuer: as.issuer, audience: resource, typ: 'at+jwt', algorithms: ['ES256'] });
}

describe('[interop] oauth4webapi', () => {
  it('[REQ-12][RFC9207-01] a strict third-party client (oauth4webapi) completes discovery, registration, authorization with PKCE and resource, and validates iss', async () => {
    const { as, client, resource } = await session();
    expect(as.issuer).toBe(server.url);
    expect(as.authorization_response_iss_parameter_supported).toBe(true);
    expect(resource).toBe(`${server.url}/mcp`);
    expect(client.client_id).toEqual(expect.any(String));
    expect(client.token_endpoint_auth_method).toBe('none');
    expect(client.redirect_uris).toEqual([REGISTERED_REDIRECT]);

    const { callback, params, tokens } = await authorize();
    expect(`${callback.origin}${callback.pathname}`).toBe('http://127.0.0.1:53682/callback');
    expect(callback.searchParams.get('iss')).toBe(server.url);
    expect(params.get('code')).toEqual(expect.any(String));
    // The same callback with `iss` altered or removed is refused by the client (RFC 9207 §2.4).
    const state = callback.searchParams.get('state')!;
    const forged = new URL(callback);
    forged.searchParams.set('iss', 'http://127.0.0.1:1');
    expect(() => oauth.validateAuthResponse(as, client, forged, state)).toThrow(oauth.OperationProcessingError);
    forged.searchParams.delete('iss');
    expect(() => oauth.validateAuthResponse(as, client, forged, state)).toThrow(oauth.OperationProcessingError);
    expect(tokens.token_type).toBe('bearer'); // oauth4webapi normalises the case
    expect(tokens.refresh_token).toEqual(expect.any(String));

    const { payload, protectedHeader } = await verifyAccessToken(tokens.access_token);
    expect(protectedHeader).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
    expect(payload).toMatchObject({ iss: server.url, aud: resource, client_id: client.client_id });
  });

  it('[REQ-16] a strict third-party client (oauth4webapi) uses refresh rotation', async () => {
    const { resource } = await session();
    const { tokens } = await authorize();
    const first = tokens.refresh_token!;
    const rotated = await refresh(first);
    expect(rotated.refresh_token).toEqual(expect.any(String));
    expect(rotated.refresh_token).not.toBe(first);
    expect(rotated.access_token).not.toBe(tokens.access_token);
    const { payload } = await verifyAccessToken(rotated.access_token);
    expect(payload).toMatchObject({ iss: server.url, aud: resource });
    // The rotated token works in turn.
    const again = await refresh(rotated.refresh_token!);
    expect(again.refresh_token).not.toBe(rotated.refresh_token);
  });

  it('[REQ-19] a strict third-party client (oauth4webapi) revokes a refresh token, which then fails with invalid_grant', async () => {
    const { as, client } = await session();
    const { tokens } = await authorize();
    const refreshToken = tokens.refresh_token!;
    await expect(oauth.processRevocationResponse(await oauth.revocationRequest(as, client, oauth.None(), refreshToken, insecure))).resolves.toBeUndefined();

    const failure = await refresh(refreshToken).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(oauth.ResponseBodyError);
    expect(failure).toMatchObject({ error: 'invalid_grant', status: 400 });
  });
});
