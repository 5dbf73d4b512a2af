// The snapshot file as a lowdb adapter. Reading is lowdb's own JSONFile. Writing is done here, in
// slices: one JSON.stringify of 100,000 grants and notes held the event loop for most of a second,
// and every request with it. Each slice serialises a bounded number of records, then yields.
//
// Records may change between slices (the commit queue updates collections in place). That is safe
// because the snapshot is only the base the journal is replayed onto: every change made after the
// covered seq is also in the journal after it, and journal entries are absolute puts and deletes of
// whole, never-mutated records, so replaying them over a record written early or late gives the
// same result. (The technique is a fuzzy checkpoint, as database write-ahead logs use.)
import { open, rename } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Adapter } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { syncDirectory } from './journal.ts';

/** Records serialised between two yields to the event loop (about a millisecond's work). */
const RECORDS_PER_SLICE = 500;
/** Bytes gathered before a write to the file. */
const WRITE_BYTES = 1 << 20;

export interface SnapshotShape {
  schemaVersion: number;
  journalSeq: number;
  collections: Record<string, Record<string, unknown>>;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** What the last write cost: its longest stretch without yielding is how long it held up requests. */
export interface SnapshotWriteStats {
  records: number;
  bytes: number;
  longestSliceMs: number;
}

export class SnapshotFile<T extends SnapshotShape> implements Adapter<T> {
  readonly #reader: JSONFile<T>;
  lastWrite: SnapshotWriteStats | undefined;

  constructor(readonly path: string) {
    this.#reader = new JSONFile<T>(path);
  }

  read(): Promise<T | null> {
    return this.#reader.read();
  }

  /**
   * Writes a staging file, fsyncs it, renames it over the snapshot and syncs the directory: a crash
   * leaves the old snapshot or the new one, whole.
   */
  async write(snapshot: T): Promise<void> {
    const staged = join(dirname(this.path), `${basename(this.path)}.next`);
    const handle = await open(staged, 'w', 0o600);
    const stats: SnapshotWriteStats = { records: 0, bytes: 0, longestSliceMs: 0 };
    try {
      let buffered = '';
      const emit = async (text: string) => {
        buffered += text;
        if (buffered.length >= WRITE_BYTES) {
          stats.bytes += buffered.length;
          await handle.write(buffered);
          buffered = '';
        }
      };
      await emit(`{"schemaVersion":${JSON.stringify(snapshot.schemaVersion)},"journalSeq":${JSON.stringify(snapshot.journalSeq)},"collections":{`);
      let firstCollection = true;
      for (const name of Object.keys(snapshot.collections)) {
        const records = snapshot.collections[name]!;
        await emit(`${firstCollection ? '' : ','}${JSON.stringify(name)}:{`);
        firstCollection = false;
        const keys = Object.keys(records);
        let first = true;
        for (let start = 0; start < keys.length; start += RECORDS_PER_SLICE) {
          const sliceStarted = performance.now();
          let slice = '';
          for (const key of keys.slice(start, start + RECORDS_PER_SLICE)) {
            // Deleted since the keys were listed: the journal after the covered seq deletes it anyway.
            if (!Object.hasOwn(records, key)) continue;
            slice += `${first ? '' : ','}${JSON.stringify(key)}:${JSON.stringify(records[key])}`;
            first = false;
            stats.records++;
          }
          stats.longestSliceMs = Math.max(stats.longestSliceMs, performance.now() - sliceStarted);
          await emit(slice);
          if (start + RECORDS_PER_SLICE < keys.length) await yieldToEventLoop();
        }
        await emit('}');
      }
      await handle.write(`${buffered}}}`);
      stats.bytes += buffered.length + 2;
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(staged, this.path);
    await syncDirectory(dirname(this.path));
    this.lastWrite = stats;
  }
}
