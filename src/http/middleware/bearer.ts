// Reading a bearer token from the `Authorization` header (RFC 6750 §2.1), the one way /mcp, the
// userinfo endpoint and the /mcp rate limit all read it: header only, never query or body.

/**
 * The token in an `Authorization: Bearer <token>` header. Another scheme, or no header, is no
 * credential at all (RFC 6750 §3.1); a `Bearer` header without a well-formed token is a refused one.
 */
export function bearerToken(header: string | undefined): { kind: 'none' } | { kind: 'malformed' } | { kind: 'token'; token: string } {
  if (header === undefined || header === '') return { kind: 'none' };
  const match = /^([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*)(?: +(.*))?$/.exec(header);
  if (!match || match[1]!.toLowerCase() !== 'bearer') return { kind: 'none' };
  const token = (match[2] ?? '').trim();
  // RFC 6750 §2.1 b64token.
  return /^[A-Za-z0-9\-._~+/]+=*$/.test(token) ? { kind: 'token', token } : { kind: 'malformed' };
}
