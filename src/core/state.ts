// Building, changing and replaying core state. A `Transaction` records every put and delete, which
// is exactly the list the persistence journal appends; it copies each collection it touches once,
// unless the state is owned by the commit queue (see `owned`), whose collections it updates in place.
import { applyWrites } from '../records/indexes.ts';
import type { AccessTokenRef, Change, Collection, CoreState, Seconds } from './types.ts';

export { collectionSize, keysWhere } from '../records/indexes.ts';

export function emptyState(): CoreState {
  return { clients: {}, pending: {}, codes: {}, grants: {}, refreshTokens: {}, revokedAccessTokens: {} };
}

type RecordOf<C extends Collection> = CoreState[C][string];
type Records = Record<string, unknown>;

/**
 * States their holder gives up to the next transaction. The commit queue keeps one state and never
 * looks at an older one, so copying a whole collection for each change (O(size) per request, the
 * cost that grew with every grant) buys it nothing: a transaction on an owned state records its
 * writes aside and, once it has finished (`result()`), applies them to the collections in place.
 * Reads during the transition see exactly what they would see with copies; the only difference is
 * that the superseded state object shares the updated collections. States nobody marked (tests,
 * model runs, the CLI demo) keep plain copy-on-write.
 */
const OWNED = new WeakSet<object>();

export function owned<S extends object>(state: S): S {
  OWNED.add(state);
  return state;
}

const DELETED: unique symbol = Symbol('deleted');

export class Transaction {
  readonly #base: CoreState;
  readonly #inPlace: boolean;
  /** Copy-on-write mode: each touched collection, copied once. */
  readonly #copies: Partial<Record<Collection, Records>> = {};
  /** In-place mode: the writes, applied to the base's collections by `result()`. */
  readonly #writes = new Map<Collection, Map<string, unknown>>();
  readonly changes: Change[] = [];

  constructor(base: CoreState) {
    this.#base = base;
    this.#inPlace = OWNED.has(base);
  }

  get<C extends Collection>(collection: C, key: string): RecordOf<C> | undefined {
    const written = this.#writes.get(collection);
    if (written?.has(key)) {
      const value = written.get(key);
      return value === DELETED ? undefined : (value as RecordOf<C>);
    }
    const records = (this.#copies[collection] ?? this.#base[collection]) as Record<string, RecordOf<C>> | undefined;
    return records !== undefined && Object.hasOwn(records, key) ? records[key] : undefined;
  }

  put<C extends Collection>(collection: C, key: string, value: RecordOf<C>): void {
    if (this.#inPlace) this.#writesTo(collection).set(key, value);
    else this.#writable(collection)[key] = value;
    this.changes.push({ op: 'put', collection, key, value });
  }

  delete(collection: Collection, key: string): void {
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
  result(): CoreState {
    if (!this.#inPlace) return { ...this.#base, ...(this.#copies as Partial<CoreState>) };
    const next: Record<string, Records> = { ...(this.#base as unknown as Record<string, Records>) };
    for (const [collection, writes] of this.#writes) applyWrites((next[collection] ??= {}), writes, DELETED);
    this.#writes.clear();
    return owned(next as unknown as CoreState);
  }

  #writesTo(collection: Collection): Map<string, unknown> {
    let writes = this.#writes.get(collection);
    if (!writes) {
      writes = new Map();
      this.#writes.set(collection, writes);
    }
    return writes;
  }

  #writable(collection: Collection): Records {
    let copy = this.#copies[collection];
    if (!copy) {
      copy = { ...this.#base[collection] };
      this.#copies[collection] = copy;
    }
    return copy;
  }
}

/** Replays journal entries onto a state (invariant 6: a restart rebuilds the same state). */
export function applyChanges(state: CoreState, changes: readonly Change[]): CoreState {
  const tx = new Transaction(state);
  for (const change of changes) {
    if (change.op === 'put') tx.put(change.collection, change.key, change.value as never);
    else tx.delete(change.collection, change.key);
  }
  return tx.result();
}

/** Invariant 4: an access token is honoured only while its grant lives and it was not revoked. */
export function isAccessTokenLive(state: CoreState, token: Omit<AccessTokenRef, 'clientId'>, now: Seconds): boolean {
  return (
    now < token.exp &&
    Object.hasOwn(state.grants, token.gid) &&
    !Object.hasOwn(state.revokedAccessTokens, token.jti)
  );
}
