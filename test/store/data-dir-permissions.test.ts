// The data directory is its owner's alone: files are created 0600 whatever the umask, a directory
// left open to others is narrowed at start (and the log says so), and one that cannot be narrowed
// is refused before anything is read or locked. Real temp directories throughout.
import { chmod, mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirUnsafe, openFileStore } from '../../src/store/index.ts';
import { startServer, type RunningServer } from '../../src/server.ts';
import { OFFLINE_FETCH_POLICY } from '../kit/offline-fetch.ts';
import { PASSWORD } from '../kit/server.ts';
import { tempDataDir } from '../kit/temp-dir.ts';

let server: RunningServer | undefined;
let umask: number | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  if (umask !== undefined) process.umask(umask);
  umask = undefined;
});

/** Every entry of `dir` with its permission bits, e.g. `{ '.': 0o700, 'journal.jsonl': 0o600 }`. */
async function modes(dir: string): Promise<Record<string, number>> {
  const found: Record<string, number> = { '.': (await stat(dir)).mode & 0o777 };
  for (const name of await readdir(dir)) found[name] = (await stat(join(dir, name))).mode & 0o777;
  return found;
}

function capturedLog(): { lines: () => Record<string, unknown>[]; destination: Writable } {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  return { destination, lines: () => chunks.join('').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('[store] data directory permissions', () => {
  it('[SEC-DATA-01] with a umask that hides nothing, every file the server writes (snapshot, journal, LOCK, keys) is 0600 in a 0700 directory', async () => {
    umask = process.umask(0o000);
    const dir = await tempDataDir();
    const start = (compactEvery?: number) =>
      startServer({ port: 0, dataDir: dir, env: { RATE_LIMITS: 'off' }, fetchPolicy: OFFLINE_FETCH_POLICY, ...(compactEvery === undefined ? {} : { compactEvery }) });
    const seen: Record<string, number>[] = [];
    // First run: the journal, LOCK and keys as first created.
    server = await start();
    await server.createUser('ann', PASSWORD);
    seen.push(await modes(dir));
    await server.close();
    // Second run compacts after every two writes: the snapshot and the rewritten journal.
    server = await start(2);
    for (const name of ['bob', 'cat', 'dan']) await server.createUser(name, PASSWORD);
    seen.push(await modes(dir));
    await server.close();
    server = undefined;
    seen.push(await modes(dir));
    expect(Object.keys(seen[0]!)).toEqual(expect.arrayContaining(['journal.jsonl', 'LOCK', 'keys.json']));
    expect(Object.keys(seen[2]!)).toEqual(expect.arrayContaining(['agent-notes.json', 'journal.jsonl', 'keys.json']));
    for (const [run, found] of seen.entries()) {
      for (const [name, mode] of Object.entries(found)) {
        expect({ run, name, mode: mode.toString(8) }).toEqual({ run, name, mode: name === '.' ? '700' : '600' });
      }
    }
  });

  it('[SEC-DATA-02] a data directory left open to others (0777, files 0666) is narrowed at start to 0700 and 0600, in one log line naming what changed', async () => {
    const dir = await tempDataDir();
    await (await openFileStore(dir)).close();
    await writeFile(join(dir, 'journal.jsonl'), '');
    await writeFile(join(dir, 'stray.tmp'), 'left by an old version');
    await mkdir(join(dir, 'backups'));
    await writeFile(join(dir, 'backups', 'old.json'), '{}');
    for (const path of ['journal.jsonl', 'stray.tmp', 'backups/old.json']) await chmod(join(dir, path), 0o666);
    await chmod(join(dir, 'backups'), 0o777);
    await chmod(dir, 0o777);

    const log = capturedLog();
    server = await startServer({ port: 0, dataDir: dir, env: { RATE_LIMITS: 'off' }, logDestination: log.destination, fetchPolicy: OFFLINE_FETCH_POLICY });
    expect(await modes(dir)).toMatchObject({ '.': 0o700, 'journal.jsonl': 0o600, 'stray.tmp': 0o600, backups: 0o700 });
    expect((await stat(join(dir, 'backups', 'old.json'))).mode & 0o777).toBe(0o600);

    const said = log.lines().filter((line) => String(line.msg).includes('narrowed to owner-only'));
    expect(said).toHaveLength(1);
    expect(said[0]).toMatchObject({ level: 40, dataDir: dir, tightened: 5 });
    expect(said[0]!.msg).toBe(
      `data directory ${dir} was readable by other users; narrowed to owner-only: . 0777→0700, backups 0777→0700, backups/old.json 0666→0600, journal.jsonl 0666→0600, stray.tmp 0666→0600`,
    );
  });

  it('[SEC-DATA-02] a directory already owner-only is left alone: nothing is narrowed, so there is nothing to log', async () => {
    const dir = await tempDataDir();
    await (await openFileStore(dir)).close();
    const store = await openFileStore(dir);
    expect(store.tightened).toEqual([]);
    await store.close();
  });

  it('[SEC-DATA-02] a directory that cannot be narrowed (not the owner) is refused with one message saying what to run, before it is locked or read', async () => {
    const dir = await tempDataDir();
    await (await openFileStore(dir)).close();
    await chmod(dir, 0o755);
    const notOwner = { chmod: () => Promise.reject(Object.assign(new Error('operation not permitted'), { code: 'EPERM' })) };
    const opening = openFileStore(dir, { permissionCalls: notOwner });
    await expect(opening).rejects.toBeInstanceOf(DataDirUnsafe);
    await expect(opening).rejects.toThrow(
      `data directory ${dir} is open to other users (${dir} has mode 0755) and cannot be narrowed to owner-only (EPERM); as the directory's owner run: chmod -R go= ${dir}, or start agent-notes as that user`,
    );
    expect(await readdir(dir)).not.toContain('LOCK');
    expect((await stat(dir)).mode & 0o777).toBe(0o755);
  });
});
