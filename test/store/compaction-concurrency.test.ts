// Compaction next to live traffic: the snapshot is written in slices while appends go on, from
// collections the commit queue keeps changing in place (src/store/snapshot-file.ts explains why
// that fuzzy snapshot is still exact once the journal is replayed over it).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultConfig, emptyState } from '../../src/core/index.ts';
import type { CoreState } from '../../src/core/index.ts';
import { Transaction } from '../../src/core/state.ts';
import { CommitQueue } from '../../src/app/commit-queue.ts';
import { openFileStore } from '../../src/store/index.ts';
import { WireClient } from '../kit/client.ts';
import { startTestServer } from '../kit/server.ts';
import { tempDataDir } from '../kit/temp-dir.ts';

const config = defaultConfig('https://as.example');

/** Puts or deletes `grants` records by key, through a Transaction as the core does. */
function change(ops: readonly { key: string; value: number | null }[]) {
  return (state: CoreState) => {
    const tx = new Transaction(state);
    for (const { key, value } of ops) {
      if (value === null) tx.delete('grants', key);
      else tx.put('grants', key, { value } as never);
    }
    return { state: tx.result(), changes: tx.changes, outcome: undefined };
  };
}

async function seeded(records: number) {
  const dir = await tempDataDir();
  const store = await openFileStore(dir);
  const queue = new CommitQueue<CoreState>(emptyState(), config, (changes) => store.append(changes));
  const ops = Array.from({ length: records }, (_, i) => ({ key: `g${i}`, value: i }));
  for (let i = 0; i < ops.length; i += 1000) await queue.apply(change(ops.slice(i, i + 1000)));
  return { dir, store, queue };
}

describe('[store] compaction while requests go on', () => {
  it('[store] an append made while a large snapshot is written is durable before the snapshot is done', async () => {
    const { dir, store, queue } = await seeded(60_000);
    const order: string[] = [];
    const compaction = store.compact(queue.state).then((stats) => {
      order.push('compacted');
      return stats;
    });
    for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve)); // the writer is under way
    await queue.apply(change([{ key: 'during', value: 1 }])).then(() => order.push('append acknowledged'));
    const stats = await compaction;
    expect(order).toEqual(['append acknowledged', 'compacted']);
    // What the server logs about it: every record written, in slices far shorter than the whole.
    expect(stats?.records).toBeGreaterThanOrEqual(60_000);
    expect(stats?.snapshotBytes).toBe((await readFile(join(dir, 'agent-notes.json'))).length);
    expect(stats!.longestSliceMs).toBeLessThan(stats!.ms);
    await store.close();
  });

  it('[store] a snapshot written while records change in place reopens to the latest state', async () => {
    const key = fc.integer({ min: 0, max: 2_999 }).map((i) => `g${i}`);
    const op = fc.record({ key, value: fc.option(fc.integer(), { nil: null }) });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(op, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 40 }), async (batches) => {
        const { dir, store, queue } = await seeded(3_000);
        const compaction = store.compact(queue.state);
        // Interleave with the slices of the snapshot writer.
        const acknowledged = batches.map(async (batch, i) => {
          await new Promise((resolve) => setImmediate(resolve));
          if (i % 2 === 0) await new Promise((resolve) => setImmediate(resolve));
          return queue.apply(change(batch));
        });
        await Promise.all([compaction, ...acknowledged]);
        await store.close();
        const reopened = await openFileStore(dir);
        await reopened.close();
        expect(reopened.loaded.grants).toEqual(queue.state.grants);
      }),
      { numRuns: 15 },
    );
  });
});

describe('[store] the server compacts when the journal is due', () => {
  it('[store] a server compacts in the background once the journal holds compactEvery entries, without waiting for the minute tick', async () => {
    const dir = await tempDataDir();
    const server = await startTestServer({ dataDir: dir, compactEvery: 5 });
    try {
      const client = new WireClient(server.url);
      for (let i = 0; i < 12; i++) await client.register(); // each one a journal entry; throws unless 201
      await expect
        .poll(async () => JSON.parse(await readFile(join(dir, 'agent-notes.json'), 'utf8').catch(() => '{}')).journalSeq ?? 0, { timeout: 5000 })
        .toBeGreaterThanOrEqual(5);
      const journal = (await readFile(join(dir, 'journal.jsonl'), 'utf8')).split('\n').filter((line) => line !== '');
      expect(journal.length).toBeLessThan(12);
    } finally {
      await server.close();
    }
  });
});

describe('[store] repeated compactions keep exactly the entries they must', () => {
  it('[store] appends, overlapping compactions and restarts in any order reopen to the state of every acknowledged append', async () => {
    type Step = { kind: 'append'; ops: { key: string; value: number | null }[] } | { kind: 'compact' } | { kind: 'restart' };
    const op = fc.record({ key: fc.constantFrom('a', 'b', 'c', 'd', 'e'), value: fc.option(fc.integer({ min: 0, max: 9 }), { nil: null }) });
    const stepArb: fc.Arbitrary<Step> = fc.oneof(
      { weight: 5, arbitrary: fc.array(op, { minLength: 1, maxLength: 3 }).map((ops) => ({ kind: 'append' as const, ops })) },
      { weight: 2, arbitrary: fc.constant({ kind: 'compact' as const }) },
      { weight: 1, arbitrary: fc.constant({ kind: 'restart' as const }) },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { maxLength: 30 }), async (steps) => {
        const dir = await tempDataDir();
        let store = await openFileStore(dir);
        let queue = new CommitQueue<CoreState>({ ...emptyState(), ...(store.loaded as Partial<CoreState>) }, config, (changes) => store.append(changes));
        let inFlight: Promise<unknown>[] = [];
        for (const step of steps) {
          if (step.kind === 'append') inFlight.push(queue.apply(change(step.ops)));
          else if (step.kind === 'compact') inFlight.push(store.compact(queue.state));
          else {
            await Promise.all(inFlight);
            inFlight = [];
            await store.close();
            store = await openFileStore(dir);
            expect(store.loaded.grants ?? {}).toEqual(queue.state.grants);
            const reopened = store;
            queue = new CommitQueue<CoreState>({ ...emptyState(), ...(store.loaded as Partial<CoreState>) }, config, (changes) => reopened.append(changes));
          }
        }
        await Promise.all(inFlight);
        await store.close();
        const last = await openFileStore(dir);
        await last.close();
        expect(last.loaded.grants ?? {}).toEqual(queue.state.grants);
      }),
      { numRuns: 60 },
    );
  });
});

describe('[store] compactions spaced in proportion to the data', () => {
  it('[store] a large snapshot waits for a journal a quarter its size, so rewriting it costs the same per write at any size', async () => {
    const { dir, store, queue } = await seeded(20_000);
    await store.compact(queue.state);
    await store.close();
    const snapshotBytes = (await readFile(join(dir, 'agent-notes.json'))).length;
    const reopened = await openFileStore(dir, { compactEvery: 10 });
    const again = new CommitQueue<CoreState>({ ...emptyState(), ...(reopened.loaded as Partial<CoreState>) }, config, (changes) => reopened.append(changes));
    let appended = 0;
    while (!reopened.needsCompaction()) {
      await again.apply(change([{ key: `g${appended % 100}`, value: appended }]));
      appended++;
    }
    const journalBytes = (await readFile(join(dir, 'journal.jsonl'))).length;
    expect(appended).toBeGreaterThan(10);
    expect(journalBytes).toBeGreaterThanOrEqual(snapshotBytes / 4);
    await reopened.close();
  });
});
