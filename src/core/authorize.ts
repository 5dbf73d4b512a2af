// The authorization request (OAuth 2.1 §4.1.1). Phase 1 checks the client and its redirect URI;
// their failures are shown to the user and never redirected (OA21-07, EC-21). Phase 2 checks the
// rest; its failures go back to the validated redirect URI with `state` and `iss`.
import { invalidRequest, isOAuthError, unauthorizedClient, unknownClient, unsupportedResponseType } from './errors.ts';
import { all, repeatedParams, single, isRepeated } from './params.ts';
import { errorRedirect } from './redirect.ts';
import { isTemplate, redirectUriMatches } from './redirect-uri.ts';
import { checkResource } from './resource.ts';
import { rememberDocumentClient, requestClient } from './request-client.ts';
import { requestedScopes } from './scopes.ts';
import { Transaction } from './state.ts';
import type { AuthorizeCommand, ClientRecord, CoreConfig, CoreState, OAuthError, Params, PendingRecord, StepResult, AuthorizeOutcome } from './types.ts';

const CODE_CHALLENGE = /^[A-Za-z0-9_-]{43}$/; // base64url of a SHA-256 digest

/** Phase 1: the client and the redirect URI this request may answer to. */
function validateClientAndRedirect(state: CoreState, config: CoreConfig, command: AuthorizeCommand): { client: ClientRecord; redirectUri: string } | OAuthError {
  const { params } = command;
  if (isRepeated(params, 'client_id')) return invalidRequest('client_id is repeated', 'REQ-10');
  const clientId = single(params, 'client_id');
  if (clientId === undefined) return invalidRequest('client_id is missing', 'REQ-10');
  // REQ-13: a metadata document that cannot be used is shown like an unknown client, never redirected.
  const client = requestClient(state, config, clientId, command.clientDocument, command.now);
  if (client === undefined) return unknownClient('this client is not registered with agent-notes', 'EC-21');
  if (isOAuthError(client)) return client;

  if (isRepeated(params, 'redirect_uri')) return invalidRequest('redirect_uri is repeated', 'REQ-10');
  const requested = single(params, 'redirect_uri');
  if (requested === undefined) {
    // OA21-03: may be omitted only when exactly one URI is registered.
    const [only, ...others] = client.redirectUris;
    if (only === undefined || others.length > 0 || isTemplate(only, client)) return invalidRequest('redirect_uri is required for this client', 'EC-21');
    return { client, redirectUri: only };
  }
  // REQ-10: exact match, loopback port aside.
  if (!client.redirectUris.some((registered) => redirectUriMatches(registered, requested, client))) {
    return invalidRequest('redirect_uri is not registered for this client', 'REQ-10');
  }
  return { client, redirectUri: requested };
}

type Accepted = Pick<PendingRecord, 'scopes' | 'resource' | 'codeChallenge' | 'nonce'>;

/** Phase 2: everything else, in the order of chatgpt-apps/auth.md. */
function validateRequest(config: CoreConfig, client: ClientRecord, params: Params): Accepted | OAuthError {
  const repeated = repeatedParams(params, ['resource']);
  if (repeated.length > 0) return invalidRequest(`parameter ${repeated[0]} is repeated`, 'OA21-07');
  const state = single(params, 'state');
  if (state !== undefined && state.length > config.limits.maxStateLength) return invalidRequest(`state is longer than ${config.limits.maxStateLength} characters`, 'EC-24');

  const responseType = single(params, 'response_type');
  if (responseType === undefined) return invalidRequest('response_type is missing', 'OA21-07');
  if (responseType !== 'code') return unsupportedResponseType('only response_type=code is supported', 'OA21-07');
  if (!client.grantTypes.includes('authorization_code')) return unauthorizedClient('this client may not use the authorization code grant', 'OA21-07');

  // REQ-09: PKCE with S256 is mandatory; plain (or no method, which means plain) is refused.
  const challenge = single(params, 'code_challenge');
  if (challenge === undefined) return invalidRequest('code_challenge is required (PKCE)', 'REQ-09');
  if (single(params, 'code_challenge_method') !== 'S256') return invalidRequest('code_challenge_method must be S256', 'REQ-09');
  if (!CODE_CHALLENGE.test(challenge)) return invalidRequest('code_challenge must be 43 base64url characters', 'REQ-09');

  const scopes = requestedScopes(single(params, 'scope'), config);
  if (isOAuthError(scopes)) return scopes;
  // REQ-11: the only audience we mint tokens for.
  const resourceError = checkResource(all(params, 'resource'), config.resource);
  if (resourceError) return resourceError;
  // OIDC Core §3.1.2.1: a nonce is echoed in the ID token; bounded like state.
  const nonce = single(params, 'nonce');
  if (nonce !== undefined && nonce.length > config.limits.maxStateLength) return invalidRequest(`nonce is longer than ${config.limits.maxStateLength} characters`, 'REQ-18');
  return { scopes, resource: config.resource, codeChallenge: challenge, ...(nonce === undefined || !scopes.includes('openid') ? {} : { nonce }) };
}

/** `state` is echoed only when it arrived once, non-empty and within bounds. */
function echoableState(config: CoreConfig, params: Params): string | undefined {
  if (isRepeated(params, 'state')) return undefined;
  const state = single(params, 'state');
  return state !== undefined && state.length <= config.limits.maxStateLength ? state : undefined;
}

export function authorize(state: CoreState, config: CoreConfig, command: AuthorizeCommand): StepResult<AuthorizeOutcome> {
  const { params } = command;
  const target = validateClientAndRedirect(state, config, command);
  if (isOAuthError(target)) return { state, changes: [], outcome: { kind: 'error', error: target } };

  const echoed = echoableState(config, params);
  const accepted = validateRequest(config, target.client, params);
  if (isOAuthError(accepted)) {
    return { state, changes: [], outcome: { kind: 'redirect', redirect: errorRedirect(config, target.redirectUri, accepted, echoed) } };
  }

  const request: PendingRecord = {
    requestId: command.fresh.requestId,
    clientId: target.client.clientId,
    redirectUri: target.redirectUri,
    ...accepted,
    createdAt: command.now,
    expiresAt: command.now + config.pendingTtl,
  };
  if (echoed !== undefined) request.state = echoed;
  const tx = new Transaction(state);
  const full = rememberDocumentClient(tx, state, config, target.client);
  if (full) return { state, changes: [], outcome: { kind: 'error', error: full } };
  tx.put('pending', request.requestId, request);
  return { state: tx.result(), changes: tx.changes, outcome: { kind: 'consent_required', request, client: target.client, rule: 'REQ-09' } };
}
