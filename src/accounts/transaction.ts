// A typed face on the core's `Transaction` for the account collections: the core class copies each
// collection it touches once, records every put and delete, and keeps collections it does not know.
import { Transaction } from '../core/state.ts';
import type { CoreState } from '../core/types.ts';
import type { AccountsChange, AccountsCollection, AccountsState } from './types.ts';

export class AccountsTransaction<S extends AccountsState> {
  readonly #tx: Transaction;

  constructor(base: S) {
    this.#tx = new Transaction(base as unknown as CoreState);
  }

  get<C extends AccountsCollection>(collection: C, key: string): AccountsState[C][string] | undefined {
    return this.#tx.get(collection as never, key) as AccountsState[C][string] | undefined;
  }

  put<C extends AccountsCollection>(collection: C, key: string, value: AccountsState[C][string]): void {
    this.#tx.put(collection as never, key, value as never);
  }

  delete(collection: AccountsCollection, key: string): void {
    this.#tx.delete(collection as never, key);
  }

  get changes(): AccountsChange[] {
    return this.#tx.changes as unknown as AccountsChange[];
  }

  result(): S {
    return this.#tx.result() as unknown as S;
  }
}

