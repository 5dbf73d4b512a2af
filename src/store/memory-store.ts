// What a change does to the collections, and a Store that keeps them in memory only: the one
// definition of replay, shared by the journal, used by tests and the in-process server.
import type { Collections, Store, StoredChange } from './types.ts';

/** Applies changes in order, in place: what `applyChanges` in src/core/state.ts computes. */
export function applyStoredChanges(collections: Collections, changes: readonly StoredChange[]): void {
  for (const change of changes) {
    const records = Object.hasOwn(collections, change.collection)
      ? collections[change.collection]!
      : defineOwn<Record<string, unknown>>(collections, change.collection, {});
    if (change.op === 'put') defineOwn(records, change.key, change.value);
    else delete records[change.key];
  }
}

// Defined, not assigned, so a key such as `__proto__` stays an ordinary record, as JSON.parse makes it.
function defineOwn<T>(target: Record<string, unknown>, key: string, value: T): T {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  return value;
}

/** Serialises one transition's changes, refusing what JSON could not bring back unchanged. */
export function encodeChanges(changes: readonly StoredChange[]): string {
  for (const change of changes) {
    if (change.op === 'put' && change.value === undefined) {
      throw new TypeError(`put ${change.collection}/${change.key} has no value`);
    }
  }
  // The same text as JSON.stringify of `{ op, collection, key, value }` objects, without making them.
  const parts = changes.map(({ op, collection, key, value }) =>
    op === 'put'
      ? `{"op":"put","collection":${JSON.stringify(collection)},"key":${JSON.stringify(key)},"value":${JSON.stringify(value)}}`
      : `{"op":"delete","collection":${JSON.stringify(collection)},"key":${JSON.stringify(key)}}`,
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
      applyStoredChanges(current, JSON.parse(encodeChanges(changes)) as StoredChange[]);
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
