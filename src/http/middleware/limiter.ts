// What every rate limit is made of: a counter per key over a fixed window (in memory,
// rate-limiter-flexible), and the 429 answer with Retry-After in the shape the endpoint promises.
import type { Context } from 'koa';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimit } from '../../config.ts';
import { answer, shapeOf } from './refusal.ts';

/** Keys taken from the request (usernames, client ids) are cut to this length. */
export const MAX_KEY_LENGTH = 256;

/** One counter per key over a fixed window. */
export class Limiter {
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

/** What a page says was counted, for the routes whose failures (not requests) are limited. */
const COUNTED: Readonly<Record<string, { what: string; title: string }>> = {
  '/login': { what: 'failed sign-in attempts', title: 'Too many sign-in attempts' },
  '/account/password': { what: 'wrong passwords', title: 'Too many password attempts' },
  '/setup': { what: 'setup attempts', title: 'Too many setup attempts' },
};

export function tooManyRequests(ctx: Context, seconds: number): void {
  ctx.set('Retry-After', String(seconds));
  const path = routePath(ctx);
  const counted = Object.hasOwn(COUNTED, path) ? COUNTED[path] : undefined;
  answer(ctx, shapeOf(path), {
    status: 429,
    error: 'temporarily_unavailable',
    description: `too many ${counted?.what ?? 'requests'}; retry after ${seconds} seconds`,
    page: { title: counted?.title ?? 'Too many requests', nextStep: `Wait ${seconds} seconds, then try again.` },
    beforeRoute: true,
  });
}

/** Router paths ignore case and one trailing slash, so the limits do too. */
export function routePath(ctx: Context): string {
  const path = ctx.path.length > 1 && ctx.path.endsWith('/') ? ctx.path.slice(0, -1) : ctx.path;
  return path.toLowerCase();
}
