// The fetch policy every test server gets unless a test serves documents itself: no name resolves
// and no address is reachable, so a URL-shaped client_id from a fuzzer or a typo can never make the
// server connect anywhere. Tests that serve documents use `DocumentHost.fetchPolicy()`.
import type { LookupAddress } from 'node:dns';
import { DEFAULT_FETCH_POLICY, type FetchPolicy } from '../../src/clients/fetch-json.ts';

const noLookup = ((name: string, _options: unknown, callback: (error: NodeJS.ErrnoException | null, address?: string | LookupAddress[], family?: number) => void) => {
  callback(Object.assign(new Error(`tests resolve no names (${name})`), { code: 'ENOTFOUND' }));
}) as unknown as NonNullable<FetchPolicy['lookup']>;

export const OFFLINE_FETCH_POLICY: FetchPolicy = { ...DEFAULT_FETCH_POLICY, lookup: noLookup, reachable: () => false };
