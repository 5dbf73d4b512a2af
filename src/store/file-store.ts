// The default store: the whole state as a lowdb snapshot, plus a journal of every committed
// transition since, in one data directory that a single process holds locked.
import { copyFile, link, mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { tightenDataDir, type PermissionCalls, type Tightened } from './data-dir-permissions.ts';
import { removeStalePins } from './backup.ts';
import { JournalWriter, replayJournal, syncDirectory } from './journal.ts';
import { ignoreMissing, lockDataDir } from './lock.ts';
import { migrate } from './migrations.ts';
import { SnapshotFile } from './snapshot-file.ts';
import { CURRENT_SCHEMA_VERSION, JOURNAL_FILE as JOURNAL, RESTORE_MARKER, SNAPSHOT_FILE as SNAPSHOT } from './snapshot-format.ts';
import type { Collections } from '../records/index.ts';
import { RestoreInterrupted, type Pinned, type Store } from './types.ts';

interface Snapshot {
  schemaVersion: number;
  /** Seq of the last journal entry the snapshot includes. */
  journalSeq: number;
  collections: Collections;
}

export interface FileStoreOptions {
  /**
   * Journal entries after which `needsCompaction()` turns true, once the journal is also at least a
   * quarter of the snapshot's size: a compaction rewrites the whole snapshot, so spacing them in
   * proportion keeps its cost per write the same at 1,000 records as at 100,000 (while a restart
   * replays at most a journal that size).
   */
  compactEvery?: number;
  /** Test-only: the chmod used to narrow the directory (one that fails as a non-owner's would). */
  permissionCalls?: PermissionCalls;
}

export interface FileStore extends Store {
  /** fdatasync calls on the journal so far (group commit keeps it below the number of appends). */
  readonly syncCount: number;
  /** What was narrowed to owner-only at open (empty when nothing was open to others). */
  readonly tightened: readonly Tightened[];
  /** The migrations run at open (empty when the data was already current), and where the data before them was kept. */
  readonly migrated: { steps: readonly string[]; keptIn: string } | undefined;
  /**
   * Links the snapshot and the journal into `into` (a new directory in the data directory) at a
   * moment no compaction runs, and says how far the journal was durable then: a consistent point
   * for a backup, taken without holding up a single append.
   */
  pin(into: string): Promise<Pinned>;
}

export async function openFileStore(dir: string, options: FileStoreOptions = {}): Promise<FileStore> {
  const compactEvery = options.compactEvery ?? 10_000;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // Before anything is read or locked: a directory others can read is narrowed, or refused.
  const tightened = await tightenDataDir(dir, options.permissionCalls);
  const lock = await lockDataDir(dir);
  let journal: JournalWriter;
  let loaded: Collections;
  let snapshotBytes = await stat(join(dir, SNAPSHOT)).then((s) => s.size, () => 0);
  let migrated: FileStore['migrated'];
  try {
    const entries = await readdir(dir);
    if (entries.includes(RESTORE_MARKER)) throw new RestoreInterrupted(dir, await readFile(join(dir, RESTORE_MARKER), 'utf8').then((text) => text.trim(), () => 'no details'));
    await removeStalePins(dir, entries);
    const snapshot = await readSnapshot(join(dir, SNAPSHOT));
    loaded = snapshot?.collections ?? {};
    const replayed = await replayJournal(join(dir, JOURNAL), snapshot?.journalSeq ?? 0, loaded);
    journal = await JournalWriter.open(join(dir, JOURNAL), replayed);
    // Every directory since version 2 starts with a snapshot that names its version; a journal
    // without one was written by version 1.
    const version = snapshot?.schemaVersion ?? (replayed.entries > 0 ? 1 : CURRENT_SCHEMA_VERSION);
    if (version < CURRENT_SCHEMA_VERSION) migrated = await upgrade(dir, version, loaded, journal);
    else if (snapshot === undefined) await writeSnapshot(dir, journal, loaded);
  } catch (error) {
    await lock.release();
    throw error;
  }
  return {
    loaded,
    tightened,
    migrated,
    get syncCount() {
      return journal.syncs;
    },
    append: (changes) => journal.append(changes),
    async compact(state) {
      // Everything appended so far is in `state`; later changes may be too (see snapshot-file.ts).
      const started = performance.now();
      const { file, journalSwapMs } = await writeSnapshot(dir, journal, state as Collections);
      const written = file.lastWrite;
      snapshotBytes = written?.bytes ?? snapshotBytes;
      return { ms: performance.now() - started, records: written?.records ?? 0, snapshotBytes: written?.bytes ?? 0, longestSliceMs: written?.longestSliceMs ?? 0, journalSwapMs };
    },
    async pin(into) {
      await mkdir(into, { mode: 0o700 });
      return journal.betweenCompactions(async ({ bytes, seq }) => {
        await link(join(dir, SNAPSHOT), join(into, SNAPSHOT)).catch(ignoreMissing); // none yet: the journal holds everything
        await link(join(dir, JOURNAL), join(into, JOURNAL));
        return { journalBytes: bytes, journalSeq: seq };
      });
    },
    needsCompaction: () => journal.entries >= compactEvery && journal.bytes >= snapshotBytes / 4,
    async close() {
      await journal.close().finally(() => lock.release());
    },
  };
}

/**
 * Migrates what was loaded to the current schemaVersion and writes it as a fresh snapshot at once,
 * so the journal from here on holds only current records. The files as they were are kept first,
 * in `pre-migration-v<N>/`, for going back to the agent-notes that wrote them.
 */
async function upgrade(dir: string, from: number, loaded: Collections, journal: JournalWriter): Promise<FileStore['migrated']> {
  const keptIn = join(dir, `pre-migration-v${from}`);
  await mkdir(keptIn, { recursive: true, mode: 0o700 });
  for (const name of [SNAPSHOT, JOURNAL]) await copyFile(join(dir, name), join(keptIn, name)).catch(() => undefined);
  await syncDirectory(keptIn);
  const steps = migrate(loaded, from, join(dir, SNAPSHOT));
  await writeSnapshot(dir, journal, loaded);
  return { steps, keptIn };
}

/** A current-version snapshot of `state` at the journal's last seq, the journal cut after it. */
async function writeSnapshot(dir: string, journal: JournalWriter, state: Collections): Promise<{ file: SnapshotFile<Snapshot>; journalSwapMs: number }> {
  const file = new SnapshotFile<Snapshot>(join(dir, SNAPSHOT));
  const covered = journal.lastSeq;
  const { journalSwapMs } = await journal.compact(covered, () => new Low<Snapshot>(file, { schemaVersion: CURRENT_SCHEMA_VERSION, journalSeq: covered, collections: state }).write());
  return { file, journalSwapMs };
}

async function readSnapshot(path: string): Promise<Snapshot | undefined> {
  const db = new Low<Snapshot | null>(new JSONFile(path), null);
  try {
    await db.read();
  } catch (error) {
    throw new Error(`snapshot ${path} cannot be read (${(error as Error).message}); restore it from a backup`, { cause: error });
  }
  const snapshot = db.data;
  if (snapshot === null) return undefined;
  if (!Number.isSafeInteger(snapshot.schemaVersion) || snapshot.schemaVersion < 1) {
    throw new Error(`snapshot ${path} has no valid schemaVersion; restore it from a backup`);
  }
  // Refused before anything is written: a newer version's data stays exactly as it was.
  if (snapshot.schemaVersion > CURRENT_SCHEMA_VERSION) migrate(snapshot.collections, snapshot.schemaVersion, path);
  if (!Number.isSafeInteger(snapshot.journalSeq) || snapshot.journalSeq < 0 || typeof snapshot.collections !== 'object' || snapshot.collections === null) {
    throw new Error(`snapshot ${path} is malformed (journalSeq or collections); restore it from a backup`);
  }
  return snapshot;
}
