// Reading the core's state: the named queries the shell's pages and tools use instead of walking
// the collections themselves, each backed by an index where it would otherwise scan.
import { keysWhere } from './state.ts';
import type { ClientRecord, CoreConfig, CoreState, GrantRecord, PendingRecord, Seconds } from './types.ts';

// Remembered consent and the consent page's step are in consent.ts; access-token liveness in state.ts.

/** A client by id: operator-defined clients first, then registered ones. */
export function findClient(state: CoreState, config: CoreConfig, clientId: string): ClientRecord | undefined {
  return config.predefinedClients.find((c) => c.clientId === clientId) ?? (Object.hasOwn(state.clients, clientId) ? state.clients[clientId] : undefined);
}

/** A validated authorization request still waiting for its answer; an expired one is none. */
export function pendingRequest(state: CoreState, requestId: string | undefined, now: Seconds): PendingRecord | undefined {
  if (requestId === undefined || !Object.hasOwn(state.pending, requestId)) return undefined;
  const request = state.pending[requestId];
  return request && now < request.expiresAt ? request : undefined;
}

/** One app the user connected: its grant, and its client if still known. */
export interface ConnectedApp {
  grant: GrantRecord;
  client: ClientRecord | undefined;
}

/** The user's grants, newest first (ties by grant id), found by index rather than by scanning every grant. */
export function connectedApps(state: CoreState, config: CoreConfig, userId: string): ConnectedApp[] {
  const grants: GrantRecord[] = [];
  for (const grantId of keysWhere(state.grants, 'userId', userId)) {
    const grant = state.grants[grantId];
    if (grant) grants.push(grant);
  }
  grants.sort((a, b) => b.createdAt - a.createdAt || (a.grantId < b.grantId ? -1 : 1));
  return grants.map((grant) => ({ grant, client: findClient(state, config, grant.clientId) }));
}
