// The one change record: a record put into or deleted from a named collection. Transitions return
// a list of these, the journal appends them, and replay applies them; nothing else is persisted.

/** Collections as persisted: collection name -> key -> record. */
export type Collections = Record<string, Record<string, unknown>>;

/**
 * A state of named record maps as its owner types it (`CoreState`, `AccountsState`...);
 * interfaces qualify though they have no index signature.
 */
export type CollectionsOf<S> = { readonly [K in keyof S]: Readonly<Record<string, unknown>> };

/** One record written or removed. `C` narrows the collection names to one domain's. */
export type Change<C extends string = string> =
  | { op: 'put'; collection: C; key: string; value: unknown }
  | { op: 'delete'; collection: C; key: string };

/** A domain transition's result: the next state, what it wrote, and its answer. */
export interface Transition<S, O> {
  state: S;
  changes: readonly Change[];
  outcome: O;
}
