// Server configuration from the environment, with the defaults documented in the README.
import { resolve } from 'node:path';
import { defaultConfig } from './core/index.ts';
import type { CoreConfig } from './core/index.ts';

export interface ServerConfig {
  port: number;
  host: string;
  /** The public origin people and clients use; the issuer, byte for byte. */
  publicUrl: string;
  /** `undefined` keeps everything in memory (tests). */
  dataDir: string | undefined;
  /** Honour X-Forwarded-* from a reverse proxy (only when one is really in front). */
  trustProxy: boolean;
  core: CoreConfig;
  logLevel: string;
  /** `oauth`: every MCP request needs a token. `mixed`: ChatGPT's mixed mode (CGPT-47). */
  mcpAuthMode: 'oauth' | 'mixed';
  /** Origins allowed to call /mcp from a browser, besides the public URL's own. */
  allowedOrigins: string[];
}

export class ConfigError extends Error {}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new ConfigError(`${name} must be a whole number from ${min} to ${max} (got ${JSON.stringify(raw)})`);
  return value;
}

/** The issuer must be an origin: scheme, host, optional port, nothing else (EC-09). */
export function canonicalPublicUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`PUBLIC_URL must be an absolute URL such as https://notes.example.com (got ${JSON.stringify(raw)})`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigError('PUBLIC_URL must use https (or http for local use)');
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new ConfigError('PUBLIC_URL must be an origin only, without path, query or fragment');
  }
  return url.origin;
}

function mcpAuthMode(raw: string | undefined): 'oauth' | 'mixed' {
  if (raw === undefined || raw === '' || raw === 'oauth') return 'oauth';
  if (raw === 'mixed') return 'mixed';
  throw new ConfigError(`MCP_AUTH_MODE must be oauth or mixed (got ${JSON.stringify(raw)})`);
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env, overrides: Partial<ServerConfig> = {}): ServerConfig {
  const port = integer(env, 'PORT', 3000, 0, 65535);
  const publicUrl = canonicalPublicUrl(env.PUBLIC_URL || `http://localhost:${port}`);
  const extraRedirectUris = (env.EXTRA_REDIRECT_URIS ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
  const core = defaultConfig(publicUrl, {
    extraRedirectUris,
    accessTokenTtl: integer(env, 'ACCESS_TOKEN_TTL', 3600, 60, 86_400),
    refreshTokenTtl: integer(env, 'REFRESH_TOKEN_TTL', 30 * 86_400, 3600, 365 * 86_400),
    codeTtl: integer(env, 'CODE_TTL', 300, 30, 600),
  });
  return {
    port,
    host: env.HOST || '0.0.0.0',
    publicUrl,
    dataDir: resolve(env.DATA_DIR || './data'),
    trustProxy: env.TRUST_PROXY === '1' || env.TRUST_PROXY === 'true',
    core,
    logLevel: env.LOG_LEVEL || 'info',
    mcpAuthMode: mcpAuthMode(env.MCP_AUTH_MODE),
    allowedOrigins: (env.ALLOWED_ORIGINS ?? '').split(',').map((s) => s.trim()).filter((s) => s !== ''),
    ...overrides,
  };
}
