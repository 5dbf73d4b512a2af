// Which redirect URIs a client may register, and when a requested one matches (REQ-10).
import { isLoopback } from './loopback.ts';
import type { ClientRecord, CoreConfig } from './types.ts';

/** The only pattern the core knows: ChatGPT's per-connector callback, host-locked (EC-23). */
export const CHATGPT_CALLBACK_TEMPLATE = 'https://chatgpt.com/connector/oauth/{callback_id}';
const CHATGPT_CALLBACK = /^https:\/\/chatgpt\.com\/connector\/oauth\/[A-Za-z0-9_-]{1,128}$/;

function parse(uri: string): URL | undefined {
  try {
    return new URL(uri);
  } catch {
    return undefined;
  }
}

/** MCP-41: https anywhere, plain http only on loopback, other schemes only if the operator lists them. */
export function isRegistrableRedirectUri(uri: string, config: CoreConfig): boolean {
  if (uri.length > config.limits.maxUriLength) return false;
  if (config.extraRedirectUris.includes(uri)) return true;
  if (uri.includes('#')) return false;
  const url = parse(uri);
  if (!url || url.username !== '' || url.password !== '') return false;
  return url.protocol === 'https:' || isLoopback(url, 'redirect');
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
