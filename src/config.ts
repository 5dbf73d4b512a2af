// Server configuration from the environment, with the defaults documented in the README.
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import ipaddr from 'ipaddr.js';
import { defaultConfig, openIdScopes } from './core/index.ts';
import type { CoreConfig } from './core/index.ts';
import { NOTE_LIMITS, NOTE_RETENTION, type NoteLimits, type NoteRetention } from './notes/index.ts';

export interface ServerConfig {
  port: number;
  host: string;
  /** The public origin people and clients use; the issuer, byte for byte. */
  publicUrl: string;
  /** `undefined` keeps everything in memory (tests). */
  dataDir: string | undefined;
  /** Honour X-Forwarded-* from a reverse proxy (only when one is really in front)... */
  trustProxy: boolean;
  /** ...and only from these addresses or ranges (TRUST_PROXY_ADDRESSES; loopback by default). */
  trustedProxies: string[];
  core: CoreConfig;
  logLevel: string;
  /** `oauth`: every MCP request needs a token. `mixed`: ChatGPT's mixed mode (CGPT-47). */
  mcpAuthMode: 'oauth' | 'mixed';
  /** Origins allowed to call /mcp from a browser, besides the public URL's own. */
  allowedOrigins: string[];
  rateLimits: RateLimits;
  /** Note sizes and counts; `NOTES_MAX_MB_PER_USER` sets the total one person may keep. */
  noteLimits: NoteLimits;
  /** How many versions of a note are kept and for how long, and how long the trash keeps a note. */
  noteRetention: NoteRetention;
  /** Whether MCP tools may restore a version (NOTES_TOOLS_RESTORE; off: restoring is a person's act in the web app). */
  toolsMayRestore: boolean;
  /** Seconds requests in flight get to finish at SIGTERM/SIGINT before they are cut. */
  shutdownTimeout: number;
}

/** At most `points` requests (or failures) per key in any window of `seconds`. */
export interface RateLimit {
  points: number;
  seconds: number;
}

/** Per-endpoint limits (`src/http/middleware/rate-limit.ts`); `enabled: false` (RATE_LIMITS=off) is for load tests. */
export interface RateLimits {
  enabled: boolean;
  loginFailuresPerIp: RateLimit;
  /** Failures on one username from one address (sign-in and the password form). */
  loginFailuresPerUserAndIp: RateLimit;
  /** Failures on one username from every address together; addresses it signed in from lately are spared. */
  loginFailuresPerUserTotal: RateLimit;
  /** First-run setup posts, while no account exists. */
  setupPerIp: RateLimit;
  registerPerIp: RateLimit;
  /** Successful token requests per client (only a valid code or refresh token spends it). */
  tokenPerClient: RateLimit;
  tokenPerIp: RateLimit;
  /** Failed token requests per IP: what requests naming someone else's client_id spend. */
  tokenFailuresPerIp: RateLimit;
  revokePerIp: RateLimit;
  authorizePerIp: RateLimit;
  /** Per grant, for requests whose bearer token verifies. */
  mcpPerGrant: RateLimit;
  /** Per IP, for requests without a token or with one that does not verify. */
  mcpPerIp: RateLimit;
}

// Defaults for a personal server that ChatGPT and Claude call from shared cloud IPs: generous where
// one IP carries many people's legitimate traffic (token, /mcp), tight where only guessing needs
// volume (sign-in failures) or where a real client acts once per connection (registration).
export const DEFAULT_RATE_LIMITS: Omit<RateLimits, 'enabled'> = {
  loginFailuresPerIp: { points: 50, seconds: 15 * 60 }, // a shared IP may hold a few people mistyping
  loginFailuresPerUserAndIp: { points: 10, seconds: 15 * 60 }, // the owner mistyping; a guesser on one address
  // Guesses spread over addresses: about 2,400 a day at most per account, and tripping it takes
  // more than two addresses' worth of failures an hour; the owner's usual address is never blocked by it.
  loginFailuresPerUserTotal: { points: 100, seconds: 3600 },
  setupPerIp: { points: 10, seconds: 15 * 60 }, // the owner needs one post, a few with typos
  registerPerIp: { points: 20, seconds: 3600 }, // clients register once per connection (CGPT-35)
  tokenPerClient: { points: 120, seconds: 60 }, // one code exchange or refresh per access token is the norm
  tokenPerIp: { points: 300, seconds: 60 }, // many clients behind one cloud egress IP
  tokenFailuresPerIp: { points: 60, seconds: 60 }, // honest clients fail rarely; guessing needs volume
  revokePerIp: { points: 60, seconds: 60 }, // clients revoke when a person disconnects: rare
  authorizePerIp: { points: 60, seconds: 60 }, // a person clicks through at most a few per minute
  mcpPerGrant: { points: 600, seconds: 60 }, // 10 tool calls a second per connection covers agent bursts
  mcpPerIp: { points: 300, seconds: 60 }, // unauthenticated probes and discovery, mixed-mode listing
};

const RATE_LIMIT_VARIABLES: Record<keyof typeof DEFAULT_RATE_LIMITS, string> = {
  loginFailuresPerIp: 'RATE_LIMIT_LOGIN_PER_IP',
  loginFailuresPerUserAndIp: 'RATE_LIMIT_LOGIN_PER_USER',
  loginFailuresPerUserTotal: 'RATE_LIMIT_LOGIN_PER_USER_TOTAL',
  setupPerIp: 'RATE_LIMIT_SETUP_PER_IP',
  registerPerIp: 'RATE_LIMIT_REGISTER_PER_IP',
  tokenPerClient: 'RATE_LIMIT_TOKEN_PER_CLIENT',
  tokenPerIp: 'RATE_LIMIT_TOKEN_PER_IP',
  tokenFailuresPerIp: 'RATE_LIMIT_TOKEN_FAILURES_PER_IP',
  revokePerIp: 'RATE_LIMIT_REVOKE_PER_IP',
  authorizePerIp: 'RATE_LIMIT_AUTHORIZE_PER_IP',
  mcpPerGrant: 'RATE_LIMIT_MCP',
  mcpPerIp: 'RATE_LIMIT_MCP_PER_IP',
};

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

const WINDOW_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600 };

/** `<count>/<window>`, the window in `s`, `m` or `h`: `20/1h`, `10/15m`, `300/60s`. */
function rateLimit(env: NodeJS.ProcessEnv, name: string, fallback: RateLimit): RateLimit {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const match = /^(\d+)\/(\d+)([smh])$/.exec(raw.trim());
  const points = Number(match?.[1]);
  const seconds = Number(match?.[2]) * (WINDOW_UNITS[match?.[3] ?? ''] ?? Number.NaN);
  if (!match || points < 1 || points > 1_000_000 || seconds < 1 || seconds > 86_400) {
    throw new ConfigError(`${name} must read <count>/<window>, e.g. 20/1h or 10/15m (count 1 to 1000000, window 1s to 24h; got ${JSON.stringify(raw)})`);
  }
  return { points, seconds };
}

function rateLimits(env: NodeJS.ProcessEnv): RateLimits {
  const switched = env.RATE_LIMITS ?? '';
  if (switched !== '' && switched !== 'on' && switched !== 'off') throw new ConfigError(`RATE_LIMITS must be on or off (got ${JSON.stringify(switched)})`);
  const limits = { enabled: switched !== 'off', ...DEFAULT_RATE_LIMITS };
  for (const [key, name] of Object.entries(RATE_LIMIT_VARIABLES) as [keyof typeof DEFAULT_RATE_LIMITS, string][]) {
    limits[key] = rateLimit(env, name, DEFAULT_RATE_LIMITS[key]);
  }
  return limits;
}

/** A comma-separated setting as a list; blanks dropped. */
function list(raw: string | undefined): string[] {
  return (raw ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/** TRUSTED_*_ORIGINS entries are HTTPS origins written as the browser writes them. */
function trustedOrigin(name: string, raw: string): string {
  let origin: string | undefined;
  try {
    origin = new URL(raw).origin;
  } catch {
    origin = undefined;
  }
  if (origin !== raw || !raw.startsWith('https://')) {
    throw new ConfigError(`${name} entries must be https origins such as https://app.example.com, without a path (got ${JSON.stringify(raw)})`);
  }
  return origin;
}

// 1/0 and true/false are what TRUST_PROXY took before every switch read on/off.
const ON = ['on', '1', 'true'];
const OFF = ['off', '0', 'false'];

/** `on` or `off` (also 1/0, true/false); anything else is a mistake worth stopping for. */
function onOff(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = (env[name] ?? '').trim().toLowerCase();
  if (raw === '') return fallback;
  if (!ON.includes(raw) && !OFF.includes(raw)) throw new ConfigError(`${name} must be on or off (got ${JSON.stringify(env[name])})`);
  return ON.includes(raw);
}

/** Where the server listens: an IP address of this machine, or `localhost`. Behind a proxy, loopback. */
function host(raw: string | undefined): string {
  const value = (raw ?? '').trim();
  if (value === '') return '127.0.0.1';
  if (value !== 'localhost' && isIP(value) === 0) {
    throw new ConfigError(`HOST must be an IP address of this machine, such as 127.0.0.1 (behind a reverse proxy) or 0.0.0.0 (every interface), or localhost (got ${JSON.stringify(raw)})`);
  }
  return value;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function logLevel(raw: string | undefined): string {
  const value = (raw ?? '').trim();
  if (value === '') return 'info';
  if (!LOG_LEVELS.includes(value)) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got ${JSON.stringify(raw)})`);
  return value;
}

/** A reverse proxy on the same machine, which is how the deploy guide runs it. */
export const LOOPBACK_PROXIES = ['127.0.0.1', '::1'];

/** An address or CIDR range, normalised (`10.0.0.0/8`, `::1`, `::ffff:127.0.0.1` as `127.0.0.1`). */
function proxyRange(raw: string): string {
  try {
    if (raw.includes('/')) {
      const [address, bits] = ipaddr.parseCIDR(raw);
      return `${address.toString()}/${bits}`;
    }
    return ipaddr.process(raw).toString();
  } catch {
    throw new ConfigError(`TRUST_PROXY_ADDRESSES entries must be IP addresses or CIDR ranges such as 127.0.0.1 or 10.0.0.0/8 (got ${JSON.stringify(raw)})`);
  }
}

function mcpAuthMode(raw: string | undefined): 'oauth' | 'mixed' {
  if (raw === undefined || raw === '' || raw === 'oauth') return 'oauth';
  if (raw === 'mixed') return 'mixed';
  throw new ConfigError(`MCP_AUTH_MODE must be oauth or mixed (got ${JSON.stringify(raw)})`);
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env, overrides: Partial<ServerConfig> = {}): ServerConfig {
  const port = integer(env, 'PORT', 3000, 0, 65535);
  const publicUrl = canonicalPublicUrl(env.PUBLIC_URL || `http://localhost:${port}`);
  const defaults = defaultConfig(publicUrl, {
    // EXTRA_REDIRECT_URIS is the old name, still read so an upgrade keeps working.
    allowedRedirectUris: list(env.ALLOWED_REDIRECT_URIS ?? env.EXTRA_REDIRECT_URIS),
    trustedRedirectOrigins: list(env.TRUSTED_REDIRECT_ORIGINS).map((raw) => trustedOrigin('TRUSTED_REDIRECT_ORIGINS', raw)),
    clientMetadataDocuments: onOff(env, 'CLIENT_METADATA_DOCUMENTS', true),
    ...openIdScopes(onOff(env, 'OPENID_CONNECT', true)),
    trustedClientOrigins: list(env.TRUSTED_CLIENT_ORIGINS).map((raw) => trustedOrigin('TRUSTED_CLIENT_ORIGINS', raw)),
    accessTokenTtl: integer(env, 'ACCESS_TOKEN_TTL', 3600, 60, 86_400),
    refreshTokenTtl: integer(env, 'REFRESH_TOKEN_TTL', 30 * 86_400, 3600, 365 * 86_400),
    codeTtl: integer(env, 'CODE_TTL', 300, 30, 600),
    unusedClientTtl: integer(env, 'CLIENT_UNUSED_TTL', 24 * 3600, 3600, 365 * 86_400),
    idleClientTtl: integer(env, 'CLIENT_IDLE_TTL', 90 * 86_400, 86_400, 10 * 365 * 86_400),
  });
  const core: CoreConfig = { ...defaults, limits: { ...defaults.limits, maxClients: integer(env, 'MAX_CLIENTS', defaults.limits.maxClients, 1, 1_000_000) } };
  return {
    port,
    host: host(env.HOST),
    publicUrl,
    dataDir: resolve(env.DATA_DIR || './data'),
    trustProxy: onOff(env, 'TRUST_PROXY', false),
    trustedProxies: list(env.TRUST_PROXY_ADDRESSES ?? LOOPBACK_PROXIES.join(',')).map(proxyRange),
    core,
    logLevel: logLevel(env.LOG_LEVEL),
    mcpAuthMode: mcpAuthMode(env.MCP_AUTH_MODE),
    allowedOrigins: (env.ALLOWED_ORIGINS ?? '').split(',').map((s) => s.trim()).filter((s) => s !== ''),
    rateLimits: rateLimits(env),
    noteLimits: { ...NOTE_LIMITS, bytesPerUser: integer(env, 'NOTES_MAX_MB_PER_USER', NOTE_LIMITS.bytesPerUser / (1024 * 1024), 1, 100_000) * 1024 * 1024 },
    noteRetention: {
      versionsPerNote: integer(env, 'NOTES_VERSIONS_KEPT', NOTE_RETENTION.versionsPerNote, 0, 1000),
      versionDays: integer(env, 'NOTES_VERSIONS_DAYS', NOTE_RETENTION.versionDays, 1, 3650),
      trashDays: integer(env, 'NOTES_TRASH_DAYS', NOTE_RETENTION.trashDays, 1, 3650),
    },
    toolsMayRestore: onOff(env, 'NOTES_TOOLS_RESTORE', false),
    shutdownTimeout: integer(env, 'SHUTDOWN_TIMEOUT', 10, 0, 600),
    ...overrides,
  };
}
