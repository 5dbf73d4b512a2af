// The single commit queue every mutation goes through. A transition is applied to the latest state
// the moment it is submitted (JavaScript runs one at a time, so two requests racing for the same
// code or refresh token are decided in submission order), its changes are handed to the store in
// that same order, and the caller gets its answer only once those changes are durable.
import { step } from '../core/index.ts';
import type { Command, CoreConfig, CoreState, OutcomeOf } from '../core/index.ts';
import { internRecord, owned } from '../records/index.ts';
import type { Change, Transition } from '../records/index.ts';

/** Makes a batch of changes durable (the journal's append + fdatasync, or nothing in tests). */
export type Persist = (changes: readonly Change[]) => Promise<void>;

export class CommitQueue<S extends CoreState = CoreState> {
  #state: S;
  /** Settles when everything submitted so far is durable. */
  #durable: Promise<void> = Promise.resolve();
  #failure: unknown;

  /**
   * The queue takes `state` over: from here on transitions update its collections in place (see
   * `owned` in src/core/state.ts), so the caller must not keep using it as a frozen value.
   */
  constructor(state: S, private readonly config: CoreConfig, private readonly persist: Persist) {
    this.#state = owned(state);
  }

  get state(): S {
    return this.#state;
  }

  get failed(): boolean {
    return this.#failure !== undefined;
  }

  /**
   * Applies a pure transition and resolves with its outcome once durable. An outcome without
   * changes still waits for earlier writes, since it may depend on them. If a write ever fails the
   * queue stops: memory may be ahead of the disk, so nothing more is acknowledged until a restart
   * reloads what is durable.
   */
  apply<T>(transition: (state: S) => Transition<S, T>): Promise<T> {
    if (this.#failure !== undefined) return Promise.reject(new Error('the store failed earlier; restart to recover', { cause: this.#failure }));
    const result = transition(this.#state);
    this.#state = owned(result.state);
    // Records written share their repeated members with those already held (equal values).
    for (const change of result.changes) if (change.op === 'put') internRecord(change.value);
    if (result.changes.length > 0) {
      const earlier = this.#durable;
      this.#durable = this.persist(result.changes)
        .then(() => earlier)
        .catch((error: unknown) => {
          this.#failure ??= error;
          throw error;
        });
    }
    return this.#durable.then(() => result.outcome);
  }

  /** Runs a command of the OAuth core; resolves with that command's own outcome type. */
  run<C extends Command>(command: C): Promise<OutcomeOf<C>> {
    return this.apply((state) => {
      const result = step(state, this.config, command);
      // The core sees only its own collections; the app's others ride along unchanged.
      return { ...result, state: { ...state, ...result.state } };
    });
  }
}
