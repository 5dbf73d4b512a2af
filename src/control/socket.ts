// The server side of the control socket: the CLI asks a running server to add a person, set a
// password or rotate the keys, and the server does it through the same commit queue and key ring
// its requests use, so nothing has to restart and nothing races the data directory.
import { chmod, unlink } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import type { Logger } from 'pino';
import { MAX_CONTROL_LINE, MAX_SOCKET_PATH, type ControlRequest, type ControlResponse } from './protocol.ts';

/** What one operation does with its arguments; a thrown `OperatorError` is answered with its message. */
export type ControlHandler = (args: Record<string, unknown>) => Promise<unknown>;

/** A refusal meant for the operator, sent back as written. */
export class OperatorError extends Error {
  override readonly name = 'OperatorError';
}

export interface ControlSocket {
  close(): Promise<void>;
}

/** A connection that sends nothing for this long is dropped. */
const IDLE_MS = 30_000;

/** Listens on `path` (the caller holds the data-directory lock, so a file there is a dead server's). */
export async function startControlSocket(path: string, handlers: Readonly<Record<string, ControlHandler>>, log: Logger): Promise<ControlSocket | undefined> {
  if (Buffer.byteLength(path) > MAX_SOCKET_PATH) {
    log.warn({ path }, `the control socket path is longer than ${MAX_SOCKET_PATH} bytes, so CLI verbs cannot reach this server while it runs; use a shorter DATA_DIR`);
    return undefined;
  }
  await unlink(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
  const server = createServer((socket) => serve(socket, handlers, log));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  await chmod(path, 0o600);
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
      }).then(() => unlink(path).catch(() => undefined)),
  };
}

function serve(socket: Socket, handlers: Readonly<Record<string, ControlHandler>>, log: Logger): void {
  let buffered = '';
  socket.setEncoding('utf8');
  socket.setTimeout(IDLE_MS, () => socket.destroy());
  socket.on('error', () => undefined); // the CLI went away; nothing to tell it
  const answer = (response: ControlResponse) => socket.end(`${JSON.stringify(response)}\n`);
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    const newline = buffered.indexOf('\n');
    if (newline === -1) {
      if (buffered.length > MAX_CONTROL_LINE) answer({ ok: false, error: 'request too long' });
      return;
    }
    socket.removeAllListeners('data');
    const line = buffered.slice(0, newline);
    void handle(line, handlers, log).then(answer);
  });
}

async function handle(line: string, handlers: Readonly<Record<string, ControlHandler>>, log: Logger): Promise<ControlResponse> {
  let request: Partial<ControlRequest>;
  try {
    request = JSON.parse(line) as Partial<ControlRequest>;
  } catch {
    return { ok: false, error: 'not a JSON request line' };
  }
  const handler = typeof request.op === 'string' && Object.hasOwn(handlers, request.op) ? handlers[request.op] : undefined;
  if (handler === undefined) return { ok: false, error: `this server does not know ${JSON.stringify(request.op)} (is the CLI newer than the running server? restart it)` };
  const args = typeof request.args === 'object' && request.args !== null && !Array.isArray(request.args) ? request.args : {};
  try {
    return { ok: true, result: (await handler(args)) ?? null };
  } catch (error) {
    if (error instanceof OperatorError) return { ok: false, error: error.message };
    // Passwords ride in args: only the operation's name goes to the log.
    log.error({ err: error, op: request.op }, 'control operation failed');
    return { ok: false, error: `the server could not do it (${(error as Error).message}); see its log` };
  }
}
