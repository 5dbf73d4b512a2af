// What the routes share: configuration, the commit queue over the whole app state, signing keys,
// the access-token verifier, and the two things the pure core may not produce itself (time and
// fresh random values), injectable so tests can drive them.
import type { Logger } from 'pino';
import type { AccountsState } from '../accounts/types.ts';
import type { ServerConfig } from '../config.ts';
import type { CoreState } from '../core/index.ts';
import type { NotesState } from '../notes/types.ts';
import type { ClientResolver } from '../clients/resolver.ts';
import type { CommitQueue } from './commit-queue.ts';
import type { SigningKeys } from './signing-keys.ts';
import type { KeyRing, Verification } from '../tokens/index.ts';

export type AppState = CoreState & AccountsState & NotesState;

export interface Services {
  config: ServerConfig;
  queue: CommitQueue<AppState>;
  keys: KeyRing;
  /** Rotation and retirement of the keys behind `keys`. */
  signingKeys: SigningKeys;
  /** Metadata documents and client assertions, fetched and checked before the core decides. */
  clients: ClientResolver;
  verifyAccessToken: (token: string) => Promise<Verification>;
  /** Seconds since the epoch. */
  now: () => number;
  /** 256 random bits, base64url: ids, codes, tokens, CSRF values. */
  fresh: () => string;
  log: Logger;
}
