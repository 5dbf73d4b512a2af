// The authorization_code grant (OAuth 2.1 §4.1.3, REQ-09). The code is bound to its client,
// redirect URI, PKCE challenge, scopes and resource; it is single use, and a replay revokes
// whatever the first redemption produced (invariant 1).
import { invalidGrant, invalidRequest } from './errors.ts';
import { addRefreshToken, respondWithTokens, revokeGrant, type Issued } from './grant.ts';
import { all, single } from './params.ts';
import { checkResource } from './resource.ts';
import { OFFLINE_ACCESS } from './scopes.ts';
import { hashSecret, hashesEqual, s256 } from './secrets.ts';
import type { Transaction } from './state.ts';
import type { ClientRecord, CoreConfig, GrantRecord, OAuthError, TokenCommand } from './types.ts';

const CODE_VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/; // RFC 7636 §4.1

export function exchangeCode(tx: Transaction, config: CoreConfig, client: ClientRecord, command: TokenCommand): Issued | OAuthError {
  const { params, now } = command;
  const code = single(params, 'code');
  if (code === undefined) return invalidRequest('code is missing', 'REQ-09');
  const record = tx.get('codes', hashSecret(code));
  if (!record || now >= record.expiresAt) return invalidGrant('the code is invalid or expired', 'REQ-09');
  if (record.clientId !== client.clientId) return invalidGrant('the code was issued to another client', 'EC-19');

  // REQ-09: PKCE S256; a failed attempt does not burn the code.
  // Checked before replay detection so a leaked code alone cannot revoke someone's grant.
  const verifier = single(params, 'code_verifier');
  if (verifier === undefined || !CODE_VERIFIER.test(verifier) || !hashesEqual(s256(verifier), record.codeChallenge)) {
    return invalidGrant('code_verifier does not match the code_challenge', 'REQ-09');
  }
  // REQ-09: single use. A second redemption revokes everything the first one produced.
  if (record.grantId !== undefined) {
    revokeGrant(tx, record.grantId);
    return invalidGrant('the code was already used; its tokens are revoked', 'EC-18');
  }
  // EC-20: OAuth 2.0 clients repeat redirect_uri; when they do it must be the same one.
  const redirectUri = single(params, 'redirect_uri');
  if (redirectUri !== undefined && redirectUri !== record.redirectUri) return invalidGrant('redirect_uri differs from the authorization request', 'EC-20');
  const resourceError = checkResource(all(params, 'resource'), record.resource);
  if (resourceError) return resourceError;

  const { grantId, jti, refreshToken } = command.fresh;
  tx.put('codes', record.codeHash, { ...record, grantId });
  // The client is in use: the tick forgets idle clients by this date (predefined ones are not in state).
  if (client.source !== 'predefined') tx.put('clients', client.clientId, { ...client, connectedAt: now });
  let grant: GrantRecord = {
    grantId,
    userId: record.userId,
    clientId: client.clientId,
    scopes: record.scopes,
    resource: record.resource,
    createdAt: now,
    lastUsedAt: now,
    accessExpiresAt: now,
    refreshHashes: [],
  };
  // REQ-16: a refresh token only for a client that may refresh and a person who approved staying
  // connected (offline_access); every rotation after that inherits the decision with the grant.
  const issueRefresh = client.grantTypes.includes('refresh_token') && record.scopes.includes(OFFLINE_ACCESS);
  if (issueRefresh) grant = addRefreshToken(tx, config, grant, refreshToken, now);
  return { tokens: respondWithTokens(tx, config, grant, grant.scopes, jti, now, issueRefresh ? refreshToken : undefined, record.nonce), rule: 'REQ-09' };
}
