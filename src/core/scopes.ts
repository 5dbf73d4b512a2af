// Everything about scopes in one place: their names, what they mean in plain words, which scope
// implies another, and how requests name them (RFC 6749 §3.3, EC-11, EC-12, EC-15). The core, the
// MCP gate and the consent page all read them here, so a new scope is added once.
import { invalidScope } from './errors.ts';
import type { CoreConfig, OAuthError } from './types.ts';

export const NOTES_READ = 'notes:read';
export const NOTES_WRITE = 'notes:write';
export const OFFLINE_ACCESS = 'offline_access';
export const OPENID = 'openid';

/** OpenID Connect's scopes (Core §5.4): who you are, your email, your profile. */
export const OPENID_SCOPES: readonly string[] = [OPENID, 'email', 'profile'];

/** The scopes this server grants, in the order the metadata lists them. */
export const NOTES_SCOPES = [NOTES_READ, NOTES_WRITE] as const;

/** What each scope lets an app do, as the consent and apps pages say it. */
const SCOPE_LABELS: Readonly<Record<string, string>> = {
  [NOTES_READ]: 'Read your notes',
  [NOTES_WRITE]: 'Create, change and delete your notes',
  [OFFLINE_ACCESS]: 'Stay connected when you are not using it (refresh tokens)',
  [OPENID]: 'Confirm who you are on this server (sign-in)',
  email: 'See your email address',
  profile: 'See your username',
};

/** A scope in plain words; a scope we have no words for is shown as it is. */
export function describeScope(scope: string): string {
  return Object.hasOwn(SCOPE_LABELS, scope) ? (SCOPE_LABELS[scope] ?? scope) : scope;
}

/** Scope hierarchy (auth.md): writing notes includes reading them. */
const IMPLIES: ReadonlyMap<string, readonly string[]> = new Map([[NOTES_WRITE, [NOTES_READ]]]);

/** The scopes a token effectively holds: those granted plus every scope they imply (MCP-25). */
export function effectiveScopes(granted: string): ReadonlySet<string> {
  const scopes = new Set<string>();
  for (const scope of tokens(granted)) {
    scopes.add(scope);
    for (const implied of IMPLIES.get(scope) ?? []) scopes.add(implied);
  }
  return scopes;
}

function tokens(scope: string | undefined): string[] {
  return (scope ?? '').split(' ').filter((s) => s !== '');
}

function sorted(scopes: Iterable<string>): string[] {
  return [...new Set(scopes)].sort();
}

/**
 * The scopes an authorization request asks for. OpenID scopes are granted when OIDC is on and
 * dropped when it is off; no resource scope among them means the default ones (EC-11: `scope=`
 * is what ChatGPT sends, EC-12: `openid email` is what it sends once they are advertised).
 */
export function requestedScopes(scope: string | undefined, config: CoreConfig): string[] | OAuthError {
  const wanted = tokens(scope).filter((s) => !config.ignoredScopes.includes(s));
  const unknown = wanted.find((s) => s !== OFFLINE_ACCESS && !config.scopes.includes(s) && !config.identityScopes.includes(s));
  if (unknown !== undefined) return invalidScope(`unknown scope ${JSON.stringify(unknown)}`, 'OA21-07');
  const asksForResource = wanted.some((s) => config.scopes.includes(s));
  return sorted([...(asksForResource ? [] : config.defaultScopes), ...wanted]);
}

/** Refresh may narrow but never widen (OA21-06, EC-15); absent means the original scopes. */
export function narrowedScopes(scope: string | undefined, granted: readonly string[], config: CoreConfig): string[] | OAuthError {
  const wanted = tokens(scope).filter((s) => !config.ignoredScopes.includes(s));
  if (wanted.length === 0) return [...granted];
  const extra = wanted.find((s) => !granted.includes(s));
  if (extra !== undefined) return invalidScope(`scope ${JSON.stringify(extra)} was not granted`, 'EC-15');
  return sorted(wanted);
}

export function scopeString(scopes: readonly string[]): string {
  return scopes.join(' ');
}
