// Defaults from chatgpt-apps/auth.md ("Decisions"); the shell overrides issuer and resource.
import { NOTES_SCOPES, OPENID_SCOPES } from './scopes.ts';
import type { CoreConfig } from './types.ts';

/** The scope settings with OpenID Connect on (the default) or off (its scopes accepted and dropped). */
export function openIdScopes(on: boolean): Pick<CoreConfig, 'identityScopes' | 'ignoredScopes'> {
  return on ? { identityScopes: OPENID_SCOPES, ignoredScopes: [] } : { identityScopes: [], ignoredScopes: OPENID_SCOPES };
}

export function defaultConfig(issuer: string, overrides: Partial<CoreConfig> = {}): CoreConfig {
  return {
    issuer,
    resource: `${issuer}/mcp`,
    scopes: NOTES_SCOPES,
    defaultScopes: NOTES_SCOPES,
    identityScopes: OPENID_SCOPES,
    ignoredScopes: [],
    codeTtl: 300,
    accessTokenTtl: 3600,
    refreshTokenTtl: 30 * 24 * 3600,
    refreshGrace: 60,
    reuseDetection: 7 * 24 * 3600,
    pendingTtl: 1800,
    unusedClientTtl: 24 * 3600,
    idleClientTtl: 90 * 24 * 3600,
    predefinedClients: [],
    allowedRedirectUris: [],
    trustedRedirectOrigins: [],
    clientMetadataDocuments: true,
    trustedClientOrigins: [],
    limits: { maxRedirectUris: 10, maxUriLength: 2000, maxStateLength: 4096, maxClientNameLength: 200, maxScopeLength: 1000, maxClients: 10_000 },
    ...overrides,
  };
}
