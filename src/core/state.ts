// Building, changing and replaying core state. Transitions never mutate the state they are given:
// a `Transaction` copies each collection it touches once and records every put and delete, which
// is exactly the list the persistence journal appends.
import type { AccessTokenRef, Change, Collection, CoreState, Seconds } from './types.ts';

export function emptyState(): CoreState {
  return { clients: {}, pending: {}, codes: {}, grants: {}, refreshTokens: {}, revokedAccessTokens: {} };
}

type RecordOf<C extends Collection> = CoreState[C][string];

export class Transaction {
  readonly #base: CoreState;
  readonly #copies: Partial<Record<Collection, Record<string, unknown>>> = {};
  readonly changes: Change[] = [];

  constructor(base: CoreState) {
    this.#base = base;
  }

  get<C extends Collection>(collection: C, key: string): RecordOf<C> | undefined {
    const records = (this.#copies[collection] ?? this.#base[collection]) as Record<string, RecordOf<C>>;
    return Object.hasOwn(records, key) ? records[key] : undefined;
  }

  put<C extends Collection>(collection: C, key: string, value: RecordOf<C>): void {
    this.#writable(collection)[key] = value;
    this.changes.push({ op: 'put', collection, key, value });
  }

  delete(collection: Collection, key: string): void {
    const records = this.#writable(collection);
    if (!Object.hasOwn(records, key)) return;
    delete records[key];
    this.changes.push({ op: 'delete', collection, key });
  }

  /** The state with every change applied. */
  result(): CoreState {
    return { ...this.#base, ...(this.#copies as Partial<CoreState>) };
  }

  #writable(collection: Collection): Record<string, unknown> {
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
