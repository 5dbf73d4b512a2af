// Which redirect URIs a client may register (REQ-10, MCP-41, auth.md "Redirect URI policy"). On a
// personal server open registration plus a convincing consent page is how an owner gets phished,
// so a URI must be one the clients that matter use, a loopback one, or one the operator trusts.
// Built-in URIs are compared as raw strings, so a port, a case change, a lookalike host or a dot
// segment simply is not one of them; trusted origins must be written in canonical form.
import { isLoopback } from './loopback.ts';
import type { CoreConfig } from './types.ts';

/** The exact callbacks of ChatGPT (stable and app review) and Claude (both hosts). */
export const BUILT_IN_REDIRECT_URIS: readonly string[] = [
  'https://chatgpt.com/connector_platform_oauth_redirect',
  'https://platform.openai.com/apps-manage/oauth',
  'https://claude.ai/api/mcp/auth_callback',
  'https://claude.com/api/mcp/auth_callback',
];

/** ChatGPT's per-connector callback: that host and path prefix, then an id of `[A-Za-z0-9_-]`. */
export const CHATGPT_CALLBACK = /^https:\/\/chatgpt\.com\/connector\/oauth\/[A-Za-z0-9_-]{1,128}$/;

export type RedirectVerdict = { ok: true } | { ok: false; why: string };

const REFUSED_EVERYWHERE: readonly [RegExp, string][] = [
  [/#/, 'has a fragment'],
  [/\\/, 'has a backslash'],
];

/** `.` or `..` as a path segment, plain or percent-encoded, before any query. */
export function hasDotSegment(uri: string): boolean {
  const path = uri.split('?', 1)[0]!.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '');
  return path.split('/').some((segment) => /^(\.|%2e){1,2}$/i.test(segment));
}

function parse(uri: string): URL | undefined {
  try {
    return new URL(uri);
  } catch {
    return undefined;
  }
}

/**
 * The verdict on one redirect URI a client asks to register, with the rule that refused it. A
 * `trustedPublisher` (a metadata document from an origin the operator trusts) may list any URI
 * that passes the shape rules: the lists of callbacks and origins are what it is exempt from.
 */
export function redirectPolicyVerdict(uri: string, config: CoreConfig, trustedPublisher = false): RedirectVerdict {
  if (uri.length > config.limits.maxUriLength) return { ok: false, why: `is longer than ${config.limits.maxUriLength} characters` };
  // The operator's exact URIs come first: private-use schemes such as cursor://… are theirs to allow.
  if (config.allowedRedirectUris.includes(uri)) return { ok: true };
  for (const [pattern, why] of REFUSED_EVERYWHERE) if (pattern.test(uri)) return { ok: false, why };
  if (hasDotSegment(uri)) return { ok: false, why: 'has a dot segment' };
  if (BUILT_IN_REDIRECT_URIS.includes(uri) || CHATGPT_CALLBACK.test(uri)) return { ok: true };
  const url = parse(uri);
  if (!url) return { ok: false, why: 'is not an absolute URL' };
  if (url.username !== '' || url.password !== '') return { ok: false, why: 'has userinfo' };
  // Canonical form only: what the browser will be sent to is exactly what was registered.
  if (url.href !== uri) return { ok: false, why: 'is not in canonical form (lowercase scheme and host, no default port)' };
  if (trustedPublisher || isLoopback(url, 'redirect')) return { ok: true };
  if (url.protocol === 'https:' && config.trustedRedirectOrigins.includes(url.origin)) return { ok: true };
  return { ok: false, why: 'is not a ChatGPT or Claude callback, a loopback http URI, or a URI or origin the operator allows' };
}
