// One way to start agent-notes for a test: in this process (`startServer`, the composition root,
// on 127.0.0.1 and port 0), or as the real `agent-notes serve` child process (`ServerProcess`).
// Both have a `url` and a `close`; users the kit creates all have `PASSWORD`.
import { findUserByName } from '../../src/accounts/users.ts';
import { startServer, type RunningServer, type ServerOptions } from '../../src/server.ts';
import { ServerProcess } from './child-server.ts';
import { OFFLINE_FETCH_POLICY } from './offline-fetch.ts';
import { TEST_REDIRECT_ORIGINS } from './redirects.ts';

export { ServerProcess };

export const PASSWORD = 'correct horse battery staple';

export interface TestServerOptions extends ServerOptions {
  /** Users to create before the server is handed over, all with `PASSWORD`. */
  users?: string[];
}

export interface TestServer extends RunningServer {
  mcpUrl: string;
  /** Seconds added to the wall clock (expiry tests); unused when the options give `now`. */
  clock: { offset: number };
  /** Creates a user with `PASSWORD`; returns their id (the `sub` of their tokens). */
  addUser(username: string): Promise<string>;
}

/**
 * `startServer` with test defaults: port 0 on 127.0.0.1, in memory unless a `dataDir` is given,
 * only the environment given (never the process's), rate limits off unless it sets RATE_LIMITS, and
 * the tests' redirect origins trusted unless it sets TRUSTED_REDIRECT_ORIGINS, and offline for client
 * documents (nothing is ever fetched) unless it gives a `fetchPolicy`.
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const { users = [], env = {}, ...rest } = options;
  const clock = { offset: 0 };
  const running = await startServer({
    port: 0,
    now: () => Math.floor(Date.now() / 1000) + clock.offset,
    fetchPolicy: OFFLINE_FETCH_POLICY,
    ...rest,
    env: { RATE_LIMITS: 'off', TRUSTED_REDIRECT_ORIGINS: TEST_REDIRECT_ORIGINS.join(','), ...env },
  });
  const server: TestServer = {
    ...running,
    mcpUrl: `${running.url}/mcp`,
    clock,
    async addUser(username) {
      await running.createUser(username, PASSWORD);
      const user = findUserByName(running.services.queue.state, username);
      if (!user) throw new Error(`${username} was not created`);
      return user.userId;
    },
  };
  for (const user of users) await server.addUser(user);
  return server;
}

/** `agent-notes user add` for each of `users` (with `PASSWORD`), then `agent-notes serve` on `dataDir`. */
export async function startServerProcess(dataDir: string, users: string[] = []): Promise<ServerProcess> {
  const server = await ServerProcess.on(dataDir);
  for (const user of users) server.addUser(user, PASSWORD);
  await server.start();
  return server;
}
