// Where `agent-notes fuzz` may send requests, and how fast: only loopback addresses and the hosts
// the operator named with --allow-host, at most `rate` requests a second. Every request of a run
// goes through `guardedFetch`, redirects the sign-in walk follows included, so a server under test
// cannot send the fuzzer anywhere else. A 429 stops the run: what follows would measure the limit.
import { isIP } from 'node:net';
import type { Fetch } from '../conformance/http.ts';

/** A host the fuzzer was not allowed to contact. */
export class HostRefused extends Error {
  override readonly name = 'HostRefused';
}

/** The server answered 429: the run stops, since every later answer would be the limit's, not the rules'. */
export class RateLimited extends Error {
  override readonly name = 'RateLimited';
}

const LOOPBACK_NAMES = new Set(['localhost']);

/** 127.0.0.0/8, ::1 (also as an IPv4-mapped address) and the name localhost. */
export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (LOOPBACK_NAMES.has(host)) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || /^(0:){7}1$/.test(host) || /^::ffff:127\./.test(host);
  return false;
}

/** The reason `url` may not be contacted, or undefined when it may. */
export function refusal(url: URL, allowHosts: readonly string[]): string | undefined {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `${url.href} is not an http(s) URL`;
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (isLoopback(host) || allowHosts.map((h) => h.toLowerCase()).includes(host)) return undefined;
  return `refusing to contact ${host}: only loopback addresses and hosts named with --allow-host`;
}

/** Spaces requests at least 1/rate seconds apart, in the order they were asked for. */
export class Pace {
  #next = 0;
  #sent = 0;

  constructor(readonly perSecond: number) {}

  get sent(): number {
    return this.#sent;
  }

  async wait(): Promise<void> {
    const gap = 1000 / this.perSecond;
    const now = performance.now();
    const at = Math.max(now, this.#next);
    this.#next = at + gap;
    this.#sent += 1;
    if (at > now) await new Promise((resolve) => setTimeout(resolve, at - now));
  }
}

/** `fetch`, refused for any host but the allowed ones and paced by `pace`. */
export function guardedFetch(allowHosts: readonly string[], pace: Pace, inner: Fetch = fetch): Fetch {
  return (async (input: Parameters<Fetch>[0], init?: Parameters<Fetch>[1]) => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    const refused = refusal(url, allowHosts);
    if (refused !== undefined) throw new HostRefused(refused);
    await pace.wait();
    const response = await inner(input, init);
    if (response.status === 429) {
      const after = response.headers.get('retry-after');
      throw new RateLimited(`${init?.method ?? 'GET'} ${url.pathname} answered 429${after === null ? '' : ` (Retry-After ${after} s)`}: the server rate-limits the fuzzer; lower --rate and --budget, or lift its limits for the run (agent-notes: RATE_LIMITS=off)`);
    }
    return response;
  }) as Fetch;
}
