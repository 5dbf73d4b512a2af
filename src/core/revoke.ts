// Token revocation (RFC 7009, REQ-19). Unknown tokens, tokens of other clients and any
// `token_type_hint` answer 200 with no effect, so the endpoint is no oracle (EC-35).
import { authenticateClient } from './client-auth.ts';
import { invalidRequest, isOAuthError } from './errors.ts';
import { revokeGrant } from './grant.ts';
import { isRepeated, single } from './params.ts';
import { hashSecret } from './secrets.ts';
import { Transaction } from './state.ts';
import type { CoreConfig, CoreState, OAuthError, RevokeCommand, StepResult, RevokeOutcome } from './types.ts';

export function revoke(state: CoreState, config: CoreConfig, command: RevokeCommand): StepResult<RevokeOutcome> {
  const tx = new Transaction(state);
  // A used client assertion stays used even when the request fails after authentication.
  const fail = (error: OAuthError): StepResult<RevokeOutcome> => ({ state: tx.result(), changes: tx.changes, outcome: { kind: 'error', error } });
  const client = authenticateClient(tx, state, config, command);
  if (isOAuthError(client)) return fail(client);
  if (isRepeated(command.params, 'token')) return fail(invalidRequest('token is repeated', 'REQ-19'));
  const token = single(command.params, 'token');
  if (token === undefined) return fail(invalidRequest('token is missing', 'REQ-19'));
  const refresh = tx.get('refreshTokens', hashSecret(token));
  const access = command.accessToken;
  let revoked = false;
  if (refresh) {
    // RFC 7009 §2.1: revoking a refresh token also ends the access tokens of its grant.
    if (refresh.clientId === client.clientId && command.now < refresh.expiresAt) {
      revokeGrant(tx, refresh.grantId);
      revoked = true;
    }
  } else if (access && access.clientId === client.clientId && command.now < access.exp && tx.get('grants', access.gid)) {
    tx.put('revokedAccessTokens', access.jti, { jti: access.jti, expiresAt: access.exp });
    revoked = true;
  }
  // EC-35: unknown, foreign and expired tokens get the same 200 as a revoked one.
  return { state: tx.result(), changes: tx.changes, outcome: { kind: 'revoked', rule: revoked ? 'REQ-19' : 'EC-35' } };
}
