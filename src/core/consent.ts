// The consent step between a validated authorization request and its code: the request must still
// wait for an answer, and a returning client asking for no more than a live grant of the same user
// already holds skips the consent page (the redirect URI was validated by `authorize`).
import { isLoopback } from './loopback.ts';
import { findClient, pendingRequest } from './queries.ts';
import { keysWhere } from './state.ts';
import type { ClientRecord, CoreConfig, CoreState, PendingRecord, Seconds } from './types.ts';

/** What the signed-in user meets when an authorization request reaches the consent page. */
export type ConsentStep =
  /** Unknown, expired or already answered: nothing to approve. */
  | { kind: 'expired' }
  /** Remembered consent covers every scope asked for: approve without asking again. */
  | { kind: 'remembered' }
  /** Ask: who is asking (the client, if still known) and for what. */
  | { kind: 'ask'; request: PendingRecord; client: ClientRecord | undefined; loopbackOnly: boolean };

export function consentStep(state: CoreState, config: CoreConfig, requestId: string | undefined, userId: string, now: Seconds): ConsentStep {
  const request = pendingRequest(state, requestId, now);
  if (!request) return { kind: 'expired' };
  if (priorConsentCovers(state, userId, request.clientId, request.scopes)) return { kind: 'remembered' };
  const client = findClient(state, config, request.clientId);
  // MCP-44: an app that can only redirect to this computer cannot be told apart by its address.
  const loopbackOnly = (client?.redirectUris ?? []).every((uri) => isLoopback(uri, 'redirect'));
  return { kind: 'ask', request, client, loopbackOnly };
}

export function priorConsentCovers(state: CoreState, userId: string, clientId: string, scopes: readonly string[]): boolean {
  // Only this client's grants: looked up by index, not by scanning every grant of every client.
  for (const grantId of keysWhere(state.grants, 'clientId', clientId)) {
    const grant = state.grants[grantId];
    if (grant && grant.userId === userId && scopes.every((scope) => grant.scopes.includes(scope))) return true;
  }
  return false;
}
