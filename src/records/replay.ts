// Replay: the one definition of what a list of changes does to collections. The journal replays
// with it at start-up, the memory store keeps its copy with it, and `applyChanges` runs the same
// changes through a transaction so indexes and counts stay in step (invariant 6).
import type { Change, Collections, CollectionsOf } from './change.ts';
import { setOwn } from './own-key.ts';
import { Transaction, type RecordIn } from './transaction.ts';

/** Applies changes in order, in place, to plain collections (creating a collection on first use). */
export function replayInto(collections: Collections, changes: readonly Change[]): void {
  for (const change of changes) {
    const records = Object.hasOwn(collections, change.collection)
      ? collections[change.collection]!
      : setOwn<Record<string, unknown>>(collections, change.collection, {});
    if (change.op === 'put') setOwn(records, change.key, change.value);
    else delete records[change.key];
  }
}

/** The state after `changes`, as a transaction computes it (copy-on-write unless `state` is owned). */
export function applyChanges<S extends CollectionsOf<S>>(state: S, changes: readonly Change<keyof S & string>[]): S {
  const tx = new Transaction(state);
  for (const change of changes) {
    // A journal value is whatever the transition that wrote it stored in that collection.
    if (change.op === 'put') tx.put(change.collection, change.key, change.value as RecordIn<S, typeof change.collection>);
    else tx.delete(change.collection, change.key);
  }
  return tx.result();
}
