// Clients identified by the URL of their own metadata document (CIMD, REQ-13): ChatGPT's
// `https://chatgpt.com/oauth/…/client.json`, Claude's `https://claude.ai/oauth/…`. The shell
// fetches the document; everything it may mean is decided here, from the URL and the JSON alone.
import { documentAuthMethod } from './auth-method.ts';
import { checkDescriptiveFields, checkGrantTypes, checkRedirectUris, checkResponseTypes, isMetadataObject, type Metadata } from './client-metadata.ts';
import { invalidClientMetadata, isOAuthError } from './errors.ts';
import { hasDotSegment } from './redirect-policy.ts';
import type { ClientDocument, ClientRecord, CoreConfig, OAuthError, Seconds } from './types.ts';

/** Registered ids are random base64url, so anything starting like a URL names a document. */
export function isMetadataUrl(clientId: string): boolean {
  return /^https?:\/\//i.test(clientId);
}

export type UrlVerdict = { ok: true } | { ok: false; why: string };

/** CIMD-01: an https URL with a path, and nothing that could make two strings name one document. */
export function metadataUrlVerdict(raw: string, config: CoreConfig): UrlVerdict {
  if (raw.length > config.limits.maxUriLength) return { ok: false, why: `is longer than ${config.limits.maxUriLength} characters` };
  if (!raw.startsWith('https://')) return { ok: false, why: 'is not an https URL' };
  if (raw.includes('#')) return { ok: false, why: 'has a fragment' };
  if (raw.includes('\\')) return { ok: false, why: 'has a backslash' };
  if (hasDotSegment(raw)) return { ok: false, why: 'has a dot segment' };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, why: 'is not a URL' };
  }
  if (url.username !== '' || url.password !== '') return { ok: false, why: 'has userinfo' };
  if (url.pathname === '/') return { ok: false, why: 'has no path' };
  if (url.href !== raw) return { ok: false, why: 'is not in canonical form (lowercase host, no default port)' };
  return { ok: true };
}

const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth'];
const MAX_KEYS = 20;

/** A `private_key_jwt` client publishes its public keys one way: inline `jwks` or a `jwks_uri`. */
function checkKeys(meta: Metadata, config: CoreConfig): OAuthError | undefined {
  const { jwks, jwks_uri: jwksUri } = meta;
  if (jwks !== undefined && jwksUri !== undefined) return invalidClientMetadata('give jwks or jwks_uri, not both', 'EC-29');
  if (jwksUri !== undefined) {
    if (typeof jwksUri !== 'string') return invalidClientMetadata('jwks_uri must be a string', 'EC-29');
    const verdict = metadataUrlVerdict(jwksUri, config);
    return verdict.ok ? undefined : invalidClientMetadata(`jwks_uri ${verdict.why}`, 'EC-29');
  }
  if (jwks === undefined) return invalidClientMetadata('private_key_jwt needs the client\'s public keys in jwks or jwks_uri', 'EC-29');
  const keys = isMetadataObject(jwks) ? jwks.keys : undefined;
  if (!Array.isArray(keys) || keys.length === 0 || keys.length > MAX_KEYS || !keys.every(isMetadataObject)) {
    return invalidClientMetadata(`jwks must be { "keys": [...] } with 1 to ${MAX_KEYS} keys`, 'EC-29');
  }
  // -02 §4.1: public keys only; a document leaking its private key must not be used at all.
  if (keys.some((key) => PRIVATE_JWK_MEMBERS.some((member) => Object.hasOwn(key, member)))) return invalidClientMetadata('jwks holds private key material', 'EC-29');
  return undefined;
}

/** The client a fetched document describes, or the rule it breaks (CIMD-02, CIMD-03, EC-41). */
export function clientFromDocument(config: CoreConfig, url: string, document: unknown, now: Seconds, known?: ClientRecord): ClientRecord | OAuthError {
  if (!isMetadataObject(document)) return invalidClientMetadata('the metadata document is not a JSON object', 'EC-41');
  // CIMD-02: plain string comparison with the URL it was fetched from.
  if (document.client_id !== url) return invalidClientMetadata('the document\'s client_id is not the URL it was fetched from', 'EC-41');
  if (document.client_secret !== undefined || document.client_secret_expires_at !== undefined) {
    return invalidClientMetadata('a metadata document may not carry a client_secret', 'EC-41');
  }
  const authMethod = documentAuthMethod(document.token_endpoint_auth_method, document.token_endpoint_auth_methods_supported);
  if (isOAuthError(authMethod)) return authMethod;
  if (authMethod === 'private_key_jwt') {
    const keysError = checkKeys(document, config);
    if (keysError) return keysError;
  }
  // REQ-10: the redirect policy holds for documents too, unless the operator trusts the publisher.
  const redirectUris = checkRedirectUris(document, config, config.trustedClientOrigins.includes(new URL(url).origin));
  if (isOAuthError(redirectUris)) return redirectUris;
  const grantTypes = checkGrantTypes(document);
  if (isOAuthError(grantTypes)) return grantTypes;
  const responseTypesError = checkResponseTypes(document);
  if (responseTypesError) return responseTypesError;
  const descriptive = checkDescriptiveFields(document, config);
  if (isOAuthError(descriptive)) return descriptive;
  const client: ClientRecord = { clientId: url, authMethod, redirectUris, grantTypes, ...descriptive, issuedAt: known?.issuedAt ?? now, source: 'cimd' };
  if (known?.connectedAt !== undefined) client.connectedAt = known.connectedAt;
  return client;
}

/**
 * The client behind a metadata URL, from the document the shell brought along: `undefined` when
 * metadata documents are off (the id is then simply unknown), else the client or why not.
 */
export function documentClient(config: CoreConfig, clientId: string, given: ClientDocument | undefined, now: Seconds, known?: ClientRecord): ClientRecord | OAuthError | undefined {
  if (!config.clientMetadataDocuments) return undefined;
  const verdict = metadataUrlVerdict(clientId, config);
  if (!verdict.ok) return invalidClientMetadata(`client_id looks like a metadata document URL but ${verdict.why}`, 'EC-41');
  if (given === undefined || given.url !== clientId) return invalidClientMetadata('the client metadata document was not fetched', 'EC-41');
  if ('failure' in given) return invalidClientMetadata(`the client metadata document could not be fetched: ${given.failure}`, 'EC-41');
  return clientFromDocument(config, clientId, given.document, now, known);
}

/** True when the stored record already says what the document says (nothing to write). */
export function sameClient(a: ClientRecord | undefined, b: ClientRecord): boolean {
  return a !== undefined && JSON.stringify(a) === JSON.stringify(b);
}
