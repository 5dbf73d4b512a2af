// An account's email address, for the OpenID Connect `email` scope (REQ-18). Only the operator sets
// it, from the command line; `emailVerified` is true only when they say so, never by default, since
// a relying party may link accounts on a verified address.
import { findUserByName } from './queries.ts';
import { AccountsTransaction } from './transaction.ts';
import type { AccountsResult, AccountsState, UserRecord } from './types.ts';

/** RFC 5321's limit on a forward path, in octets: nothing longer can be delivered to. */
export const MAX_EMAIL_LENGTH = 254;
const MAX_LOCAL_PART_LENGTH = 64;
const MAX_LABEL_LENGTH = 63;

/** Whitespace, control and invisible formatting characters: none belongs in an address we print. */
const UNPRINTABLE = /[\s\p{Cc}\p{Cf}\p{Z}]/u;
/** A domain label: letters (any script) and digits, hyphens only inside. */
const LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?$/u;

export interface SetUserEmailInput {
  username: string;
  /** The new address, or `null` to remove it (and its verified flag). */
  email: string | null;
  /** The operator vouches for the address; false unless given. */
  verified?: boolean;
}

export type SetUserEmailResult<S extends AccountsState> = AccountsResult<S, { kind: 'email_set'; user: UserRecord }>;

/**
 * A plausible address, not RFC 5322: the full grammar (quoted local parts, comments, IP literals)
 * accepts things no mail system would route, so this keeps to a bounded, readable subset: one `@`,
 * nothing unprintable, and a dotted domain name.
 */
export function isPlausibleEmail(email: string): boolean {
  if (octets(email) > MAX_EMAIL_LENGTH || UNPRINTABLE.test(email)) return false;
  const parts = email.split('@');
  if (parts.length !== 2) return false;
  const [local, domain] = parts as [string, string];
  if (local === '' || octets(local) > MAX_LOCAL_PART_LENGTH) return false;
  const labels = domain.split('.');
  return labels.length >= 2 && labels.every((label) => octets(label) <= MAX_LABEL_LENGTH && LABEL.test(label));
}

export function setUserEmail<S extends AccountsState>(state: S, input: SetUserEmailInput): SetUserEmailResult<S> {
  const user = findUserByName(state, input.username);
  if (!user) return { state, changes: [], outcome: { kind: 'error', error: 'unknown_user' } };
  if (input.email !== null && !isPlausibleEmail(input.email)) return { state, changes: [], outcome: { kind: 'error', error: 'invalid_email' } };
  const { email: _email, emailVerified: _verified, ...rest } = user;
  const updated: UserRecord = input.email === null ? rest : { ...rest, email: input.email, emailVerified: input.verified === true };
  const tx = new AccountsTransaction(state);
  tx.put('users', user.userId, updated);
  return { state: tx.result(), changes: tx.changes, outcome: { kind: 'email_set', user: updated } };
}

function octets(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
