// PKCE (RFC 7636) and the random values a client makes up: verifier, S256 challenge, state.
import { createHash, randomBytes } from 'node:crypto';

export interface Pkce {
  verifier: string;
  challenge: string;
}

/** A 43-character verifier and its S256 challenge. */
export function newPkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: s256(verifier) };
}

export function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

/** A ChatGPT-like `state`: `oauth_s_` and 64 random characters (ChatGPT's can be far longer). */
export function newState(): string {
  return `oauth_s_${randomBytes(48).toString('base64url')}`;
}
