// Browser sessions. The cookie carries a random token; the state keeps only its SHA-256, so a copy
// of the data directory cannot be replayed as a cookie.
import { hashSecret } from '../core/secrets.ts';
import type { Seconds } from '../core/types.ts';
import { AccountsTransaction } from './transaction.ts';

export { findSession } from './queries.ts';
import type { AccountsResult, AccountsState, SessionRecord } from './types.ts';

export const DEFAULT_SESSION_TTL: Seconds = 30 * 24 * 60 * 60;

export interface StartSessionInput {
  userId: string;
  /** Fresh random value from the shell; becomes the cookie. */
  sessionToken: string;
  /** Fresh random value from the shell; bound to this session for every form it submits. */
  csrf: string;
  now: Seconds;
  ttl?: Seconds;
}

export type StartSessionResult<S extends AccountsState> = AccountsResult<S, { kind: 'session_started'; session: SessionRecord }>;
export type EndSessionsResult<S extends AccountsState> = AccountsResult<S, { kind: 'sessions_ended'; count: number }>;

export function startSession<S extends AccountsState>(state: S, input: StartSessionInput): StartSessionResult<S> {
  if (!Object.hasOwn(state.users, input.userId)) return { state, changes: [], outcome: { kind: 'error', error: 'unknown_user' } };
  const session: SessionRecord = {
    sessionHash: hashSecret(input.sessionToken),
    userId: input.userId,
    csrf: input.csrf,
    createdAt: input.now,
    expiresAt: input.now + (input.ttl ?? DEFAULT_SESSION_TTL),
  };
  const tx = new AccountsTransaction(state);
  tx.put('sessions', session.sessionHash, session);
  return { state: tx.result(), changes: tx.changes, outcome: { kind: 'session_started', session } };
}

/** Sign-out: forgets the session a cookie names (a no-op for unknown tokens). */
export function endSession<S extends AccountsState>(state: S, sessionToken: string): EndSessionsResult<S> {
  const hash = hashSecret(sessionToken);
  return endWhere(state, (session) => session.sessionHash === hash);
}

/** Signs a user out everywhere, e.g. after a password change. */
export function endAllSessions<S extends AccountsState>(state: S, userId: string): EndSessionsResult<S> {
  return endWhere(state, (session) => session.userId === userId);
}

/** Forgets sessions that have expired; the shell runs this with its periodic tick. */
export function pruneSessions<S extends AccountsState>(state: S, now: Seconds): EndSessionsResult<S> {
  return endWhere(state, (session) => now >= session.expiresAt);
}

function endWhere<S extends AccountsState>(state: S, matches: (session: SessionRecord) => boolean): EndSessionsResult<S> {
  const tx = new AccountsTransaction(state);
  for (const session of Object.values(state.sessions)) {
    if (matches(session)) tx.delete('sessions', session.sessionHash);
  }
  return { state: tx.result(), changes: tx.changes, outcome: { kind: 'sessions_ended', count: tx.changes.length } };
}
