// The one place that shapes authorization responses. Every response carries `iss` (RFC 9207,
// REQ-12), success or error, and goes only to a redirect URI already validated for the client.
import type { CoreConfig, OAuthError, Redirect } from './types.ts';

export function successRedirect(config: CoreConfig, redirectUri: string, code: string, state: string | undefined): Redirect {
  const params: Record<string, string> = { code };
  if (state !== undefined) params.state = state;
  params.iss = config.issuer;
  return { redirectUri, params, rule: 'REQ-09' };
}

export function errorRedirect(config: CoreConfig, redirectUri: string, error: OAuthError, state: string | undefined): Redirect {
  const params: Record<string, string> = { error: error.error, error_description: error.description };
  if (state !== undefined) params.state = state;
  params.iss = config.issuer;
  return { redirectUri, params, ...(error.rule === undefined ? {} : { rule: error.rule }) };
}

/** The `Location` header value: the redirect URI with the response parameters in its query. */
export function redirectLocation(redirect: Redirect): string {
  const url = new URL(redirect.redirectUri);
  for (const [name, value] of Object.entries(redirect.params)) url.searchParams.set(name, value);
  return url.href;
}
