// What one person's notes hold, in UTF-8 bytes (SEC-NOTES-01): live notes, the trash and the kept
// versions all count (NOTES-VER-04). Totals per owner are kept views of the three collections, so a
// write checks the budget without adding up every note again. History is the elastic part: when a
// write needs room, the owner's oldest versions go first; live and trashed notes are never dropped
// to make room.
import { keptView, keysWhere } from '../records/index.ts';
import type { KeptView } from '../records/index.ts';
import { problem } from './fields.ts';
import type { NoteLimits, NoteProblem } from './fields.ts';
import { RECORD_OVERHEAD } from './types.ts';
import type { NoteRecord, NoteVersionRecord, NotesState, TrashedNoteRecord } from './types.ts';

type Content = Pick<NoteRecord, 'title' | 'body' | 'tags'>;

/** A note's text as the budget counts it; remembered per record (records are replaced on change). */
const SIZES = new WeakMap<object, number>();

export function contentSize(content: Content): number {
  return Buffer.byteLength(content.title) + Buffer.byteLength(content.body) + content.tags.reduce((total, tag) => total + Buffer.byteLength(tag), 0);
}

export function storedSize(record: NoteRecord | NoteVersionRecord): number {
  let size = SIZES.get(record);
  if (size === undefined) {
    size = contentSize(record);
    SIZES.set(record, size);
  }
  return size;
}

export function versionCost(version: NoteVersionRecord): number {
  return storedSize(version) + RECORD_OVERHEAD;
}

export function trashCost(trashed: TrashedNoteRecord): number {
  return storedSize(trashed.note) + RECORD_OVERHEAD;
}

type Totals = Map<string, number>;

function add(totals: Totals, ownerId: string, bytes: number): void {
  const next = (totals.get(ownerId) ?? 0) + bytes;
  if (next === 0) totals.delete(ownerId);
  else totals.set(ownerId, next);
}

function totalsBy<R extends { ownerId: string }>(measure: (record: R) => number): KeptView<Totals> {
  return {
    build(records) {
      const totals: Totals = new Map();
      for (const record of Object.values(records) as R[]) add(totals, record.ownerId, measure(record));
      return totals;
    },
    update(totals, _key, previous, next) {
      if (previous !== undefined) add(totals, (previous as R).ownerId, -measure(previous as R));
      if (next !== undefined) add(totals, (next as R).ownerId, measure(next as R));
    },
  };
}

const NOTE_BYTES = totalsBy<NoteRecord>(storedSize);
const VERSION_BYTES = totalsBy<NoteVersionRecord>(versionCost);
const TRASH_BYTES = totalsBy<TrashedNoteRecord>(trashCost);

/** The owner's bytes: what may not be dropped (notes and trash) and the history that may. */
export function bytesUsed(state: NotesState, ownerId: string): { kept: number; versions: number } {
  const notes = keptView(state.notes, NOTE_BYTES).get(ownerId) ?? 0;
  const trash = keptView(state.trashedNotes, TRASH_BYTES).get(ownerId) ?? 0;
  return { kept: notes + trash, versions: keptView(state.noteVersions, VERSION_BYTES).get(ownerId) ?? 0 };
}

const mb = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`;

export function notesFull(total: number, limits: NoteLimits): NoteProblem {
  return problem('notes_full', `your notes would hold ${mb(total)}, over the limit of ${mb(limits.bytesPerUser)}; shorten or delete notes first (deleted notes count until the trash is emptied)`);
}

/**
 * The versions to drop, oldest first, so that the owner fits the budget once `keptDelta` bytes of
 * notes and trash and the versions in `adding` (counted newest) are written. `removing` lists
 * versions the write drops anyway. Empty when everything fits; dropping all history is the most
 * it does (the caller has already refused a write that grows notes past the limit).
 */
export function versionsToEvict(state: NotesState, ownerId: string, keptDelta: number, adding: readonly NoteVersionRecord[], removing: ReadonlySet<string>, limits: NoteLimits): NoteVersionRecord[] {
  const used = bytesUsed(state, ownerId);
  let versions = used.versions + adding.reduce((sum, version) => sum + versionCost(version), 0);
  for (const versionId of removing) {
    const version = Object.hasOwn(state.noteVersions, versionId) ? state.noteVersions[versionId] : undefined;
    if (version) versions -= versionCost(version);
  }
  let over = used.kept + keptDelta + versions - limits.bytesPerUser;
  if (over <= 0) return [];
  const oldestFirst = [...keysWhere(state.noteVersions, 'ownerId', ownerId)]
    .filter((versionId) => !removing.has(versionId))
    .map((versionId) => state.noteVersions[versionId]!)
    .sort((a, b) => a.replacedAt - b.replacedAt || a.seq - b.seq || (a.versionId < b.versionId ? -1 : 1));
  const evicted: NoteVersionRecord[] = [];
  for (const version of [...oldestFirst, ...adding]) {
    if (over <= 0) break;
    evicted.push(version);
    over -= versionCost(version);
  }
  return evicted;
}
