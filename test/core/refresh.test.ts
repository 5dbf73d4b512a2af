import { describe, expect, it } from 'vitest';
import { hashSecret, isAccessTokenLive, applyChanges } from '../../src/core/index.ts';
import type { TokenResponse, Outcome } from '../../src/core/index.ts';
import { Flow, RESOURCE, errorOf } from './flow.ts';

function tokensOf(outcome: ReturnType<Flow['run']>): TokenResponse {
  expect(outcome.kind, JSON.stringify(outcome)).toBe('tokens');
  return (outcome as Extract<typeof outcome, { kind: 'tokens' }>).tokens;
}

describe('refresh (rotation, grace, reuse detection)', () => {
  it('[REQ-16][MCP-40][RFC9700-06] every refresh rotates the token, and the old one stops being live', () => {
    const flow = new Flow();
    const { clientId, tokens } = flow.connect();
    const next = tokensOf(flow.refresh(clientId, tokens.refreshToken!));
    expect(next.refreshToken).not.toBe(tokens.refreshToken);
    const live = Object.values(flow.state.refreshTokens).filter((r) => r.rotation === undefined);
    expect(live.map((r) => r.tokenHash)).toEqual([hashSecret(next.refreshToken!)]);
  });

  it('[REQ-16][EC-31][INSP-05] a retry inside the grace window gets the same successor', () => {
    const flow = new Flow();
    const { clientId, tokens } = flow.connect();
    const first = tokensOf(flow.refresh(clientId, tokens.refreshToken!));
    flow.now += flow.config.refreshGrace - 1;
    const retry = tokensOf(flow.refresh(clientId, tokens.refreshToken!));
    expect(retry.refreshToken).toBe(first.refreshToken);
    expect(retry.accessToken.jti).not.toBe(first.accessToken.jti);
    expect(tokensOf(flow.refresh(clientId, first.refreshToken!)).refreshToken).not.toBe(first.refreshToken);
  });

  it('[REQ-16][OA21-06][EC-31] reuse outside the grace window revokes the whole family', () => {
    const flow = new Flow();
    const { clientId, tokens } = flow.connect();
    const next = tokensOf(flow.refresh(clientId, tokens.refreshToken!));
    flow.now += flow.config.refreshGrace;
    expect(errorOf(flow.refresh(clientId, tokens.refreshToken!))).toBe('invalid_grant');
    expect(errorOf(flow.refresh(clientId, next.refreshToken!))).toBe('invalid_grant');
    expect(isAccessTokenLive(flow.state, next.accessToken, flow.now)).toBe(false);
    expect(flow.state.grants).toEqual({});
  });

  it('[REQ-16][EC-31] a retry after the successor was itself used is reuse, even inside the window', () => {
    const flow = new Flow();
    const { clientId, tokens } = flow.connect();
    const next = tokensOf(flow.refresh(clientId, tokens.refreshToken!));
    tokensOf(flow.refresh(clientId, next.refreshToken!));
    expect(errorOf(flow.refresh(clientId, tokens.refreshToken!))).toBe('invalid_grant');
    expect(flow.state.grants).toEqual({});
  });

  it('[REQ-16][OA21-06][EC-15] refresh may narrow scope, never widen it; the family keeps its scope', () => {
    const flow = new Flow();
    const { clientId } = flow.client();
    const tokens = tokensOf(flow.exchange(clientId, flow.code(clientId, { scope: 'notes:read offline_access' })));
    expect(errorOf(flow.refresh(clientId, tokens.refreshToken!, { scope: 'notes:read notes:write' }))).toBe('invalid_scope');
    const narrowed = tokensOf(flow.refresh(clientId, tokens.refreshToken!, { scope: 'notes:read' }));
    expect(narrowed.scope).toBe('notes:read');

    const both = flow.connect();
    const narrow = tokensOf(flow.refresh(both.clientId, both.tokens.refreshToken!, { scope: 'notes:read' }));
    expect(narrow.scope).toBe('notes:read');
    expect(tokensOf(flow.refresh(both.clientId, narrow.refreshToken!)).scope).toBe('notes:read notes:write offline_access');
  });

  it('[REQ-11][EC-05][EC-32] refresh keeps the audience: another resource is refused, none or the same is fine', () => {
    const flow = new Flow();
    const { clientId, tokens } = flow.connect();
    expect(errorOf(flow.refresh(clientId, tokens.refreshToken!, { resource: 'https://other.example/mcp' }))).toBe('invalid_target');
    expect(errorOf(flow.refresh(clientId, tokens.refreshToken!, { resource: 'https://notes.example.com' }))).toBe('invalid_target');
    const next = tokensOf(flow.refresh(clientId, tokens.refreshToken!, { resource: RESOURCE }));
    expect(next.accessToken.aud).toBe(RESOURCE);
    expect(tokensOf(flow.refresh(clientId, next.refreshToken!)).accessToken.aud).toBe(RESOURCE);
  });

  it('[REQ-16][CLA-11] a refresh token of another client, an unknown one or an expired one is invalid_grant', () => {
    const flow = new Flow();
    const { clientId, tokens } = flow.connect();
    const other = flow.client();
    expect(errorOf(flow.refresh(other.clientId, tokens.refreshToken!))).toBe('invalid_grant');
    expect(Object.keys(flow.state.grants)).toHaveLength(1);
    expect(errorOf(flow.refresh(clientId, 'forged'))).toBe('invalid_grant');
    expect(errorOf(flow.refresh(clientId, undefined as unknown as string))).toBe('invalid_request');
    flow.now += flow.config.refreshTokenTtl;
    expect(errorOf(flow.refresh(clientId, tokens.refreshToken!))).toBe('invalid_grant');
  });

  it('[REQ-16] the successor is not stored in plaintext, not even while it may be retried', () => {
    const flow = new Flow();
    const { clientId, tokens } = flow.connect();
    const next = tokensOf(flow.refresh(clientId, tokens.refreshToken!));
    const stored = JSON.stringify(flow.state);
    expect(stored).not.toContain(next.refreshToken!);
    expect(stored).not.toContain(tokens.refreshToken!);
  });
});

// Refresh boundaries that mutation testing showed no test held.
function tick(flow: Flow): Outcome {
  return flow.run({ type: 'tick', now: flow.now });
}

/** Simulates a data file in which a record went missing (a partial write, a manual edit). */
function lose(flow: Flow, collection: 'grants' | 'refreshTokens', key: string): void {
  flow.state = applyChanges(flow.state, [{ op: 'delete', collection, key }]);
}

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

describe('grace retries', () => {
  it('[REQ-16][EC-31] a rotated token answers at most 3 grace retries; the 4th is invalid_grant and revokes nothing', () => {
    const flow = new Flow();
    const { clientId, tokens } = flow.connect();
    const first = flow.refresh(clientId, tokens.refreshToken!);
    if (first.kind !== 'tokens') throw new Error('no rotation');
    const jtis = new Set([first.tokens.accessToken.jti]);
    for (let i = 0; i < 3; i += 1) {
      const retry = flow.refresh(clientId, tokens.refreshToken!);
      expect(retry.kind === 'tokens' && retry.tokens.refreshToken).toBe(first.tokens.refreshToken);
      if (retry.kind === 'tokens') jtis.add(retry.tokens.accessToken.jti);
    }
    expect(jtis.size).toBe(4);
    expect(errorOf(flow.refresh(clientId, tokens.refreshToken!))).toBe('invalid_grant');
    expect(Object.keys(flow.state.grants)).toHaveLength(1);
    expect(flow.refresh(clientId, first.tokens.refreshToken!).kind).toBe('tokens');
  });
});
