// The client a request names, however it is known: operator-defined first, then the metadata
// document of a URL-shaped id (CIMD), then a registered (DCR) one.
import { documentClient, isMetadataUrl, sameClient } from './client-document.ts';
import { invalidClientMetadata } from './errors.ts';
import { collectionSize } from './state.ts';
import type { Transaction } from './state.ts';
import type { ClientDocument, ClientRecord, CoreConfig, CoreState, OAuthError, Seconds } from './types.ts';

function stored(state: CoreState, clientId: string): ClientRecord | undefined {
  return Object.hasOwn(state.clients, clientId) ? state.clients[clientId] : undefined;
}

/** `undefined` for an unknown client; an error when a metadata document does not make one. */
export function requestClient(state: CoreState, config: CoreConfig, clientId: string, document: ClientDocument | undefined, now: Seconds): ClientRecord | OAuthError | undefined {
  const predefined = config.predefinedClients.find((c) => c.clientId === clientId);
  if (predefined) return predefined;
  if (isMetadataUrl(clientId)) return documentClient(config, clientId, document, now, stored(state, clientId));
  return stored(state, clientId);
}

/**
 * Keeps a metadata-document client's record in step with its document (consent and the apps page
 * read it). A new one counts against the same cap as registrations, so URLs cannot inflate state.
 */
export function rememberDocumentClient(tx: Transaction, state: CoreState, config: CoreConfig, client: ClientRecord): OAuthError | undefined {
  if (client.source !== 'cimd') return undefined;
  const known = tx.get('clients', client.clientId);
  if (sameClient(known, client)) return undefined;
  if (known === undefined && collectionSize(state.clients) >= config.limits.maxClients) {
    return invalidClientMetadata(`this server has reached its limit of ${config.limits.maxClients} clients`, 'REQ-13');
  }
  tx.put('clients', client.clientId, client);
  return undefined;
}
