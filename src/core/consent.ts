// Remembered consent: a returning client asking for no more than a live grant of the same user
// already holds may skip the consent page (the redirect URI was validated by `authorize`).
import { keysWhere } from './state.ts';
import type { CoreState } from './types.ts';

export function priorConsentCovers(state: CoreState, userId: string, clientId: string, scopes: readonly string[]): boolean {
  // Only this client's grants: looked up by index, not by scanning every grant of every client.
  for (const grantId of keysWhere(state.grants, 'clientId', clientId)) {
    const grant = state.grants[grantId];
    if (grant && grant.userId === userId && scopes.every((scope) => grant.scopes.includes(scope))) return true;
  }
  return false;
}
