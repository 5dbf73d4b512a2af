// The journal: one JSON line `{ "seq": n, "changes": [...] }` per committed transition, appended
// with group commit (one fdatasync covers every line that arrived while the previous one ran) and
// replayed on start on top of the snapshot.
import { open, readFile, rename } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { replayInto } from '../records/index.ts';
import type { Change, Collections } from '../records/index.ts';
import { encodeChanges } from './memory-store.ts';

export interface Replayed {
  /** Highest seq seen in the journal or covered by the snapshot. */
  lastSeq: number;
  /** Complete entries in the file (skipped ones included): the compaction counter. */
  entries: number;
  /** Length of the intact prefix; anything after it is a torn last line to truncate. */
  validBytes: number;
}

/**
 * Replays `path` onto `collections`, skipping entries the snapshot (up to `snapshotSeq`) holds.
 * `upTo` stops at that many bytes: a backup reads a journal only as far as it was durable.
 */
export async function replayJournal(path: string, snapshotSeq: number, collections: Collections, upTo?: number): Promise<Replayed> {
  const whole = await readFile(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return Buffer.alloc(0);
    throw error;
  });
  const text = upTo === undefined ? whole : whole.subarray(0, upTo);
  const result: Replayed = { lastSeq: snapshotSeq, entries: 0, validBytes: 0 };
  let seenSeq = 0;
  for (let start = 0, line = 1; start < text.length; line++) {
    const newline = text.indexOf(0x0a, start);
    const end = newline === -1 ? text.length : newline;
    const entry = parseEntry(text.toString('utf8', start, end));
    const isLast = newline === -1 || newline + 1 === text.length;
    // A crash mid-write leaves at most the last line torn; it was never acknowledged.
    if ((entry === undefined || newline === -1) && isLast) break;
    const corrupt = (why: string) =>
      new Error(`journal ${path} is corrupt at line ${line}: ${why}; refusing to start rather than lose data (restore it from a backup)`);
    if (entry === undefined) throw corrupt('not a valid entry');
    if (entry.seq <= seenSeq) throw corrupt(`seq ${entry.seq} does not follow ${seenSeq}`);
    if (entry.seq > snapshotSeq) {
      if (entry.seq !== result.lastSeq + 1) throw corrupt(`seq ${entry.seq} leaves a gap after ${result.lastSeq}`);
      replayInto(collections, entry.changes);
      result.lastSeq = entry.seq;
    }
    seenSeq = entry.seq;
    result.entries++;
    result.validBytes = start = end + 1;
  }
  return result;
}

function parseEntry(line: string): { seq: number; changes: Change[] } | undefined {
  let entry: unknown;
  try {
    entry = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof entry !== 'object' || entry === null) return undefined;
  const { seq, changes } = entry as { seq?: unknown; changes?: unknown };
  if (!Number.isSafeInteger(seq) || (seq as number) < 1 || !Array.isArray(changes)) return undefined;
  const wellFormed = changes.every(
    (c: Partial<Change> | null) =>
      typeof c === 'object' && c !== null && typeof c.collection === 'string' && typeof c.key === 'string' &&
      (c.op === 'delete' || (c.op === 'put' && Object.hasOwn(c, 'value'))),
  );
  return wellFormed ? { seq: seq as number, changes } : undefined;
}

/** The seq of a journal line, read from the `{"seq":n,` every line starts with. */
function seqOf(text: Buffer, lineStart: number, lineEnd: number): number {
  const head = /^\{"seq":(\d+),/.exec(text.toString('utf8', lineStart, Math.min(lineEnd, lineStart + 32)));
  return head ? Number(head[1]) : parseEntry(text.toString('utf8', lineStart, lineEnd))!.seq;
}

/** Offset of the first line whose seq is above `coveredSeq` (seqs rise line by line). */
function tailAfter(text: Buffer, coveredSeq: number): number {
  let end = text.length;
  while (end > 0) {
    const start = end < 2 ? 0 : text.lastIndexOf(0x0a, end - 2) + 1;
    if (seqOf(text, start, end - 1) <= coveredSeq) return end;
    end = start;
  }
  return 0;
}

/** Copies bytes [from, to) of `source` into `target` (created, or appended to) and syncs it. */
async function copyRange(source: string, target: string, from: number, to: number, mode: 'w' | 'a'): Promise<void> {
  const out = await open(target, mode, 0o600);
  try {
    if (to > from) {
      const bytes = Buffer.alloc(to - from);
      const reader = await open(source, 'r');
      try {
        await reader.read(bytes, 0, bytes.length, from);
      } finally {
        await reader.close();
      }
      await out.write(bytes);
    }
    await out.sync();
  } finally {
    await out.close();
  }
}

/** Makes a rename or a new file in `dir` durable. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  await handle.sync().finally(() => handle.close());
}

type Pending = { seq: number; line: string; resolve: () => void; reject: (error: Error) => void };

export class JournalWriter {
  #pending: Pending[] = [];
  #flushQueued = false;
  #tail: Promise<unknown> = Promise.resolve();
  #compactions: Promise<unknown> = Promise.resolve();
  #failure: Error | undefined;
  #closed: Error | undefined;
  #closing: Promise<void> | undefined;
  #lastWritten: number;
  #lastSeq: number;
  #entries: number;
  /** Bytes of the file that are written and synced. */
  #fileBytes: number;
  /**
   * Where entries end in the file, for a compaction to find the part it keeps without reading the
   * rest: `#ends[i]` is the end offset of entry `#known.seq + 1 + i`; entries up to `#known.seq`
   * (replayed at start) end by `#known.bytes`, without finer detail.
   */
  #known: { seq: number; bytes: number };
  #ends: number[] = [];
  /** fdatasync calls so far: group commit makes this far smaller than the number of appends. */
  syncs = 0;

  private constructor(readonly path: string, private handle: FileHandle, replayed: Replayed) {
    this.#lastSeq = this.#lastWritten = replayed.lastSeq;
    this.#entries = replayed.entries;
    this.#fileBytes = replayed.validBytes;
    this.#known = { seq: replayed.lastSeq, bytes: replayed.validBytes };
  }

  /** Opens the journal for appending, first cutting off a torn last line left by a crash. */
  static async open(path: string, replayed: Replayed): Promise<JournalWriter> {
    const handle = await open(path, 'a', 0o600); // notes and password hashes: owner-only
    if ((await handle.stat()).size > replayed.validBytes) {
      await handle.truncate(replayed.validBytes);
      await handle.datasync();
    }
    return new JournalWriter(path, handle, replayed);
  }

  /** Seq of the last entry appended (written or still buffered). */
  get lastSeq(): number {
    return this.#lastSeq;
  }

  get entries(): number {
    return this.#entries;
  }

  /** Size of the journal file (what a restart replays). */
  get bytes(): number {
    return this.#fileBytes;
  }

  async append(changes: readonly Change[]): Promise<void> {
    const refusal = this.#failure ?? this.#closed;
    if (refusal) throw refusal;
    const encoded = encodeChanges(changes);
    const seq = ++this.#lastSeq;
    return new Promise((resolve, reject) => {
      this.#pending.push({ seq, line: `{"seq":${seq},"changes":${encoded}}\n`, resolve, reject });
      if (this.#flushQueued) return;
      this.#flushQueued = true;
      void this.#serially(() => this.#flush());
    });
  }

  /**
   * Runs `writeSnapshot` while appends go on, then keeps only the entries after `coveredSeq`: they
   * are copied to a new file while appends still go on, and only the few that arrived during the
   * copy are added while appends wait, just before the new file replaces the old one.
   * Compactions run one after another.
   */
  compact(coveredSeq: number, writeSnapshot: () => Promise<void>): Promise<{ journalSwapMs: number }> {
    if (this.#closed) return Promise.reject(this.#closed);
    const run = this.#compactions.then(async () => {
      if (this.#failure) throw this.#failure;
      await writeSnapshot();
      const tmp = `${this.path}.tmp`;
      // Entries not yet written when the snapshot was asked for may still be arriving: the new file
      // then starts after the last written one (replay skips what the snapshot already holds).
      const after = Math.min(coveredSeq, this.#lastWritten);
      const start = await this.#offsetAfter(after);
      const copied = this.#fileBytes;
      await copyRange(this.path, tmp, start, copied, 'w');
      return this.#serially(async () => {
        if (this.#failure) throw this.#failure;
        const held = performance.now();
        await copyRange(this.path, tmp, copied, this.#fileBytes, 'a');
        await this.#replaceWith(tmp, after, start);
        return { journalSwapMs: performance.now() - held };
      });
    });
    this.#compactions = run.catch(() => undefined);
    return run;
  }

  /**
   * Runs `task` while no compaction can replace the snapshot or the journal, with how far the
   * journal is durable as it starts: what a backup needs to link a consistent pair. Appends go on.
   */
  betweenCompactions<T>(task: (durable: { bytes: number; seq: number }) => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(this.#closed);
    const run = this.#compactions.then(() => task({ bytes: this.#fileBytes, seq: this.#lastWritten }));
    this.#compactions = run.catch(() => undefined);
    return run;
  }

  /** Writes what is buffered and closes the file; later appends reject. */
  close(): Promise<void> {
    this.#closed ??= new Error(`journal ${this.path} is closed`);
    // A compaction under way finishes first: it swaps the file the handle points at.
    this.#closing ??= this.#compactions.then(() => this.#serially(() => this.handle.close()));
    return this.#closing;
  }

  #serially<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(task);
    this.#tail = run.catch(() => undefined);
    return run;
  }

  async #flush(): Promise<void> {
    this.#flushQueued = false;
    const batch = this.#pending;
    this.#pending = [];
    if (batch.length === 0) return; // a failure already rejected them
    const lines = batch.map((p) => Buffer.from(p.line, 'utf8'));
    try {
      await this.handle.appendFile(Buffer.concat(lines));
      await this.handle.datasync();
    } catch (error) {
      for (const p of batch) p.reject(this.#fail(error));
      return;
    }
    this.syncs++;
    this.#entries += batch.length;
    this.#lastWritten = batch.at(-1)!.seq;
    for (const line of lines) this.#ends.push((this.#fileBytes += line.length));
    for (const p of batch) p.resolve();
  }

  // Fail-stop: once the disk refused a write, nothing more may be acknowledged.
  #fail(cause: unknown): Error {
    this.#failure ??= new Error(`journal ${this.path} failed; restart to recover from what is on disk`, { cause });
    for (const p of this.#pending.splice(0)) p.reject(this.#failure);
    return this.#failure;
  }

  /** Offset in the file where the entries after `coveredSeq` (a written entry) begin. */
  async #offsetAfter(coveredSeq: number): Promise<number> {
    if (coveredSeq === this.#lastWritten) return this.#fileBytes;
    if (coveredSeq === this.#known.seq) return this.#known.bytes;
    if (coveredSeq > this.#known.seq) return this.#ends[coveredSeq - this.#known.seq - 1]!;
    // Inside what was replayed at start: find it from the end of that part.
    const head = Buffer.alloc(this.#known.bytes);
    const reader = await open(this.path, 'r');
    try {
      await reader.read(head, 0, head.length, 0);
    } finally {
      await reader.close();
    }
    return tailAfter(head, coveredSeq);
  }

  /** Puts `tmp` (the entries after `afterSeq`, which began at `start`) in place of the journal. */
  async #replaceWith(tmp: string, afterSeq: number, start: number): Promise<void> {
    await rename(tmp, this.path);
    // From here the open handle points at the replaced file: any failure must stop the journal.
    try {
      await syncDirectory(dirname(this.path));
      const fresh = await open(this.path, 'a');
      await this.handle.close();
      this.handle = fresh;
    } catch (error) {
      throw this.#fail(error);
    }
    // The new file starts at `start` of the old one: shift what is known about where entries end.
    if (afterSeq >= this.#known.seq) {
      this.#ends = this.#ends.slice(afterSeq - this.#known.seq).map((end) => end - start);
      this.#known = { seq: afterSeq, bytes: 0 };
    } else {
      this.#ends = this.#ends.map((end) => end - start);
      this.#known = { seq: this.#known.seq, bytes: this.#known.bytes - start };
    }
    this.#fileBytes -= start;
    this.#entries = this.#lastWritten - afterSeq;
  }

}
