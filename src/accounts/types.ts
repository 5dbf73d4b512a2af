// The vocabulary of user accounts: records persisted next to the OAuth core's collections, and the
// result shape of every account transition (the same `{ state, changes, outcome }` as the core).
import type { Seconds } from '../core/types.ts';
import type { Change } from '../records/index.ts';

export interface UserRecord {
  userId: string;
  /** As chosen at creation; uniqueness is case-insensitive. */
  username: string;
  /** argon2id PHC string (see `passwords.ts`). */
  passwordHash: string;
  createdAt: Seconds;
  /** Set by the operator (`agent-notes user set-email`); absent on accounts that never had one. */
  email?: string;
  /** True only when the operator asserted the address (`--verified`); absent or false otherwise. */
  emailVerified?: boolean;
}

/** Keyed by `sessionHash`: SHA-256 (base64url) of the session cookie value, never the value itself. */
export interface SessionRecord {
  sessionHash: string;
  userId: string;
  /** The CSRF token bound to this session (synchronizer token for every form). */
  csrf: string;
  createdAt: Seconds;
  expiresAt: Seconds;
}

/** Keyed by `tokenHash`: SHA-256 (base64url) of the one-time setup token. */
export interface SetupRecord {
  tokenHash: string;
  expiresAt: Seconds;
}

export interface AccountsState {
  users: Record<string, UserRecord>;
  sessions: Record<string, SessionRecord>;
  setup: Record<string, SetupRecord>;
}

export type AccountsCollection = keyof AccountsState;

/** One record written or removed in an account collection. */
export type AccountsChange = Change<AccountsCollection>;

export type AccountsError =
  | 'invalid_username'
  | 'username_taken'
  | 'unknown_user'
  | 'invalid_email'
  | 'setup_invalid'
  | 'setup_expired'
  | 'setup_done';

/** `S` is the caller's whole state (e.g. the app state); unknown collections pass through untouched. */
export interface AccountsResult<S extends AccountsState, O> {
  state: S;
  changes: AccountsChange[];
  outcome: O | { kind: 'error'; error: AccountsError };
}

export function emptyAccountsState(): AccountsState {
  return { users: {}, sessions: {}, setup: {} };
}
