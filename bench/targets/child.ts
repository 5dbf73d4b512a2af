// Server processes under test: started as children on 127.0.0.1, measured through /proc (the same
// way for every target, so CPU time per operation compares like with like), stopped with SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Memory, Usage } from './target.ts';

const HEAP_PROBE = fileURLToPath(new URL('./heap-probe.mjs', import.meta.url));

/** Children still running: killed if the bench itself dies, so no server outlives it. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

export async function readUsage(pid: number): Promise<Usage> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at state, field 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime (14) + stime (15)
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return { cpuMicros: (ticks * 1_000_000) / TICKS_PER_SECOND, rssBytes: rssKb * 1024 };
}

/** Resident memory from /proc and V8's heap from the probe (heap figures 0 if it does not answer in 2 s). */
export async function readMemory(child: ChildProcess): Promise<Memory> {
  const { rssBytes } = await readUsage(child.pid!);
  const heap = await new Promise<NodeJS.MemoryUsage | undefined>((resolve) => {
    const timer = setTimeout(() => done(undefined), 2000);
    const onMessage = (message: unknown) => {
      if (typeof message === 'object' && message !== null && 'memory' in message) done((message as { memory: NodeJS.MemoryUsage }).memory);
    };
    const done = (value: NodeJS.MemoryUsage | undefined) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(value);
    };
    child.on('message', onMessage);
    child.send('memory');
  });
  return { rssBytes, heapUsedBytes: heap?.heapUsed ?? 0, heapTotalBytes: heap?.heapTotal ?? 0, externalBytes: (heap?.external ?? 0) + (heap?.arrayBuffers ?? 0) };
}

/** A free TCP port on 127.0.0.1 (the server must know its public URL before it listens). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Lines of output after start-up that contain `marker` (checked per chunk first: logs are many). */
export interface Watch {
  marker: string;
  onLine: (line: string) => void;
}

export interface Started {
  child: ChildProcess;
  /** Milliseconds from spawn to the ready line. */
  startupMs: number;
  /** The ready line's match (its groups carry what the server announced, such as its URL). */
  match: RegExpExecArray;
}

/**
 * Spawns `args` and waits until a line of its stderr or stdout matches `ready`. Output is otherwise
 * discarded (read, so a chatty server never blocks on a full pipe).
 */
export function startChild(args: string[], env: NodeJS.ProcessEnv, ready: RegExp, timeoutMs = 60_000, lineWatch?: Watch): Promise<Started> {
  const started = performance.now();
  // An IPC channel and the heap probe, so `readMemory` can ask any target for V8's figures.
  const child = spawn(process.execPath, ['--import', HEAP_PROBE, ...args], { env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  return new Promise((resolve, reject) => {
    let seen = '';
    let isReady = false;
    const timer = setTimeout(() => fail(new Error(`no ready line within ${timeoutMs} ms:\n${seen.slice(-2000)}`)), timeoutMs);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    let partial = '';
    const watch = (chunk: Buffer) => {
      if (isReady) {
        // Drained, not read, unless watched: logs of a loaded server add up.
        if (!lineWatch) return;
        const text = partial + chunk.toString('utf8');
        const cut = text.lastIndexOf('\n');
        partial = text.slice(cut + 1);
        if (cut === -1 || !text.includes(lineWatch.marker)) return;
        for (const line of text.slice(0, cut).split('\n')) if (line.includes(lineWatch.marker)) lineWatch.onLine(line);
        return;
      }
      if (seen.length < 100_000) seen += chunk.toString('utf8');
      const match = ready.exec(seen);
      if (match) {
        clearTimeout(timer);
        isReady = true;
        resolve({ child, startupMs: performance.now() - started, match });
      }
    };
    child.stdout!.on('data', watch);
    child.stderr!.on('data', watch);
    child.once('exit', (code, signal) => isReady || fail(new Error(`exited early (${code ?? signal}):\n${seen.slice(-2000)}`)));
  });
}

/** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
