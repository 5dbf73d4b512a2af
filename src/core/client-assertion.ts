// `private_key_jwt` (RFC 7523 §3, RFC 7521 §4.2, EC-29). The shell has checked the assertion's
// signature against the keys the client's metadata document publishes; these are the claim checks,
// in order, and the single use of its `jti` (kept in state, so a restart reopens no replay).
import { invalidClient, invalidRequest, isOAuthError } from './errors.ts';
import { single } from './params.ts';
import { requestClient } from './request-client.ts';
import { hashSecret } from './secrets.ts';
import type { Transaction } from './state.ts';
import type { ClientRecord, CoreConfig, CoreState, OAuthError, RevokeCommand, Seconds, TokenCommand } from './types.ts';

export const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** Asymmetric algorithms only (EC-29): a shared-secret HMAC would need a secret the document cannot hold. */
export const ASSERTION_ALGORITHMS: readonly string[] = ['RS256', 'PS256', 'ES256', 'EdDSA'];
/** `exp` at most 5 minutes ahead, plus 30 seconds for the client's clock running ahead of ours. */
export const ASSERTION_MAX_AHEAD: Seconds = 300 + 30;
/** An `nbf` may lie this far in our future (the client's clock ahead of ours). */
export const NOT_BEFORE_SKEW: Seconds = 30;
const MAX_JTI_LENGTH = 256;

/** RFC 7523 §3: `aud` identifies this server; the issuer and the token endpoint both do (RFC7523-01). */
function audienceIsUs(aud: unknown, config: CoreConfig): boolean {
  const ours = [config.issuer, `${config.issuer}/oauth/token`];
  const values = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : [];
  return values.some((value) => typeof value === 'string' && ours.includes(value));
}

function checkLifetime(claims: Record<string, unknown>, now: Seconds): OAuthError | undefined {
  const { exp, nbf } = claims;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return invalidClient('the client assertion has no exp', false, 'EC-29');
  if (now >= exp) return invalidClient('the client assertion has expired', false, 'EC-29');
  if (exp > now + ASSERTION_MAX_AHEAD) return invalidClient('the client assertion lives too long: exp may be at most 5 minutes ahead', false, 'EC-29');
  if (nbf !== undefined && (typeof nbf !== 'number' || nbf > now + NOT_BEFORE_SKEW)) return invalidClient('the client assertion is not valid yet (nbf)', false, 'EC-29');
  return undefined;
}

/** The key a used `jti` is remembered under: per client, and bounded in length whatever was sent. */
export function assertionKey(clientId: string, jti: string): string {
  return hashSecret(`${clientId}\n${jti}`);
}

export function authenticateByAssertion(tx: Transaction, state: CoreState, config: CoreConfig, command: TokenCommand | RevokeCommand, bodyId: string | undefined): ClientRecord | OAuthError {
  const { params, now } = command;
  if (single(params, 'client_assertion') === undefined) return invalidRequest('client_assertion is missing', 'EC-29');
  if (single(params, 'client_assertion_type') !== ASSERTION_TYPE) return invalidRequest(`client_assertion_type must be ${ASSERTION_TYPE}`, 'EC-29');
  const checked = command.assertion;
  if (checked === undefined) return invalidClient('the client assertion could not be checked', false, 'EC-29');
  if ('failure' in checked) return invalidClient(checked.failure, false, 'EC-29');
  const { claims } = checked;

  // RFC 7523 §3: iss and sub are both the client_id.
  const { iss, sub } = claims;
  if (typeof sub !== 'string' || iss !== sub) return invalidClient('the client assertion\'s iss and sub must both be the client_id', false, 'EC-29');
  if (bodyId !== undefined && bodyId !== sub) return invalidClient('client_id differs from the client assertion\'s sub', false, 'EC-29');
  const client = requestClient(state, config, sub, command.clientDocument, now);
  if (client === undefined) return invalidClient('unknown client', false, 'EC-29');
  if (isOAuthError(client)) return invalidClient(client.description, false, 'EC-29');
  if (client.authMethod !== 'private_key_jwt') return invalidClient('this client does not authenticate with private_key_jwt', false, 'EC-29');

  if (!audienceIsUs(claims.aud, config)) return invalidClient(`the client assertion's aud must be ${config.issuer} or its token endpoint`, false, 'EC-29');
  const lifetimeError = checkLifetime(claims, now);
  if (lifetimeError) return lifetimeError;
  // EC-29: single use, until the assertion could not be used anyway.
  const { jti } = claims;
  if (typeof jti !== 'string' || jti.length === 0 || jti.length > MAX_JTI_LENGTH) return invalidClient(`the client assertion needs a jti of 1 to ${MAX_JTI_LENGTH} characters`, false, 'EC-29');
  const key = assertionKey(client.clientId, jti);
  const used = tx.get('usedAssertions', key);
  if (used && now < used.expiresAt) return invalidClient('this client assertion was already used (jti replay)', false, 'EC-29');
  tx.put('usedAssertions', key, { key, expiresAt: claims.exp as number });
  return client;
}
