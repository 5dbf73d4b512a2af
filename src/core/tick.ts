// Time passing: expire and forget what can no longer be used, so the data file stays small.
import { Transaction } from './state.ts';
import type { CoreConfig, CoreState, Seconds, StepResult, TickCommand, TickOutcome } from './types.ts';

/**
 * DCR clients nothing refers to any more: never connected within `unusedClientTtl` of registering
 * (Claude registers anew on every fresh connection), or idle for `idleClientTtl` since their last
 * code exchange. Runs after the other pruning, so what this tick forgot no longer counts as a use.
 */
function pruneIdleClients(tx: Transaction, state: CoreState, config: CoreConfig, now: Seconds): void {
  const inUse = new Set<string>();
  for (const pending of Object.values(state.pending)) if (tx.get('pending', pending.requestId)) inUse.add(pending.clientId);
  for (const code of Object.values(state.codes)) if (tx.get('codes', code.codeHash)) inUse.add(code.clientId);
  for (const grant of Object.values(state.grants)) if (tx.get('grants', grant.grantId)) inUse.add(grant.clientId);
  for (const client of Object.values(state.clients)) {
    if (inUse.has(client.clientId)) continue;
    const forgetAt = client.connectedAt === undefined ? client.issuedAt + config.unusedClientTtl : client.connectedAt + config.idleClientTtl;
    if (now >= forgetAt) tx.delete('clients', client.clientId);
  }
}

export function tick(state: CoreState, config: CoreConfig, command: TickCommand): StepResult<TickOutcome> {
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
  for (const used of Object.values(state.usedAssertions)) {
    if (now >= used.expiresAt) tx.delete('usedAssertions', used.key);
  }
  // A rotated token is remembered for reuse detection only so long; one whose grant is gone
  // (revoked) can never be used again.
  const families = new Set<string>();
  for (const record of Object.values(state.refreshTokens)) {
    const forgetAt = record.rotation ? Math.min(record.expiresAt, record.rotation.rotatedAt + config.reuseDetection) : record.expiresAt;
    if (now >= forgetAt || !Object.hasOwn(state.grants, record.grantId)) tx.delete('refreshTokens', record.tokenHash);
    else families.add(record.grantId);
  }
  for (const grant of Object.values(state.grants)) {
    if (!families.has(grant.grantId) && now >= grant.accessExpiresAt) {
      tx.delete('grants', grant.grantId);
      continue;
    }
    // The grant lists live tokens only (data written before that rule may list rotated ones).
    const live = grant.refreshHashes.filter((hash) => tx.get('refreshTokens', hash)?.rotation === undefined && tx.get('refreshTokens', hash) !== undefined);
    if (live.length !== grant.refreshHashes.length) tx.put('grants', grant.grantId, { ...grant, refreshHashes: live });
  }
  pruneIdleClients(tx, state, config, now);
  return { state: tx.result(), changes: tx.changes, outcome: { kind: 'ticked', pruned: tx.changes.filter((c) => c.op === 'delete').length } };
}
