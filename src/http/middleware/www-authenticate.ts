// The one place that builds `Bearer` challenges (RFC 6750 §3, RFC 9728 §5.1), for the HTTP
// `WWW-Authenticate` header of /mcp and the userinfo endpoint, and for ChatGPT's in-band
// `_meta["mcp/www_authenticate"]` alike.
// Parameters always appear in one order: resource_metadata, error, error_description, scope.

export type BearerError = 'invalid_request' | 'invalid_token' | 'insufficient_scope';

export interface BearerChallenge {
  /** The protected-resource metadata URL (RFC 9728 `resource_metadata`); userinfo has none. */
  resourceMetadata?: string;
  /** RFC6750-04: left out when the request carried no credentials. */
  error?: BearerError;
  errorDescription?: string;
  /** Every scope the operation needs (MCP-25), space-separated on the wire. */
  scope?: readonly string[];
}

/** RFC 6750 `scope-token`: %x21 / %x23-5B / %x5D-7E. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
/** Outside RFC 6750's `error_description` alphabet (%x20-21 / %x23-5B / %x5D-7E). */
const NOT_DESCRIPTION_CHAR = /[^\x20\x21\x23-\x5B\x5D-\x7E]/g;

/** An RFC 7230 quoted-string: backslash and double quote escaped, control characters refused. */
export function quotedString(value: string): string {
  if (/[\x00-\x08\x0A-\x1F\x7F]/.test(value)) throw new TypeError('a challenge parameter may not contain control characters');
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/**
 * An `error_description` that any strict parser accepts: characters RFC 6750 does not allow there
 * (quotes, backslashes, non-ASCII, controls) become `'` or `?`, so nothing needs escaping.
 */
export function safeDescription(text: string): string {
  return text.replace(/"/g, "'").replace(NOT_DESCRIPTION_CHAR, '?');
}

/** The challenge exactly as it goes into a `WWW-Authenticate` header. */
export function bearerChallenge(challenge: BearerChallenge): string {
  const params: string[] = challenge.resourceMetadata === undefined ? [] : [`resource_metadata=${quotedString(challenge.resourceMetadata)}`];
  if (challenge.error !== undefined) params.push(`error=${quotedString(challenge.error)}`);
  if (challenge.errorDescription !== undefined) params.push(`error_description=${quotedString(safeDescription(challenge.errorDescription))}`);
  if (challenge.scope !== undefined && challenge.scope.length > 0) {
    const bad = challenge.scope.find((s) => !SCOPE_TOKEN.test(s));
    if (bad !== undefined) throw new TypeError(`not a scope token: ${JSON.stringify(bad)}`);
    params.push(`scope=${quotedString(challenge.scope.join(' '))}`);
  }
  return params.length === 0 ? 'Bearer' : `Bearer ${params.join(', ')}`;
}

/** RFC 9728 §3.1: the well-known URL with the resource's path inserted after it. */
export function resourceMetadataUrl(resource: string): string {
  const url = new URL(resource);
  const path = url.pathname === '/' ? '' : url.pathname;
  return `${url.origin}/.well-known/oauth-protected-resource${path}`;
}
