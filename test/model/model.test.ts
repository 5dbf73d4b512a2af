// Example-based sanity tests of the reference model alone (no core involved): if the oracle is
// wrong, the model-based run compares the core against a wrong answer, so the oracle gets its own checks.
import { describe, expect, it } from 'vitest';
import { ReferenceModel } from '../../model/model.ts';
import type { Observation } from '../../model/observation.ts';
import { canonicalResource } from '../../model/params.ts';
import type { Command, CoreConfig, Params } from '../../src/core/types.ts';
import { s256 } from '../kit/pkce.ts';

const ISSUER = 'https://notes.example.com';
const RESOURCE = `${ISSUER}/mcp`;
const T0 = 1_700_000_000;

const config: CoreConfig = {
  issuer: ISSUER,
  resource: RESOURCE,
  scopes: ['notes:read', 'notes:write'],
  defaultScopes: ['notes:read', 'notes:write'],
  identityScopes: [],
  ignoredScopes: ['openid', 'profile', 'email'],
  codeTtl: 300,
  accessTokenTtl: 3600,
  refreshTokenTtl: 2592000,
  refreshGrace: 60,
  reuseDetection: 604800,
  pendingTtl: 1800,
  unusedClientTtl: 86_400,
  idleClientTtl: 7_776_000,
  predefinedClients: [
    { clientId: 'chatgpt', authMethod: 'none', redirectUris: ['https://chatgpt.com/connector/oauth/{callback_id}'], grantTypes: ['authorization_code', 'refresh_token'], issuedAt: 0, source: 'predefined' },
  ],
  allowedRedirectUris: [],
  trustedRedirectOrigins: ['https://a.example', 'https://app.example'],
  clientMetadataDocuments: true,
  trustedClientOrigins: [],
  limits: { maxRedirectUris: 10, maxUriLength: 2000, maxStateLength: 4096, maxClientNameLength: 200, maxScopeLength: 1000, maxClients: 10_000 },
};

const VERIFIER = 'v'.repeat(50);
const newModel = () => new ReferenceModel({ config, s256, predefinedSecrets: {} });
let counter = 0;
const fresh = (p: string) => `${p}-${++counter}`;

function register(model: ReferenceModel, metadata: unknown): Observation {
  return model.apply({ type: 'register', now: T0, metadata, fresh: { clientId: fresh('client'), clientSecret: fresh('secret') } });
}

function authorize(model: ReferenceModel, clientId: string, extra: Params = {}, now = T0): Observation {
  const params: Params = { client_id: clientId, response_type: 'code', code_challenge: s256(VERIFIER), code_challenge_method: 'S256', scope: 'offline_access', ...extra };
  return model.apply({ type: 'authorize', now, params, fresh: { requestId: fresh('request') } });
}

function token(model: ReferenceModel, params: Params, now = T0, authorization?: string): Observation {
  const command: Command = { type: 'token', now, params, fresh: { grantId: fresh('grant'), jti: fresh('jti'), refreshToken: fresh('refresh') } };
  if (authorization !== undefined) command.authorization = authorization;
  return model.apply(command);
}

/** A public client registered with one https redirect URI, authorized and approved: its code. */
function codeFor(model: ReferenceModel, redirect = 'https://app.example/cb'): { clientId: string; code: string } {
  const reg = register(model, { redirect_uris: [redirect] });
  if (reg.kind !== 'registered') throw new Error('registration failed');
  const consent = authorize(model, reg.clientId, { state: 'st' });
  if (consent.kind !== 'consent_required') throw new Error(`authorize failed: ${JSON.stringify(consent)}`);
  const redirected = model.apply({ type: 'decide', now: T0, requestId: consent.requestId, userId: 'alice', decision: { approve: true }, fresh: { code: fresh('code') } });
  if (redirected.kind !== 'redirect' || redirected.params.code === undefined) throw new Error('decide failed');
  return { clientId: reg.clientId, code: redirected.params.code };
}

describe('[model] reference model sanity', () => {
  it('[EC-27][MCP-20] the model registers a public client with the default grants and refuses plain http elsewhere', () => {
    const model = newModel();
    const ok = register(model, { redirect_uris: ['http://127.0.0.1/cb'], application_type: 'native', unknown: 1 });
    expect(ok).toMatchObject({ kind: 'registered', authMethod: 'none', redirectUris: ['http://127.0.0.1/cb'], grantTypes: ['authorization_code', 'refresh_token'] });
    expect(ok).not.toHaveProperty('clientSecret');
    expect(register(model, { redirect_uris: ['http://evil.example/cb'] })).toEqual({ kind: 'error', error: 'invalid_redirect_uri', status: 400 });
    expect(register(model, { redirect_uris: ['https://a.example/cb'], response_types: ['token'] })).toEqual({ kind: 'error', error: 'invalid_client_metadata', status: 400 });
    expect(register(model, ['https://a.example/cb'])).toEqual({ kind: 'error', error: 'invalid_client_metadata', status: 400 });
  });

  it('[REQ-09][OA21-05][EC-18] the model refuses a second redemption of a code and revokes its grant', () => {
    const model = newModel();
    const { clientId, code } = codeFor(model);
    const first = token(model, { grant_type: 'authorization_code', client_id: clientId, code, code_verifier: VERIFIER });
    expect(first).toMatchObject({ kind: 'tokens', sub: 'alice', aud: RESOURCE, scope: 'notes:read notes:write offline_access', iat: T0, exp: T0 + 3600 });
    if (first.kind !== 'tokens') throw new Error('no tokens');
    expect(model.isAccessTokenLive(first, T0 + 1)).toBe(true);
    expect(token(model, { grant_type: 'authorization_code', client_id: clientId, code, code_verifier: VERIFIER })).toEqual({ kind: 'error', error: 'invalid_grant', status: 400 });
    expect(model.isAccessTokenLive(first, T0 + 1)).toBe(false);
    expect(model.liveRefreshTokens(first.gid, T0 + 1)).toEqual([]);
  });

  it('[REQ-09][EC-17] a wrong verifier does not burn the code', () => {
    const model = newModel();
    const { clientId, code } = codeFor(model);
    expect(token(model, { grant_type: 'authorization_code', client_id: clientId, code, code_verifier: 'w'.repeat(50) })).toMatchObject({ error: 'invalid_grant' });
    expect(token(model, { grant_type: 'authorization_code', client_id: clientId, code, code_verifier: VERIFIER })).toMatchObject({ kind: 'tokens' });
  });

  it('[REQ-16][EC-31] the model returns the same successor inside the grace window and revokes the family after it', () => {
    const model = newModel();
    const { clientId, code } = codeFor(model);
    const first = token(model, { grant_type: 'authorization_code', client_id: clientId, code, code_verifier: VERIFIER });
    if (first.kind !== 'tokens' || first.refreshToken === undefined) throw new Error('no refresh token');
    const rt = first.refreshToken;
    const a = token(model, { grant_type: 'refresh_token', client_id: clientId, refresh_token: rt }, T0 + 10);
    const b = token(model, { grant_type: 'refresh_token', client_id: clientId, refresh_token: rt }, T0 + 20);
    if (a.kind !== 'tokens' || b.kind !== 'tokens') throw new Error('refresh failed');
    expect(b.refreshToken).toBe(a.refreshToken);
    expect(b.jti).not.toBe(a.jti);
    expect(model.liveRefreshTokens(first.gid, T0 + 20)).toEqual([a.refreshToken]);
    expect(model.graceTokens(first.gid, T0 + 20)).toEqual([rt]);
    expect(token(model, { grant_type: 'refresh_token', client_id: clientId, refresh_token: rt }, T0 + 70)).toEqual({ kind: 'error', error: 'invalid_grant', status: 400 });
    expect(model.grantIds()).not.toContain(first.gid);
  });

  it('[REQ-16][EC-15] the model refuses a refresh that widens the scope', () => {
    const model = newModel();
    const reg = register(model, { redirect_uris: ['https://app.example/cb'] });
    if (reg.kind !== 'registered') throw new Error('registration failed');
    const consent = authorize(model, reg.clientId, { scope: 'notes:read openid offline_access' });
    expect(consent).toMatchObject({ kind: 'consent_required', scopes: ['notes:read', 'offline_access'] });
    if (consent.kind !== 'consent_required') throw new Error('authorize failed');
    const r = model.apply({ type: 'decide', now: T0, requestId: consent.requestId, userId: 'bob', decision: { approve: true }, fresh: { code: 'c1' } });
    expect(r).toMatchObject({ kind: 'redirect', params: { code: 'c1', iss: ISSUER } });
    const t = token(model, { grant_type: 'authorization_code', client_id: reg.clientId, code: 'c1', code_verifier: VERIFIER });
    if (t.kind !== 'tokens' || t.refreshToken === undefined) throw new Error('exchange failed');
    expect(token(model, { grant_type: 'refresh_token', client_id: reg.clientId, refresh_token: t.refreshToken, scope: 'notes:read notes:write' })).toMatchObject({ error: 'invalid_scope' });
  });

  it('[REQ-11][EC-01][EC-07] the model canonicalises a trailing-slash resource', () => {
    expect(canonicalResource('HTTPS://NOTES.EXAMPLE.COM:443/mcp')).toBe(RESOURCE);
    expect(canonicalResource('https://notes.example.com/')).toBe('https://notes.example.com');
    expect(canonicalResource('https://notes.example.com/mcp/')).toBe(RESOURCE); // EC-01: one trailing slash
    expect(canonicalResource('https://notes.example.com/mcp//')).not.toBe(RESOURCE);
    expect(canonicalResource(`${RESOURCE}#x`)).toBeUndefined();
    const model = newModel();
    const reg = register(model, { redirect_uris: ['https://app.example/cb'] });
    if (reg.kind !== 'registered') throw new Error('registration failed');
    expect(authorize(model, reg.clientId, { resource: [RESOURCE, 'https://notes.example.com:443/mcp'] })).toMatchObject({ kind: 'consent_required', resource: RESOURCE });
    expect(authorize(model, reg.clientId, { resource: `${RESOURCE}/` })).toMatchObject({ kind: 'consent_required', resource: RESOURCE });
    expect(authorize(model, reg.clientId, { resource: `${RESOURCE}//` })).toEqual({ kind: 'redirect', redirectUri: 'https://app.example/cb', params: { error: 'invalid_target', iss: ISSUER } });
  });

  it('[REQ-10][EC-22] the model matches a loopback redirect on any port, but not another loopback host', () => {
    const model = newModel();
    const reg = register(model, { redirect_uris: ['http://127.0.0.1/callback'] });
    if (reg.kind !== 'registered') throw new Error('registration failed');
    expect(authorize(model, reg.clientId, { redirect_uri: 'http://127.0.0.1:49152/callback' })).toMatchObject({ kind: 'consent_required', redirectUri: 'http://127.0.0.1:49152/callback' });
    expect(authorize(model, reg.clientId, { redirect_uri: 'http://localhost:49152/callback' })).toEqual({ kind: 'error', error: 'invalid_request', status: 400 });
    expect(authorize(model, reg.clientId, { redirect_uri: 'http://127.0.0.1:49152/other' })).toEqual({ kind: 'error', error: 'invalid_request', status: 400 });
  });

  it('[REQ-10][EC-23][OA21-03] the model matches ChatGPT callback ids for the predefined template only', () => {
    const model = newModel();
    expect(authorize(model, 'chatgpt', { redirect_uri: 'https://chatgpt.com/connector/oauth/abc_DEF-123' })).toMatchObject({ kind: 'consent_required' });
    expect(authorize(model, 'chatgpt', { redirect_uri: 'https://chatgpt.com/connector/oauth/abc/def' })).toMatchObject({ kind: 'error', error: 'invalid_request' });
    expect(authorize(model, 'chatgpt', { redirect_uri: 'https://chatgpt.com/connector/oauth/abc?x=1' })).toMatchObject({ kind: 'error', error: 'invalid_request' });
    expect(authorize(model, 'chatgpt')).toMatchObject({ kind: 'error', error: 'invalid_request' }); // a template is never the default
  });

  it('[REQ-12][EC-25][EC-24] every model redirect carries iss, and state only when echoable', () => {
    const model = newModel();
    const reg = register(model, { redirect_uris: ['https://app.example/cb'] });
    if (reg.kind !== 'registered') throw new Error('registration failed');
    expect(authorize(model, reg.clientId, { state: 'st', code_challenge_method: 'plain' })).toEqual({ kind: 'redirect', redirectUri: 'https://app.example/cb', params: { error: 'invalid_request', state: 'st', iss: ISSUER } });
    expect(authorize(model, reg.clientId, { state: 's'.repeat(5000) })).toEqual({ kind: 'redirect', redirectUri: 'https://app.example/cb', params: { error: 'invalid_request', iss: ISSUER } });
    expect(authorize(model, reg.clientId, { state: 'st', response_type: 'token' })).toMatchObject({ params: { error: 'unsupported_response_type', state: 'st', iss: ISSUER } });
    const consent = authorize(model, reg.clientId, { state: 'st' });
    if (consent.kind !== 'consent_required') throw new Error('authorize failed');
    expect(model.apply({ type: 'decide', now: T0, requestId: consent.requestId, userId: 'alice', decision: { approve: false }, fresh: { code: 'unused' } }))
      .toEqual({ kind: 'redirect', redirectUri: 'https://app.example/cb', params: { error: 'access_denied', state: 'st', iss: ISSUER } });
  });

  it('[REQ-10][EC-21] the model never redirects for an unknown client or an unregistered redirect_uri', () => {
    const model = newModel();
    const reg = register(model, { redirect_uris: ['https://app.example/cb', 'https://app.example/cb2'] });
    if (reg.kind !== 'registered') throw new Error('registration failed');
    expect(authorize(model, 'nobody')).toEqual({ kind: 'error', error: 'invalid_client', status: 400 });
    expect(authorize(model, reg.clientId, { redirect_uri: 'https://attacker.example/cb' })).toEqual({ kind: 'error', error: 'invalid_request', status: 400 });
    expect(authorize(model, reg.clientId)).toEqual({ kind: 'error', error: 'invalid_request', status: 400 }); // two URIs: none implied
  });

  it('[EC-26][OA21-07] the model authenticates confidential clients and answers 401 for client failures', () => {
    const model = newModel();
    const reg = model.apply({ type: 'register', now: T0, metadata: { redirect_uris: ['https://app.example/cb'], token_endpoint_auth_method: 'client_secret_basic' }, fresh: { clientId: 'conf', clientSecret: 'p@ss word' } });
    expect(reg).toMatchObject({ kind: 'registered', clientSecret: 'p@ss word' });
    const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
    const params = { grant_type: 'authorization_code', code: 'none' };
    expect(token(model, params, T0, basic('conf', 'p@ss word'))).toEqual({ kind: 'error', error: 'invalid_grant', status: 400 }); // authenticated
    expect(token(model, { ...params, client_id: 'conf', client_secret: 'p@ss word' })).toMatchObject({ error: 'invalid_grant' }); // post also accepted
    expect(token(model, params, T0, basic('conf', 'wrong'))).toEqual({ kind: 'error', error: 'invalid_client', status: 401 });
    expect(token(model, params, T0, 'Basic !!!')).toEqual({ kind: 'error', error: 'invalid_client', status: 401 });
    expect(token(model, params, T0, 'Bearer abc')).toEqual({ kind: 'error', error: 'invalid_request', status: 400 });
    expect(token(model, { ...params, client_secret: 'p@ss word' }, T0, basic('conf', 'p@ss word'))).toEqual({ kind: 'error', error: 'invalid_request', status: 400 });
    expect(token(model, params)).toEqual({ kind: 'error', error: 'invalid_client', status: 401 });
  });

  it('[REQ-16][EC-32] revoking a refresh token or the grant kills every token of the family', () => {
    const model = newModel();
    const { clientId, code } = codeFor(model);
    const t = token(model, { grant_type: 'authorization_code', client_id: clientId, code, code_verifier: VERIFIER });
    if (t.kind !== 'tokens' || t.refreshToken === undefined) throw new Error('exchange failed');
    expect(model.apply({ type: 'revokeGrant', now: T0, grantId: t.gid, userId: 'mallory' })).toEqual({ kind: 'error', error: 'not_found', status: 404 });
    expect(model.apply({ type: 'revoke', now: T0, params: { client_id: clientId, token: t.refreshToken, token_type_hint: 'bogus' } })).toEqual({ kind: 'revoked' });
    expect(model.isAccessTokenLive(t, T0 + 1)).toBe(false);
    expect(token(model, { grant_type: 'refresh_token', client_id: clientId, refresh_token: t.refreshToken })).toMatchObject({ error: 'invalid_grant' });
    expect(model.apply({ type: 'revokeGrant', now: T0, grantId: t.gid, userId: 'alice' })).toEqual({ kind: 'error', error: 'not_found', status: 404 });
  });

  it('[REQ-16] tick forgets rotated tokens after the reuse-detection window and prunes idle grants', () => {
    const model = newModel();
    const { clientId, code } = codeFor(model);
    const t = token(model, { grant_type: 'authorization_code', client_id: clientId, code, code_verifier: VERIFIER });
    if (t.kind !== 'tokens' || t.refreshToken === undefined) throw new Error('exchange failed');
    const r = token(model, { grant_type: 'refresh_token', client_id: clientId, refresh_token: t.refreshToken }, T0 + 100);
    if (r.kind !== 'tokens') throw new Error('refresh failed');
    expect(model.apply({ type: 'tick', now: T0 + 604800 + 100 })).toEqual({ kind: 'ticked' });
    // The old token is forgotten: now merely unknown, so it no longer revokes the family.
    expect(token(model, { grant_type: 'refresh_token', client_id: clientId, refresh_token: t.refreshToken }, T0 + 604800 + 101)).toMatchObject({ error: 'invalid_grant' });
    expect(model.grantIds()).toContain(t.gid);
    model.apply({ type: 'tick', now: T0 + 100 + 2592000 });
    expect(model.grantIds()).not.toContain(t.gid);
  });
});
