import { describe, expect, it } from 'vitest';
import { consumeSetup, createUser, emptyAccountsState, issueSetupToken, setupProblem, type AccountsState } from '../../src/accounts/index.ts';

const OWNER = { userId: 'u1', username: 'owner', passwordHash: 'h' };

function issued(token = 'setup-token', now = 0, ttl = 600): AccountsState {
  return issueSetupToken(emptyAccountsState(), { token, now, ttl }).state;
}

describe('[accounts] one-time setup token', () => {
  it('[accounts] issuing stores only a hash of the token and replaces any earlier one', () => {
    const first = issued('first');
    const second = issueSetupToken(first, { token: 'second', now: 5, ttl: 600 });
    expect(Object.keys(second.state.setup)).toHaveLength(1);
    expect(JSON.stringify(second.state)).not.toContain('second');
    expect(second.changes.map((c) => c.op)).toEqual(['delete', 'put']);
    expect(consumeSetup(second.state, { ...OWNER, token: 'first', now: 10 }).outcome).toEqual({ kind: 'error', error: 'setup_invalid' });
    expect(consumeSetup(second.state, { ...OWNER, token: 'second', now: 10 }).outcome.kind).toBe('owner_created');
  });

  it('[accounts] the right token creates the owner and is spent: a second use fails', () => {
    const result = consumeSetup(issued(), { ...OWNER, token: 'setup-token', now: 10 });
    expect(result.outcome).toEqual({ kind: 'owner_created', user: { ...OWNER, createdAt: 10 } });
    expect(result.state.setup).toEqual({});
    expect(result.changes.map((c) => `${c.op} ${c.collection}`)).toEqual(['put users', 'delete setup']);
    const again = consumeSetup(result.state, { ...OWNER, userId: 'u2', username: 'intruder', token: 'setup-token', now: 11 });
    expect(again.outcome).toEqual({ kind: 'error', error: 'setup_invalid' });
    expect(again.changes).toEqual([]);
  });

  it('[accounts] a wrong token, or none issued, creates nobody', () => {
    expect(consumeSetup(issued(), { ...OWNER, token: 'setup-tokeN', now: 10 })).toMatchObject({
      changes: [],
      outcome: { kind: 'error', error: 'setup_invalid' },
    });
    expect(consumeSetup(emptyAccountsState(), { ...OWNER, token: '', now: 10 }).outcome).toEqual({ kind: 'error', error: 'setup_invalid' });
  });

  it('[accounts] an expired token creates nobody', () => {
    const state = issued('setup-token', 0, 600);
    expect(consumeSetup(state, { ...OWNER, token: 'setup-token', now: 599 }).outcome.kind).toBe('owner_created');
    expect(consumeSetup(state, { ...OWNER, token: 'setup-token', now: 600 })).toMatchObject({
      changes: [],
      outcome: { kind: 'error', error: 'setup_expired' },
    });
  });

  it('[accounts] once any user exists, even a valid token creates nobody', () => {
    const withUser = createUser(issued(), { userId: 'u0', username: 'someone', passwordHash: 'h', now: 1 }).state;
    expect(consumeSetup(withUser, { ...OWNER, token: 'setup-token', now: 10 })).toMatchObject({
      changes: [],
      outcome: { kind: 'error', error: 'setup_done' },
    });
  });

  it('[accounts] an invalid username is refused and the token stays usable', () => {
    const state = issued();
    const bad = consumeSetup(state, { ...OWNER, username: 'not valid', token: 'setup-token', now: 10 });
    expect(bad).toMatchObject({ changes: [], outcome: { kind: 'error', error: 'invalid_username' } });
    expect(consumeSetup(bad.state, { ...OWNER, token: 'setup-token', now: 11 }).outcome.kind).toBe('owner_created');
  });

  it('[SEC-SETUP-01] setupProblem, asked before any hashing, gives the refusal consumeSetup would give, in the same order', () => {
    const state = issued('setup-token', 0, 600);
    const withUser = createUser(state, { userId: 'u0', username: 'someone', passwordHash: 'h', now: 1 }).state;
    const cases: [AccountsState, string, number, string][] = [
      [state, 'wrong', 10, 'not valid'],
      [state, 'setup-token', 600, 'not valid'],
      [withUser, 'setup-token', 10, 'not valid'],
      [state, 'setup-token', 10, 'not valid'],
      [state, 'setup-token', 10, 'owner'],
    ];
    for (const [at, token, now, username] of cases) {
      const consumed = consumeSetup(at, { ...OWNER, token, now, username }).outcome;
      expect(setupProblem(at, token, now, username)).toBe(consumed.kind === 'error' ? consumed.error : undefined);
    }
  });
});
