// The store's part of a backup: a pin taken while appends and compactions go on reads back as the
// state after exactly the appends it names, and a backup file carries that state whole.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openFileStore, readBackup, readPinned, restoreBackup, writeBackup, BackupRefused, RestoreInterrupted } from '../../src/store/index.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'agent-notes-backup-'));
  dirs.push(dir);
  return dir;
}

/** The notes collection after the first `n` appends of the run below. */
const notesAfter = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`n${i + 1}`, { id: `n${i + 1}`, seq: i + 1 }]));

describe('backup pins', () => {
  it('[OPS-BACKUP-01] pins taken during appends and compactions each read back as the state at their seq', async () => {
    const dir = await tempDir();
    const store = await openFileStore(dir, { compactEvery: 7 });
    const state: { notes: Record<string, unknown> } = { notes: {} };
    const appends: Promise<void>[] = [];
    const pins: Promise<{ seq: number; notes: unknown }>[] = [];
    const compactions: Promise<unknown>[] = [];
    for (let i = 1; i <= 300; i++) {
      const value = { id: `n${i}`, seq: i };
      state.notes[`n${i}`] = value; // in place, as the commit queue does
      appends.push(store.append([{ op: 'put', collection: 'notes', key: `n${i}`, value }]));
      if (i % 25 === 0) compactions.push(store.compact(state));
      if (i % 20 === 0) {
        await appends[i - 11]; // part of the run durable, the rest still arriving; compactions unawaited
        const into = join(dir, `backup-pin-${i}`);
        pins.push(store.pin(into).then(async (pinned) => ({ seq: pinned.journalSeq, notes: (await readPinned(into, pinned)).snapshot.collections.notes })));
      }
    }
    await Promise.all([...appends, ...compactions]);
    const read = await Promise.all(pins);
    await store.close();
    expect(read.length).toBe(15);
    // A pin waits for a compaction under way (never for appends), so several may share a point.
    expect(new Set(read.map((pin) => pin.seq)).size, 'pins at different points').toBeGreaterThan(1);
    expect(Math.min(...read.map((pin) => pin.seq)), 'a pin taken mid-run').toBeLessThan(300);
    for (const pin of read) expect(pin.notes ?? {}, `pin at seq ${pin.seq}`).toEqual(notesAfter(pin.seq));
  });

  it('[OPS-BACKUP-01][OPS-BACKUP-03] a backup file holds the state and side files whole; any change to it is refused', async () => {
    const dir = await tempDir();
    const file = join(dir, 'nested', 'b.json');
    const content = { snapshot: { schemaVersion: 2, journalSeq: 3, collections: { notes: notesAfter(3) } }, files: { 'keys.json': '{"version":1}', 'clients.json': null } };
    const bytes = await writeBackup(file, content, new Date('2026-12-07T03:15:00Z'));
    expect(bytes).toBe((await readFile(file)).length);
    const back = await readBackup(file);
    expect(back).toMatchObject({ format: 'agent-notes-backup', formatVersion: 1, createdAt: '2026-12-07T03:15:00.000Z', content });
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('"seq":2', '"seq":9'));
    await expect(readBackup(file)).rejects.toThrow(BackupRefused);
    await expect(readBackup(file)).rejects.toThrow('is damaged: its checksum does not match');
  });
});

describe('restore', () => {
  it('[OPS-BACKUP-03] a start-up that finds a restore cut short refuses, and running the restore again finishes it', async () => {
    const dir = await tempDir();
    const old = await openFileStore(dir);
    await old.append([{ op: 'put', collection: 'notes', key: 'old', value: { id: 'old' } }]);
    await old.close();
    const file = join(await tempDir(), 'b.json');
    await writeBackup(file, { snapshot: { schemaVersion: 2, journalSeq: 2, collections: { notes: notesAfter(2) } }, files: { 'keys.json': null, 'clients.json': null } }, new Date());
    const backup = await readBackup(file);
    // As a restore killed between moving the old files out and the new ones in leaves it.
    await writeFile(join(dir, 'RESTORING'), 'files being replaced are moved to /x, the backup\'s are taken from /y\n');
    await rm(join(dir, 'agent-notes.json'));
    const refused = openFileStore(dir);
    await expect(refused).rejects.toBeInstanceOf(RestoreInterrupted);
    await expect(refused).rejects.toThrow(`a restore into ${dir} was interrupted (files being replaced are moved to /x, the backup's are taken from /y); run the same agent-notes restore again to finish it`);

    const { keptIn } = await restoreBackup(dir, backup);
    expect(keptIn).toBeDefined();
    expect((await readdir(dir)).sort()).toEqual(['agent-notes.json', 'journal.jsonl', keptIn!.slice(dir.length + 1)].sort());
    const reopened = await openFileStore(dir);
    expect(reopened.loaded.notes).toEqual(notesAfter(2));
    await reopened.close();
  });
});
