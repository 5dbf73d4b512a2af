import { describe, expect, it } from 'vitest';
import { isAccessTokenLive, defaultConfig } from '../../src/core/index.ts';
import { CHATGPT_REDIRECT, Flow, ISSUER, RESOURCE, VERIFIER, errorOf, testConfig } from './flow.ts';
import type { Outcome, TokenResponse } from '../../src/core/index.ts';
import { s256 } from '../kit/pkce.ts';

function withCode() {
  const flow = new Flow();
  const { clientId } = flow.client();
  return { flow, clientId, code: flow.code(clientId) };
}

describe('code exchange (authorization_code grant)', () => {
  it('[REQ-16] without offline_access, or with its box unticked, an exchange gets no refresh token (and a refresh is then impossible)', () => {
    for (const approve of [undefined, ['notes:read', 'notes:write']]) {
      const flow = new Flow();
      const { clientId } = flow.client();
      const code = approve ? flow.code(clientId, {}, approve) : flow.code(clientId, { scope: 'notes:read notes:write' });
      const outcome = flow.exchange(clientId, code);
      expect(outcome.kind === 'tokens' && outcome.tokens.refreshToken, JSON.stringify(approve)).toBeUndefined();
      expect(outcome.kind === 'tokens' && outcome.tokens.scope).toBe('notes:read notes:write');
      expect(flow.state.refreshTokens).toEqual({});
    }
  });

  it('[REQ-16] the offline_access decision survives rotation: a refresh narrowed to notes:read still rotates', () => {
    const flow = new Flow();
    const { clientId } = flow.client();
    const first = flow.exchange(clientId, flow.code(clientId));
    if (first.kind !== 'tokens') throw new Error('no tokens');
    const narrowed = flow.refresh(clientId, first.tokens.refreshToken!, { scope: 'notes:read' });
    expect(narrowed.kind === 'tokens' && narrowed.tokens.refreshToken).toEqual(expect.any(String));
    const again = flow.refresh(clientId, (narrowed as { tokens: { refreshToken: string } }).tokens.refreshToken);
    expect(again.kind === 'tokens' && again.tokens.scope).toBe('notes:read notes:write offline_access');
  });

  it('[REQ-09][CGPT-25][MCP-33] a valid exchange mints claims for the canonical resource and a refresh token', () => {
    const { flow, clientId, code } = withCode();
    const outcome = flow.exchange(clientId, code);
    expect(outcome).toMatchObject({
      kind: 'tokens',
      tokens: {
        tokenType: 'Bearer',
        expiresIn: 3600,
        scope: 'notes:read notes:write offline_access',
        refreshToken: expect.any(String),
        accessToken: { iss: ISSUER, sub: 'alice', aud: RESOURCE, client_id: clientId, scope: 'notes:read notes:write offline_access', iat: flow.now, exp: flow.now + 3600 },
      },
    });
  });

  it('[REQ-09][OA21-05][RFC9700-07][EC-18] a reused code is refused and its tokens revoked', () => {
    const { flow, clientId, code } = withCode();
    const first = flow.exchange(clientId, code);
    expect(first.kind).toBe('tokens');
    const tokens = first.kind === 'tokens' ? first.tokens : undefined;
    expect(isAccessTokenLive(flow.state, tokens!.accessToken, flow.now)).toBe(true);
    expect(errorOf(flow.exchange(clientId, code))).toBe('invalid_grant');
    expect(isAccessTokenLive(flow.state, tokens!.accessToken, flow.now)).toBe(false);
    expect(errorOf(flow.refresh(clientId, tokens!.refreshToken!))).toBe('invalid_grant');
  });

  it.each([
    ['a wrong verifier', { code_verifier: 'x'.repeat(43) }],
    ['no verifier', { code_verifier: undefined }],
    ['a verifier that is too short', { code_verifier: VERIFIER.slice(0, 42) }],
    ['a verifier with illegal characters', { code_verifier: `${VERIFIER.slice(0, 42)}*` }],
    ['the challenge instead of the verifier (plain downgrade)', { code_verifier: undefined, code_challenge: 'x' }],
  ])('[REQ-09][RFC7636-01][RFC7636-03][RFC9700-02][EC-17] %s fails with invalid_grant and leaves the code usable', (_name, extra) => {
    const { flow, clientId, code } = withCode();
    expect(errorOf(flow.exchange(clientId, code, extra))).toBe('invalid_grant');
    expect(flow.exchange(clientId, code).kind).toBe('tokens');
  });

  it('[REQ-09][RFC9700-07][EC-19] a code presented by another client is refused', () => {
    const { flow, code } = withCode();
    const other = flow.client();
    expect(errorOf(flow.exchange(other.clientId, code))).toBe('invalid_grant');
  });

  it('[REQ-09][RFC9700-07][EC-19] a code expires after its lifetime, which is at most ten minutes', () => {
    const { flow, clientId, code } = withCode();
    flow.now += flow.config.codeTtl;
    expect(errorOf(flow.exchange(clientId, code))).toBe('invalid_grant');
    const long = new Flow({ ...flow.config, codeTtl: 3600 });
    const c = long.client();
    const code2 = long.code(c.clientId);
    long.now += 600;
    expect(errorOf(long.exchange(c.clientId, code2))).toBe('invalid_grant');
  });

  it('[REQ-15][OA21-04][EC-20] redirect_uri at the token endpoint is optional, but must match when sent', () => {
    const { flow, clientId, code } = withCode();
    expect(errorOf(flow.exchange(clientId, code, { redirect_uri: 'https://chatgpt.com/other' }))).toBe('invalid_grant');
    expect(flow.exchange(clientId, code, { redirect_uri: CHATGPT_REDIRECT }).kind).toBe('tokens');
  });

  it('[REQ-11][EC-04] the token request may omit resource, but may not name another one', () => {
    const { flow, clientId, code } = withCode();
    expect(errorOf(flow.exchange(clientId, code, { resource: 'https://other.example/mcp' }))).toBe('invalid_target');
    expect(errorOf(flow.exchange(clientId, code, { resource: `${RESOURCE}#f` }))).toBe('invalid_target');
    expect(flow.exchange(clientId, code, { resource: undefined })).toMatchObject({ kind: 'tokens', tokens: { accessToken: { aud: RESOURCE } } });
  });

  it('[REQ-15][RFC9700-03][OA21-01] unknown and missing grant types, and a missing code, are told apart', () => {
    const { flow, clientId, code } = withCode();
    expect(errorOf(flow.exchange(clientId, code, { grant_type: 'password' }))).toBe('unsupported_grant_type');
    expect(errorOf(flow.exchange(clientId, code, { grant_type: undefined }))).toBe('invalid_request');
    expect(errorOf(flow.exchange(clientId, code, { code: undefined }))).toBe('invalid_request');
    expect(errorOf(flow.exchange(clientId, code, { code: [code, code] }))).toBe('invalid_request');
    expect(errorOf(flow.exchange(clientId, 'forged'))).toBe('invalid_grant');
  });

  it('[REQ-16][EC-13] a client registered without the refresh grant gets no refresh token and may not refresh', () => {
    const flow = new Flow();
    const { clientId } = flow.client({ redirect_uris: [CHATGPT_REDIRECT], grant_types: ['authorization_code'] });
    const outcome = flow.exchange(clientId, flow.code(clientId));
    expect(outcome.kind === 'tokens' && 'refreshToken' in outcome.tokens).toBe(false);
    expect(errorOf(flow.refresh(clientId, 'anything'))).toBe('unauthorized_client');
  });

  it('[REQ-17] tokens carry only the scopes the user approved', () => {
    const flow = new Flow();
    const { clientId } = flow.client();
    const code = flow.code(clientId, {}, ['notes:read']);
    expect(flow.exchange(clientId, code)).toMatchObject({ kind: 'tokens', tokens: { scope: 'notes:read' } });
  });
});

// Resource checks and code exchange boundaries that mutation testing showed no test held.
function tokensOf(outcome: Outcome): TokenResponse {
  expect(outcome.kind, JSON.stringify(outcome)).toBe('tokens');
  if (outcome.kind !== 'tokens') throw new Error('no tokens');
  return outcome.tokens;
}

describe('resource indicators', () => {
  it('[REQ-11][RFC8707-02] a resource that is not a URL, or that carries a user name or a password, is invalid_target', () => {
    const flow = new Flow();
    const { clientId } = flow.client();
    for (const resource of ['not a url', 'https://user@notes.example.com/mcp', 'https://:pw@notes.example.com/mcp', 'https://user:pw@notes.example.com/mcp']) {
      expect(flow.authorize(flow.authorizeParams(clientId, { resource })), resource).toMatchObject({ kind: 'redirect', redirect: { params: { error: 'invalid_target', iss: ISSUER } } });
    }
  });

  it('[REQ-11][EC-07] a server on a plain-http loopback origin accepts its http resource, host case aside', () => {
    const flow = new Flow(testConfig({}, 'http://localhost:3000'));
    const { clientId } = flow.client();
    expect(flow.authorize(flow.authorizeParams(clientId, { resource: 'http://LOCALHOST:3000/mcp' }))).toMatchObject({ kind: 'consent_required', request: { resource: 'http://localhost:3000/mcp' } });
    expect(errorOf(flow.authorize(flow.authorizeParams(clientId, { resource: 'https://localhost:3000/mcp' })))).toBe('invalid_target');
  });
});

describe('code exchange', () => {
  it.each([
    ['too short', 'short-verifier'],
    ['too long', 'v'.repeat(129)],
    ['with a character outside the unreserved set', `${'v'.repeat(42)}+`],
  ])('[RFC7636-01][REQ-09][EC-17] a verifier %s is refused even when its hash matches the challenge, and the code survives', (_name, verifier) => {
    const flow = new Flow();
    const { clientId } = flow.client();
    const code = flow.code(clientId, { code_challenge: s256(verifier) });
    expect(errorOf(flow.exchange(clientId, code, { code_verifier: verifier }))).toBe('invalid_grant');
    expect(flow.last.changes).toEqual([]);
    expect(flow.state.grants).toEqual({});
  });

  it('[REQ-09][EC-17] verifiers of exactly 43 and 128 unreserved characters are accepted', () => {
    const flow = new Flow();
    const { clientId } = flow.client();
    for (const verifier of [`${'a'.repeat(39)}.-_~`, 'Z'.repeat(128)]) {
      const code = flow.code(clientId, { code_challenge: s256(verifier) });
      expect(flow.exchange(clientId, code, { code_verifier: verifier }).kind, verifier).toBe('tokens');
    }
  });

  it('[REQ-16][EC-13][MCP-36] a client without the refresh grant gets a grant with no refresh token, and none is stored', () => {
    const flow = new Flow();
    const { clientId } = flow.client({ redirect_uris: ['https://app.example.net/cb'], grant_types: ['authorization_code'] });
    const code = flow.code(clientId, { redirect_uri: 'https://app.example.net/cb' });
    const tokens = tokensOf(flow.exchange(clientId, code));
    expect(tokens.refreshToken).toBeUndefined();
    expect(flow.state.refreshTokens).toEqual({});
    expect(flow.state.grants[tokens.accessToken.gid]?.refreshHashes).toEqual([]);
  });
});
