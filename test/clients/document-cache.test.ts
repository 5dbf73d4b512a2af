// The document cache's rules, with a fake fetch and clock: bounds on freshness, the 7-day last-good
// fallback, no caching of failures, one fetch at a time per URL, and a bounded number of entries.
import { describe, expect, it } from 'vitest';
import { DocumentCache } from '../../src/clients/document-cache.ts';
import type { FetchResult } from '../../src/clients/fetch-json.ts';

function setup(isGood: (body: unknown) => string | undefined = () => undefined, maxEntries = 1000) {
  const clock = { now: 1_000_000 };
  const answers = new Map<string, FetchResult>();
  const calls: string[] = [];
  const cache = new DocumentCache({
    fetch: async (url) => {
      calls.push(url);
      await new Promise((resolve) => setTimeout(resolve, 1));
      return answers.get(url) ?? { ok: false, why: 'answered HTTP 404' };
    },
    isGood: (_, body) => isGood(body),
    now: () => clock.now,
    bounds: { minTtl: 300, maxTtl: 86_400, staleFor: 7 * 86_400, maxEntries },
  });
  return { clock, answers, calls, cache };
}

describe('document cache', () => {
  it('[REQ-13][CIMD-03] max-age is honoured within 5 minutes and 24 hours', async () => {
    for (const [maxAge, keptFor] of [[10, 300], [3600, 3600], [10 * 86_400, 86_400], [undefined, 300]] as const) {
      const { clock, answers, calls, cache } = setup();
      answers.set('u', maxAge === undefined ? { ok: true, body: 1 } : { ok: true, body: 1, maxAge });
      await cache.get('u');
      clock.now += keptFor - 1;
      await cache.get('u');
      expect(calls, `max-age ${maxAge}`).toHaveLength(1);
      clock.now += 1;
      await cache.get('u');
      expect(calls, `max-age ${maxAge}`).toHaveLength(2);
    }
  });

  it('[REQ-13][CIMD-03] a failure is never cached: the next request fetches again', async () => {
    const { answers, calls, cache } = setup();
    expect(await cache.get('u')).toEqual({ ok: false, why: 'answered HTTP 404' });
    answers.set('u', { ok: true, body: 'doc' });
    expect(await cache.get('u')).toEqual({ ok: true, body: 'doc' });
    expect(calls).toHaveLength(2);
  });

  it('[REQ-13][CIMD-03] a document the core would refuse is not kept, and says why', async () => {
    const { answers, cache } = setup((body) => (body === 'bad' ? 'the document is not a JSON object' : undefined));
    answers.set('u', { ok: true, body: 'bad' });
    expect(await cache.get('u')).toEqual({ ok: false, why: 'the document is not a JSON object' });
  });

  it('[REQ-13] the last good copy stands in for a failing host for 7 days, then not', async () => {
    const { clock, answers, calls, cache } = setup();
    answers.set('u', { ok: true, body: 'good' });
    await cache.get('u');
    answers.set('u', { ok: false, why: 'answered HTTP 503' });
    clock.now += 301;
    expect(await cache.get('u')).toEqual({ ok: true, body: 'good' });
    clock.now += 7 * 86_400;
    expect(await cache.get('u')).toEqual({ ok: false, why: 'answered HTTP 503' });
    expect(calls).toHaveLength(3);
  });

  it('[REQ-13] concurrent requests for one URL share one fetch', async () => {
    const { answers, calls, cache } = setup();
    answers.set('u', { ok: true, body: 'doc' });
    const results = await Promise.all([cache.get('u'), cache.get('u'), cache.get('u')]);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(calls).toEqual(['u']);
  });

  it('[REQ-13] at most maxEntries documents are kept, the oldest fetched going first', async () => {
    const { answers, calls, cache } = setup(() => undefined, 2);
    for (const url of ['a', 'b', 'c']) answers.set(url, { ok: true, body: url });
    await cache.get('a');
    await cache.get('b');
    await cache.get('c');
    await cache.get('a');
    expect(calls).toEqual(['a', 'b', 'c', 'a']);
  });
});

describe('document cache, when fetching throws', () => {
  it('[REQ-13] a fetch that throws is an ordinary failure, not an exception', async () => {
    const cache = new DocumentCache({ fetch: () => Promise.reject(new TypeError('boom')), isGood: () => undefined, now: () => 0 });
    expect(await cache.get('u')).toEqual({ ok: false, why: 'could not be fetched' });
  });
});
