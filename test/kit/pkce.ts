// PKCE (RFC 7636) for tests: the conformance client's verifier and S256 challenge, in one place.
import { randomBytes } from 'node:crypto';
import { newPkce, s256, type Pkce } from '../../spec/conformance/pkce.ts';

export { newPkce, s256, type Pkce };

/** A fresh 43-character verifier (32 random bytes, base64url). */
export function newVerifier(): string {
  return randomBytes(32).toString('base64url');
}
