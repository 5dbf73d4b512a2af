// Resource indicators (RFC 8707) and their canonical form (MCP-31, EC-01, EC-07).
import { invalidTarget } from './errors.ts';
import type { OAuthError } from './types.ts';

/** Lowercase scheme and host, no default port, one trailing slash dropped; `undefined` if unusable. */
export function canonicalResource(value: string): string | undefined {
  if (value.includes('#')) return undefined; // RFC 8707 §2: no fragment
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  if (url.username !== '' || url.password !== '') return undefined;
  // The URL parser already lowercases scheme and host and drops default ports.
  // EC-01: Claude Code has been seen to send `<origin>/mcp/`; one trailing slash names the same resource.
  const path = /[^/]\/$|^\/$/.test(url.pathname) ? url.pathname.slice(0, -1) : url.pathname;
  return `${url.protocol}//${url.host}${path}${url.search}`;
}

/**
 * EC-03: no `resource` means the one resource this server protects. Every value sent must
 * canonicalise to it (EC-06: repeats of the right value are harmless).
 */
export function checkResource(values: readonly string[], expected: string): OAuthError | undefined {
  for (const value of values) {
    if (canonicalResource(value) !== expected) {
      return invalidTarget(`resource must be ${expected}`, 'REQ-11');
    }
  }
  return undefined;
}
