// Creating and finding users. Usernames are 1–64 characters of [A-Za-z0-9._-], unique regardless of
// case ("Alice" and "alice" are the same person), and kept as typed for display.
import type { Seconds } from '../core/types.ts';
import { findUserByName } from './queries.ts';
import { AccountsTransaction } from './transaction.ts';
import type { AccountsResult, AccountsState, UserRecord } from './types.ts';

export { findUserByName, hasUsers } from './queries.ts';

const USERNAME = /^[A-Za-z0-9._-]{1,64}$/;

export interface CreateUserInput {
  userId: string;
  username: string;
  /** Already hashed by `hashPassword`: transitions never do async work. */
  passwordHash: string;
  now: Seconds;
}

export type CreateUserResult<S extends AccountsState> = AccountsResult<S, { kind: 'user_created'; user: UserRecord }>;

export function isValidUsername(username: string): boolean {
  return USERNAME.test(username);
}

export function createUser<S extends AccountsState>(state: S, input: CreateUserInput): CreateUserResult<S> {
  if (!isValidUsername(input.username)) return { state, changes: [], outcome: { kind: 'error', error: 'invalid_username' } };
  if (findUserByName(state, input.username)) return { state, changes: [], outcome: { kind: 'error', error: 'username_taken' } };
  const tx = new AccountsTransaction(state);
  const user = putUser(tx, input);
  return { state: tx.result(), changes: tx.changes, outcome: { kind: 'user_created', user } };
}

/** Writes a user whose username the caller has already checked. */
export function putUser<S extends AccountsState>(tx: AccountsTransaction<S>, input: CreateUserInput): UserRecord {
  const user: UserRecord = {
    userId: input.userId,
    username: input.username,
    passwordHash: input.passwordHash,
    createdAt: input.now,
  };
  tx.put('users', user.userId, user);
  return user;
}

export type RemoveUserResult<S extends AccountsState> = AccountsResult<S, { kind: 'user_removed'; user: UserRecord; sessionsEnded: number }>;

/** Removes a user and every session of theirs; their grants and notes are the other domains' to remove first. */
export function removeUser<S extends AccountsState>(state: S, username: string): RemoveUserResult<S> {
  const user = findUserByName(state, username);
  if (!user) return { state, changes: [], outcome: { kind: 'error', error: 'unknown_user' } };
  const tx = new AccountsTransaction(state);
  let sessionsEnded = 0;
  for (const session of Object.values(state.sessions)) {
    if (session.userId !== user.userId) continue;
    tx.delete('sessions', session.sessionHash);
    sessionsEnded += 1;
  }
  tx.delete('users', user.userId);
  return { state: tx.result(), changes: tx.changes, outcome: { kind: 'user_removed', user, sessionsEnded } };
}
