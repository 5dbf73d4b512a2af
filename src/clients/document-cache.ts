// Fetched documents, kept as long as their host allows within our bounds (CIMD-03): at least
// 5 minutes, at most 24 hours. When a refetch fails (Claude's document host has answered 404,
// HTML pages and bot challenges), the last good copy keeps serving for up to 7 days; a document
// never fetched successfully is refused and nothing about the failure is kept.
import type { FetchResult } from './fetch-json.ts';

export interface CacheBounds {
  minTtl: number;
  maxTtl: number;
  /** How long after its last successful fetch a good document may stand in for failing refetches. */
  staleFor: number;
  /** Documents kept at most; the least recently fetched goes first. */
  maxEntries: number;
}

export const DEFAULT_CACHE_BOUNDS: CacheBounds = { minTtl: 5 * 60, maxTtl: 24 * 3600, staleFor: 7 * 24 * 3600, maxEntries: 1000 };

export type Lookup = { ok: true; body: unknown } | { ok: false; why: string };

interface Entry {
  body: unknown;
  fetchedAt: number;
  freshUntil: number;
}

export interface DocumentCacheOptions {
  fetch: (url: string) => Promise<FetchResult>;
  /** Whether a fetched body is worth keeping (a document the core would accept). */
  isGood: (url: string, body: unknown) => string | undefined;
  now: () => number;
  bounds?: CacheBounds;
}

export class DocumentCache {
  readonly #entries = new Map<string, Entry>();
  /** One fetch per URL at a time: concurrent requests for a slow host wait on the same one. */
  readonly #inFlight = new Map<string, Promise<Lookup>>();
  readonly #options: DocumentCacheOptions;
  readonly #bounds: CacheBounds;

  constructor(options: DocumentCacheOptions) {
    this.#options = options;
    this.#bounds = options.bounds ?? DEFAULT_CACHE_BOUNDS;
  }

  /** The document at `url`: cached while fresh, else fetched (or the last good copy if that fails). */
  get(url: string): Promise<Lookup> {
    const entry = this.#entries.get(url);
    if (entry && this.#options.now() < entry.freshUntil) return Promise.resolve({ ok: true, body: entry.body });
    return this.refetch(url);
  }

  /** Fetches now, whatever the cache holds (a key set that lacks the `kid` an assertion names). */
  refetch(url: string): Promise<Lookup> {
    const running = this.#inFlight.get(url);
    if (running) return running;
    const fetching = this.#fetch(url).finally(() => this.#inFlight.delete(url));
    this.#inFlight.set(url, fetching);
    return fetching;
  }

  /** When the document at `url` was last fetched successfully, if it is cached. */
  fetchedAt(url: string): number | undefined {
    return this.#entries.get(url)?.fetchedAt;
  }

  async #fetch(url: string): Promise<Lookup> {
    // A fetch that throws (it should not) is a failure like any other, never a 500.
    const result = await this.#options.fetch(url).catch((): FetchResult => ({ ok: false, why: 'could not be fetched' }));
    const now = this.#options.now();
    const problem = result.ok ? this.#options.isGood(url, result.body) : result.why;
    if (result.ok && problem === undefined) {
      const ttl = Math.min(this.#bounds.maxTtl, Math.max(this.#bounds.minTtl, result.maxAge ?? this.#bounds.minTtl));
      this.#remember(url, { body: result.body, fetchedAt: now, freshUntil: now + ttl });
      return { ok: true, body: result.body };
    }
    const last = this.#entries.get(url);
    if (last && now < last.fetchedAt + this.#bounds.staleFor) {
      // Served as is, and not asked for again until minTtl has passed: a host that is down or slow
      // must not cost every request of this client a timeout.
      last.freshUntil = now + this.#bounds.minTtl;
      return { ok: true, body: last.body };
    }
    this.#entries.delete(url);
    return { ok: false, why: problem ?? 'could not be used' };
  }

  #remember(url: string, entry: Entry): void {
    this.#entries.delete(url);
    this.#entries.set(url, entry);
    while (this.#entries.size > this.#bounds.maxEntries) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
  }
}
