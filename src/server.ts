// Composition root: configuration and logs, the application layer (src/app), and the HTTP adapters
// (src/http, with /mcp from src/mcp mounted last), started on a port.
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { addUser } from './app/accounts.ts';
import { startLogs } from './app/logging.ts';
import type { Services } from './app/services.ts';
import { shutdown, type Drained } from './app/shutdown.ts';
import { assembleApp, openData, startApp } from './app/start.ts';
import { configFromEnv } from './config.ts';
import type { ServerConfig } from './config.ts';
import type { CoreConfig } from './core/index.ts';
import { freshValues } from './fresh-values.ts';
import { createApp } from './http/app.ts';
import { answerUnparsableRequest, MAX_HEADER_BYTES } from './http/middleware/bounds.ts';
import { mcpRoutes } from './mcp/index.ts';
import { clientsFilePath, readClientsFile } from './app/clients-file.ts';
import type { ClientRecord } from './core/index.ts';
import type { FetchPolicy } from './clients/fetch-json.ts';
import { controlHandlers } from './control/operations.ts';
import { controlSocketPath } from './control/protocol.ts';
import { startControlSocket } from './control/socket.ts';

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
  /** Test-only: how client metadata documents and keys are fetched (a test CA, loopback host names). */
  fetchPolicy?: FetchPolicy;
}

export interface RunningServer {
  url: string;
  config: ServerConfig;
  services: Services;
  /** The one-time owner setup link, while no user exists. */
  setupUrl: string | undefined;
  /** Requests being answered right now. */
  readonly inFlight: number;
  createUser(username: string, password: string): Promise<void>;
  /** Graceful: stops accepting, lets requests in flight finish for up to `graceMs` (SHUTDOWN_TIMEOUT), then flushes, compacts and releases the data directory. */
  close(graceMs?: number): Promise<Drained>;
}

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const env = options.env ?? (options.dataDir === undefined ? {} : process.env);
  const config = listeningConfig(options, env);
  const logs = startLogs({ level: config.logLevel, enabled: options.log ?? options.logDestination !== undefined, destination: options.logDestination });
  if (options.dataDir !== undefined) await refuseNonDirectory(options.dataDir);
  // A malformed clients file stops start-up here, before the data directory is locked.
  const predefined = options.dataDir === undefined ? [] : await readClientsFile(clientsFilePath(options.dataDir, env));
  const data = await openData(options.dataDir, { ...(options.compactEvery === undefined ? {} : { compactEvery: options.compactEvery }), log: logs.log });
  let http: Server;
  try {
    http = await listen(config.port, config.host);
  } catch (error) {
    await data.store.close(); // the port was refused: the data directory is released for the next try
    throw error;
  }
  const app = assembleApp({
    config: locatedConfig(config, options, env, (http.address() as AddressInfo).port, predefined),
    data,
    log: logs.log,
    now: options.now ?? (() => Math.floor(Date.now() / 1000)),
    fresh: options.fresh ?? freshValues(),
    ...(options.fetchPolicy === undefined ? {} : { fetchPolicy: options.fetchPolicy }),
  });
  const inFlight = countInFlight(http);
  http.on('request', createApp(app.services, { routes: [mcpRoutes] }).callback());
  const running = await startApp(app);
  const { services } = running;
  // Started last: by then everything it can be asked to change exists.
  const control = options.dataDir === undefined ? undefined : await startControlSocket(controlSocketPath(options.dataDir), controlHandlers(services, running.store), logs.log);

  return {
    url: services.config.publicUrl,
    config: services.config,
    services,
    setupUrl: running.setupUrl,
    get inFlight() {
      return inFlight.count;
    },
    createUser: (username, password) => addUser(services, username, password),
    close: (graceMs = services.config.shutdownTimeout * 1000) =>
      shutdown(running, async () => {
        await control?.close();
        return drainHttp(http, graceMs, inFlight);
      }, logs),
  };
}

/** DATA_DIR naming a file would otherwise surface as a failure to read the clients file inside it. */
async function refuseNonDirectory(dir: string): Promise<void> {
  const found = await stat(dir).catch(() => undefined);
  if (found !== undefined && !found.isDirectory()) throw Object.assign(new Error(`${dir} is not a directory`), { code: 'ENOTDIR', path: dir });
}

/** The configuration to listen with: the environment, then the port and host the options give. */
function listeningConfig(options: ServerOptions, env: NodeJS.ProcessEnv): ServerConfig {
  const base = configFromEnv({ ...env, ...(options.port === undefined ? {} : { PORT: String(options.port) }) });
  const port = options.port ?? base.port;
  const host = options.host ?? (options.port === undefined ? base.host : '127.0.0.1');
  return { ...base, port, host, dataDir: options.dataDir };
}

/** With port 0 the public URL is only known once listening; the core overrides go over the result. */
function locatedConfig(config: ServerConfig, options: ServerOptions, env: NodeJS.ProcessEnv, actualPort: number, predefined: ClientRecord[]): ServerConfig {
  const { host } = config;
  const publicUrl = options.publicUrl ?? (env.PUBLIC_URL ? config.publicUrl : `http://${localName(host, options.host === undefined && options.port === undefined && !env.HOST)}:${actualPort}`);
  const located: ServerConfig = publicUrl === config.publicUrl ? config : configFromEnv({ ...env, PUBLIC_URL: publicUrl, PORT: String(actualPort) }, { port: actualPort, host, dataDir: options.dataDir });
  const withClients: ServerConfig = predefined.length === 0 ? located : { ...located, core: { ...located.core, predefinedClients: [...located.core.predefinedClients, ...predefined] } };
  return options.coreOverrides === undefined ? withClients : { ...withClients, core: { ...withClients.core, ...options.coreOverrides } };
}

/** The name for a local URL: `localhost` for every interface and for the default loopback bind (what the README opens). */
function localName(host: string, defaultBind: boolean): string {
  if (host === '0.0.0.0' || host === '::' || defaultBind) return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

async function listen(port: number, host: string): Promise<Server> {
  const http = createServer({ maxHeaderSize: MAX_HEADER_BYTES });
  http.on('clientError', answerUnparsableRequest);
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(port, host, () => resolve());
  });
  return http;
}

interface InFlight {
  count: number;
}

function countInFlight(http: Server): InFlight {
  const inFlight = { count: 0 };
  http.on('request', (_request, response: ServerResponse) => {
    inFlight.count++;
    response.once('close', () => inFlight.count--);
  });
  return inFlight;
}

/** How often idle keep-alive connections are closed while requests drain. */
const IDLE_SWEEP_MS = 20;

/**
 * Stops accepting, lets the requests in flight finish for up to `graceMs`, then cuts what is left;
 * keep-alive connections are closed as soon as they fall idle. Says how many finished and how many were cut.
 */
async function drainHttp(http: Server, graceMs: number, inFlight: InFlight): Promise<Drained> {
  const waiting = inFlight.count;
  const closed = new Promise<void>((resolve) => http.close(() => resolve()));
  http.closeIdleConnections();
  const sweep = setInterval(() => http.closeIdleConnections(), IDLE_SWEEP_MS);
  let cut = 0;
  const deadline = setTimeout(() => {
    cut = inFlight.count;
    http.closeAllConnections();
  }, graceMs);
  try {
    await closed;
  } finally {
    clearInterval(sweep);
    clearTimeout(deadline);
  }
  return { finished: waiting - cut, cut };
}
