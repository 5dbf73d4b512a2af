// When a requested redirect URI matches a registered one (REQ-10). Which URIs may be registered
// at all is the redirect policy's (redirect-policy.ts).
import { isLoopback } from './loopback.ts';
import { CHATGPT_CALLBACK } from './redirect-policy.ts';
import type { ClientRecord } from './types.ts';

/** The only pattern the core knows: ChatGPT's per-connector callback, host-locked (EC-23). */
export const CHATGPT_CALLBACK_TEMPLATE = 'https://chatgpt.com/connector/oauth/{callback_id}';

function parse(uri: string): URL | undefined {
  try {
    return new URL(uri);
  } catch {
    return undefined;
  }
}

/**
 * Exact string match (RFC 9700 §2.1), with two exceptions: a loopback URI matches on any port
 * (RFC 8252 §7.3, EC-22), and a predefined client's ChatGPT callback template matches any
 * callback id (EC-23).
 */
export function redirectUriMatches(registered: string, requested: string, client: ClientRecord): boolean {
  if (registered === requested) return true;
  if (client.source === 'predefined' && registered === CHATGPT_CALLBACK_TEMPLATE) {
    return CHATGPT_CALLBACK.test(requested);
  }
  if (requested.includes('#')) return false;
  const want = parse(registered);
  const got = parse(requested);
  if (!want || !got || !isLoopback(want, 'redirect') || !isLoopback(got, 'redirect')) return false;
  return (
    want.hostname === got.hostname &&
    got.username === '' &&
    got.password === '' &&
    want.pathname === got.pathname &&
    want.search === got.search
  );
}

/** Only an operator-defined client's exact ChatGPT template is a pattern; elsewhere it is literal. */
export function isTemplate(uri: string, client: ClientRecord): boolean {
  return client.source === 'predefined' && uri === CHATGPT_CALLBACK_TEMPLATE;
}
