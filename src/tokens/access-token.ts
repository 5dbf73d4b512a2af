// Access tokens as JWTs (RFC 9068): ES256, `typ: at+jwt`, the signing key named by `kid`.
// The claims arrive complete from the core (iat/exp included): the payload is exactly them.

import type { KeyObject } from 'node:crypto';

import type { AccessTokenClaims } from '../core/types.ts';
import { signCompactJws } from './compact-jws.ts';

export const ACCESS_TOKEN_ALG = 'ES256';
/** RFC 9068 section 2.1: the `typ` header that tells access tokens from other JWTs. */
export const ACCESS_TOKEN_TYP = 'at+jwt';

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
}

/** Signs `claims` as a compact JWS; the payload is exactly the claims (iat included, nothing added). */
export function signAccessToken(claims: AccessTokenClaims, key: SigningKey): Promise<string> {
  return Promise.resolve(signCompactJws({ alg: ACCESS_TOKEN_ALG, kid: key.kid, typ: ACCESS_TOKEN_TYP }, claims, key.privateKey));
}
