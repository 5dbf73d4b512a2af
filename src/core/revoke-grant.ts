// A user disconnects an app: its grant and every token derived from it stop working at once.
import { notFound } from './errors.ts';
import { revokeGrant as revokeFamily } from './grant.ts';
import { Transaction } from './state.ts';
import type { CoreState, RevokeGrantCommand, StepResult, RevokeGrantOutcome } from './types.ts';

export function revokeGrant(state: CoreState, command: RevokeGrantCommand): StepResult<RevokeGrantOutcome> {
  const tx = new Transaction(state);
  const grant = tx.get('grants', command.grantId);
  if (!grant || grant.userId !== command.userId) {
    return { state, changes: [], outcome: { kind: 'error', error: notFound('no such connected app', 'REQ-19') } };
  }
  revokeFamily(tx, grant.grantId);
  return { state: tx.result(), changes: tx.changes, outcome: { kind: 'grant_revoked', rule: 'REQ-16' } };
}
