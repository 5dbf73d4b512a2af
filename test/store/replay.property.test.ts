// Invariant 6 for the store on its own: whatever is appended, and wherever a compaction falls,
// reopening the directory gives what the record engine's `applyChanges` computes in memory.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptyState } from '../../src/core/index.ts';
import { applyChanges } from '../../src/records/index.ts';
import type { Change, Collections } from '../../src/records/index.ts';
import { openFileStore } from '../../src/store/index.ts';
import { tempDataDir } from '../kit/temp-dir.ts';

const numRuns = Math.max(20, Math.floor(Number(process.env.FC_NUM_RUNS ?? 1000) / 20));

const collection = fc.constantFrom('clients', 'grants', 'users', 'notes');
const key = fc.string({ unit: fc.constantFrom('a', 'b', 'c'), minLength: 1, maxLength: 2 });
const value = fc.oneof(
  fc.integer(),
  fc.string({ unit: 'binary', maxLength: 8 }), // newlines, U+2028, lone surrogates: all must survive a line
  fc.boolean(),
  fc.constant(null),
  fc.record({ n: fc.integer(), tags: fc.array(fc.string(), { maxLength: 2 }) }),
);
const change: fc.Arbitrary<Change> = fc.oneof(
  fc.record({ op: fc.constant('put' as const), collection, key, value }),
  fc.record({ op: fc.constant('delete' as const), collection, key }),
);
const batches = fc.array(fc.array(change, { minLength: 1, maxLength: 5 }), { maxLength: 12 });

const inMemory = (state: Collections, batch: readonly Change[]) => applyChanges(state, batch);

describe('replay matches the core', () => {
  it('[store] reopening after random appends and a compaction anywhere yields the in-memory state', async () => {
    await fc.assert(
      fc.asyncProperty(batches, fc.option(fc.nat()), async (batches, compactAt) => {
        const dir = await tempDataDir();
        const store = await openFileStore(dir);
        const at = compactAt === null ? -1 : compactAt % (batches.length + 1);
        let state = emptyState() as unknown as Collections;
        // Not awaited one by one: appends and the compaction overlap as they would in the server.
        const pending: Promise<unknown>[] = [];
        batches.forEach((batch, i) => {
          if (i === at) pending.push(store.compact(state));
          pending.push(store.append(batch));
          state = inMemory(state, batch);
        });
        if (at === batches.length) pending.push(store.compact(state));
        await Promise.all(pending);
        await store.close();

        const reopened = await openFileStore(dir);
        await reopened.close();
        expect({ ...emptyState(), ...reopened.loaded }).toEqual(state);
      }),
      { numRuns },
    );
  });
});
