// The CLI's side of the control socket: one request line, one answer line.
import { connect } from 'node:net';
import { controlSocketPath, type ControlOp, type ControlResponse } from '../control/protocol.ts';
import { CliError } from './errors.ts';

/** The server answers within this, or the CLI gives up (argon2 hashing takes a fraction of it). */
const ANSWER_MS = 30_000;

/** Asks the server holding `dataDir`; `pid` is the holder named in the lock, for the message when it does not answer. */
export function askServer(dataDir: string, pid: number, op: ControlOp, args: Record<string, unknown> = {}): Promise<unknown> {
  const path = controlSocketPath(dataDir);
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    let answer = '';
    socket.setEncoding('utf8');
    socket.setTimeout(ANSWER_MS, () => socket.destroy(new CliError(`the server (process ${pid}) did not answer within ${ANSWER_MS / 1000} s on ${path}; nothing is known to have changed`)));
    socket.on('connect', () => socket.write(`${JSON.stringify({ op, args })}\n`));
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error instanceof CliError) return reject(error);
      reject(new CliError(`the server (process ${pid}) holds ${dataDir} but does not answer on ${path} (${error.code ?? error.message}); stop it, run this again, then start it`));
    });
    socket.on('end', () => {
      let response: ControlResponse;
      try {
        response = JSON.parse(answer) as ControlResponse;
      } catch {
        return reject(new CliError(`the server (process ${pid}) gave no readable answer on ${path}; see its log`));
      }
      if (response.ok) resolve(response.result);
      else reject(new CliError(response.error));
    });
  });
}
