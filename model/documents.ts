// The model's reading of metadata-document clients (auth.md "Client ID Metadata Documents",
// EC-28, EC-41): when a URL may name a document, and what a document makes of its client. Written
// from the rules, not from src/core. Answers are the error codes the rules give, or the client.
import { acceptableRedirectUri, type RedirectAllowance } from './params.ts';

export interface DocumentClient {
  authMethod: 'none' | 'private_key_jwt';
  redirectUris: string[];
  grantTypes: string[];
}

/** A client_id that starts like a URL names a metadata document (registered ids never do). */
export function namesDocument(clientId: string): boolean {
  const lower = clientId.toLowerCase();
  return lower.startsWith('https://') || lower.startsWith('http://');
}

/** CIMD-01: https, a path other than "/", no fragment, userinfo, backslash or dot segment, canonical. */
export function usableDocumentUrl(s: string, maxLength: number): boolean {
  if (s.length > maxLength || !s.startsWith('https://') || s.includes('#') || s.includes('\\')) return false;
  const path = s.split('?')[0]!.slice('https://'.length).replace(/^[^/]*/, '');
  if (path.split('/').some((seg) => ['.', '..'].includes(seg.toLowerCase().replaceAll('%2e', '.')))) return false;
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    return false;
  }
  return u.username === '' && u.password === '' && u.pathname !== '/' && u.href === s;
}

const SECRET_METHODS = ['client_secret_basic', 'client_secret_post', 'client_secret_jwt'];
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth'];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function strings(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

function httpsUrl(s: string, maxLength: number): boolean {
  if (s.length > maxLength) return false;
  try {
    return new URL(s).protocol === 'https:';
  } catch {
    return false;
  }
}

export interface DocumentRules {
  maxUriLength: number;
  maxRedirectUris: number;
  maxClientNameLength: number;
  maxScopeLength: number;
  allowance: RedirectAllowance;
  /** Origins whose documents may list any canonical, fragment-free redirect URI. */
  trustedPublishers: readonly string[];
}

/** The checks in the order the rules give; the first failure's error code answers. */
export function readDocument(url: string, doc: unknown, rules: DocumentRules): DocumentClient | string {
  // 1. A JSON object whose client_id is exactly the URL, with no secret in it.
  if (!isObject(doc) || doc.client_id !== url) return 'invalid_client_metadata';
  if (doc.client_secret !== undefined || doc.client_secret_expires_at !== undefined) return 'invalid_client_metadata';
  // 2. The auth method: the plural is the offer (else the singular, else none); the singular
  //    must be in it; no shared-secret method; private_key_jwt if offered, then none.
  const singular = doc.token_endpoint_auth_method;
  const plural = doc.token_endpoint_auth_methods_supported;
  if (singular !== undefined && typeof singular !== 'string') return 'invalid_client_metadata';
  if (plural !== undefined && !(strings(plural) && plural.length > 0)) return 'invalid_client_metadata';
  const offered = plural ?? (singular === undefined ? ['none'] : [singular]);
  if (singular !== undefined && !offered.includes(singular)) return 'invalid_client_metadata';
  if (offered.some((m) => SECRET_METHODS.includes(m))) return 'invalid_client_metadata';
  let authMethod: DocumentClient['authMethod'];
  if (offered.includes('private_key_jwt')) authMethod = 'private_key_jwt';
  else if (offered.includes('none')) authMethod = 'none';
  else return 'unauthorized_client';
  // 3. private_key_jwt: public keys in exactly one of jwks (1 to 20 keys, none private) or jwks_uri (a usable URL).
  if (authMethod === 'private_key_jwt') {
    const { jwks, jwks_uri: uri } = doc;
    if (jwks !== undefined && uri !== undefined) return 'invalid_client_metadata';
    if (uri !== undefined) {
      if (typeof uri !== 'string' || !usableDocumentUrl(uri, rules.maxUriLength)) return 'invalid_client_metadata';
    } else {
      const keys = isObject(jwks) ? jwks.keys : undefined;
      if (!Array.isArray(keys) || keys.length < 1 || keys.length > 20 || !keys.every(isObject)) return 'invalid_client_metadata';
      if (keys.some((k) => PRIVATE_MEMBERS.some((m) => Object.hasOwn(k as object, m)))) return 'invalid_client_metadata';
    }
  }
  // 4. redirect_uris: 1 to maxRedirectUris strings, each allowed by the policy (a trusted
  //    publisher is held to the policy's shape rules only).
  const uris = doc.redirect_uris;
  if (!strings(uris) || uris.length === 0 || uris.length > rules.maxRedirectUris) return 'invalid_redirect_uri';
  const trusted = rules.trustedPublishers.includes(new URL(url).origin);
  if (!uris.every((u) => acceptableRedirectUri(u, rules.maxUriLength, rules.allowance, trusted))) return 'invalid_redirect_uri';
  // 5. grant_types and response_types as for registration.
  const grants = doc.grant_types === undefined ? ['authorization_code', 'refresh_token'] : doc.grant_types;
  if (!strings(grants) || !grants.every((g) => g === 'authorization_code' || g === 'refresh_token') || !grants.includes('authorization_code')) return 'invalid_client_metadata';
  const responses = doc.response_types === undefined ? ['code'] : doc.response_types;
  if (!strings(responses) || !responses.every((r) => r === 'code')) return 'invalid_client_metadata';
  // 6. Descriptive members, bounded.
  const name = doc.client_name;
  if (name !== undefined && (typeof name !== 'string' || name.length < 1 || name.length > rules.maxClientNameLength)) return 'invalid_client_metadata';
  for (const key of ['client_uri', 'logo_uri']) {
    const v = doc[key];
    if (v !== undefined && !(typeof v === 'string' && httpsUrl(v, rules.maxUriLength))) return 'invalid_client_metadata';
  }
  if (doc.scope !== undefined && (typeof doc.scope !== 'string' || doc.scope.length > rules.maxScopeLength)) return 'invalid_client_metadata';
  return { authMethod, redirectUris: [...uris], grantTypes: grants.includes('refresh_token') ? ['authorization_code', 'refresh_token'] : ['authorization_code'] };
}

