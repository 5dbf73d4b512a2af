// Reading accounts: the named queries pages use instead of walking the account collections.
import { hashSecret } from '../core/secrets.ts';
import type { Seconds } from '../core/types.ts';
import { keysWhere } from '../records/index.ts';
import type { AccountsState, SessionRecord, UserRecord } from './types.ts';

export function findUserById(state: AccountsState, userId: string): UserRecord | undefined {
  return Object.hasOwn(state.users, userId) ? state.users[userId] : undefined;
}

/** Usernames are unique regardless of case: "Alice" finds "alice". */
export function findUserByName(state: AccountsState, username: string): UserRecord | undefined {
  const wanted = username.toLowerCase();
  return Object.values(state.users).find((user) => user.username.toLowerCase() === wanted);
}

export function hasUsers(state: AccountsState): boolean {
  return Object.keys(state.users).length > 0;
}

/** The live session a cookie names, if any: expired sessions and sessions of deleted users are none. */
export function findSession(state: AccountsState, sessionToken: string, now: Seconds): SessionRecord | undefined {
  const hash = hashSecret(sessionToken);
  const session = Object.hasOwn(state.sessions, hash) ? state.sessions[hash] : undefined;
  if (!session || now >= session.expiresAt || !Object.hasOwn(state.users, session.userId)) return undefined;
  return session;
}

/** How many browsers the user is signed in on: their sessions not yet expired (by index, no scan). */
export function liveSessionCount(state: AccountsState, userId: string, now: Seconds): number {
  let count = 0;
  for (const sessionHash of keysWhere(state.sessions, 'userId', userId)) {
    const session = state.sessions[sessionHash];
    if (session && now < session.expiresAt) count++;
  }
  return count;
}
