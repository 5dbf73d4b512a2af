import { describe, expect, it } from 'vitest';
import { isAccessTokenLive, applyChanges, defaultConfig, hashSecret } from '../../src/core/index.ts';
import type { Command, AccessTokenClaims, Outcome, TokenResponse } from '../../src/core/index.ts';
import { Flow, errorOf, ISSUER, testConfig } from './flow.ts';

function revoke(flow: Flow, params: Record<string, string>, accessToken?: Extract<Command, { type: 'revoke' }>['accessToken']) {
  const command: Extract<Command, { type: 'revoke' }> = { type: 'revoke', now: flow.now, params };
  if (accessToken) command.accessToken = accessToken;
  return flow.run(command);
}

describe('revocation (RFC 7009) and disconnecting an app', () => {
  it('[REQ-19][RFC7009-02][EC-35] revoking a refresh token ends its grant and its access tokens', () => {
    const flow = new Flow();
    const { clientId, tokens } = flow.connect();
    expect(revoke(flow, { client_id: clientId, token: tokens.refreshToken!, token_type_hint: 'access_token' }).kind).toBe('revoked');
    expect(isAccessTokenLive(flow.state, tokens.accessToken, flow.now)).toBe(false);
    expect(errorOf(flow.refresh(clientId, tokens.refreshToken!))).toBe('invalid_grant');
  });

  it('[REQ-19][EC-35] revoking one access token leaves the rest of the grant working', () => {
    const flow = new Flow();
    const { clientId, tokens } = flow.connect();
    const at = tokens.accessToken;
    expect(revoke(flow, { client_id: clientId, token: 'the-jwt' }, { jti: at.jti, gid: at.gid, clientId, exp: at.exp }).kind).toBe('revoked');
    expect(isAccessTokenLive(flow.state, at, flow.now)).toBe(false);
    expect(flow.refresh(clientId, tokens.refreshToken!).kind).toBe('tokens');
  });

  it('[RFC7009-02][EC-35] unknown tokens and tokens of other clients answer 200 and change nothing', () => {
    const flow = new Flow();
    const { tokens } = flow.connect();
    const other = flow.client();
    expect(revoke(flow, { client_id: other.clientId, token: tokens.refreshToken! }).kind).toBe('revoked');
    expect(revoke(flow, { client_id: other.clientId, token: 'garbage', token_type_hint: 'weird' }).kind).toBe('revoked');
    expect(flow.last.changes).toEqual([]);
    expect(isAccessTokenLive(flow.state, tokens.accessToken, flow.now)).toBe(true);
  });

  it('[RFC7009-01] the revoking client must identify itself and name a token', () => {
    const flow = new Flow();
    const { clientId, tokens } = flow.connect();
    expect(errorOf(revoke(flow, { token: tokens.refreshToken! }))).toBe('invalid_client');
    expect(errorOf(revoke(flow, { client_id: clientId }))).toBe('invalid_request');
  });

  it('[REQ-19] a user disconnecting an app kills its tokens at once; nobody else can disconnect it', () => {
    const flow = new Flow();
    const { clientId, tokens } = flow.connect();
    const gid = tokens.accessToken.gid;
    expect(flow.run({ type: 'revokeGrant', now: flow.now, grantId: gid, userId: 'mallory' })).toMatchObject({ kind: 'error', error: { error: 'not_found', status: 404 } });
    expect(flow.run({ type: 'revokeGrant', now: flow.now, grantId: gid, userId: 'alice' }).kind).toBe('grant_revoked');
    expect(isAccessTokenLive(flow.state, tokens.accessToken, flow.now)).toBe(false);
    expect(errorOf(flow.refresh(clientId, tokens.refreshToken!))).toBe('invalid_grant');
  });
});

describe('tick: expiry and pruning', () => {
  it('[REQ-09] expired pending requests, codes and revoked-token entries are pruned; live grants stay', () => {
    const flow = new Flow();
    const { clientId, tokens } = flow.connect();
    flow.authorize(flow.authorizeParams(clientId));
    flow.code(clientId);
    revoke(flow, { client_id: clientId, token: 'jwt' }, { jti: tokens.accessToken.jti, gid: tokens.accessToken.gid, clientId, exp: tokens.accessToken.exp });
    flow.now += 3600;
    expect(flow.run({ type: 'tick', now: flow.now })).toMatchObject({ kind: 'ticked' });
    expect(flow.state.pending).toEqual({});
    expect(flow.state.codes).toEqual({});
    expect(flow.state.revokedAccessTokens).toEqual({});
    expect(Object.keys(flow.state.grants)).toEqual([tokens.accessToken.gid]);
    expect(flow.journal).toEqual(flow.state);
  });

  it('[REQ-16] a family whose tokens all expired is forgotten, grant included', () => {
    const flow = new Flow();
    const { clientId, tokens } = flow.connect();
    flow.refresh(clientId, tokens.refreshToken!);
    flow.now += flow.config.refreshTokenTtl + 1;
    flow.run({ type: 'tick', now: flow.now });
    expect(flow.state.grants).toEqual({});
    expect(flow.state.refreshTokens).toEqual({});
  });

  it('[REQ-16] rotated tokens are remembered for reuse detection, then forgotten', () => {
    const flow = new Flow();
    const { clientId, tokens } = flow.connect();
    const next = flow.refresh(clientId, tokens.refreshToken!);
    flow.now += flow.config.reuseDetection - 1;
    flow.run({ type: 'tick', now: flow.now });
    expect(Object.keys(flow.state.refreshTokens)).toHaveLength(2);
    flow.now += 1;
    flow.run({ type: 'tick', now: flow.now });
    expect(Object.keys(flow.state.refreshTokens)).toHaveLength(1);
    expect(next.kind === 'tokens' && flow.refresh(clientId, next.tokens.refreshToken!).kind).toBe('tokens');
  });
});

// Revocation, liveness, expiry and journal boundaries that mutation testing showed no test held.
function tokensOf(outcome: Outcome): TokenResponse {
  expect(outcome.kind, JSON.stringify(outcome)).toBe('tokens');
  if (outcome.kind !== 'tokens') throw new Error('no tokens');
  return outcome.tokens;
}

function revokeToken(flow: Flow, clientId: string, token: string, accessToken?: AccessTokenClaims, owner = clientId): Outcome {
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

describe('revocation', () => {
  it('[EC-35][RFC7009-02] revoking a refresh token at its expiry changes nothing, so the access tokens of its grant stay live', () => {
    const flow = new Flow(testConfig({ refreshTokenTtl: 1800 }));
    const { clientId, tokens } = flow.connect();
    flow.now += 1800;
    expect(revokeToken(flow, clientId, tokens.refreshToken!).kind).toBe('revoked');
    expect(flow.last.changes).toEqual([]);
    expect(isAccessTokenLive(flow.state, tokens.accessToken, flow.now)).toBe(true);
  });

  it('[RFC7009-01][EC-35] a client cannot revoke the access token of another client', () => {
    const flow = new Flow();
    const { clientId, tokens } = flow.connect();
    const other = flow.client();
    expect(revokeToken(flow, other.clientId, 'the-jwt', tokens.accessToken, clientId).kind).toBe('revoked');
    expect(flow.last.changes).toEqual([]);
    expect(isAccessTokenLive(flow.state, tokens.accessToken, flow.now)).toBe(true);
  });

  it('[EC-35][REQ-19] revoking an access token at or after its expiry records nothing', () => {
    const flow = new Flow();
    const { clientId, tokens } = flow.connect();
    flow.now = tokens.accessToken.exp;
    expect(revokeToken(flow, clientId, 'the-jwt', tokens.accessToken).kind).toBe('revoked');
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
    revokeToken(flow, clientId, 'the-jwt', next.accessToken);
    flow.now += flow.config.reuseDetection;
    tick(flow);
    revokeToken(flow, clientId, next.refreshToken!);
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
    revokeToken(flow, clientId, 'the-jwt', tokens.accessToken);
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
