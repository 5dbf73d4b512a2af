// Log lines, with pino: to the destination a test hands in, or to standard output in blocks.
import { pino } from 'pino';
import type { Logger } from 'pino';

export interface LogOptions {
  level: string;
  enabled: boolean;
  /** Where lines go (tests capture them); standard output when absent. */
  destination?: NodeJS.WritableStream | undefined;
}

export interface Logs {
  log: Logger;
  /** Stops the periodic flush and writes out what is left (at shutdown). */
  close(): void;
}

export function startLogs(options: LogOptions): Logs {
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
