import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SESSION_TTL,
  createUser,
  emptyAccountsState,
  endAllSessions,
  endSession,
  findSession,
  pruneSessions,
  startSession,
  type AccountsState,
} from '../../src/accounts/index.ts';
import { s256 } from '../kit/pkce.ts';

function users(): AccountsState {
  let state = emptyAccountsState();
  for (const [userId, username] of [['u1', 'alice'], ['u2', 'bob']] as const) {
    state = createUser(state, { userId, username, passwordHash: 'h', now: 0 }).state;
  }
  return state;
}

function start(state: AccountsState, userId: string, sessionToken: string, now = 1000, ttl?: number): AccountsState {
  const result = startSession(state, { userId, sessionToken, csrf: `csrf-${sessionToken}`, now, ...(ttl === undefined ? {} : { ttl }) });
  if (result.outcome.kind !== 'session_started') throw new Error('session not started');
  return result.state;
}

describe('[accounts] sessions', () => {
  it('[accounts] a session is stored under the SHA-256 of its token, never the token itself', () => {
    const result = startSession(users(), { userId: 'u1', sessionToken: 'secret-cookie', csrf: 'c', now: 1000 });
    const hash = s256('secret-cookie'); // SHA-256, base64url: the digest PKCE S256 uses too
    expect(result.outcome).toEqual({
      kind: 'session_started',
      session: { sessionHash: hash, userId: 'u1', csrf: 'c', createdAt: 1000, expiresAt: 1000 + DEFAULT_SESSION_TTL },
    });
    expect(result.changes).toEqual([{ op: 'put', collection: 'sessions', key: hash, value: expect.any(Object) }]);
    expect(JSON.stringify(result.state)).not.toContain('secret-cookie');
    expect(DEFAULT_SESSION_TTL).toBe(30 * 24 * 3600);
  });

  it('[accounts] a session cannot be started for a user who does not exist', () => {
    const result = startSession(users(), { userId: 'nobody', sessionToken: 't', csrf: 'c', now: 1 });
    expect(result.outcome).toEqual({ kind: 'error', error: 'unknown_user' });
    expect(result.changes).toEqual([]);
  });

  it('[accounts] a session is found by its token until it expires, then never again', () => {
    const state = start(users(), 'u1', 'tok', 1000, 60);
    expect(findSession(state, 'tok', 1000)?.userId).toBe('u1');
    expect(findSession(state, 'tok', 1059)?.csrf).toBe('csrf-tok');
    expect(findSession(state, 'tok', 1060)).toBeUndefined();
    expect(findSession(state, 'other', 1000)).toBeUndefined();
  });

  it('[accounts] signing out ends only the session named by the token', () => {
    const state = start(start(users(), 'u1', 'a'), 'u1', 'b');
    const result = endSession(state, 'a');
    expect(result.outcome).toEqual({ kind: 'sessions_ended', count: 1 });
    expect(findSession(result.state, 'a', 1000)).toBeUndefined();
    expect(findSession(result.state, 'b', 1000)).toBeDefined();
    expect(endSession(result.state, 'a')).toMatchObject({ changes: [], outcome: { count: 0 } });
  });

  it('[accounts] ending all sessions of a user signs them out everywhere and leaves other users alone', () => {
    const state = start(start(start(users(), 'u1', 'a'), 'u1', 'b'), 'u2', 'c');
    const result = endAllSessions(state, 'u1');
    expect(result.outcome).toEqual({ kind: 'sessions_ended', count: 2 });
    expect(result.changes.every((change) => change.op === 'delete' && change.collection === 'sessions')).toBe(true);
    expect(findSession(result.state, 'a', 1000)).toBeUndefined();
    expect(findSession(result.state, 'b', 1000)).toBeUndefined();
    expect(findSession(result.state, 'c', 1000)?.userId).toBe('u2');
    expect(findSession(state, 'a', 1000)).toBeDefined();
  });

  it('[accounts] pruning forgets expired sessions only', () => {
    const state = start(start(users(), 'u1', 'old', 0, 10), 'u1', 'new', 0, 100);
    const result = pruneSessions(state, 10);
    expect(result.outcome).toEqual({ kind: 'sessions_ended', count: 1 });
    expect(Object.values(result.state.sessions).map((s) => s.expiresAt)).toEqual([100]);
  });
});
