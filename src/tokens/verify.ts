// The resource server's bearer-token check (REQ-03, MCP-33, CGPT-41): signature against our own
// key set, `typ`, issuer, audience, time window and claim shapes, then the live-grant check.
// Verified tokens are cached so a repeated token skips the signature; expiry and `isLive` are
// re-run on every call so a revocation takes effect at once.

import { createLocalJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';

import type { AccessTokenClaims, Seconds } from '../core/types.ts';
import { ACCESS_TOKEN_ALG, ACCESS_TOKEN_TYP } from './access-token.ts';
import type { KeyRing } from './keys.ts';

export type Verification =
  | { ok: true; claims: AccessTokenClaims }
  | { ok: false; error: 'invalid_token'; description: string };

export interface VerifierOptions {
  keys: KeyRing;
  /** Our issuer identifier; `iss` must equal it byte for byte. */
  issuer: string;
  /** The canonical resource identifier; `aud` must equal it byte for byte. */
  resource: string;
  /** The grant still exists and the `jti` is not revoked (checked last, on every call). */
  isLive: (claims: AccessTokenClaims, now: Seconds) => boolean;
  now: () => Seconds;
  /** How many verified tokens to remember (default 10,000); a test sets a small one. */
  cacheLimit?: number;
}

/**
 * None: the same clock signs and verifies, so a token is refused from its `exp` on, exactly as the
 * core's liveness rule says (auth.md, "Access token clock tolerance: 0 seconds").
 */
export const CLOCK_TOLERANCE: Seconds = 0;
/** Our tokens are well under 1 KB; anything this long is not one of them. */
export const MAX_TOKEN_LENGTH = 8 * 1024;
const CACHE_LIMIT = 10_000;
const REQUIRED_CLAIMS = ['sub', 'client_id', 'scope', 'jti', 'gid', 'exp', 'iat'];

export function createVerifier(options: VerifierOptions): (token: string) => Promise<Verification> {
  const { keys, issuer, resource, isLive, now, cacheLimit = CACHE_LIMIT } = options;
  const cache = new VerifiedTokens(cacheLimit);
  let keySet: { source: object; get: ReturnType<typeof createLocalJWKSet> } | undefined;

  /** Our public keys; rebuilt only if the ring hands out a different JWKS document. */
  function localKeySet(): ReturnType<typeof createLocalJWKSet> {
    const source = keys.jwks();
    if (keySet?.source !== source) keySet = { source, get: createLocalJWKSet(source) };
    return keySet.get;
  }

  async function verifySigned(token: string, at: Seconds): Promise<Verification> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, localKeySet(), {
        algorithms: [ACCESS_TOKEN_ALG],
        typ: ACCESS_TOKEN_TYP,
        issuer,
        audience: resource,
        currentDate: new Date(at * 1000),
        clockTolerance: CLOCK_TOLERANCE,
        requiredClaims: REQUIRED_CLAIMS,
      }));
    } catch (error) {
      return invalidToken(describeFailure(error));
    }
    return claimsOf(payload, resource);
  }

  return async (token) => {
    const at = now();
    if (typeof token !== 'string' || token === '') return invalidToken('no token');
    if (token.length > MAX_TOKEN_LENGTH) return invalidToken('token too long');
    let claims = cache.get(token);
    if (claims === undefined) {
      const verified = await verifySigned(token, at);
      if (!verified.ok) return verified;
      claims = verified.claims;
      cache.add(token, claims, at);
    }
    if (isExpired(claims, at)) {
      cache.delete(token);
      return invalidToken('token expired');
    }
    // MCP-33 / REQ-03 with invariant 4: a revoked grant or jti fails at once, cached or not.
    if (!isLive(claims, at)) {
      cache.delete(token);
      return invalidToken('token revoked');
    }
    return { ok: true, claims };
  };
}

function invalidToken(description: string): Verification {
  return { ok: false, error: 'invalid_token', description };
}

/** Same rule as jose's `exp` check, so a cached token expires exactly when a fresh one would. */
function isExpired(claims: AccessTokenClaims, at: Seconds): boolean {
  return claims.exp <= at - CLOCK_TOLERANCE;
}

/** The checks jose leaves to us: claim types, and an audience that is exactly our resource. */
function claimsOf(payload: JWTPayload, resource: string): Verification {
  // EC-33 / MCP-34: jose accepts an array `aud` that merely contains the resource. We never mint
  // arrays, so an array audience means a token made for more than us (or not by us): refuse it.
  if (payload.aud !== resource) return invalidToken('token audience is not this resource');
  const { iss, sub, client_id, scope, jti, gid, iat, exp } = payload;
  for (const [name, value] of Object.entries({ iss, sub, client_id, jti, gid })) {
    if (typeof value !== 'string' || value === '') return invalidToken(`token "${name}" claim invalid`);
  }
  if (typeof scope !== 'string') return invalidToken('token "scope" claim invalid');
  if (typeof iat !== 'number' || typeof exp !== 'number') return invalidToken('token times invalid');
  const claims: AccessTokenClaims = {
    iss: iss as string,
    sub: sub as string,
    aud: resource,
    client_id: client_id as string,
    scope,
    iat,
    exp,
    jti: jti as string,
    gid: gid as string,
  };
  return { ok: true, claims: Object.freeze(claims) };
}

/** A short reason for the client; built from jose's error codes, never from the token. */
function describeFailure(error: unknown): string {
  if (!(error instanceof errors.JOSEError)) return 'malformed token';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.reason === 'missing') return `token lacks the "${error.claim}" claim`;
    switch (error.claim) {
      case 'typ': return 'token type is not at+jwt';
      case 'iss': return 'token issuer is not this server';
      case 'aud': return 'token audience is not this resource';
      case 'nbf': return 'token not yet valid';
      default: return `token "${error.claim}" claim invalid`;
    }
  }
  switch (error.code) {
    case 'ERR_JWT_EXPIRED': return 'token expired';
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED': return 'token signature invalid';
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
    case 'ERR_JOSE_NOT_SUPPORTED': return 'token algorithm not allowed';
    case 'ERR_JWKS_NO_MATCHING_KEY': return 'token signed by an unknown key';
    default: return 'malformed token';
  }
}

/**
 * Verified tokens and their claims, at most `limit` of them. Expired entries are dropped when
 * looked up, and swept when the cache is full; if it is still full the oldest entry goes.
 */
class VerifiedTokens {
  readonly #entries = new Map<string, AccessTokenClaims>();
  readonly #limit: number;

  constructor(limit: number) {
    this.#limit = limit;
  }

  get(token: string): AccessTokenClaims | undefined {
    return this.#entries.get(token);
  }

  add(token: string, claims: AccessTokenClaims, at: Seconds): void {
    if (this.#entries.size >= this.#limit) this.#makeRoom(at);
    this.#entries.set(token, claims);
  }

  delete(token: string): void {
    this.#entries.delete(token);
  }

  #makeRoom(at: Seconds): void {
    for (const [token, claims] of this.#entries) if (isExpired(claims, at)) this.#entries.delete(token);
    const oldest = this.#entries.keys().next();
    if (this.#entries.size >= this.#limit && !oldest.done) this.#entries.delete(oldest.value);
  }
}
