// The data directory's file names and the snapshot's shape, shared by the store, its migrations and
// backups. `schemaVersion` says which record shapes the collections hold (src/store/migrations.ts).

export const SNAPSHOT_FILE = 'agent-notes.json';
export const JOURNAL_FILE = 'journal.jsonl';
/** Present while a restore swaps files: a start-up that finds it refuses (src/store/restore.ts). */
export const RESTORE_MARKER = 'RESTORING';

/** The record shapes this version writes; older snapshots are migrated forward at start. */
export const CURRENT_SCHEMA_VERSION = 2;

export interface SnapshotData {
  schemaVersion: number;
  /** Seq of the last journal entry the snapshot includes. */
  journalSeq: number;
  collections: Record<string, Record<string, unknown>>;
}
