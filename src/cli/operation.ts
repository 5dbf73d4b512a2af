// Running one people or key operation wherever the data is: on the running server (over its control
// socket) when it holds the data directory, otherwise on the directory itself, opened as the server
// would open it but without HTTP. Both run the same handler (src/control/operations.ts).
import { existsSync } from 'node:fs';
import { pino } from 'pino';
import { operatorLog } from '../app/logging.ts';
import { assembleApp, openData } from '../app/start.ts';
import { configFromEnv } from '../config.ts';
import { controlHandlers } from '../control/operations.ts';
import type { ControlOp } from '../control/protocol.ts';
import { OperatorError } from '../control/socket.ts';
import { freshValues } from '../fresh-values.ts';
import { DataDirLocked } from '../store/index.ts';
import { askServer } from './control-client.ts';
import { CliError } from './errors.ts';

export interface Done<T> {
  result: T;
  /** Where it ran: the running server, or the data directory of a stopped one. */
  on: 'server' | 'data';
}

/** Operations that only read: on a directory that does not exist they say so instead of creating it. */
const READS: ReadonlySet<ControlOp> = new Set(['people.list', 'keys.list', 'store.pin']);

export async function runOperation<T>(op: ControlOp, args: Record<string, unknown> = {}): Promise<Done<T>> {
  const config = configFromEnv();
  const dataDir = config.dataDir!;
  if (READS.has(op) && !existsSync(dataDir)) throw new CliError(`there is no data directory at ${dataDir}; set DATA_DIR to the server's (or start the server once to create it)`);
  let data: Awaited<ReturnType<typeof openData>>;
  try {
    data = await openData(dataDir, { log: operatorLog() });
  } catch (error) {
    if (error instanceof DataDirLocked) return { result: (await askServer(dataDir, error.pid, op, args)) as T, on: 'server' };
    throw error;
  }
  const app = assembleApp({ config, data, log: pino({ enabled: false }), now: () => Math.floor(Date.now() / 1000), fresh: freshValues() });
  try {
    return { result: (await controlHandlers(app.services, app.store)[op](args)) as T, on: 'data' };
  } catch (error) {
    if (error instanceof OperatorError) throw new CliError(error.message);
    throw error;
  } finally {
    await app.store.close();
  }
}
