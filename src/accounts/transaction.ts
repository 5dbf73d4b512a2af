// A transaction over the account collections of a larger state (the app's): the record engine
// tracks the account collections, and `result()` puts them back beside the caller's other ones.
import { Transaction, type RecordIn } from '../records/index.ts';
import type { AccountsChange, AccountsCollection, AccountsState } from './types.ts';

export class AccountsTransaction<S extends AccountsState> {
  readonly #base: S;
  readonly #tx: Transaction<AccountsState>;

  constructor(base: S) {
    this.#base = base;
    this.#tx = new Transaction<AccountsState>(base);
  }

  get<C extends AccountsCollection>(collection: C, key: string): RecordIn<AccountsState, C> | undefined {
    return this.#tx.get(collection, key);
  }

  put<C extends AccountsCollection>(collection: C, key: string, value: RecordIn<AccountsState, C>): void {
    this.#tx.put(collection, key, value);
  }

  delete(collection: AccountsCollection, key: string): void {
    this.#tx.delete(collection, key);
  }

  get changes(): AccountsChange[] {
    return this.#tx.changes;
  }

  result(): S {
    return { ...this.#base, ...this.#tx.result() };
  }
}
