// Loopback addresses: this computer. The one definition, with the two rules that use it: where a
// native app may receive its redirect, and which browser origins count as local.

/** The loopback names RFC 8252 §7.3 and §8.3 allow in a redirect URI. */
const LOOPBACK_NAMES: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * - `redirect` (REQ-10, EC-22, MCP-41): plain `http:` on localhost, 127.0.0.1 or [::1], the only
 *   non-https redirect URIs a client may register, and the ones that match on any port.
 * - `origin` (MCP-49): any scheme, on those names, anywhere in 127.0.0.0/8 or under `.localhost`
 *   (RFC 6761), for deciding whether a server and a browser origin are both on this machine.
 */
export type LoopbackRule = 'redirect' | 'origin';

/** Whether `url` is a loopback address under `rule`; a string that is not a URL is not one. */
export function isLoopback(url: URL | string, rule: LoopbackRule = 'redirect'): boolean {
  const parsed = typeof url === 'string' ? parseUrl(url) : url;
  if (parsed === undefined) return false;
  const { protocol, hostname } = parsed;
  if (rule === 'redirect') return protocol === 'http:' && LOOPBACK_NAMES.has(hostname);
  return LOOPBACK_NAMES.has(hostname) || /^127(\.\d{1,3}){3}$/.test(hostname) || hostname.endsWith('.localhost');
}

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}
