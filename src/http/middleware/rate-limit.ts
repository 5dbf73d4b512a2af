// Rate limits, in memory (rate-limiter-flexible), one middleware per endpoint family: sign-in
// failures per IP and per username, registration per IP, token requests per IP (failures apart)
// and per client for the ones that succeeded, revocation per IP, authorization requests per IP, and
// /mcp per grant of a verified token (or per IP without one). Keys are what a request proved, never
// what it merely claims. An exhausted
// limit answers 429 with Retry-After, in the shape the endpoint promises. The IP is `ctx.ip`, which
// honours X-Forwarded-For only with TRUST_PROXY.
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
  readonly #points: number;

  constructor(limit: RateLimit) {
    this.#counter = new RateLimiterMemory({ points: limit.points, duration: limit.seconds });
    this.#points = limit.points;
  }

  /** The seconds to wait when the key has used its budget already; nothing is counted. */
  async exhausted(key: string): Promise<number | undefined> {
    const state = await this.#counter.get(key);
    if (state === null || state.consumedPoints < this.#points) return undefined;
    return Math.max(1, Math.ceil(state.msBeforeNext / 1000));
  }

  /** Counts one request that already happened (its answer is out), over the limit or not. */
  async record(key: string): Promise<void> {
    await this.take(key);
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

/** What the limits may take as proven: a bearer token that verifies, by the grant it belongs to. */
export interface Proofs {
  grantOf(token: string): Promise<string | undefined>;
}

/**
 * /mcp: a request whose bearer token verifies counts against its grant; any other (no token, or one
 * that does not verify) against its address. A made-up bearer string proves nothing, so a fresh
 * one per request buys no fresh budget.
 */
function mcpLimit(perGrant: RateLimit, perIp: RateLimit, proofs: Proofs): Middleware {
  const byGrant = new Limiter(perGrant);
  const byIp = new Limiter(perIp);
  return async (ctx, next) => {
    const bearer = /^bearer\s+(\S+)\s*$/i.exec(ctx.get('Authorization'))?.[1];
    const grant = bearer === undefined ? undefined : await proofs.grantOf(bearer);
    const wait = grant === undefined ? await byIp.take(ctx.ip) : await byGrant.take(grant);
    return wait === undefined ? next() : tooManyRequests(ctx, wait);
  };
}

/**
 * The token endpoint: every request counts against its address; a client's own budget is spent
 * only by requests that succeeded (a valid code or refresh token of that client), so requests that
 * merely name a victim's client_id cannot exhaust it; they count as failures of their address.
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

/** Router paths ignore case and one trailing slash, so the limits do too. */
function routePath(ctx: Context): string {
  const path = ctx.path.length > 1 && ctx.path.endsWith('/') ? ctx.path.slice(0, -1) : ctx.path;
  return path.toLowerCase();
}

/** The limits of every endpoint family, applied by method and path before the router. */
export function rateLimits(limits: RateLimits, proofs: Proofs): Middleware {
  const byIp = (ctx: Context) => ctx.ip;
  const mcp = mcpLimit(limits.mcpPerGrant, limits.mcpPerIp, proofs);
  const routes = new Map<string, Middleware>([
    ['POST /login', signInLimit(limits.loginFailuresPerIp, limits.loginFailuresPerUser)],
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
