// Client metadata members (RFC 7591 §2) as registration and metadata documents both state them:
// the checks they share, each answering with the member that failed.
import { invalidClientMetadata, invalidRedirectUri } from './errors.ts';
import { redirectPolicyVerdict } from './redirect-policy.ts';
import type { ClientRecord, CoreConfig, GrantType, OAuthError } from './types.ts';

export const GRANT_TYPES: readonly GrantType[] = ['authorization_code', 'refresh_token'];

export type Metadata = Record<string, unknown>;

export function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

export function isMetadataObject(value: unknown): value is Metadata {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `redirect_uris`: non-empty, bounded, each allowed by the redirect policy (REQ-10); a
 * `trustedPublisher` is held to its shape rules only (see `redirectPolicyVerdict`).
 */
export function checkRedirectUris(meta: Metadata, config: CoreConfig, trustedPublisher = false): string[] | OAuthError {
  const uris = meta.redirect_uris;
  if (!isStringArray(uris) || uris.length === 0) return invalidRedirectUri('redirect_uris must be a non-empty array of strings', 'REQ-10');
  if (uris.length > config.limits.maxRedirectUris) return invalidRedirectUri(`at most ${config.limits.maxRedirectUris} redirect_uris`, 'REQ-10');
  for (const uri of uris) {
    const verdict = redirectPolicyVerdict(uri, config, trustedPublisher);
    if (!verdict.ok) return invalidRedirectUri(`redirect URI ${JSON.stringify(uri.slice(0, 200))} ${verdict.why}`, 'REQ-10');
  }
  return uris;
}

export function checkGrantTypes(meta: Metadata): GrantType[] | OAuthError {
  const types = meta.grant_types === undefined ? GRANT_TYPES : meta.grant_types;
  if (!isStringArray(types) || !types.every((t) => GRANT_TYPES.includes(t as GrantType)) || !types.includes('authorization_code')) {
    return invalidClientMetadata('grant_types must include authorization_code and may add refresh_token', 'REQ-14');
  }
  return GRANT_TYPES.filter((t) => types.includes(t));
}

export function checkResponseTypes(meta: Metadata): OAuthError | undefined {
  const types = meta.response_types === undefined ? ['code'] : meta.response_types;
  return isStringArray(types) && types.every((t) => t === 'code') ? undefined : invalidClientMetadata('response_types may only contain code', 'REQ-14');
}

export function isHttpsUrl(value: string, config: CoreConfig): boolean {
  if (value.length > config.limits.maxUriLength) return false;
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
}

export type Descriptive = Pick<ClientRecord, 'clientName' | 'clientUri' | 'logoUri' | 'scope' | 'applicationType'>;

export function checkDescriptiveFields(meta: Metadata, config: CoreConfig): Descriptive | OAuthError {
  const fields: Descriptive = {};
  const name = meta.client_name;
  if (name !== undefined) {
    if (typeof name !== 'string' || name.length === 0 || name.length > config.limits.maxClientNameLength) {
      return invalidClientMetadata(`client_name must be a string of 1 to ${config.limits.maxClientNameLength} characters`, 'REQ-14');
    }
    fields.clientName = name;
  }
  for (const [member, key] of [['client_uri', 'clientUri'], ['logo_uri', 'logoUri']] as const) {
    const value = meta[member];
    if (value === undefined) continue;
    if (typeof value !== 'string' || !isHttpsUrl(value, config)) return invalidClientMetadata(`${member} must be an https URL`, 'REQ-14');
    fields[key] = value;
  }
  if (meta.scope !== undefined) {
    if (typeof meta.scope !== 'string' || meta.scope.length > config.limits.maxScopeLength) return invalidClientMetadata(`scope must be a string of at most ${config.limits.maxScopeLength} characters`, 'REQ-14');
    fields.scope = meta.scope; // kept, never enforced (EC-11)
  }
  if (meta.application_type === 'web' || meta.application_type === 'native') fields.applicationType = meta.application_type; // MCP-20
  return fields;
}
