// Changing a password: the new hash replaces the old one, and every other session of the user ends,
// so a browser that knew the old password (or stole a cookie) is signed out. The session that made
// the change stays. Hashing is async, so the shell hashes first and hands the hash in.
import { AccountsTransaction } from './transaction.ts';
import type { AccountsResult, AccountsState } from './types.ts';

export interface ChangePasswordInput {
  userId: string;
  /** Already hashed by `hashPassword`. */
  passwordHash: string;
  /** `sessionHash` of the session that asked for the change; it stays signed in. */
  keepSessionHash: string;
}

export type ChangePasswordResult<S extends AccountsState> = AccountsResult<S, { kind: 'password_changed'; sessionsEnded: number }>;

export function changePassword<S extends AccountsState>(state: S, input: ChangePasswordInput): ChangePasswordResult<S> {
  const user = Object.hasOwn(state.users, input.userId) ? state.users[input.userId] : undefined;
  if (!user) return { state, changes: [], outcome: { kind: 'error', error: 'unknown_user' } };
  const tx = new AccountsTransaction(state);
  tx.put('users', user.userId, { ...user, passwordHash: input.passwordHash });
  let sessionsEnded = 0;
  for (const session of Object.values(state.sessions)) {
    if (session.userId === user.userId && session.sessionHash !== input.keepSessionHash) {
      tx.delete('sessions', session.sessionHash);
      sessionsEnded += 1;
    }
  }
  return { state: tx.result(), changes: tx.changes, outcome: { kind: 'password_changed', sessionsEnded } };
}
