// The core's own types beyond the command contract: the change records a transition returns and
// the shape of a transition's result. The contract itself (config, records, commands, outcomes)
// is `commands.ts`, re-exported here for the core's modules.
import type { Change as RecordChange } from '../records/index.ts';
import type { CoreState, Outcome } from './commands.ts';

export type * from './commands.ts';

export type Collection = keyof CoreState;

/** One record a transition wrote or removed: exactly what the persistence journal appends. */
export type Change = RecordChange<Collection>;

export interface StepResult<O extends Outcome = Outcome> {
  state: CoreState;
  changes: Change[];
  outcome: O;
}
