// Log lines, with pino: to the destination a test hands in; to standard output as JSON lines (for
// journald or a log shipper), or as readable lines when standard output is a terminal.
import { pino } from 'pino';
import type { Logger } from 'pino';
import pinoPretty from 'pino-pretty';

export interface LogOptions {
  level: string;
  enabled: boolean;
  /** Where lines go (tests capture them); standard output when absent. */
  destination?: NodeJS.WritableStream | undefined;
  /** Readable lines instead of JSON; defaults to whether standard output is a terminal. */
  pretty?: boolean;
}

export interface Logs {
  log: Logger;
  /** Stops the periodic flush and writes out what is left (at shutdown). */
  close(): void;
}

export function startLogs(options: LogOptions): Logs {
  if (options.destination === undefined && (options.pretty ?? process.stdout.isTTY === true)) {
    const log = pino({ level: options.level, enabled: options.enabled }, readable(1));
    return { log, close: () => undefined };
  }
  // Standard output is written in blocks of 4 KB (and at least every second) rather than one write
  // per request line; close() flushes what is left.
  const stdout = options.destination === undefined ? pino.destination({ dest: 1, sync: false, minLength: 4096 }) : undefined;
  const flushLogs = setInterval(() => stdout?.flush(), 1000);
  flushLogs.unref();
  const log = pino({ level: options.level, enabled: options.enabled }, options.destination ?? stdout);
  return {
    log,
    close() {
      clearInterval(flushLogs);
      stdout?.flushSync();
    },
  };
}

/** Warnings for a person at a terminal running a CLI verb: readable lines on standard error. */
export function operatorLog(): Logger {
  return pino({ level: 'warn' }, readable(2));
}

function readable(fd: 1 | 2): NodeJS.WritableStream {
  const tty = (fd === 1 ? process.stdout : process.stderr).isTTY === true;
  return pinoPretty({ destination: fd, sync: true, colorize: tty, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' });
}
