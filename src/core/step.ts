// The whole machine: one pure function from (state, command) to (state, changes, outcome).
import { authorize } from './authorize.ts';
import { decide } from './decide.ts';
import { register } from './register.ts';
import { revoke } from './revoke.ts';
import { revokeGrant } from './revoke-grant.ts';
import { tick } from './tick.ts';
import { token } from './token.ts';
import type { Command, CoreConfig, CoreState, OutcomeOf, StepResult } from './types.ts';

/** Runs one command; its result carries exactly that command's outcome type (`OutcomeOf<C>`). */
export function step<C extends Command>(state: CoreState, config: CoreConfig, command: C): StepResult<OutcomeOf<C>> {
  // The one boundary where the command's type is tied to its outcome's: each case below returns
  // its own transition's result, and TypeScript cannot narrow the type parameter `C` by a switch.
  return transition(state, config, command) as StepResult<OutcomeOf<C>>;
}

function transition(state: CoreState, config: CoreConfig, command: Command): StepResult {
  switch (command.type) {
    case 'register':
      return register(state, config, command);
    case 'authorize':
      return authorize(state, config, command);
    case 'decide':
      return decide(state, config, command);
    case 'token':
      return token(state, config, command);
    case 'revoke':
      return revoke(state, config, command);
    case 'revokeGrant':
      return revokeGrant(state, command);
    case 'tick':
      return tick(state, config, command);
  }
}
