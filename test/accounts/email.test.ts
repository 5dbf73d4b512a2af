import { describe, expect, it } from 'vitest';
import { emptyState } from '../../src/core/state.ts';
import { createUser, emptyAccountsState, isPlausibleEmail, MAX_EMAIL_LENGTH, setUserEmail, type AccountsState } from '../../src/accounts/index.ts';

const HASH = '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2g';
const ALICE = { userId: 'u1', username: 'Alice', passwordHash: HASH, createdAt: 100 };

function withAlice(): AccountsState {
  const result = createUser(emptyAccountsState(), { userId: 'u1', username: 'Alice', passwordHash: HASH, now: 100 });
  if (result.outcome.kind !== 'user_created') throw new Error('setup failed');
  return result.state;
}

describe('[accounts] a user email address', () => {
  it('[REQ-18] an operator-verified address is stored on the user as verified, in one put', () => {
    const before = withAlice();
    const result = setUserEmail(before, { username: 'alice', email: 'alice@example.com', verified: true });
    const user = { ...ALICE, email: 'alice@example.com', emailVerified: true };
    expect(result.outcome).toEqual({ kind: 'email_set', user });
    expect(result.changes).toEqual([{ op: 'put', collection: 'users', key: 'u1', value: user }]);
    expect(result.state.users).toEqual({ u1: user });
    expect(before.users['u1']).toEqual(ALICE);
  });

  it('[REQ-18] an address is unverified unless the operator says otherwise', () => {
    const state = withAlice();
    for (const input of [{ username: 'Alice', email: 'a@example.com' }, { username: 'Alice', email: 'a@example.com', verified: false }]) {
      const result = setUserEmail(state, input);
      expect(result.outcome).toEqual({ kind: 'email_set', user: { ...ALICE, email: 'a@example.com', emailVerified: false } });
    }
  });

  it('[REQ-18] setting a new address without --verified drops an earlier verification', () => {
    const verified = setUserEmail(withAlice(), { username: 'alice', email: 'old@example.com', verified: true }).state;
    const result = setUserEmail(verified, { username: 'alice', email: 'new@example.com' });
    expect(result.state.users['u1']).toEqual({ ...ALICE, email: 'new@example.com', emailVerified: false });
  });

  it('[REQ-18] clearing removes the address and its verified flag, leaving the record as it was before', () => {
    const verified = setUserEmail(withAlice(), { username: 'alice', email: 'a@example.com', verified: true }).state;
    const result = setUserEmail(verified, { username: 'alice', email: null });
    expect(result.outcome).toEqual({ kind: 'email_set', user: ALICE });
    expect(result.state.users['u1']).toEqual(ALICE);
    expect(Object.keys(result.state.users['u1']!)).not.toContain('emailVerified');
  });

  it('[REQ-18] an unknown user is an error value and changes nothing', () => {
    const state = withAlice();
    for (const email of ['bob@example.com', null]) {
      const result = setUserEmail(state, { username: 'bob', email });
      expect(result).toEqual({ state, changes: [], outcome: { kind: 'error', error: 'unknown_user' } });
    }
  });

  it('[accounts] records written before emails existed still read as users without one', () => {
    const state = withAlice();
    expect(state.users['u1']?.email).toBeUndefined();
    expect(state.users['u1']?.emailVerified).toBeUndefined();
  });

  it('[accounts] collections the accounts do not own pass through unchanged', () => {
    const created = createUser({ ...emptyState(), ...emptyAccountsState() }, { userId: 'u1', username: 'alice', passwordHash: HASH, now: 1 });
    const result = setUserEmail(created.state, { username: 'alice', email: 'a@example.com' });
    expect(result.state.clients).toBe(created.state.clients);
    expect(result.state.grants).toBe(created.state.grants);
  });

  // 64-byte local part, then labels of at most 63 bytes filling the domain up to 254 bytes in all.
  const prefix = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.`;
  const longest = `${prefix}${'d'.repeat(MAX_EMAIL_LENGTH - prefix.length - '.com'.length)}.com`;

  it('[accounts] the longest test address is exactly the limit', () => {
    expect(longest.length).toBe(MAX_EMAIL_LENGTH);
  });

  it.each([
    ['a plain address', 'alice@example.com'],
    ['a plus tag and subdomain', 'alice+notes@mail.example.co.uk'],
    ['dots and digits', 'a.b.9@x1.example'],
    ['an internationalised domain', 'alice@bücher.example'],
    ['exactly 254 bytes', longest],
  ])('[accounts] %s is a plausible email', (_name, email) => {
    expect(isPlausibleEmail(email)).toBe(true);
    expect(setUserEmail(withAlice(), { username: 'alice', email }).outcome.kind).toBe('email_set');
  });

  it.each([
    ['empty', ''],
    ['no @', 'alice.example.com'],
    ['two @', 'alice@home@example.com'],
    ['an empty local part', '@example.com'],
    ['a 65-byte local part', `${'a'.repeat(65)}@example.com`],
    ['no dot in the domain', 'alice@localhost'],
    ['an empty domain label', 'alice@example..com'],
    ['a trailing dot', 'alice@example.com.'],
    ['a label starting with a hyphen', 'alice@-example.com'],
    ['a 64-byte label', `alice@${'x'.repeat(64)}.com`],
    ['a space', 'alice smith@example.com'],
    ['a leading space', ' alice@example.com'],
    ['a trailing newline', 'alice@example.com\n'],
    ['a control character', 'alice\u0000@example.com'],
    ['a zero-width character', 'alice\u200b@example.com'],
    ['a bracketed domain', 'alice@[127.0.0.1]'],
    ['255 bytes', `x${longest}`],
    ['255 bytes through one two-byte letter', `${longest.slice(0, -5)}é.com`],
    ['a megabyte', `${'a'.repeat(1_000_000)}@example.com`],
  ])('[accounts] an email with %s is refused as invalid_email and changes nothing', (_name, email) => {
    const state = withAlice();
    expect(isPlausibleEmail(email)).toBe(false);
    expect(setUserEmail(state, { username: 'alice', email })).toEqual({ state, changes: [], outcome: { kind: 'error', error: 'invalid_email' } });
  });
});
