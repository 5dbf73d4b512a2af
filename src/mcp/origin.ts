// Origin validation at the MCP endpoint (MCP-49, REQ-06): a request without `Origin` (every
// server-side client: ChatGPT, Claude, the SDKs) passes; a browser's `Origin` must be our own public
// origin, one the operator allowed, or, while the server itself runs on loopback, any loopback origin.
import { isLoopback } from '../core/loopback.ts';

export interface OriginPolicy {
  publicUrl: string;
  allowedOrigins: readonly string[];
}

/** An `http(s)` origin (scheme, host, port and nothing else), or undefined. */
function parsedOrigin(value: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') return undefined;
  return url;
}

/** Whether a request with this `Origin` header may use the endpoint (absent: yes). */
export function isAllowedOrigin(origin: string | undefined, policy: OriginPolicy): boolean {
  if (origin === undefined) return true;
  const from = parsedOrigin(origin);
  // `Origin: null` (sandboxed frames, file URLs) and anything that is not an http(s) origin.
  if (from === undefined) return false;
  const own = new URL(policy.publicUrl);
  if (from.origin === own.origin) return true;
  if (policy.allowedOrigins.some((allowed) => parsedOrigin(allowed)?.origin === from.origin)) return true;
  return isLoopback(own, 'origin') && isLoopback(from, 'origin');
}
