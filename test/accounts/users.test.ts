import { describe, expect, it } from 'vitest';
import { emptyState } from '../../src/core/state.ts';
import { createUser, emptyAccountsState, findUserByName, hasUsers } from '../../src/accounts/index.ts';

const HASH = '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2g';

function withAlice() {
  const result = createUser(emptyAccountsState(), { userId: 'u1', username: 'Alice', passwordHash: HASH, now: 100 });
  if (result.outcome.kind !== 'user_created') throw new Error('setup failed');
  return result.state;
}

describe('[accounts] users', () => {
  it('[accounts] creating a user puts one record, keyed by userId, and leaves the input state untouched', () => {
    const before = emptyAccountsState();
    const result = createUser(before, { userId: 'u1', username: 'Alice', passwordHash: HASH, now: 100 });
    const user = { userId: 'u1', username: 'Alice', passwordHash: HASH, createdAt: 100 };
    expect(result.outcome).toEqual({ kind: 'user_created', user });
    expect(result.changes).toEqual([{ op: 'put', collection: 'users', key: 'u1', value: user }]);
    expect(result.state.users).toEqual({ u1: user });
    expect(before.users).toEqual({});
    expect(hasUsers(before)).toBe(false);
    expect(hasUsers(result.state)).toBe(true);
  });

  it('[accounts] collections the accounts do not own pass through unchanged', () => {
    const app = { ...emptyState(), ...emptyAccountsState() };
    const result = createUser(app, { userId: 'u1', username: 'bob', passwordHash: HASH, now: 1 });
    expect(result.state.clients).toBe(app.clients);
    expect(result.state.grants).toBe(app.grants);
  });

  it.each(['alice', 'ALICE', 'aLiCe'])('[accounts] usernames are unique regardless of case: %s is taken', (username) => {
    const state = withAlice();
    const result = createUser(state, { userId: 'u2', username, passwordHash: HASH, now: 200 });
    expect(result.outcome).toEqual({ kind: 'error', error: 'username_taken' });
    expect(result.changes).toEqual([]);
    expect(result.state).toBe(state);
  });

  it.each([
    ['empty', ''],
    ['65 characters', 'a'.repeat(65)],
    ['a space', 'al ice'],
    ['an at sign', 'alice@example.com'],
    ['a non-ASCII letter', 'alicé'],
    ['markup', '<b>'],
    ['a trailing newline', 'alice\n'],
  ])('[accounts] a username with %s is invalid', (_name, username) => {
    const result = createUser(emptyAccountsState(), { userId: 'u2', username, passwordHash: HASH, now: 200 });
    expect(result.outcome).toEqual({ kind: 'error', error: 'invalid_username' });
    expect(result.changes).toEqual([]);
  });

  it.each(['a', 'a'.repeat(64), 'alice.smith', 'a_b-c.9'])('[accounts] %s is a valid username', (username) => {
    const result = createUser(emptyAccountsState(), { userId: 'u2', username, passwordHash: HASH, now: 200 });
    expect(result.outcome.kind).toBe('user_created');
  });

  it('[accounts] findUserByName ignores case and keeps the name as typed', () => {
    const state = withAlice();
    expect(findUserByName(state, 'ALICE')?.username).toBe('Alice');
    expect(findUserByName(state, 'bob')).toBeUndefined();
  });
});
