// A transaction over a state of named collections: it records every put and delete (exactly the
// list the journal appends), copying each collection it touches once, unless the state is owned by
// the commit queue (see `owned`), whose collections it updates in place.
import type { Change, CollectionsOf } from './change.ts';
import { applyWrites } from './indexes.ts';
import { setOwn } from './own-key.ts';

type Records = Record<string, unknown>;
type Name<S> = keyof S & string;
/** The record type stored in collection `C` of `S`. */
export type RecordIn<S, C extends keyof S> = S[C] extends Readonly<Record<string, infer R>> ? R : never;

/**
 * States their holder gives up to the next transaction. The commit queue keeps one state and never
 * looks at an older one, so copying a whole collection for each change (O(size) per request, the
 * cost that grew with every grant) buys it nothing: a transaction on an owned state records its
 * writes aside and, once it has finished (`result()`), applies them to the collections in place.
 * Reads during the transition see exactly what they would see with copies; the only difference is
 * that the superseded state object shares the updated collections. States nobody marked (tests,
 * model runs, the CLI) keep plain copy-on-write.
 */
const OWNED = new WeakSet<object>();

export function owned<S extends object>(state: S): S {
  OWNED.add(state);
  return state;
}

const DELETED: unique symbol = Symbol('deleted');

export class Transaction<S extends CollectionsOf<S>> {
  readonly #base: S;
  readonly #inPlace: boolean;
  /** Copy-on-write mode: each touched collection, copied once. */
  readonly #copies = new Map<Name<S>, Records>();
  /** In-place mode: the writes, applied to the base's collections by `result()`. */
  readonly #writes = new Map<Name<S>, Map<string, unknown>>();
  readonly changes: Change<Name<S>>[] = [];

  constructor(base: S) {
    this.#base = base;
    this.#inPlace = OWNED.has(base);
  }

  get<C extends Name<S>>(collection: C, key: string): RecordIn<S, C> | undefined {
    const written = this.#writes.get(collection);
    if (written?.has(key)) {
      const value = written.get(key);
      return value === DELETED ? undefined : (value as RecordIn<S, C>);
    }
    const records: Readonly<Records> | undefined = this.#copies.get(collection) ?? this.#base[collection];
    return records !== undefined && Object.hasOwn(records, key) ? (records[key] as RecordIn<S, C>) : undefined;
  }

  put<C extends Name<S>>(collection: C, key: string, value: RecordIn<S, C>): void {
    if (this.#inPlace) this.#writesTo(collection).set(key, value);
    else setOwn(this.#writable(collection), key, value);
    this.changes.push({ op: 'put', collection, key, value });
  }

  delete(collection: Name<S>, key: string): void {
    if (this.#inPlace) {
      if (this.get(collection, key) === undefined) return;
      this.#writesTo(collection).set(key, DELETED);
    } else {
      // The copy is made even when the key is missing: replay creates the collection the same way.
      const records = this.#writable(collection);
      if (!Object.hasOwn(records, key)) return;
      delete records[key];
    }
    this.changes.push({ op: 'delete', collection, key });
  }

  /** The state with every change applied (in place when the base is owned; see `owned`). */
  result(): S {
    // The one boundary where a typed state is handled as plain named maps: every collection of `S`
    // is a record map (the `CollectionsOf` bound), so replacing or filling one keeps `S`'s shape.
    const next: Record<string, Records> = { ...(this.#base as Readonly<Record<string, Records>>) };
    if (!this.#inPlace) {
      for (const [collection, copy] of this.#copies) next[collection] = copy;
      return next as S;
    }
    for (const [collection, writes] of this.#writes) applyWrites((next[collection] ??= {}), writes, DELETED);
    this.#writes.clear();
    return owned(next as S);
  }

  #writesTo(collection: Name<S>): Map<string, unknown> {
    let writes = this.#writes.get(collection);
    if (!writes) {
      writes = new Map();
      this.#writes.set(collection, writes);
    }
    return writes;
  }

  #writable(collection: Name<S>): Records {
    let copy = this.#copies.get(collection);
    if (!copy) {
      copy = { ...this.#base[collection] };
      this.#copies.set(collection, copy);
    }
    return copy;
  }
}
