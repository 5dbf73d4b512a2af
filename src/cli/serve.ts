// `agent-notes serve`: the server, until SIGTERM or SIGINT. The first signal stops it gracefully
// (no new connections, requests in flight finish within SHUTDOWN_TIMEOUT, the journal is flushed
// and compacted, the lock released, exit 0); a second one exits at once, which loses nothing
// acknowledged either, since every answer waited for its journal write.
import type { Command } from 'commander';
import { configFromEnv } from '../config.ts';
import { startServer, type RunningServer } from '../server.ts';
import { verb } from './errors.ts';

async function serve(): Promise<void> {
  const config = configFromEnv();
  const server = await startServer({ dataDir: config.dataDir!, env: process.env, log: true });
  const { config: running } = server;
  console.error(`
  agent-notes is running at ${running.publicUrl}
  MCP server URL for ChatGPT and Claude: ${running.core.resource}
  data directory: ${running.dataDir}
${server.setupUrl ? `\n  No account yet. Create the owner account (one-time link):\n  ${server.setupUrl}\n` : ''}`);
  stopOnSignals(server);
}

function stopOnSignals(server: RunningServer): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      console.error(`agent-notes: second ${signal}, exiting now (everything acknowledged is already on disk)`);
      process.exit(1);
    }
    stopping = true;
    const started = performance.now();
    const waiting = server.inFlight;
    if (waiting > 0) console.error(`agent-notes: ${signal}, letting ${waiting} request(s) in flight finish (up to ${server.config.shutdownTimeout} s)`);
    server.close().then(
      ({ finished, cut }) => {
        const seconds = ((performance.now() - started) / 1000).toFixed(1);
        console.error(`agent-notes: stopped on ${signal} in ${seconds} s; ${finished} request(s) in flight finished${cut > 0 ? `, ${cut} cut at SHUTDOWN_TIMEOUT` : ''}; data flushed and lock released`);
        process.exit(0);
      },
      (error: unknown) => {
        console.error(`agent-notes: stopping on ${signal} failed: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

export function registerServe(program: Command): void {
  program.command('serve').description('run the server (configuration from the environment: see README)').action(verb(serve));
}
