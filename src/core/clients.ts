// Finding a client: operator-defined clients first, then registered ones.
import type { ClientRecord, CoreConfig, CoreState } from './types.ts';

export function findClient(state: CoreState, config: CoreConfig, clientId: string): ClientRecord | undefined {
  return config.predefinedClients.find((c) => c.clientId === clientId) ?? (Object.hasOwn(state.clients, clientId) ? state.clients[clientId] : undefined);
}
