// How changes are written down (the journal's line format), and a Store that keeps them in memory
// only, for tests and the in-process server.
import { replayInto } from '../records/index.ts';
import type { Change, Collections } from '../records/index.ts';
import type { Store } from './types.ts';

/** Serialises one transition's changes, refusing what JSON could not bring back unchanged. */
export function encodeChanges(changes: readonly Change[]): string {
  for (const change of changes) {
    if (change.op === 'put' && change.value === undefined) {
      throw new TypeError(`put ${change.collection}/${change.key} has no value`);
    }
  }
  // The same text as JSON.stringify of `{ op, collection, key, value }` objects, without making them.
  const parts = changes.map((change) =>
    change.op === 'put'
      ? `{"op":"put","collection":${JSON.stringify(change.collection)},"key":${JSON.stringify(change.key)},"value":${JSON.stringify(change.value)}}`
      : `{"op":"delete","collection":${JSON.stringify(change.collection)},"key":${JSON.stringify(change.key)}}`,
  );
  return `[${parts.join(',')}]`;
}

export interface MemoryStore extends Store {
  /** Everything appended so far on top of `loaded`: what a restart would load. */
  readonly current: Collections;
}

export function openMemoryStore(initial: Collections = {}): MemoryStore {
  const loaded: Collections = structuredClone(initial);
  const current: Collections = structuredClone(initial);
  let closed = false;
  return {
    loaded,
    current,
    async append(changes) {
      if (closed) throw new Error('memory store is closed');
      // Through JSON, like the file store, so a value that would not survive a restart fails here too.
      replayInto(current, JSON.parse(encodeChanges(changes)) as Change[]);
    },
    async compact() {
      return undefined;
    },
    needsCompaction: () => false,
    async close() {
      closed = true;
    },
  };
}
