// First run: the operator gets a one-time setup token (printed by the CLI) and uses it to create the
// owner account. The token is stored only as a hash, works once, expires, and is useless once any
// user exists.
import { hashSecret, hashesEqual } from '../core/secrets.ts';
import type { Seconds } from '../core/types.ts';
import { AccountsTransaction } from './transaction.ts';
import type { AccountsResult, AccountsState, SetupRecord, UserRecord } from './types.ts';
import { hasUsers, isValidUsername, putUser } from './users.ts';

export const DEFAULT_SETUP_TTL: Seconds = 24 * 60 * 60;

export interface IssueSetupInput {
  /** Fresh random value from the shell. */
  token: string;
  now: Seconds;
  ttl?: Seconds;
}

export interface ConsumeSetupInput {
  token: string;
  now: Seconds;
  userId: string;
  username: string;
  passwordHash: string;
}

export type IssueSetupResult<S extends AccountsState> = AccountsResult<S, { kind: 'setup_issued'; setup: SetupRecord }>;
export type ConsumeSetupResult<S extends AccountsState> = AccountsResult<S, { kind: 'owner_created'; user: UserRecord }>;

/** Issues a setup token, replacing any earlier one (only the latest printed token works). */
export function issueSetupToken<S extends AccountsState>(state: S, input: IssueSetupInput): IssueSetupResult<S> {
  const tx = new AccountsTransaction(state);
  for (const key of Object.keys(state.setup)) tx.delete('setup', key);
  const setup: SetupRecord = { tokenHash: hashSecret(input.token), expiresAt: input.now + (input.ttl ?? DEFAULT_SETUP_TTL) };
  tx.put('setup', setup.tokenHash, setup);
  return { state: tx.result(), changes: tx.changes, outcome: { kind: 'setup_issued', setup } };
}

/** The setup record a token opens, compared in constant time on the hashes. */
export function findSetup(state: AccountsState, token: string): SetupRecord | undefined {
  const hash = hashSecret(token);
  let found: SetupRecord | undefined;
  for (const record of Object.values(state.setup)) {
    if (hashesEqual(record.tokenHash, hash)) found = record;
  }
  return found;
}

export type SetupProblem = 'setup_invalid' | 'setup_expired' | 'setup_done' | 'invalid_username';

/**
 * Why a setup with this token and username would be refused, if it would. The shell asks before
 * hashing the password (SEC-SETUP-01): a wrong token must cost a SHA-256, never an argon2 hash.
 */
export function setupProblem(state: AccountsState, token: string, now: Seconds, username: string): SetupProblem | undefined {
  const setup = findSetup(state, token);
  if (!setup) return 'setup_invalid';
  if (now >= setup.expiresAt) return 'setup_expired';
  if (hasUsers(state)) return 'setup_done';
  // A rejected username leaves the token usable, so the owner can correct the form and retry.
  if (!isValidUsername(username)) return 'invalid_username';
  return undefined;
}

/** Creates the owner account with a valid setup token; the token is spent on success. */
export function consumeSetup<S extends AccountsState>(state: S, input: ConsumeSetupInput): ConsumeSetupResult<S> {
  const fail = (error: SetupProblem): ConsumeSetupResult<S> => ({
    state,
    changes: [],
    outcome: { kind: 'error', error },
  });
  const problem = setupProblem(state, input.token, input.now, input.username);
  if (problem !== undefined) return fail(problem);
  const setup = findSetup(state, input.token)!;
  const tx = new AccountsTransaction(state);
  const user = putUser(tx, input);
  tx.delete('setup', setup.tokenHash);
  return { state: tx.result(), changes: tx.changes, outcome: { kind: 'owner_created', user } };
}
