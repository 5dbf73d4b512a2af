import { describe, expect, it } from 'vitest';
import { isAccessTokenLive } from '../../src/core/index.ts';
import type { Command } from '../../src/core/index.ts';
import { Flow, errorOf } from './flow.ts';

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
