// Start-up of the application layer, in steps around the HTTP listener (src/server.ts): the data is
// opened before a port is taken (a locked data directory stops start-up there), the services are
// assembled once the public URL is known (with port 0, only after listening), and the app starts
// once its adapters are mounted.
import type { Logger } from 'pino';
import { emptyAccountsState } from '../accounts/types.ts';
import type { ServerConfig } from '../config.ts';
import { emptyState, isAccessTokenLive } from '../core/index.ts';
import { buildSearchIndex } from '../notes/index.ts';
import { emptyNotesState } from '../notes/types.ts';
import { CURRENT_SCHEMA_VERSION, describeTightened, openFileStore, openMemoryStore } from '../store/index.ts';
import type { Store } from '../store/index.ts';
import { CLOCK_TOLERANCE, createVerifier, keyRingFrom, loadOrCreateKeyFile, memoryKeys } from '../tokens/index.ts';
import type { KeyFileState } from '../tokens/index.ts';
import { ClientResolver } from '../clients/resolver.ts';
import type { FetchPolicy } from '../clients/fetch-json.ts';
import { setupLinkIfNoUsers } from './accounts.ts';
import { CommitQueue } from './commit-queue.ts';
import { internCollections } from '../records/index.ts';
import { scheduleCompaction, startTick, TICK_EVERY_MS } from './schedulers.ts';
import type { Compaction, Timer } from './schedulers.ts';
import type { AppState, Services } from './services.ts';
import { SigningKeys } from './signing-keys.ts';

export interface Data {
  store: Store;
  keys: KeyFileState;
}

export interface DataOptions {
  compactEvery?: number;
  /** Where the one line about a data directory narrowed to owner-only goes. */
  log?: Logger;
}

/** The store and the signing keys: files under `dataDir`, or memory without one (tests). */
export async function openData(dataDir: string | undefined, { compactEvery, log }: DataOptions = {}): Promise<Data> {
  if (dataDir === undefined) {
    const stored = await memoryKeys();
    return { store: openMemoryStore(), keys: { ring: await keyRingFrom(stored), stored } };
  }
  const store = await openFileStore(dataDir, compactEvery === undefined ? {} : { compactEvery });
  if (store.tightened.length > 0) log?.warn({ dataDir, tightened: store.tightened.length }, describeTightened(dataDir, store.tightened));
  if (store.migrated !== undefined) {
    log?.warn({ dataDir, steps: store.migrated.steps, keptIn: store.migrated.keptIn }, `the data in ${dataDir} was migrated to schemaVersion ${CURRENT_SCHEMA_VERSION} (${store.migrated.steps.join('; ')}); the files as they were are kept in ${store.migrated.keptIn}`);
  }
  let keys: Awaited<ReturnType<typeof loadOrCreateKeyFile>>;
  try {
    keys = await loadOrCreateKeyFile(dataDir);
  } catch (error) {
    await store.close();
    if (typeof (error as NodeJS.ErrnoException).code === 'string') throw error; // the file system's: the CLI names it
    // The key file's own message names the file and what is wrong with it, never its contents.
    throw new Error(`${(error as Error).message}; restore keys.json from a backup, or move it aside to make new keys (every connected app then signs in again)`, { cause: error });
  }
  if (!keys.existed && holdsData(store.loaded)) {
    log?.warn({ dataDir }, `keys.json was missing next to existing data in ${dataDir}: new signing keys were made, so every access token issued before no longer verifies and connected apps must sign in again (restore keys.json from a backup and restart to undo this)`);
  }
  return { store, keys };
}

export interface AppInput {
  config: ServerConfig;
  data: Data;
  log: Logger;
  now: () => number;
  fresh: () => string;
  /** How client documents and keys are fetched; tests point it at their own HTTPS server. */
  fetchPolicy?: FetchPolicy;
}

export interface App {
  services: Services;
  store: Store;
  compaction: Compaction;
}

/** The commit queue over what the store loaded (each append starts compaction when due), the verifier, the services. */
export function assembleApp({ config, data, log, now, fresh, fetchPolicy }: AppInput): App {
  const { store } = data;
  const signingKeys = new SigningKeys(config.dataDir, data.keys, config.core.accessTokenTtl + CLOCK_TOLERANCE, now, log);
  const keys = signingKeys.ring;
  const compaction = scheduleCompaction(store, log);
  const queue: CommitQueue<AppState> = new CommitQueue<AppState>(initialState(store), config.core, async (changes) => {
    await store.append(changes);
    compaction.startIfDue(queue);
  });
  const verifyAccessToken = createVerifier({ keys, issuer: config.core.issuer, resource: config.core.resource, isLive: (claims, at) => isAccessTokenLive(queue.state, claims, at), now });
  const clients = new ClientResolver({ config: config.core, now, ...(fetchPolicy === undefined ? {} : { fetchPolicy }) });
  return { services: { config, queue, keys, signingKeys, clients, verifyAccessToken, now, fresh, log }, store, compaction };
}

export interface RunningApp extends App {
  /** The one-time owner setup link, while no user exists. */
  setupUrl: string | undefined;
  tick: Timer;
}

/** Once the adapters are mounted: the setup link while no user exists, then the tick. */
export async function startApp(app: App): Promise<RunningApp> {
  // NOTES-SEARCH-01: the search index is built here, once, rather than by the first search.
  buildSearchIndex(app.services.queue.state.notes);
  const setupUrl = await setupLinkIfNoUsers(app.services);
  const tick = startTick(app.services.queue, app.services.now, app.services.log, TICK_EVERY_MS, () => app.services.signingKeys.dropExpired(), app.services.config.noteRetention);
  return { ...app, setupUrl, tick };
}

/** Data a signing key must have existed for: people or connected apps. */
function holdsData(loaded: Store['loaded']): boolean {
  return ['users', 'grants'].some((name) => Object.keys(loaded[name] ?? {}).length > 0);
}

function initialState(store: Store): AppState {
  internCollections(store.loaded as Record<string, Record<string, unknown>>);
  return { ...emptyState(), ...emptyAccountsState(), ...emptyNotesState(), ...(store.loaded as Partial<AppState>) };
}
