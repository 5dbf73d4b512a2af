// The persistence interface: the shell hands over the changes of each committed transition and
// gets back the state it can restart from. Files, memory or a database may sit behind it.

import type { Change, Collections, CollectionsOf } from '../records/index.ts';

/** The cost of one compaction, for the log: how long requests could have been held up by it. */
export interface CompactionStats {
  ms: number;
  records: number;
  snapshotBytes: number;
  /** Longest stretch the snapshot writer ran without yielding to the event loop. */
  longestSliceMs: number;
  /** How long appends waited while the journal was cut down to the entries after the snapshot. */
  journalSwapMs: number;
}

export interface Store {
  /** State as loaded: snapshot, then journal replayed (torn last line ignored). */
  readonly loaded: Collections;
  /** Appends the changes of one committed transition; resolves once they are fdatasync'd.
   *  Appends made while a sync runs are written and synced together (group commit). */
  append(changes: readonly Change[]): Promise<void>;
  /** Writes `state` (as of the last append made) as a fresh snapshot and drops the journal
   *  entries it covers. Appends made meanwhile are kept. Resolves with what it cost, if measured. */
  compact<S extends CollectionsOf<S>>(state: S): Promise<CompactionStats | undefined>;
  /** True once the journal holds enough entries that the caller should `compact`. */
  needsCompaction(): boolean;
  /** Flushes pending appends and releases the store; never compacts on its own. */
  close(): Promise<void>;
  /** Links the files of one consistent point into `into`, for a backup; absent where nothing is on disk. */
  pin?(into: string): Promise<Pinned>;
}

/** Where the snapshot and journal stood when they were linked for a backup (src/store/backup.ts). */
export interface Pinned {
  /** Bytes of the linked journal that were durable: the backup reads no further. */
  journalBytes: number;
  journalSeq: number;
}

/** Another live process holds the data directory. */
export class DataDirLocked extends Error {
  override readonly name = 'DataDirLocked';

  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(`data directory ${dir} is in use by process ${pid}, another agent-notes (stop it first; only one process may use a data directory)`);
  }
}

/** A restore stopped half-way through swapping files; what is where is in the marker file. */
export class RestoreInterrupted extends Error {
  override readonly name = 'RestoreInterrupted';

  constructor(
    readonly dir: string,
    readonly detail: string,
  ) {
    super(`a restore into ${dir} was interrupted (${detail}); run the same agent-notes restore again to finish it`);
  }
}
