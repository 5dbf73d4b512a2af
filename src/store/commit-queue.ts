// The single commit queue every mutation goes through. Commands are stepped one at a time against
// the latest state, so two requests racing for the same code or refresh token are decided in a
// definite order; the caller gets its outcome only once the changes are durable.
import { step } from '../core/index.ts';
import type { Change, Command, CoreConfig, CoreState, Outcome } from '../core/index.ts';

/** Makes a batch of changes durable (the journal's append + fdatasync, or nothing in tests). */
export type Persist = (changes: readonly Change[]) => Promise<void>;

export class CommitQueue {
  #state: CoreState;
  #tail: Promise<void> = Promise.resolve();
  #failure: unknown;

  constructor(state: CoreState, private readonly config: CoreConfig, private readonly persist: Persist) {
    this.#state = state;
  }

  get state(): CoreState {
    return this.#state;
  }

  /**
   * Steps the command when its turn comes and resolves after its changes are persisted. If a
   * write ever fails, the queue stops: state in memory may be ahead of the disk, so nothing
   * more is acknowledged until a restart reloads what is durable.
   */
  run(command: Command): Promise<Outcome> {
    const turn = this.#tail.then(async () => {
      if (this.#failure !== undefined) throw new Error('the store failed earlier; restart to recover', { cause: this.#failure });
      const result = step(this.#state, this.config, command);
      this.#state = result.state;
      if (result.changes.length > 0) {
        try {
          await this.persist(result.changes);
        } catch (error) {
          this.#failure = error;
          throw error;
        }
      }
      return result.outcome;
    });
    this.#tail = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }
}
