import { spawnSync } from 'node:child_process';
import { appendFile, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CURRENT_SCHEMA_VERSION, DataDirLocked, openFileStore } from '../../src/store/index.ts';
import type { Change } from '../../src/store/index.ts';
import { tempDataDir } from '../kit/temp-dir.ts';

const put = (collection: string, key: string, value: unknown): Change => ({ op: 'put', collection, key, value });
const del = (collection: string, key: string): Change => ({ op: 'delete', collection, key });

async function journalLines(dir: string): Promise<string[]> {
  return (await readFile(join(dir, 'journal.jsonl'), 'utf8')).split('\n').filter((line) => line !== '');
}

describe('file store', () => {
  it('[store] appended changes are loaded again after close and reopen', async () => {
    const dir = await tempDataDir();
    const store = await openFileStore(dir);
    expect(store.loaded).toEqual({});
    await store.append([put('clients', 'c1', { clientId: 'c1' }), put('users', 'u1', { name: 'ann' })]);
    await store.append([put('clients', 'c2', { clientId: 'c2' }), del('clients', 'c1')]);
    await store.append([put('notes', 'n1', { text: 'héllo\nworld' })]);
    await store.close();

    const reopened = await openFileStore(dir);
    expect(reopened.loaded).toEqual({
      clients: { c2: { clientId: 'c2' } },
      users: { u1: { name: 'ann' } },
      notes: { n1: { text: 'héllo\nworld' } },
    });
    await reopened.close();
  });

  it('[store] the data directory is created private to its owner', async () => {
    const dir = await tempDataDir();
    await (await openFileStore(dir)).close();
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
  });

  it('[store] a torn last line is ignored, cut off, and later appends are still readable', async () => {
    const dir = await tempDataDir();
    const store = await openFileStore(dir);
    await store.append([put('grants', 'g1', 1)]);
    await store.append([put('grants', 'g2', 2)]);
    await store.close();
    await appendFile(join(dir, 'journal.jsonl'), '{"seq":3,"changes":[{"op":"put","coll');

    const afterCrash = await openFileStore(dir);
    expect(afterCrash.loaded).toEqual({ grants: { g1: 1, g2: 2 } });
    await afterCrash.append([put('grants', 'g3', 3)]);
    await afterCrash.close();

    expect((await journalLines(dir)).map((line) => JSON.parse(line).seq)).toEqual([1, 2, 3]);
    const reopened = await openFileStore(dir);
    expect(reopened.loaded).toEqual({ grants: { g1: 1, g2: 2, g3: 3 } });
    await reopened.close();
  });

  it('[store] an unparseable line in the middle of the journal is reported as corruption', async () => {
    const dir = await tempDataDir();
    const store = await openFileStore(dir);
    for (const key of ['a', 'b', 'c']) await store.append([put('codes', key, key)]);
    await store.close();
    const lines = await journalLines(dir);
    await writeFile(join(dir, 'journal.jsonl'), [lines[0], '{"seq":2,"chan', lines[2], ''].join('\n'));

    await expect(openFileStore(dir)).rejects.toThrow(/journal .*journal\.jsonl is corrupt at line 2/);
    // The failed open released the lock: a second attempt reports the same corruption.
    await expect(openFileStore(dir)).rejects.toThrow(/corrupt at line 2/);
  });

  it('[store] a journal with a missing entry is refused instead of loaded with a gap', async () => {
    const dir = await tempDataDir();
    const store = await openFileStore(dir);
    for (const key of ['a', 'b', 'c']) await store.append([put('codes', key, key)]);
    await store.close();
    const lines = await journalLines(dir);
    await writeFile(join(dir, 'journal.jsonl'), `${lines[0]}\n${lines[2]}\n`);
    await expect(openFileStore(dir)).rejects.toThrow(/seq 3 leaves a gap after 1/);
  });

  it('[OPS-MIGRATE-02] a snapshot with a schemaVersion newer than this code is refused', async () => {
    const dir = await tempDataDir();
    await (await openFileStore(dir)).close();
    await writeFile(join(dir, 'agent-notes.json'), JSON.stringify({ schemaVersion: CURRENT_SCHEMA_VERSION + 1, journalSeq: 0, collections: {} }));
    await expect(openFileStore(dir)).rejects.toThrow(`schemaVersion ${CURRENT_SCHEMA_VERSION + 1}; this one reads up to ${CURRENT_SCHEMA_VERSION}`);
  });

  it('[store] a snapshot without a valid schemaVersion is refused', async () => {
    const dir = await tempDataDir();
    await (await openFileStore(dir)).close();
    await writeFile(join(dir, 'agent-notes.json'), JSON.stringify({ schemaVersion: 'two', journalSeq: 0, collections: {} }));
    await expect(openFileStore(dir)).rejects.toThrow('has no valid schemaVersion; restore it from a backup');
  });

  it('[store] a second open of a directory in use throws DataDirLocked naming the pid and directory', async () => {
    const dir = await tempDataDir();
    const first = await openFileStore(dir);
    const second = openFileStore(dir);
    await expect(second).rejects.toBeInstanceOf(DataDirLocked);
    await expect(second).rejects.toThrow(`data directory ${dir} is in use by process ${process.pid}`);
    await first.close();
    await (await openFileStore(dir)).close(); // released on close
  });

  it('[store] a LOCK left by a process that died is taken over', async () => {
    const dir = await tempDataDir();
    await (await openFileStore(dir)).close();
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    await writeFile(join(dir, 'LOCK'), `${dead}\n`);

    const store = await openFileStore(dir);
    expect(JSON.parse(await readFile(join(dir, 'LOCK'), 'utf8')).pid).toBe(process.pid);
    await store.close();
    await expect(stat(join(dir, 'LOCK'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('[store] a put without a value is refused rather than silently lost on reload', async () => {
    const dir = await tempDataDir();
    const store = await openFileStore(dir);
    await expect(store.append([put('clients', 'c1', undefined)])).rejects.toThrow(/has no value/);
    await store.append([put('clients', 'c2', null)]);
    await store.close();
    const reopened = await openFileStore(dir);
    expect(reopened.loaded).toEqual({ clients: { c2: null } });
    await reopened.close();
  });

  it('[store] needsCompaction turns true after compactEvery entries and false after compacting', async () => {
    const dir = await tempDataDir();
    const store = await openFileStore(dir, { compactEvery: 3 });
    await store.append([put('pending', 'p1', 1)]);
    await store.append([put('pending', 'p2', 2)]);
    expect(store.needsCompaction()).toBe(false);
    await store.append([del('pending', 'p1')]);
    expect(store.needsCompaction()).toBe(true);
    await store.compact({ pending: { p2: 2 } });
    expect(store.needsCompaction()).toBe(false);
    await store.close();
  });
});
