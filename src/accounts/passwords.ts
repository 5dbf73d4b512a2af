// Password hashing (argon2id). Async and CPU-bound, so the shell calls it before running the pure
// transition that stores or checks the hash.
import argon2 from 'argon2';

export const MIN_PASSWORD_LENGTH = 10;
/** Longer inputs are refused before hashing so a request cannot buy seconds of CPU. */
export const MAX_PASSWORD_LENGTH = 1024;

export type PasswordProblem = 'password_too_short' | 'password_too_long' | 'password_mismatch';

/** Why a new password is not acceptable, if it is not. Lengths are `string.length` (UTF-16 units). */
export function passwordProblem(password: string, confirmation?: string): PasswordProblem | undefined {
  const length = password.length;
  if (length < MIN_PASSWORD_LENGTH) return 'password_too_short';
  if (length > MAX_PASSWORD_LENGTH) return 'password_too_long';
  if (confirmation !== undefined && confirmation !== password) return 'password_mismatch';
  return undefined;
}

/** Hashes a new password; throws a RangeError for one `passwordProblem` rejects. */
export async function hashPassword(password: string): Promise<string> {
  const problem = passwordProblem(password);
  if (problem) throw new RangeError(problem);
  return argon2.hash(password, { type: argon2.argon2id });
}

/** True only when `password` matches `hash`; a malformed hash or an oversized password is false. */
export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  if (password.length > MAX_PASSWORD_LENGTH) return false;
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}
