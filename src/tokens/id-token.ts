// ID tokens (OpenID Connect Core 1.0, section 2) for the `openid` scope (REQ-18). RS256, because
// OIDC discovery requires every provider to offer it; access tokens stay ES256 and never use these
// keys. The claims arrive complete from the caller (iat/exp included): the payload is exactly them.

import type { SigningKey } from './access-token.ts';
import { signCompactJws } from './compact-jws.ts';

export const ID_TOKEN_ALG = 'RS256';
/** The plain JWT type: ID tokens have no `typ` of their own, unlike `at+jwt` access tokens. */
export const ID_TOKEN_TYP = 'JWT';

/** Signs `claims` as a compact JWS; the payload is exactly the claims (iat included, nothing added). */
export function signIdToken(claims: Record<string, unknown>, key: SigningKey): Promise<string> {
  return Promise.resolve(signCompactJws({ alg: ID_TOKEN_ALG, kid: key.kid, typ: ID_TOKEN_TYP }, claims, key.privateKey));
}
