// Rate limits, in memory (rate-limiter-flexible), one middleware per endpoint family: sign-in
// failures per IP and per username, registration per IP, token requests per client and per IP,
// authorization requests per IP, and /mcp per access token (or per IP without one). An exhausted
// limit answers 429 with Retry-After, in the shape the endpoint promises. The IP is `ctx.ip`, which
// honours X-Forwarded-For only with TRUST_PROXY.
import { createHash } from 'node:crypto';
import type { Context, Middleware, Next } from 'koa';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimit, RateLimits } from '../../config.ts';
import { formParams } from './body.ts';
import { answer, shapeOf } from './refusal.ts';

/** Keys taken from the request (usernames, client ids) are cut to this length. */
const MAX_KEY_LENGTH = 256;

/** One counter per key over a fixed window. */
class Limiter {
  readonly #counter: RateLimiterMemory;

  constructor(limit: RateLimit) {
    this.#counter = new RateLimiterMemory({ points: limit.points, duration: limit.seconds });
  }

  /** Counts one request; the seconds to wait if that went over the limit. */
  async take(key: string): Promise<number | undefined> {
    try {
      await this.#counter.consume(key);
      return undefined;
    } catch (refused) {
      if (!(refused instanceof RateLimiterRes)) throw refused;
      return Math.max(1, Math.ceil(refused.msBeforeNext / 1000));
    }
  }

  async giveBack(key: string): Promise<void> {
    await this.#counter.reward(key);
  }

  async reset(key: string): Promise<void> {
    await this.#counter.delete(key);
  }
}

function tooManyRequests(ctx: Context, seconds: number): void {
  ctx.set('Retry-After', String(seconds));
  const path = routePath(ctx);
  const signIn = path === '/login';
  answer(ctx, shapeOf(path), {
    status: 429,
    error: 'temporarily_unavailable',
    description: `too many ${signIn ? 'failed sign-in attempts' : 'requests'}; retry after ${seconds} seconds`,
    page: { title: signIn ? 'Too many sign-in attempts' : 'Too many requests', nextStep: `Wait ${seconds} seconds, then try again.` },
    beforeRoute: true,
  });
}

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

/**
 * Sign-in: only failures count, per IP and per username. Each attempt takes a point from both up
 * front (so parallel guesses count at once) and gives it back unless the password was wrong; a
 * success also clears the username's count. Failures on one username never block another's
 * sign-in, except through the per-IP limit.
 */
function signInLimit(perIp: RateLimit, perUser: RateLimit): Middleware {
  const byIp = new Limiter(perIp);
  const byUser = new Limiter(perUser);
  return async (ctx, next) => {
    const form = formParams(ctx) ?? {};
    const given = form.username;
    // Usernames are case-insensitive (`findUserByName`), so their counts are too.
    const user = (typeof given === 'string' ? given : '').toLowerCase().slice(0, MAX_KEY_LENGTH);
    const ipWait = await byIp.take(ctx.ip);
    if (ipWait !== undefined) return tooManyRequests(ctx, ipWait);
    const userWait = await byUser.take(user);
    if (userWait !== undefined) {
      await byIp.giveBack(ctx.ip);
      return tooManyRequests(ctx, userWait);
    }
    let failed = false;
    try {
      await next();
      failed = ctx.status === 401; // wrong username or password; 403 is an expired form, 303 a success
    } finally {
      if (!failed) {
        await byIp.giveBack(ctx.ip);
        if (ctx.status === 303) await byUser.reset(user);
        else await byUser.giveBack(user);
      }
    }
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

/** An /mcp caller: its bearer token (hashed, never kept in clear), else its IP. */
function mcpCaller(ctx: Context): string {
  const bearer = /^bearer\s+(\S+)\s*$/i.exec(ctx.get('Authorization'));
  return bearer ? `token:${createHash('sha256').update(bearer[1] ?? '').digest('base64url')}` : `ip:${ctx.ip}`;
}

/** Router paths ignore case and one trailing slash, so the limits do too. */
function routePath(ctx: Context): string {
  const path = ctx.path.length > 1 && ctx.path.endsWith('/') ? ctx.path.slice(0, -1) : ctx.path;
  return path.toLowerCase();
}

/** The limits of every endpoint family, applied by method and path before the router. */
export function rateLimits(limits: RateLimits): Middleware {
  const byIp = (ctx: Context) => ctx.ip;
  const mcp = perKey(limits.mcpPerCaller, mcpCaller);
  const routes = new Map<string, Middleware>([
    ['POST /login', signInLimit(limits.loginFailuresPerIp, limits.loginFailuresPerUser)],
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
