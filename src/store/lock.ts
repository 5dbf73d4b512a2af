// The data-directory lock: two processes appending to one journal would interleave lines and each
// believe its own state, so only one may open the directory at a time.
import { link, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataDirLocked } from './types.ts';

export interface DirLock {
  release(): Promise<void>;
}

/** Takes `<dir>/LOCK` (holding our pid), taking over one left by a process that no longer runs. */
export async function lockDataDir(dir: string): Promise<DirLock> {
  const lockPath = join(dir, 'LOCK');
  // Written aside, then linked into place: link fails if LOCK exists, and LOCK is never seen empty.
  const staged = join(dir, `LOCK.${process.pid}.tmp`);
  await writeFile(staged, `${process.pid}\n`, { mode: 0o600 });
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await link(staged, lockPath);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt === 3) throw error;
      }
      const holder = await readHolder(lockPath);
      if (holder !== undefined && isAlive(holder)) throw new DataDirLocked(dir, holder);
      await unlink(lockPath).catch(ignoreMissing); // stale: its process died without releasing it
    }
  } finally {
    await unlink(staged).catch(ignoreMissing);
  }
  return { release: () => unlink(lockPath).catch(ignoreMissing) };
}

async function readHolder(lockPath: string): Promise<number | undefined> {
  const text = await readFile(lockPath, 'utf8').catch(ignoreMissing);
  if (text === undefined) return undefined; // released meanwhile
  const pid = Number(text.trim());
  if (!Number.isSafeInteger(pid) || pid <= 0) {
    throw new Error(`${lockPath} does not hold a pid; remove it if no agent-notes process uses this directory`);
  }
  return pid;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0); // signal 0: only checks that the process exists
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

function ignoreMissing(error: NodeJS.ErrnoException): undefined {
  if (error.code === 'ENOENT') return undefined;
  throw error;
}
