// Composition root: configuration, store, keys, commit queue and the Koa app, started on a port.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { emptyAccountsState } from './accounts/types.ts';
import { emptyNotesState } from './notes/types.ts';
import { createUser, hasUsers } from './accounts/users.ts';
import { issueSetupToken } from './accounts/setup.ts';
import { hashPassword } from './accounts/passwords.ts';
import { pruneSessions } from './accounts/sessions.ts';
import { configFromEnv } from './config.ts';
import { freshValues } from './fresh-values.ts';
import type { ServerConfig } from './config.ts';
import { emptyState, isAccessTokenLive } from './core/index.ts';
import type { CoreConfig } from './core/index.ts';
import { createApp } from './http/app.ts';
import { answerUnparsableRequest, MAX_HEADER_BYTES } from './http/middleware/bounds.ts';
import type { AppState, Services } from './app/services.ts';
import { CommitQueue } from './app/commit-queue.ts';
import { openFileStore, openMemoryStore } from './store/index.ts';
import type { Store } from './store/index.ts';
import { createVerifier, loadOrCreateKeyRing, memoryKeyRing } from './tokens/index.ts';

export interface ServerOptions {
  port?: number;
  host?: string;
  publicUrl?: string;
  /** Where data lives; omit to keep everything in memory (tests). */
  dataDir?: string;
  log?: boolean;
  /** Where log lines go (tests capture them); setting it turns logging on unless `log` is false. */
  logDestination?: NodeJS.WritableStream;
  env?: NodeJS.ProcessEnv;
  /** Injected time and randomness, for tests that drive the server like the model. */
  now?: () => number;
  fresh?: () => string;
  /** Journal entries after which the store compacts (default 10,000; tests use a few). */
  compactEvery?: number;
  /** Core settings merged over the defaults once issuer and resource are set (tests: predefined clients). */
  coreOverrides?: Partial<CoreConfig>;
}

export interface RunningServer {
  url: string;
  config: ServerConfig;
  services: Services;
  /** The one-time owner setup link, while no user exists. */
  setupUrl: string | undefined;
  createUser(username: string, password: string): Promise<void>;
  close(): Promise<void>;
}

const TICK_EVERY_MS = 60_000;

/** Durations to a tenth of a millisecond, for log lines. */
function roundedMs<T extends object>(stats: T): T {
  return Object.fromEntries(Object.entries(stats).map(([name, value]) => [name, typeof value === 'number' && name.endsWith('Ms') || name === 'ms' ? Math.round(value * 10) / 10 : value])) as T;
}

function initialState(store: Store): AppState {
  return { ...emptyState(), ...emptyAccountsState(), ...emptyNotesState(), ...(store.loaded as Partial<AppState>) };
}

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const env = options.env ?? (options.dataDir === undefined ? {} : process.env);
  const base = configFromEnv({ ...env, ...(options.port === undefined ? {} : { PORT: String(options.port) }) });
  const port = options.port ?? base.port;
  const host = options.host ?? (options.port === undefined ? base.host : '127.0.0.1');
  const config: ServerConfig = { ...base, port, host, dataDir: options.dataDir };

  // Standard output is written in blocks of 4 KB (and at least every second) rather than one write
  // per request line; close() flushes what is left.
  const stdout = options.logDestination === undefined ? pino.destination({ dest: 1, sync: false, minLength: 4096 }) : undefined;
  const flushLogs = setInterval(() => stdout?.flush(), 1000);
  flushLogs.unref();
  const log = pino({ level: config.logLevel, enabled: options.log ?? options.logDestination !== undefined }, options.logDestination ?? stdout);
  const store = options.dataDir === undefined ? openMemoryStore() : await openFileStore(options.dataDir, options.compactEvery === undefined ? {} : { compactEvery: options.compactEvery });
  const keys = options.dataDir === undefined ? await memoryKeyRing() : await loadOrCreateKeyRing(options.dataDir);
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  const fresh = options.fresh ?? freshValues();

  const http = createServer({ maxHeaderSize: MAX_HEADER_BYTES });
  http.on('clientError', answerUnparsableRequest);
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(port, host, () => resolve());
  });
  // With port 0 the public URL is only known now.
  const actualPort = (http.address() as AddressInfo).port;
  const publicUrl = options.publicUrl ?? (env.PUBLIC_URL ? config.publicUrl : `http://${host === '0.0.0.0' ? 'localhost' : host}:${actualPort}`);
  const located: ServerConfig = publicUrl === config.publicUrl ? config : configFromEnv({ ...env, PUBLIC_URL: publicUrl, PORT: String(actualPort) }, { port: actualPort, host, dataDir: options.dataDir });
  const final: ServerConfig = options.coreOverrides === undefined ? located : { ...located, core: { ...located.core, ...options.coreOverrides } };

  // Compaction starts as soon as the journal is due, in the background and one at a time; the
  // snapshot is written in slices, so requests keep being answered meanwhile.
  let compacting: Promise<void> | undefined;
  const compactIfDue = () => {
    if (compacting !== undefined || queue.failed || !store.needsCompaction()) return;
    compacting = store
      .compact(queue.state)
      .then(
        (stats) => {
          if (stats) log.info({ ...roundedMs(stats) }, 'journal compacted');
        },
        (error: unknown) => log.error({ err: error }, 'compaction failed'),
      )
      .finally(() => (compacting = undefined));
  };
  const queue = new CommitQueue<AppState>(initialState(store), final.core, async (changes) => {
    await store.append(changes);
    compactIfDue();
  });
  const verifyAccessToken = createVerifier({ keys, issuer: final.core.issuer, resource: final.core.resource, isLive: (claims, at) => isAccessTokenLive(queue.state, claims, at), now });
  const services: Services = { config: final, queue, keys, verifyAccessToken, now, fresh, log };
  http.on('request', createApp(services).callback());

  let setupUrl: string | undefined;
  if (!hasUsers(queue.state)) {
    const token = fresh();
    await queue.apply((state) => issueSetupToken(state, { token, now: now() }));
    setupUrl = `${final.publicUrl}/setup?token=${token}`;
  }

  // Time passing: expire and prune.
  const tick = setInterval(() => {
    void (async () => {
      await queue.run({ type: 'tick', now: now() });
      await queue.apply((state) => pruneSessions(state, now()));
    })().catch((error: unknown) => log.error({ err: error }, 'tick failed'));
  }, TICK_EVERY_MS);
  tick.unref();

  return {
    url: final.publicUrl,
    config: final,
    services,
    setupUrl,
    async createUser(username, password) {
      const passwordHash = await hashPassword(password);
      const userId = fresh();
      const outcome = await queue.apply((state) => createUser(state, { userId, username, passwordHash, now: now() }));
      if (outcome.kind === 'error') throw new Error(`cannot create user ${username}: ${outcome.error}`);
    },
    async close() {
      clearInterval(tick);
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await compacting;
      if (!queue.failed) await store.compact(queue.state).catch((error: unknown) => log.error({ err: error }, 'compaction at shutdown failed'));
      await store.close();
      clearInterval(flushLogs);
      stdout?.flushSync();
    },
  };
}
