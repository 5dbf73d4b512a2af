// How a verb fails in front of an operator: one line saying what is wrong and how to fix it, and a
// non-zero exit code; the stack trace only with LOG_LEVEL=debug.
import { ConfigError } from '../config.ts';
import { DataDirLocked, DataDirUnsafe, LockUnreadable } from '../store/index.ts';

/** A failure whose message is already written for the operator. `exitCode` 2 is bad usage. */
export class CliError extends Error {
  override readonly name = 'CliError';

  constructor(message: string, readonly exitCode: number = 1) {
    super(message);
  }
}

/** What the operator is told, by the system error's code: the path or address it was about comes from the error. */
const SYSTEM_ERRORS: Record<string, (subject: string) => string> = {
  EADDRINUSE: (at) => `${at} is already in use (another agent-notes, or another program); stop it or set PORT to a free port`,
  EADDRNOTAVAIL: (at) => `cannot listen on ${at}: no interface of this machine has that address; set HOST to 127.0.0.1 (behind a proxy) or 0.0.0.0`,
  ENOTFOUND: (at) => `cannot listen on ${at}: the host name does not resolve; set HOST to an IP address such as 127.0.0.1`,
  EACCES: (at) => `permission denied on ${at}: run as the user that owns the data directory (or fix its owner), or for a port below 1024 use a reverse proxy`,
  EPERM: (at) => `operation not permitted on ${at}: run as the user that owns the data directory`,
  EROFS: (at) => `${at} is on a read-only file system: point DATA_DIR at a writable directory (with systemd, list it in ReadWritePaths)`,
  ENOSPC: (at) => `no space left on the device holding ${at}: free some space; nothing acknowledged was lost`,
  ENOTDIR: (at) => `${at} is a file, not a directory: point DATA_DIR at a directory`,
  EEXIST: (at) => `${at} exists but is not a directory: point DATA_DIR at a directory`,
  EISDIR: (at) => `${at} is a directory where a file was expected`,
  ENOENT: (at) => `${at} does not exist`,
};

function subjectOf(error: NodeJS.ErrnoException & { address?: string; port?: number; hostname?: string; dest?: string }): string {
  if (error.address !== undefined) return error.port === undefined ? error.address : `${error.address.includes(':') ? `[${error.address}]` : error.address}:${error.port}`;
  if (error.syscall === 'getaddrinfo' && error.hostname !== undefined) return String(error.hostname);
  return error.path ?? error.dest ?? 'a file';
}

/** The one line an operator reads for `error`. */
export function describeError(error: unknown): string {
  if (error instanceof CliError || error instanceof ConfigError) return error.message;
  const system = error as NodeJS.ErrnoException;
  if (typeof system?.code === 'string' && Object.hasOwn(SYSTEM_ERRORS, system.code)) return SYSTEM_ERRORS[system.code]!(subjectOf(system));
  // Our own errors (a locked or unsafe data directory, a damaged snapshot, journal or key file)
  // already say what to do; only their first line is shown.
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!;
}

export function exitCodeOf(error: unknown): number {
  if (error instanceof CliError) return error.exitCode;
  if (error instanceof ConfigError) return 2;
  return 1;
}

/** Failures whose one line says all there is: no pointer to the details. */
function explained(error: unknown): boolean {
  if (error instanceof CliError || error instanceof ConfigError || error instanceof DataDirLocked || error instanceof DataDirUnsafe || error instanceof LockUnreadable) return true;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && Object.hasOwn(SYSTEM_ERRORS, code);
}

/** Prints the one line (and, with LOG_LEVEL=debug, the stack) and gives the exit code. */
export function report(error: unknown, env: NodeJS.ProcessEnv = process.env): number {
  const debug = env.LOG_LEVEL === 'debug' || env.LOG_LEVEL === 'trace';
  console.error(`agent-notes: ${describeError(error)}${debug || explained(error) ? '' : ' (LOG_LEVEL=debug shows the details)'}`);
  if (debug && error instanceof Error && error.stack !== undefined) console.error(error.stack);
  return exitCodeOf(error);
}

/** Wraps a verb's action: its result is the exit code, and any failure is reported in one line. */
export function verb<A extends unknown[]>(action: (...args: A) => Promise<number | void> | number | void): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      process.exitCode = (await action(...args)) ?? 0;
    } catch (error) {
      process.exitCode = report(error);
    }
  };
}
