// The CSRF check for every form: the token posted must equal the one bound to the session.
import { timingSafeEqual } from 'node:crypto';

/** Constant-time equality; a missing, non-string, empty or differently sized value never matches. */
export function csrfMatches(expected: string, given: unknown): boolean {
  if (typeof given !== 'string' || expected === '') return false;
  const left = Buffer.from(expected, 'utf8');
  const right = Buffer.from(given, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
