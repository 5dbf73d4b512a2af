// The data-directory lock: two processes appending to one journal would interleave lines and each
// believe its own state, so only one may open the directory at a time.
//
// A pid alone cannot say who holds the lock: after a reboot or a container restart the pid written
// by the crashed server usually belongs to some other live process (in a container the server is
// pid 1 every time). So LOCK names its holder by pid, the kernel's start time of that process and
// the boot it ran in (from /proc, where there is one); a lock whose process is gone, is a zombie,
// started at another time or ran in another boot is stale and taken over.
import { link, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataDirLocked } from './types.ts';

export interface DirLock {
  release(): Promise<void>;
}

/** Who holds a lock. `startTime` (clock ticks after boot) and `bootId` are absent off Linux and in a LOCK written by a version before them. */
export interface LockHolder {
  pid: number;
  startTime?: string;
  bootId?: string;
}

/** How to look at processes; tests swap in a /proc of their own making. */
export interface ProcessTable {
  /** This process as LOCK records it. */
  self(): Promise<LockHolder>;
  /** Whether `holder` is still the process that wrote the lock (at `writtenAtMs`, the file's mtime). */
  isRunning(holder: LockHolder, writtenAtMs: number): Promise<boolean>;
}

/** Takes `<dir>/LOCK`, taking over one whose holder no longer runs. */
export async function lockDataDir(dir: string, processes: ProcessTable = procProcessTable()): Promise<DirLock> {
  const lockPath = join(dir, 'LOCK');
  const self = await processes.self();
  const content = `${JSON.stringify(self)}\n`;
  // Written aside, then linked into place: link fails if LOCK exists, and LOCK is never seen empty.
  const staged = join(dir, `LOCK.${process.pid}.tmp`);
  await writeFile(staged, content, { mode: 0o600 });
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await link(staged, lockPath);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt === 3) throw error;
      }
      const seen = await readFile(lockPath, 'utf8').catch(ignoreMissing);
      const written = await stat(lockPath).catch(ignoreMissing);
      if (seen === undefined || written === undefined) continue; // released meanwhile
      const holder = parseHolder(lockPath, seen);
      if (await processes.isRunning(holder, written.mtimeMs)) throw new DataDirLocked(dir, holder.pid);
      await setAsideStale(lockPath, seen);
    }
  } finally {
    await unlink(staged).catch(ignoreMissing);
  }
  return {
    // Only our own lock is removed: never one a later process took over.
    async release() {
      const now = await readFile(lockPath, 'utf8').catch(ignoreMissing);
      if (now === content) await unlink(lockPath).catch(ignoreMissing);
    },
  };
}

/**
 * Moves a stale LOCK out of the way. Two processes starting at once may both judge the same lock
 * stale; the one whose rename caught the other's fresh lock instead puts it back and gives up.
 */
async function setAsideStale(lockPath: string, judged: string): Promise<void> {
  const aside = `${lockPath}.stale.${process.pid}`;
  try {
    await rename(lockPath, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // someone else moved it
    throw error;
  }
  const moved = await readFile(aside, 'utf8');
  if (moved !== judged) {
    await link(aside, lockPath).catch(() => undefined);
    await unlink(aside).catch(ignoreMissing);
    const holder = parseHolder(lockPath, moved);
    throw new DataDirLocked(lockPath.slice(0, -'/LOCK'.length), holder.pid);
  }
  await unlink(aside).catch(ignoreMissing);
}

/** `{"pid":…,"startTime":…,"bootId":…}`, or a bare pid as versions before it wrote. */
export function parseHolder(lockPath: string, text: string): LockHolder {
  const trimmed = text.trim();
  let parsed: unknown = Number(trimmed);
  if (trimmed.startsWith('{')) {
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      parsed = undefined;
    }
  }
  const holder: Partial<LockHolder> = typeof parsed === 'number' ? { pid: parsed } : (parsed as Partial<LockHolder> | undefined) ?? {};
  const { pid, startTime, bootId } = holder;
  if (!Number.isSafeInteger(pid) || pid! <= 0 || (startTime !== undefined && typeof startTime !== 'string') || (bootId !== undefined && typeof bootId !== 'string')) {
    throw new LockUnreadable(lockPath);
  }
  return { pid: pid!, ...(startTime === undefined ? {} : { startTime }), ...(bootId === undefined ? {} : { bootId }) };
}

/** A LOCK that names no process: someone wrote it by hand. */
export class LockUnreadable extends Error {
  override readonly name = 'LockUnreadable';

  constructor(readonly path: string) {
    super(`${path} does not name a process; remove it if no agent-notes process uses this directory`);
  }
}

// ------------------------------------------------------------------------------ /proc

/** The process table as Linux's /proc shows it, under `root` (tests point it elsewhere). */
export function procProcessTable(root = '/proc'): ProcessTable {
  const bootId = () => readFile(join(root, 'sys/kernel/random/boot_id'), 'utf8').then((text) => text.trim(), () => undefined);
  return {
    async self() {
      const [stat, boot] = await Promise.all([readStat(root, process.pid), bootId()]);
      return { pid: process.pid, ...(stat === undefined ? {} : { startTime: stat.startTime }), ...(boot === undefined ? {} : { bootId: boot }) };
    },
    async isRunning(holder, writtenAtMs) {
      const boot = await bootId();
      if (boot === undefined) return signalReaches(holder.pid); // no /proc: the pid is all there is
      if (holder.bootId !== undefined && holder.bootId !== boot) return false; // written before a reboot
      const stat = await readStat(root, holder.pid);
      if (stat === undefined || stat.state === 'Z' || stat.state === 'X') return false; // gone, or dead and not yet reaped
      if (holder.startTime !== undefined) return stat.startTime === holder.startTime;
      // A bare pid from an older version: a process that started after the lock was written is not its holder.
      const startedAtMs = await wallClockStart(root, stat.startTime);
      return startedAtMs === undefined || startedAtMs <= writtenAtMs + START_SLACK_MS;
    },
  };
}

/** Fields 3 (state) and 22 (start time) of /proc/<pid>/stat; the name in field 2 may hold spaces and parentheses. */
async function readStat(root: string, pid: number): Promise<{ state: string; startTime: string } | undefined> {
  const text = await readFile(join(root, String(pid), 'stat'), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const [state, startTime] = [fields[0], fields[19]];
  return state === undefined || startTime === undefined ? undefined : { state, startTime };
}

/** Linux reports start times in clock ticks of 1/100 s (USER_HZ, the same on every architecture Node runs on). */
const TICKS_PER_SECOND = 100;
/** Start times are rounded to ticks and boot time to seconds: a holder may look up to this much younger. */
const START_SLACK_MS = 2000;

async function wallClockStart(root: string, startTime: string): Promise<number | undefined> {
  const text = await readFile(join(root, 'stat'), 'utf8').catch(() => undefined);
  const bootSeconds = Number(/^btime (\d+)$/m.exec(text ?? '')?.[1]);
  const ticks = Number(startTime);
  return Number.isFinite(bootSeconds) && Number.isFinite(ticks) ? (bootSeconds + ticks / TICKS_PER_SECOND) * 1000 : undefined;
}

function signalReaches(pid: number): boolean {
  try {
    process.kill(pid, 0); // signal 0: only checks that the process exists
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

/** For `.catch`: a missing file is `undefined`, any other failure is thrown on. */
export function ignoreMissing(error: NodeJS.ErrnoException): undefined {
  if (error.code === 'ENOENT') return undefined;
  throw error;
}
