// Gaps found by mutation testing in the life of codes, grants and tokens: resource checks, code
// exchange, refresh, revocation, liveness, expiry and the change journal.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { applyChanges, defaultConfig, hashSecret, isAccessTokenLive } from '../../src/core/index.ts';
import type { AccessTokenClaims, Command, Outcome, TokenResponse } from '../../src/core/index.ts';
import { Flow, ISSUER, RESOURCE, errorOf } from './flow.ts';

const s256 = (verifier: string): string => createHash('sha256').update(verifier).digest('base64url');

function tokensOf(outcome: Outcome): TokenResponse {
  expect(outcome.kind, JSON.stringify(outcome)).toBe('tokens');
  if (outcome.kind !== 'tokens') throw new Error('no tokens');
  return outcome.tokens;
}

function revoke(flow: Flow, clientId: string, token: string, accessToken?: AccessTokenClaims, owner = clientId): Outcome {
  const command: Extract<Command, { type: 'revoke' }> = { type: 'revoke', now: flow.now, params: { client_id: clientId, token } };
  if (accessToken) command.accessToken = { jti: accessToken.jti, gid: accessToken.gid, clientId: owner, exp: accessToken.exp };
  return flow.run(command);
}

function tick(flow: Flow): Outcome {
  return flow.run({ type: 'tick', now: flow.now });
}

/** Simulates a data file in which a record went missing (a partial write, a manual edit). */
function lose(flow: Flow, collection: 'grants' | 'refreshTokens', key: string): void {
  flow.state = applyChanges(flow.state, [{ op: 'delete', collection, key }]);
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
    const flow = new Flow(defaultConfig('http://localhost:3000'));
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

describe('refresh', () => {
  it('[REQ-16][EC-32] a refresh token whose grant is gone is invalid_grant and changes nothing', () => {
    const flow = new Flow();
    const { clientId, tokens } = flow.connect();
    lose(flow, 'grants', tokens.accessToken.gid);
    expect(errorOf(flow.refresh(clientId, tokens.refreshToken!))).toBe('invalid_grant');
    expect(flow.last.changes).toEqual([]);
  });

  it('[REQ-16][EC-31] a grace retry never hands out a successor that has expired: it is reuse and revokes the family', () => {
    const flow = new Flow();
    const { clientId, tokens } = flow.connect();
    flow.config.refreshTokenTtl = 10; // the operator shortens the lifetime; the first token keeps its 30 days
    tokensOf(flow.refresh(clientId, tokens.refreshToken!));
    flow.now += 10; // the successor dies now, still inside the 60 s grace window
    expect(errorOf(flow.refresh(clientId, tokens.refreshToken!))).toBe('invalid_grant');
    expect(flow.state.grants).toEqual({});
    expect(flow.state.refreshTokens).toEqual({});
  });

  it('[REQ-16][EC-31] a grace retry after tick pruned the expired successor is reuse and revokes the family', () => {
    const flow = new Flow();
    const { clientId, tokens } = flow.connect();
    flow.config.refreshTokenTtl = 10;
    tokensOf(flow.refresh(clientId, tokens.refreshToken!));
    flow.now += 10;
    tick(flow);
    expect(Object.keys(flow.state.refreshTokens)).toEqual([hashSecret(tokens.refreshToken!)]);
    flow.now += 10;
    expect(errorOf(flow.refresh(clientId, tokens.refreshToken!))).toBe('invalid_grant');
    expect(flow.state.grants).toEqual({});
    expect(flow.state.refreshTokens).toEqual({});
  });
});

describe('revocation', () => {
  it('[EC-35][RFC7009-02] revoking a refresh token at its expiry changes nothing, so the access tokens of its grant stay live', () => {
    const flow = new Flow(defaultConfig(ISSUER, { refreshTokenTtl: 1800 }));
    const { clientId, tokens } = flow.connect();
    flow.now += 1800;
    expect(revoke(flow, clientId, tokens.refreshToken!).kind).toBe('revoked');
    expect(flow.last.changes).toEqual([]);
    expect(isAccessTokenLive(flow.state, tokens.accessToken, flow.now)).toBe(true);
  });

  it('[RFC7009-01][EC-35] a client cannot revoke the access token of another client', () => {
    const flow = new Flow();
    const { clientId, tokens } = flow.connect();
    const other = flow.client();
    expect(revoke(flow, other.clientId, 'the-jwt', tokens.accessToken, clientId).kind).toBe('revoked');
    expect(flow.last.changes).toEqual([]);
    expect(isAccessTokenLive(flow.state, tokens.accessToken, flow.now)).toBe(true);
  });

  it('[EC-35][REQ-19] revoking an access token at or after its expiry records nothing', () => {
    const flow = new Flow();
    const { clientId, tokens } = flow.connect();
    flow.now = tokens.accessToken.exp;
    expect(revoke(flow, clientId, 'the-jwt', tokens.accessToken).kind).toBe('revoked');
    expect(flow.last.changes).toEqual([]);
    expect(flow.state.revokedAccessTokens).toEqual({});
  });
});

describe('liveness, expiry and the journal', () => {
  it('[MCP-40][REQ-09] an access token stops being live at the second its exp is reached', () => {
    const flow = new Flow();
    const { tokens } = flow.connect();
    expect(isAccessTokenLive(flow.state, tokens.accessToken, tokens.accessToken.exp - 1)).toBe(true);
    expect(isAccessTokenLive(flow.state, tokens.accessToken, tokens.accessToken.exp)).toBe(false);
  });

  it('[REQ-16][REQ-19] replaying the journal rebuilds exactly the state, with no leftover members, and the state survives JSON', () => {
    const flow = new Flow();
    const { clientId, tokens } = flow.connect();
    const next = tokensOf(flow.refresh(clientId, tokens.refreshToken!));
    flow.authorize(flow.authorizeParams(clientId, { state: undefined }));
    flow.decide(flow.fresh('unknown-request'));
    revoke(flow, clientId, 'the-jwt', next.accessToken);
    flow.now += flow.config.reuseDetection;
    tick(flow);
    revoke(flow, clientId, next.refreshToken!);
    expect(flow.journal).toStrictEqual(flow.state);
    expect(JSON.parse(JSON.stringify(flow.state))).toStrictEqual(flow.state);
  });

  it('[REQ-09][EC-19] tick forgets a code and a pending request exactly when they expire', () => {
    const flow = new Flow();
    const { clientId } = flow.client();
    flow.authorize(flow.authorizeParams(clientId));
    flow.code(clientId);
    const start = flow.now;
    flow.now = start + flow.config.codeTtl - 1;
    tick(flow);
    expect(Object.keys(flow.state.codes)).toHaveLength(1);
    flow.now = start + flow.config.codeTtl;
    expect(tick(flow)).toEqual({ kind: 'ticked', pruned: 1 });
    expect(flow.state.codes).toEqual({});
    expect(Object.keys(flow.state.pending)).toHaveLength(1);
    flow.now = start + flow.config.pendingTtl;
    expect(tick(flow)).toEqual({ kind: 'ticked', pruned: 1 });
    expect(flow.state.pending).toEqual({});
  });

  it('[REQ-19][EC-35] tick keeps a revoked access token on the revocation list until the token itself expires', () => {
    const flow = new Flow();
    const { clientId, tokens } = flow.connect();
    revoke(flow, clientId, 'the-jwt', tokens.accessToken);
    flow.now += 1;
    tick(flow);
    expect(Object.keys(flow.state.revokedAccessTokens)).toEqual([tokens.accessToken.jti]);
    expect(isAccessTokenLive(flow.state, tokens.accessToken, flow.now)).toBe(false);
  });

  it('[REQ-16][MCP-40] a grant without refresh tokens is forgotten exactly when its last access token expires', () => {
    const flow = new Flow();
    const { clientId } = flow.client({ redirect_uris: ['https://app.example.net/cb'], grant_types: ['authorization_code'] });
    const tokens = tokensOf(flow.exchange(clientId, flow.code(clientId, { redirect_uri: 'https://app.example.net/cb' })));
    flow.now = tokens.accessToken.exp - 1;
    tick(flow);
    expect(Object.keys(flow.state.grants)).toEqual([tokens.accessToken.gid]);
    flow.now = tokens.accessToken.exp;
    tick(flow);
    expect(flow.state.grants).toEqual({});
  });

  it('[REQ-16] a tick with nothing to expire writes nothing to the journal', () => {
    const flow = new Flow();
    flow.connect();
    expect(tick(flow)).toEqual({ kind: 'ticked', pruned: 0 });
    expect(flow.last.changes).toEqual([]);
  });

  it('[REQ-16][EC-31] when tick forgets a rotated token, the grant (which lists only its live token) is not rewritten and pruned counts deletions only', () => {
    const flow = new Flow();
    const { clientId, tokens } = flow.connect();
    const next = tokensOf(flow.refresh(clientId, tokens.refreshToken!));
    expect(flow.state.grants[tokens.accessToken.gid]?.refreshHashes).toEqual([hashSecret(next.refreshToken!)]);
    flow.authorize(flow.authorizeParams(clientId));
    flow.now += flow.config.reuseDetection;
    const outcome = tick(flow);
    // Deleted: the redeemed code, the expired pending request and the rotated refresh token.
    expect(outcome).toEqual({ kind: 'ticked', pruned: 3 });
    expect(flow.last.changes.map((c) => `${c.op} ${c.collection}`).sort()).toEqual(['delete codes', 'delete pending', 'delete refreshTokens']);
    expect(flow.state.grants[tokens.accessToken.gid]?.refreshHashes).toEqual([hashSecret(next.refreshToken!)]);
    expect(flow.refresh(clientId, next.refreshToken!).kind).toBe('tokens');
  });

  it('[REQ-16] a long refresh chain keeps the grant record the same size, and reuse of its oldest token still revokes every token of it', () => {
    const flow = new Flow();
    const { clientId, tokens } = flow.connect();
    const chain = [tokens.refreshToken!];
    for (let i = 0; i < 50; i++) chain.push(tokensOf(flow.refresh(clientId, chain.at(-1)!)).refreshToken!);
    const grant = flow.state.grants[tokens.accessToken.gid]!;
    expect(grant.refreshHashes).toEqual([hashSecret(chain.at(-1)!)]);
    expect(Object.keys(flow.state.refreshTokens)).toHaveLength(51);
    flow.now += flow.config.refreshGrace;
    expect(errorOf(flow.refresh(clientId, chain[0]!))).toBe('invalid_grant');
    expect(flow.state.grants).toEqual({});
    expect(flow.state.refreshTokens).toEqual({});
  });

  it('[REQ-16] tick drops refresh hashes whose records are already gone and then forgets the empty, expired grant', () => {
    const flow = new Flow();
    const { tokens } = flow.connect();
    lose(flow, 'refreshTokens', hashSecret(tokens.refreshToken!));
    tick(flow);
    expect(flow.state.grants[tokens.accessToken.gid]?.refreshHashes).toEqual([]);
    flow.now = tokens.accessToken.exp;
    tick(flow);
    expect(flow.state.grants).toEqual({});
  });
});
