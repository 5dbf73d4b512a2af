// The token endpoint: authenticate the client, then hand over to the grant it asks for.
import { authenticateClient } from './client-auth.ts';
import { invalidRequest, isOAuthError, unauthorizedClient, unsupportedGrantType } from './errors.ts';
import { exchangeCode } from './exchange.ts';
import { repeatedParams, single } from './params.ts';
import { refreshTokens } from './refresh.ts';
import { Transaction } from './state.ts';
import type { Issued } from './grant.ts';
import type { CoreConfig, CoreState, GrantType, OAuthError, StepResult, TokenCommand, TokenOutcome } from './types.ts';

const GRANTS = {
  authorization_code: exchangeCode,
  refresh_token: refreshTokens,
} as const;

export function token(state: CoreState, config: CoreConfig, command: TokenCommand): StepResult<TokenOutcome> {
  const tx = new Transaction(state);
  const done = (result: Issued | OAuthError): StepResult<TokenOutcome> => ({
    // A failed grant may still have changed state: a replayed code or refresh token revokes.
    state: tx.result(),
    changes: tx.changes,
    outcome: isOAuthError(result) ? { kind: 'error', error: result } : { kind: 'tokens', tokens: result.tokens, rule: result.rule },
  });

  const client = authenticateClient(tx, state, config, command);
  if (isOAuthError(client)) return done(client);
  const repeated = repeatedParams(command.params, ['resource']);
  if (repeated.length > 0) return done(invalidRequest(`parameter ${repeated[0]} is repeated`, 'OA21-07'));
  const grantType = single(command.params, 'grant_type');
  if (grantType === undefined) return done(invalidRequest('grant_type is missing', 'OA21-07'));
  if (!Object.hasOwn(GRANTS, grantType)) return done(unsupportedGrantType(`grant_type ${grantType} is not supported`, 'OA21-07'));
  if (!client.grantTypes.includes(grantType as GrantType)) return done(unauthorizedClient(`this client may not use ${grantType}`, 'OA21-07'));
  return done(GRANTS[grantType as GrantType](tx, config, client, command));
}
