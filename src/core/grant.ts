// Grants and what hangs off them: minting access-token claims, issuing refresh tokens, and
// revoking a whole family at once.
import { hashSecret } from './secrets.ts';
import { OPENID, scopeString } from './scopes.ts';
import type { Transaction } from './state.ts';
import type { AccessTokenClaims, CoreConfig, GrantRecord, RefreshRecord, Seconds, TokenResponse } from './types.ts';

/** Deletes a grant and every refresh token of its family (invariant 4: effective at once). */
export function revokeGrant(tx: Transaction, grantId: string, alsoFrom: readonly string[] = []): void {
  const grant = tx.get('grants', grantId);
  if (!grant) return;
  // `alsoFrom`: a token known to be in the family (a reused one), for when tick already removed
  // the chain's newer end; anything still left over has no grant and goes at the next tick.
  for (const live of [...grant.refreshHashes, ...alsoFrom]) {
    // Back along the chain: the rotated predecessors still kept for reuse detection.
    for (let hash: string | undefined = live; hash !== undefined; ) {
      const record: RefreshRecord | undefined = tx.get('refreshTokens', hash);
      if (!record || record.grantId !== grantId) break;
      tx.delete('refreshTokens', hash);
      hash = record.previousHash;
    }
  }
  tx.delete('grants', grantId);
}

export function accessTokenClaims(config: CoreConfig, grant: GrantRecord, scopes: readonly string[], jti: string, now: Seconds): AccessTokenClaims {
  return {
    iss: config.issuer,
    sub: grant.userId,
    aud: grant.resource, // invariant 3: always the canonical resource bound at authorization
    client_id: grant.clientId,
    scope: scopeString(scopes),
    iat: now,
    exp: now + config.accessTokenTtl,
    jti,
    gid: grant.grantId,
  };
}

/**
 * The grant without `tokenHash` in its live list, once that token has rotated. The grant lists only
 * live tokens: a rotated one stays a record of its own (for reuse detection, tied to the grant by
 * `grantId`) but not in the grant, so a grant refreshed every hour for a week does not carry, and
 * rewrite on every refresh, a list of all its predecessors.
 */
export function retireRefreshToken(grant: GrantRecord, tokenHash: string): GrantRecord {
  return { ...grant, refreshHashes: grant.refreshHashes.filter((hash) => hash !== tokenHash) };
}

/** Tokens a grant handed out, and the rule that let it (REQ-09 for a code, REQ-16 for a rotation, EC-31 for a grace retry). */
export interface Issued {
  tokens: TokenResponse;
  rule: string;
}

/** Stores a new live refresh token for the grant's family and returns the updated grant. */
export function addRefreshToken(tx: Transaction, config: CoreConfig, grant: GrantRecord, token: string, now: Seconds, previousHash?: string): GrantRecord {
  const tokenHash = hashSecret(token);
  tx.put('refreshTokens', tokenHash, {
    tokenHash,
    grantId: grant.grantId,
    clientId: grant.clientId,
    scopes: grant.scopes,
    resource: grant.resource,
    issuedAt: now,
    expiresAt: now + config.refreshTokenTtl,
    ...(previousHash === undefined ? {} : { previousHash }),
  });
  return { ...grant, refreshHashes: [...grant.refreshHashes, tokenHash] };
}

/** Records that the grant was used and answers with fresh access-token claims. */
export function respondWithTokens(
  tx: Transaction,
  config: CoreConfig,
  grant: GrantRecord,
  scopes: readonly string[],
  jti: string,
  now: Seconds,
  refreshToken: string | undefined,
  nonce?: string,
): TokenResponse {
  const accessToken = accessTokenClaims(config, grant, scopes, jti, now);
  tx.put('grants', grant.grantId, {
    ...grant,
    lastUsedAt: now,
    accessExpiresAt: Math.max(grant.accessExpiresAt, accessToken.exp),
  });
  const response: TokenResponse = {
    accessToken,
    tokenType: 'Bearer',
    expiresIn: config.accessTokenTtl,
    scope: accessToken.scope,
  };
  if (refreshToken !== undefined) response.refreshToken = refreshToken;
  // REQ-18: an ID token for the client whenever `openid` is among the scopes of this answer.
  if (scopes.includes(OPENID)) {
    response.idToken = { iss: config.issuer, sub: grant.userId, aud: grant.clientId, iat: now, exp: now + config.accessTokenTtl, ...(nonce === undefined ? {} : { nonce }) };
  }
  return response;
}
