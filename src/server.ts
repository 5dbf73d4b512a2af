// Composition root: configuration and logs, the application layer (src/app), and the HTTP adapters
// (src/http, with /mcp from src/mcp mounted last), started on a port.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { addUser } from './app/accounts.ts';
import { startLogs } from './app/logging.ts';
import type { Services } from './app/services.ts';
import { shutdown } from './app/shutdown.ts';
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
  createUser(username: string, password: string): Promise<void>;
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const env = options.env ?? (options.dataDir === undefined ? {} : process.env);
  const config = listeningConfig(options, env);
  const logs = startLogs({ level: config.logLevel, enabled: options.log ?? options.logDestination !== undefined, destination: options.logDestination });
  // A malformed clients file stops start-up here, before the data directory is locked.
  const predefined = options.dataDir === undefined ? [] : await readClientsFile(clientsFilePath(options.dataDir, env));
  const data = await openData(options.dataDir, { ...(options.compactEvery === undefined ? {} : { compactEvery: options.compactEvery }), log: logs.log });
  const http = await listen(config.port, config.host);
  const app = assembleApp({
    config: locatedConfig(config, options, env, (http.address() as AddressInfo).port, predefined),
    data,
    log: logs.log,
    now: options.now ?? (() => Math.floor(Date.now() / 1000)),
    fresh: options.fresh ?? freshValues(),
    ...(options.fetchPolicy === undefined ? {} : { fetchPolicy: options.fetchPolicy }),
  });
  http.on('request', createApp(app.services, { routes: [mcpRoutes] }).callback());
  const running = await startApp(app);
  const { services } = running;

  return {
    url: services.config.publicUrl,
    config: services.config,
    services,
    setupUrl: running.setupUrl,
    createUser: (username, password) => addUser(services, username, password),
    close: () => shutdown(running, () => closeHttp(http), logs),
  };
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
  const publicUrl = options.publicUrl ?? (env.PUBLIC_URL ? config.publicUrl : `http://${host === '0.0.0.0' ? 'localhost' : host}:${actualPort}`);
  const located: ServerConfig = publicUrl === config.publicUrl ? config : configFromEnv({ ...env, PUBLIC_URL: publicUrl, PORT: String(actualPort) }, { port: actualPort, host, dataDir: options.dataDir });
  const withClients: ServerConfig = predefined.length === 0 ? located : { ...located, core: { ...located.core, predefinedClients: [...located.core.predefinedClients, ...predefined] } };
  return options.coreOverrides === undefined ? withClients : { ...withClients, core: { ...withClients.core, ...options.coreOverrides } };
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

/** Open keep-alive connections would hold `close` back; requests in flight are cut too. */
async function closeHttp(http: Server): Promise<void> {
  http.closeAllConnections();
  await new Promise<void>((resolve) => http.close(() => resolve()));
}
