// Rate limits, in memory (rate-limiter-flexible), one middleware per endpoint family: password
// guesses (sign-in and the password form, sign-in-limit.ts), first-run setup per IP, registration per
// IP, token requests per IP (failures apart) and per client for the ones that succeeded, revocation
// per IP, authorization requests per IP, and /mcp per grant of a verified token (or per IP without
// one). Keys are what a request proved, never what it merely claims. An exhausted limit answers 429
// with Retry-After, in the shape the endpoint promises. The IP is `ctx.ip`, which honours
// X-Forwarded-For only with TRUST_PROXY.
import type { Context, Middleware, Next } from 'koa';
import type { RateLimit, RateLimits } from '../../config.ts';
import { bearerToken } from './bearer.ts';
import { formParams } from './body.ts';
import { Limiter, MAX_KEY_LENGTH, routePath, tooManyRequests } from './limiter.ts';
import { SignInLimiter } from './sign-in-limit.ts';

/** Limits every request by one key (undefined: not limited). */
function perKey(limit: RateLimit, keyOf: (ctx: Context) => string | undefined): Middleware {
  const limiter = new Limiter(limit);
  return async (ctx, next) => {
    const key = keyOf(ctx);
    const wait = key === undefined ? undefined : await limiter.take(key);
    return wait === undefined ? next() : tooManyRequests(ctx, wait);
  };
}

/** The client a token request names, read without authenticating it: Basic first, then the body. */
function claimedClientId(ctx: Context): string | undefined {
  const authorization = ctx.get('Authorization');
  const basic = /^basic\s+(\S+)\s*$/i.exec(authorization);
  if (basic) {
    const decoded = Buffer.from(basic[1] ?? '', 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) {
      try {
        return decodeURIComponent(decoded.slice(0, colon).replaceAll('+', ' ')).slice(0, MAX_KEY_LENGTH);
      } catch {
        // Not form-encoded: the core refuses it; the body's client_id (if any) is counted instead.
      }
    }
  }
  const bodyId = formParams(ctx)?.client_id;
  return typeof bodyId === 'string' && bodyId !== '' ? bodyId.slice(0, MAX_KEY_LENGTH) : undefined;
}

/**
 * /mcp: a request whose bearer token verifies counts against its grant; any other (no token, or one
 * that does not verify) against its address. A made-up bearer string proves nothing, so a fresh
 * one per request buys no fresh budget (SEC-RATE-01).
 */
function mcpLimit(perGrant: RateLimit, perIp: RateLimit, grantOf: RateLimitOptions['grantOf']): Middleware {
  const byGrant = new Limiter(perGrant);
  const byIp = new Limiter(perIp);
  return async (ctx, next) => {
    const presented = bearerToken(ctx.get('Authorization') || undefined);
    const grant = presented.kind === 'token' ? await grantOf(presented.token) : undefined;
    const wait = grant === undefined ? await byIp.take(ctx.ip) : await byGrant.take(grant);
    return wait === undefined ? next() : tooManyRequests(ctx, wait);
  };
}

/**
 * The token endpoint (SEC-RATE-02): every request counts against its address; a client's own budget
 * is spent only by requests that succeeded (a valid code or refresh token of that client), so
 * requests that merely name a victim's client_id cannot exhaust it; they count as failures of
 * their address.
 */
function tokenLimit(perIp: RateLimit, perClient: RateLimit, failuresPerIp: RateLimit): Middleware {
  const byIp = new Limiter(perIp);
  const byClient = new Limiter(perClient);
  const failuresByIp = new Limiter(failuresPerIp);
  return async (ctx, next) => {
    const ipWait = (await failuresByIp.exhausted(ctx.ip)) ?? (await byIp.take(ctx.ip));
    if (ipWait !== undefined) return tooManyRequests(ctx, ipWait);
    const client = claimedClientId(ctx);
    const clientWait = client === undefined ? undefined : await byClient.exhausted(client);
    if (clientWait !== undefined) return tooManyRequests(ctx, clientWait);
    await next();
    if (ctx.status === 200 && client !== undefined) await byClient.record(client);
    else if (ctx.status >= 400) await failuresByIp.record(ctx.ip);
  };
}

/** The username a sign-in form names ('' when it names none: still a guess). */
function formUsername(ctx: Context): string {
  const given = (formParams(ctx) ?? {}).username;
  return typeof given === 'string' ? given : '';
}

export interface RateLimitOptions {
  /** The signed-in person's username (the password form has no username field), if any. */
  signedInUsername(ctx: Context): string | undefined;
  /** The grant of a bearer token that verifies; what /mcp may key on as proven. */
  grantOf(token: string): Promise<string | undefined>;
}

/** The limits of every endpoint family, applied by method and path before the router. */
export function rateLimits(limits: RateLimits, { signedInUsername, grantOf }: RateLimitOptions): Middleware {
  const byIp = (ctx: Context) => ctx.ip;
  const mcp = mcpLimit(limits.mcpPerGrant, limits.mcpPerIp, grantOf);
  // SEC-PWD-01: one set of counters for every password check, whichever form it comes from.
  const passwords = new SignInLimiter({ perIp: limits.loginFailuresPerIp, perUserAndIp: limits.loginFailuresPerUserAndIp, perUser: limits.loginFailuresPerUserTotal });
  const routes = new Map<string, Middleware>([
    ['POST /login', passwords.guard(formUsername)],
    ['POST /account/password', passwords.guard(signedInUsername)],
    // SEC-SETUP-01: every first-run setup post counts, so bogus ones cannot queue up work.
    ['POST /setup', perKey(limits.setupPerIp, byIp)],
    ['POST /oauth/register', perKey(limits.registerPerIp, byIp)],
    ['POST /oauth/token', tokenLimit(limits.tokenPerIp, limits.tokenPerClient, limits.tokenFailuresPerIp)],
    ['POST /oauth/revoke', perKey(limits.revokePerIp, byIp)],
    ['GET /oauth/authorize', perKey(limits.authorizePerIp, byIp)],
    ...['POST', 'GET', 'HEAD', 'DELETE'].map((method) => [`${method} /mcp`, mcp] as [string, Middleware]),
  ]);
  return (ctx: Context, next: Next) => {
    const limited = routes.get(`${ctx.method} ${routePath(ctx)}`);
    return limited === undefined ? next() : limited(ctx, next);
  };
}
