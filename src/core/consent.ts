// Remembered consent: a returning client asking for no more than a live grant of the same user
// already holds may skip the consent page (the redirect URI was validated by `authorize`).
import type { CoreState } from './types.ts';

export function priorConsentCovers(state: CoreState, userId: string, clientId: string, scopes: readonly string[]): boolean {
  return Object.values(state.grants).some(
    (grant) => grant.userId === userId && grant.clientId === clientId && scopes.every((scope) => grant.scopes.includes(scope)),
  );
}
