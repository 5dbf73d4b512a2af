// OAuth errors as values. Every error the core can answer is built by one of these named
// constructors, so the codes and statuses live in one place.
import type { OAuthError } from './types.ts';

// Each error names the rule that produced it (a catalogue ID: REQ-09, EC-31, ...), which
// `agent-notes explain` shows next to the answer; it never goes on the wire.
const make =
  (error: string, status: OAuthError['status'] = 400) =>
  (description: string, rule: string): OAuthError => ({ error, description, status, rule });

export const invalidRequest = make('invalid_request');
export const invalidGrant = make('invalid_grant');
export const invalidScope = make('invalid_scope');
export const invalidTarget = make('invalid_target');
export const unauthorizedClient = make('unauthorized_client');
export const unsupportedGrantType = make('unsupported_grant_type');
export const unsupportedResponseType = make('unsupported_response_type');
export const accessDenied = make('access_denied');
export const invalidRedirectUri = make('invalid_redirect_uri');
export const invalidClientMetadata = make('invalid_client_metadata');
export const notFound = make('not_found', 404);

/** Unknown client on the authorization page: a 400 page, never a redirect. */
export const unknownClient = make('invalid_client');

/** Failed client authentication at the token or revocation endpoint (RFC 6749 §5.2: 401). */
export function invalidClient(description: string, usedBasic: boolean, rule: string): OAuthError {
  return usedBasic
    ? { error: 'invalid_client', description, status: 401, basicChallenge: true, rule }
    : { error: 'invalid_client', description, status: 401, rule };
}

/** Distinguishes a check's failure from its value. */
export function isOAuthError(value: unknown): value is OAuthError {
  return typeof value === 'object' && value !== null && 'error' in value && 'status' in value && 'description' in value;
}
