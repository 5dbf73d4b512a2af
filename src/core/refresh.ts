// The refresh_token grant (OAuth 2.1 §4.3, REQ-16). Every use rotates the token. A retry inside
// the grace window gets the same successor (EC-31: clients that lost the response, or raced);
// any other reuse of a rotated token revokes the whole family (invariant 2).
import { invalidGrant, invalidRequest, isOAuthError } from './errors.ts';
import { addRefreshToken, respondWithTokens, retireRefreshToken, revokeGrant, type Issued } from './grant.ts';
import { all, single } from './params.ts';
import { checkResource } from './resource.ts';
import { narrowedScopes } from './scopes.ts';
import { hashSecret, openSuccessor, sealSuccessor } from './secrets.ts';
import type { Transaction } from './state.ts';
import type { ClientRecord, CoreConfig, OAuthError, RefreshRecord, Seconds, TokenCommand } from './types.ts';

/** How many times one rotated token may be retried inside the grace window. */
export const MAX_GRACE_RETRIES = 3;

function isGraceRetry(tx: Transaction, config: CoreConfig, record: RefreshRecord, now: Seconds): boolean {
  const rotation = record.rotation;
  if (!rotation || now >= rotation.rotatedAt + config.refreshGrace) return false;
  const successor = tx.get('refreshTokens', rotation.successorHash);
  return successor !== undefined && successor.rotation === undefined && now < successor.expiresAt;
}

export function refreshTokens(tx: Transaction, config: CoreConfig, client: ClientRecord, command: TokenCommand): Issued | OAuthError {
  const { params, now } = command;
  const presented = single(params, 'refresh_token');
  if (presented === undefined) return invalidRequest('refresh_token is missing', 'REQ-16');
  const record = tx.get('refreshTokens', hashSecret(presented));
  if (!record || now >= record.expiresAt) return invalidGrant('the refresh token is invalid or expired', 'REQ-16');
  if (record.clientId !== client.clientId) return invalidGrant('the refresh token was issued to another client', 'EC-32');
  const grant = tx.get('grants', record.grantId);
  if (!grant) return invalidGrant('the grant behind this refresh token was revoked', 'EC-32');

  // REQ-16: a rotated token is good only for a retry inside the grace window; any other use is
  // reuse and kills the family, whatever else the request says.
  const graceSuccessor = record.rotation && isGraceRetry(tx, config, record, now) ? openSuccessor(presented, record.rotation.sealedSuccessor) : undefined;
  if (record.rotation && graceSuccessor === undefined) {
    revokeGrant(tx, grant.grantId, [record.tokenHash]);
    return invalidGrant('the refresh token was already used; the grant is revoked', 'REQ-16');
  }

  // Invariant 3: scope and audience may narrow, never widen.
  const scopes = narrowedScopes(single(params, 'scope'), record.scopes, config);
  if (isOAuthError(scopes)) return scopes;
  const resourceError = checkResource(all(params, 'resource'), record.resource);
  if (resourceError) return resourceError;
  if (graceSuccessor !== undefined && record.rotation) {
    // Decisions, "Grace retries": a lost answer is retried a few times, not used as an access-token mint.
    const retries = record.rotation.retries ?? 0;
    if (retries >= MAX_GRACE_RETRIES) return invalidGrant(`this refresh token was already retried ${MAX_GRACE_RETRIES} times; use its successor`, 'EC-31');
    tx.put('refreshTokens', record.tokenHash, { ...record, rotation: { ...record.rotation, retries: retries + 1 } });
    return { tokens: respondWithTokens(tx, config, grant, scopes, command.fresh.jti, now, graceSuccessor), rule: 'EC-31' };
  }

  const successor = command.fresh.refreshToken;
  const updated = addRefreshToken(tx, config, retireRefreshToken(grant, record.tokenHash), successor, now, record.tokenHash);
  tx.put('refreshTokens', record.tokenHash, {
    ...record,
    rotation: { rotatedAt: now, successorHash: hashSecret(successor), sealedSuccessor: sealSuccessor(presented, successor) },
  });
  return { tokens: respondWithTokens(tx, config, updated, scopes, command.fresh.jti, now, successor), rule: 'REQ-16' };
}
