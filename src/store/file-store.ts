// The default store: the whole state as a lowdb snapshot, plus a journal of every committed
// transition since, in one data directory that a single process holds locked.
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { tightenDataDir, type PermissionCalls, type Tightened } from './data-dir-permissions.ts';
import { JournalWriter, replayJournal } from './journal.ts';
import { lockDataDir } from './lock.ts';
import { SnapshotFile } from './snapshot-file.ts';
import type { Collections } from '../records/index.ts';
import type { Store } from './types.ts';

const SCHEMA_VERSION = 1;
const SNAPSHOT = 'agent-notes.json';
const JOURNAL = 'journal.jsonl';

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
  try {
    const snapshot = await readSnapshot(join(dir, SNAPSHOT));
    loaded = snapshot.collections;
    const replayed = await replayJournal(join(dir, JOURNAL), snapshot.journalSeq, loaded);
    journal = await JournalWriter.open(join(dir, JOURNAL), replayed);
  } catch (error) {
    await lock.release();
    throw error;
  }
  return {
    loaded,
    tightened,
    get syncCount() {
      return journal.syncs;
    },
    append: (changes) => journal.append(changes),
    async compact(state) {
      // Everything appended so far is in `state`; later changes may be too (see snapshot-file.ts).
      const started = performance.now();
      const covered = journal.lastSeq;
      const file = new SnapshotFile<Snapshot>(join(dir, SNAPSHOT));
      const snapshot: Snapshot = { schemaVersion: SCHEMA_VERSION, journalSeq: covered, collections: state as Collections };
      const { journalSwapMs } = await journal.compact(covered, () => new Low<Snapshot>(file, snapshot).write());
      const written = file.lastWrite;
      snapshotBytes = written?.bytes ?? snapshotBytes;
      return { ms: performance.now() - started, records: written?.records ?? 0, snapshotBytes: written?.bytes ?? 0, longestSliceMs: written?.longestSliceMs ?? 0, journalSwapMs };
    },
    needsCompaction: () => journal.entries >= compactEvery && journal.bytes >= snapshotBytes / 4,
    async close() {
      await journal.close().finally(() => lock.release());
    },
  };
}

async function readSnapshot(path: string): Promise<Snapshot> {
  const db = new Low<Snapshot | null>(new JSONFile(path), null);
  try {
    await db.read();
  } catch (error) {
    throw new Error(`snapshot ${path} cannot be read (${(error as Error).message}); restore it from a backup`, { cause: error });
  }
  const snapshot = db.data;
  if (snapshot === null) return { schemaVersion: SCHEMA_VERSION, journalSeq: 0, collections: {} };
  if (snapshot.schemaVersion !== SCHEMA_VERSION) {
    throw new Error(`snapshot ${path} has schemaVersion ${String(snapshot.schemaVersion)}, but this agent-notes reads only version ${SCHEMA_VERSION}; refusing to start rather than lose data`);
  }
  if (!Number.isSafeInteger(snapshot.journalSeq) || snapshot.journalSeq < 0 || typeof snapshot.collections !== 'object' || snapshot.collections === null) {
    throw new Error(`snapshot ${path} is malformed (journalSeq or collections); restore it from a backup`);
  }
  return snapshot;
}

