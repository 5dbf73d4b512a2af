// Access tokens as JWTs (RFC 9068): ES256, `typ: at+jwt`, the signing key named by `kid`.
// The claims arrive complete from the core (iat/exp included): the payload is exactly them.

import { SignJWT, type CryptoKey } from 'jose';

import type { AccessTokenClaims } from '../core/types.ts';

export const ACCESS_TOKEN_ALG = 'ES256';
/** RFC 9068 section 2.1: the `typ` header that tells access tokens from other JWTs. */
export const ACCESS_TOKEN_TYP = 'at+jwt';

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
}

/** Signs `claims` as a compact JWS. No `setIssuedAt()`: jose must not add an `iat` of its own. */
export function signAccessToken(claims: AccessTokenClaims, key: SigningKey): Promise<string> {
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: ACCESS_TOKEN_ALG, kid: key.kid, typ: ACCESS_TOKEN_TYP })
    .sign(key.privateKey);
}
