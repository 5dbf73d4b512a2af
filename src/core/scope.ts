// Scope parsing and narrowing (RFC 6749 §3.3, EC-11, EC-12, EC-15).
import { invalidScope } from './errors.ts';
import type { CoreConfig, OAuthError } from './types.ts';

export const OFFLINE_ACCESS = 'offline_access';

function tokens(scope: string | undefined): string[] {
  return (scope ?? '').split(' ').filter((s) => s !== '');
}

function sorted(scopes: Iterable<string>): string[] {
  return [...new Set(scopes)].sort();
}

/**
 * The scopes an authorization request asks for. OpenID scopes are dropped (we are not an OpenID
 * provider); nothing left means the default scopes (EC-11: `scope=` is what ChatGPT sends).
 */
export function requestedScopes(scope: string | undefined, config: CoreConfig): string[] | OAuthError {
  const wanted = tokens(scope).filter((s) => !config.ignoredScopes.includes(s));
  const unknown = wanted.find((s) => s !== OFFLINE_ACCESS && !config.scopes.includes(s));
  if (unknown !== undefined) return invalidScope(`unknown scope ${JSON.stringify(unknown)}`);
  const resourceScopes = wanted.filter((s) => s !== OFFLINE_ACCESS);
  return sorted([...(resourceScopes.length === 0 ? config.defaultScopes : resourceScopes), ...wanted]);
}

/** Refresh may narrow but never widen (OA21-06, EC-15); absent means the original scopes. */
export function narrowedScopes(scope: string | undefined, granted: readonly string[], config: CoreConfig): string[] | OAuthError {
  const wanted = tokens(scope).filter((s) => !config.ignoredScopes.includes(s));
  if (wanted.length === 0) return [...granted];
  const extra = wanted.find((s) => !granted.includes(s));
  if (extra !== undefined) return invalidScope(`scope ${JSON.stringify(extra)} was not granted`);
  return sorted(wanted);
}

export function scopeString(scopes: readonly string[]): string {
  return scopes.join(' ');
}
