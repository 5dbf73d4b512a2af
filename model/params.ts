// Small helpers of the reference model: reading request parameters, canonical resources, the
// redirect URI policy and HTTP Basic credentials. Written from chatgpt-apps/auth.md, not from src/.
import type { Params } from '../src/core/commands.ts';

/** One parameter as the rules see it. An empty string counts as absent (RFC 6749 §3.1). */
export type Param = { kind: 'absent' } | { kind: 'repeated' } | { kind: 'one'; value: string };

export function param(params: Params, name: string): Param {
  const raw = params[name];
  if (Array.isArray(raw)) {
    if (raw.length >= 2) return { kind: 'repeated' };
    return raw[0] === undefined || raw[0] === '' ? { kind: 'absent' } : { kind: 'one', value: raw[0] };
  }
  return raw === undefined || raw === '' ? { kind: 'absent' } : { kind: 'one', value: raw };
}

/** The value of a parameter that is known not to be repeated (undefined when absent). */
export function value(params: Params, name: string): string | undefined {
  const p = param(params, name);
  return p.kind === 'one' ? p.value : undefined;
}

/** Names of parameters sent more than once, `resource` excepted (RFC 8707 lets it repeat). */
export function anyRepeated(params: Params, except: readonly string[] = []): boolean {
  return Object.keys(params).some((name) => name !== 'resource' && !except.includes(name) && param(params, name).kind === 'repeated');
}

// ------------------------------------------------------------------ canonical resource (REQ-11)

function parseUrl(s: string): URL | undefined {
  try {
    return new URL(s);
  } catch {
    return undefined;
  }
}

/** Canonical form of a `resource` value, or undefined when it is not acceptable at all. */
export function canonicalResource(s: string): string | undefined {
  if (s.includes('#')) return undefined; // no fragment, a `#` anywhere
  const u = parseUrl(s);
  if (!u) return undefined; // not an absolute URL
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
  if (u.username !== '' || u.password !== '') return undefined; // no userinfo
  // The URL parser lowercases scheme and host and drops the default port.
  // EC-01: one trailing slash is dropped (`/mcp/` is `/mcp`, `/` is nothing); a second one is not.
  const path = u.pathname.endsWith('/') && !u.pathname.endsWith('//') ? u.pathname.slice(0, -1) : u.pathname;
  return `${u.protocol}//${u.host}${path}${u.search}`;
}

/** True when every non-empty `resource` value canonicalises to `expected` (absent → expected). */
export function resourceMatches(params: Params, expected: string): boolean {
  const raw = params.resource;
  const values = (raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]).filter((v) => v !== '');
  return values.every((v) => canonicalResource(v) === expected);
}

// ------------------------------------------------------------------ redirect URIs (REQ-10)

const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];
export const CALLBACK_TEMPLATE = 'https://chatgpt.com/connector/oauth/{callback_id}';
const CALLBACK_PATTERN = /^https:\/\/chatgpt\.com\/connector\/oauth\/[A-Za-z0-9_-]{1,128}$/;

// ------------------------------------------------------------------ auth method (EC-27, EC-28)

const METHODS = ['none', 'client_secret_basic', 'client_secret_post'];

/** The method a registration gets from its singular and plural members, or undefined if none fits. */
export function negotiatedMethod(singular: unknown, plural: unknown): string | undefined {
  if (singular !== undefined && typeof singular !== 'string') return undefined;
  if (plural !== undefined && (!Array.isArray(plural) || plural.some((m) => typeof m !== 'string'))) return undefined;
  const stated: string[] = [...(singular === undefined ? [] : [singular]), ...((plural as string[] | undefined) ?? [])];
  if (stated.length === 0) return 'none';
  if (typeof singular === 'string' && METHODS.includes(singular)) return singular;
  return METHODS.find((m) => stated.includes(m));
}

/** auth.md "Redirect URI policy": the callbacks ChatGPT and Claude use, byte for byte. */
const BUILT_IN = [
  'https://chatgpt.com/connector_platform_oauth_redirect',
  'https://platform.openai.com/apps-manage/oauth',
  'https://claude.ai/api/mcp/auth_callback',
  'https://claude.com/api/mcp/auth_callback',
];

/** The policy's operator settings: exact URIs of any scheme, and trusted HTTPS origins. */
export interface RedirectAllowance { uris: readonly string[]; origins: readonly string[] }

/**
 * May a client register `s`? (auth.md "Redirect URI policy", in its order.) A trusted publisher's
 * document is held to the shape rules only, not to the lists of callbacks and origins.
 */
export function acceptableRedirectUri(s: string, maxLength: number, allowance: RedirectAllowance, trustedPublisher = false): boolean {
  if (s.length > maxLength) return false;
  if (allowance.uris.includes(s)) return true; // the operator's word is final
  if (s.includes('#') || s.includes('\\')) return false;
  // No "." or ".." path segment, however it is spelled.
  const afterAuthority = s.split('?')[0]!.replace(/^[^:]+:\/\/[^/]*/, '');
  if (afterAuthority.split('/').some((seg) => ['.', '..'].includes(seg.toLowerCase().replaceAll('%2e', '.')))) return false;
  if (BUILT_IN.includes(s) || CALLBACK_PATTERN.test(s)) return true;
  const u = parseUrl(s);
  if (!u || u.username !== '' || u.password !== '' || u.href !== s) return false;
  if (trustedPublisher) return true;
  if (u.protocol === 'http:' && LOOPBACK_HOSTS.includes(u.hostname)) return true;
  return u.protocol === 'https:' && allowance.origins.includes(u.origin);
}

function loopback(s: string): URL | undefined {
  if (s.includes('#')) return undefined;
  const u = parseUrl(s);
  if (!u || u.protocol !== 'http:' || !LOOPBACK_HOSTS.includes(u.hostname)) return undefined;
  return u.username === '' && u.password === '' ? u : undefined;
}

/** Does a sent `redirect_uri` match one registered URI of a client? */
export function redirectMatches(sent: string, registered: string, predefined: boolean): boolean {
  if (sent === registered) return true; // identical strings
  if (predefined && registered === CALLBACK_TEMPLATE) return CALLBACK_PATTERN.test(sent); // ChatGPT callback id
  const a = loopback(sent);
  const b = loopback(registered);
  // Loopback: same host string, same path and query, any port (RFC 8252 §7.3).
  return a !== undefined && b !== undefined && a.hostname === b.hostname && a.pathname === b.pathname && a.search === b.search;
}

// ------------------------------------------------------------------ client authentication

export type Basic = { kind: 'none' } | { kind: 'not-basic' } | { kind: 'malformed' } | { kind: 'basic'; id: string; secret: string };

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function formDecode(s: string): string | undefined {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/** Parse the `Authorization` header: absent, another scheme, malformed Basic, or id and secret. */
export function parseBasic(header: string | undefined): Basic {
  if (header === undefined) return { kind: 'none' };
  const space = header.indexOf(' ');
  const scheme = space < 0 ? header : header.slice(0, space);
  if (scheme.toLowerCase() !== 'basic') return { kind: 'not-basic' };
  const encoded = space < 0 ? '' : header.slice(space + 1);
  if (!BASE64.test(encoded)) return { kind: 'malformed' };
  let decoded: string;
  try {
    decoded = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(encoded, 'base64'));
  } catch {
    return { kind: 'malformed' };
  }
  const colon = decoded.indexOf(':');
  if (colon < 0) return { kind: 'malformed' };
  const id = formDecode(decoded.slice(0, colon));
  const secret = formDecode(decoded.slice(colon + 1));
  if (id === undefined || secret === undefined) return { kind: 'malformed' };
  return { kind: 'basic', id, secret };
}

// ------------------------------------------------------------------ scopes

/** Split a scope string on runs of spaces, dropping empty tokens. */
export function scopeTokens(s: string | undefined): string[] {
  return (s ?? '').split(' ').filter((t) => t !== '');
}

export function sortedUnique(list: readonly string[]): string[] {
  return [...new Set(list)].sort();
}
