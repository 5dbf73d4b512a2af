// The core's state: its empty value and the liveness rule for access tokens. Transactions, replay
// and indexes are the generic record engine's (src/records/); here they are typed over CoreState.
import { Transaction as RecordsTransaction } from '../records/index.ts';
import type { AccessTokenRef, CoreState, Seconds } from './types.ts';

export { applyChanges, collectionSize, keysWhere, owned } from '../records/index.ts';

/** A transaction over the core's collections. */
export const Transaction = RecordsTransaction;
export type Transaction = RecordsTransaction<CoreState>;

export function emptyState(): CoreState {
  return { clients: {}, pending: {}, codes: {}, grants: {}, refreshTokens: {}, revokedAccessTokens: {}, usedAssertions: {} };
}

/** Invariant 4: an access token is honoured only while its grant lives and it was not revoked. */
export function isAccessTokenLive(state: CoreState, token: Omit<AccessTokenRef, 'clientId'>, now: Seconds): boolean {
  return (
    now < token.exp &&
    Object.hasOwn(state.grants, token.gid) &&
    !Object.hasOwn(state.revokedAccessTokens, token.jti)
  );
}
