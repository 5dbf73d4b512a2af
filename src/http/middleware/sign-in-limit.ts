// Password guesses: sign-in (POST /login) and the current password on POST /account/password share
// one set of counters, and only refused passwords count. Three counters, each taking a point up
// front (so parallel guesses count at once) and giving it back unless the password was refused:
//  - per address, whatever the username;
//  - per (username, address), so failures from one address never lock the owner out elsewhere;
//  - per username from every address, a slower backstop against guesses spread over many
//    addresses. An address the username signed in from lately is spared it: someone hammering
//    the username from elsewhere cannot lock the owner out of their usual browser.
import type { Context, Middleware } from 'koa';
import type { RateLimit } from '../../config.ts';
import { Limiter, MAX_KEY_LENGTH, tooManyRequests } from './limiter.ts';

export interface SignInLimits {
  perIp: RateLimit;
  perUserAndIp: RateLimit;
  perUser: RateLimit;
}

/** How long, and how many, addresses a username signed in from are spared the backstop. */
const KNOWN_ADDRESS_SECONDS = 30 * 86_400;
const KNOWN_ADDRESSES_PER_USER = 10;

const VERDICT = Symbol('password verdict');

/** The route says how its password check went: only `false` counts against the limits. */
export function passwordChecked(ctx: Context, accepted: boolean): void {
  (ctx.state as Record<symbol, boolean>)[VERDICT] = accepted;
}

function verdictOf(ctx: Context): boolean | undefined {
  return (ctx.state as Record<symbol, boolean | undefined>)[VERDICT];
}

/** Addresses each username proved its password from, newest last; only real users get entries. */
class KnownAddresses {
  readonly #byUser = new Map<string, Map<string, number>>();

  has(user: string, ip: string, now: number): boolean {
    const seen = this.#byUser.get(user)?.get(ip);
    return seen !== undefined && now - seen < KNOWN_ADDRESS_SECONDS * 1000;
  }

  add(user: string, ip: string, now: number): void {
    const addresses = this.#byUser.get(user) ?? new Map<string, number>();
    addresses.delete(ip);
    addresses.set(ip, now);
    for (const oldest of addresses.keys()) {
      if (addresses.size <= KNOWN_ADDRESSES_PER_USER) break;
      addresses.delete(oldest);
    }
    this.#byUser.set(user, addresses);
  }
}

export class SignInLimiter {
  readonly #byIp: Limiter;
  readonly #byUserAndIp: Limiter;
  readonly #byUser: Limiter;
  readonly #known = new KnownAddresses();

  constructor(limits: SignInLimits) {
    this.#byIp = new Limiter(limits.perIp);
    this.#byUserAndIp = new Limiter(limits.perUserAndIp);
    this.#byUser = new Limiter(limits.perUser);
  }

  /** Limits a route whose password check is for `usernameOf(ctx)`; `undefined` means no check (not limited). */
  guard(usernameOf: (ctx: Context) => string | undefined): Middleware {
    return async (ctx, next) => {
      const given = usernameOf(ctx);
      if (given === undefined) return next();
      // Usernames are case-insensitive (`findUserByName`), so their counts are too.
      const user = given.toLowerCase().slice(0, MAX_KEY_LENGTH);
      const pair = JSON.stringify([user, ctx.ip]);
      const counters: [Limiter, string][] = [[this.#byIp, ctx.ip], [this.#byUserAndIp, pair]];
      // SEC-LOGIN-02: the backstop spares an address this username signed in from lately.
      if (!this.#known.has(user, ctx.ip, Date.now())) counters.push([this.#byUser, user]);
      const taken: [Limiter, string][] = [];
      for (const [limiter, key] of counters) {
        const wait = await limiter.take(key);
        if (wait !== undefined) {
          for (const [counted, countedKey] of taken) await counted.giveBack(countedKey);
          return tooManyRequests(ctx, wait);
        }
        taken.push([limiter, key]);
      }
      let verdict: boolean | undefined;
      try {
        await next();
        verdict = verdictOf(ctx);
      } finally {
        // SEC-LOGIN-01: only a refused password counts; an accepted one clears its (username, address) count.
        if (verdict !== false) for (const [limiter, key] of taken) await limiter.giveBack(key);
        if (verdict === true) {
          await this.#byUserAndIp.reset(pair);
          this.#known.add(user, ctx.ip, Date.now());
        }
      }
    };
  }
}
