// Rate limits, in memory (rate-limiter-flexible), one middleware per endpoint family: password
// guesses (sign-in and the password form, sign-in-limit.ts), first-run setup per IP, registration per
// IP, token requests per client and per IP, authorization requests per IP, and /mcp per access token
// (or per IP without one). An exhausted limit answers 429 with Retry-After, in the shape the endpoint
// promises. The IP is `ctx.ip`, which honours X-Forwarded-For only with TRUST_PROXY.
import { createHash } from 'node:crypto';
import type { Context, Middleware, Next } from 'koa';
import type { RateLimit, RateLimits } from '../../config.ts';
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

function both(first: Middleware, second: Middleware): Middleware {
  return (ctx, next) => first(ctx, () => second(ctx, next));
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

/** An /mcp caller: its bearer token (hashed, never kept in clear), else its IP. */
function mcpCaller(ctx: Context): string {
  const bearer = /^bearer\s+(\S+)\s*$/i.exec(ctx.get('Authorization'));
  return bearer ? `token:${createHash('sha256').update(bearer[1] ?? '').digest('base64url')}` : `ip:${ctx.ip}`;
}

/** The username a sign-in form names ('' when it names none: still a guess). */
function formUsername(ctx: Context): string {
  const given = (formParams(ctx) ?? {}).username;
  return typeof given === 'string' ? given : '';
}

export interface RateLimitOptions {
  /** The signed-in person's username (the password form has no username field), if any. */
  signedInUsername(ctx: Context): string | undefined;
}

/** The limits of every endpoint family, applied by method and path before the router. */
export function rateLimits(limits: RateLimits, { signedInUsername }: RateLimitOptions): Middleware {
  const byIp = (ctx: Context) => ctx.ip;
  const mcp = perKey(limits.mcpPerCaller, mcpCaller);
  // SEC-PWD-01: one set of counters for every password check, whichever form it comes from.
  const passwords = new SignInLimiter({ perIp: limits.loginFailuresPerIp, perUserAndIp: limits.loginFailuresPerUserAndIp, perUser: limits.loginFailuresPerUserTotal });
  const routes = new Map<string, Middleware>([
    ['POST /login', passwords.guard(formUsername)],
    ['POST /account/password', passwords.guard(signedInUsername)],
    // SEC-SETUP-01: every first-run setup post counts, so bogus ones cannot queue up work.
    ['POST /setup', perKey(limits.setupPerIp, byIp)],
    ['POST /oauth/register', perKey(limits.registerPerIp, byIp)],
    ['POST /oauth/token', both(perKey(limits.tokenPerIp, byIp), perKey(limits.tokenPerClient, claimedClientId))],
    ['GET /oauth/authorize', perKey(limits.authorizePerIp, byIp)],
    ...['POST', 'GET', 'HEAD', 'DELETE'].map((method) => [`${method} /mcp`, mcp] as [string, Middleware]),
  ]);
  return (ctx: Context, next: Next) => {
    const limited = routes.get(`${ctx.method} ${routePath(ctx)}`);
    return limited === undefined ? next() : limited(ctx, next);
  };
}
