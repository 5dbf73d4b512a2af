// The data-directory lock against a /proc of the test's own making (reboots, zombies, pid reuse,
// container restarts where the server is pid 1 every time), and against this machine's real /proc.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lockDataDir, procProcessTable, type LockHolder } from '../../src/store/lock.ts';
import { DataDirLocked } from '../../src/store/index.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'agent-notes-lock-'));
  dirs.push(dir);
  return dir;
}

/** A /proc with one boot and the processes given: pid -> [state, start time in ticks]. */
async function fakeProc(bootId: string, processes: Record<number, [string, string]>, btime = 1_700_000_000): Promise<string> {
  const root = await tempDir();
  await mkdir(join(root, 'sys/kernel/random'), { recursive: true });
  await writeFile(join(root, 'sys/kernel/random/boot_id'), `${bootId}\n`);
  await writeFile(join(root, 'stat'), `cpu  1 2 3\nbtime ${btime}\nprocesses 9\n`);
  for (const [pid, [state, start]] of Object.entries(processes)) {
    await mkdir(join(root, pid));
    // The name may hold spaces and parentheses; the fields after it are what count.
    const fields = [state, ...Array.from({ length: 18 }, (_, i) => String(i)), start, '0'];
    await writeFile(join(root, pid, 'stat'), `${pid} (node (x) y) ${fields.join(' ')}\n`);
  }
  return root;
}

async function writeLock(dir: string, holder: LockHolder | number): Promise<void> {
  await writeFile(join(dir, 'LOCK'), `${typeof holder === 'number' ? holder : JSON.stringify(holder)}\n`);
}

describe('[store] the data-directory lock', () => {
  it('[OPS-LOCK-01] a lock whose holder runs (same pid, start time and boot) is refused, naming the pid', async () => {
    const proc = await fakeProc('boot-a', { [process.pid]: ['S', '500'], 4242: ['S', '900'] });
    const dir = await tempDir();
    await writeLock(dir, { pid: 4242, startTime: '900', bootId: 'boot-a' });
    const taking = lockDataDir(dir, procProcessTable(proc));
    await expect(taking).rejects.toBeInstanceOf(DataDirLocked);
    await expect(taking).rejects.toThrow(`data directory ${dir} is in use by process 4242`);
    expect(JSON.parse(await readFile(join(dir, 'LOCK'), 'utf8'))).toEqual({ pid: 4242, startTime: '900', bootId: 'boot-a' });
  });

  it('[OPS-LOCK-02] pid reuse: the pid runs, but a process started at another time holds it now', async () => {
    const proc = await fakeProc('boot-a', { [process.pid]: ['S', '500'], 4242: ['S', '901'] });
    const dir = await tempDir();
    await writeLock(dir, { pid: 4242, startTime: '900', bootId: 'boot-a' });
    const lock = await lockDataDir(dir, procProcessTable(proc));
    expect(JSON.parse(await readFile(join(dir, 'LOCK'), 'utf8'))).toEqual({ pid: process.pid, startTime: '500', bootId: 'boot-a' });
    await lock.release();
  });

  it('[OPS-LOCK-02] a container restart: the server is pid 1 again, in a new process', async () => {
    const proc = await fakeProc('boot-a', { [process.pid]: ['S', '30'], 1: ['S', '7'] });
    const dir = await tempDir();
    await writeLock(dir, { pid: 1, startTime: '3', bootId: 'boot-a' });
    await (await lockDataDir(dir, procProcessTable(proc))).release();
  });

  it('[OPS-LOCK-02] after a reboot the same pid and start time belong to another boot', async () => {
    const proc = await fakeProc('boot-b', { [process.pid]: ['S', '500'], 4242: ['S', '900'] });
    const dir = await tempDir();
    await writeLock(dir, { pid: 4242, startTime: '900', bootId: 'boot-a' });
    await (await lockDataDir(dir, procProcessTable(proc))).release();
  });

  it('[OPS-LOCK-02] a restart a moment after a crash: the old server is a zombie not yet reaped', async () => {
    const proc = await fakeProc('boot-a', { [process.pid]: ['S', '500'], 4242: ['Z', '900'] });
    const dir = await tempDir();
    await writeLock(dir, { pid: 4242, startTime: '900', bootId: 'boot-a' });
    await (await lockDataDir(dir, procProcessTable(proc))).release();
  });

  it('[OPS-LOCK-02] a bare pid (as older versions wrote) is stale when that pid\'s process started after the lock was written', async () => {
    // btime 1,700,000,000 s; the process started 1,000 s after boot (100,000 ticks); the lock is older.
    const proc = await fakeProc('boot-a', { [process.pid]: ['S', '500'], 4242: ['S', '100000'] });
    const dir = await tempDir();
    await writeLock(dir, 4242);
    await utimes(join(dir, 'LOCK'), 1_700_000_500, 1_700_000_500);
    await (await lockDataDir(dir, procProcessTable(proc))).release();

    // The same bare pid, written after that process started: it may be the holder, so it is refused.
    await writeLock(dir, 4242);
    await utimes(join(dir, 'LOCK'), 1_700_002_000, 1_700_002_000);
    await expect(lockDataDir(dir, procProcessTable(proc))).rejects.toBeInstanceOf(DataDirLocked);
  });

  it('[OPS-LOCK-02] on this machine: a live unrelated process with the pid the lock names does not hold it', async () => {
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    try {
      const dir = await tempDir();
      const mine = await lockDataDir(dir);
      const written = JSON.parse(await readFile(join(dir, 'LOCK'), 'utf8')) as LockHolder;
      await mine.release();
      // What a crashed server left, but its pid now taken by the sleeper.
      await writeLock(dir, { ...written, pid: sleeper.pid! });
      const lock = await lockDataDir(dir);
      expect((JSON.parse(await readFile(join(dir, 'LOCK'), 'utf8')) as LockHolder).pid).toBe(process.pid);
      await lock.release();
    } finally {
      sleeper.kill('SIGKILL');
    }
  });

  it('[OPS-LOCK-01] release removes only its own lock, never one a later process took over', async () => {
    const dir = await tempDir();
    const lock = await lockDataDir(dir);
    await writeLock(dir, { pid: 99_999_999, startTime: '1', bootId: 'other' });
    await lock.release();
    expect(await readFile(join(dir, 'LOCK'), 'utf8')).toContain('99999999');
  });

  it('[OPS-LOCK-01] a LOCK that names no process gets a message saying what to do', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'LOCK'), 'garbage\n');
    await expect(lockDataDir(dir)).rejects.toThrow(/LOCK does not name a process; remove it if no agent-notes process uses this directory/);
  });
});
