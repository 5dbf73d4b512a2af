// Time passing: expire and forget what can no longer be used, so the data file stays small.
import { Transaction } from './state.ts';
import type { CoreConfig, CoreState, StepResult, TickCommand } from './types.ts';

export function tick(state: CoreState, config: CoreConfig, command: TickCommand): StepResult {
  const { now } = command;
  const tx = new Transaction(state);
  for (const pending of Object.values(state.pending)) {
    if (now >= pending.expiresAt) tx.delete('pending', pending.requestId);
  }
  for (const code of Object.values(state.codes)) {
    if (now >= code.expiresAt) tx.delete('codes', code.codeHash);
  }
  for (const revoked of Object.values(state.revokedAccessTokens)) {
    if (now >= revoked.expiresAt) tx.delete('revokedAccessTokens', revoked.jti);
  }
  for (const grant of Object.values(state.grants)) {
    // A rotated token is remembered for reuse detection only so long.
    const kept = grant.refreshHashes.filter((hash) => {
      const record = state.refreshTokens[hash];
      if (!record) return false;
      const forgetAt = record.rotation ? Math.min(record.expiresAt, record.rotation.rotatedAt + config.reuseDetection) : record.expiresAt;
      if (now < forgetAt) return true;
      tx.delete('refreshTokens', hash);
      return false;
    });
    if (kept.length === 0 && now >= grant.accessExpiresAt) {
      tx.delete('grants', grant.grantId);
    } else if (kept.length !== grant.refreshHashes.length) {
      tx.put('grants', grant.grantId, { ...grant, refreshHashes: kept });
    }
  }
  return { state: tx.result(), changes: tx.changes, outcome: { kind: 'ticked', pruned: tx.changes.filter((c) => c.op === 'delete').length } };
}
