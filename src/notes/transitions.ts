// Creating, changing and deleting notes. Each transition checks the fields it is given in a fixed
// order (first failure answers), then writes one record. A note owned by someone else is answered
// exactly like a missing one: no transition reveals that another user's note exists.
import type { Seconds } from '../core/types.ts';
import { keysWhere } from '../records/index.ts';
import { checkBody, checkPublic, checkTags, checkTitle, problem } from './fields.ts';
import type { NoteLimits, NoteProblem } from './fields.ts';
import { bytesUsed, contentSize, notesFull, storedSize, trashCost, versionsToEvict } from './budget.ts';
import { countNotes, getNote, oldestTrashedBeyond } from './queries.ts';
import { NotesTransaction } from './transaction.ts';
import { NOTE_LIMITS, NOTE_RETENTION } from './types.ts';
import type { Author, NoteRecord, NoteRetention, NotesResult, NotesState } from './types.ts';
import { contentChanged, versionOf, versionsPastRetention } from './versions.ts';

export interface CreateNoteInput {
  /** Fresh random value from the shell. */
  noteId: string;
  ownerId: string;
  title: string;
  body: string;
  tags: readonly string[];
  /** Defaults to false. */
  public?: boolean;
  /** Fresh random value from the shell; the note's public id until it is shared again after being private. */
  publicId: string;
  now: Seconds;
  /** Who writes it (NOTES-VER-01). */
  by?: Author;
}

/** Only the fields given change. */
export interface UpdateNoteInput {
  noteId: string;
  ownerId: string;
  title?: string;
  body?: string;
  tags?: readonly string[];
  public?: boolean;
  /**
   * Fresh random value from the shell: the note's public id if this update shares a private note.
   * Without it the note keeps its old id (and a link once closed would open again).
   */
  publicId?: string;
  now: Seconds;
  by?: Author;
}

export interface DeleteNoteInput {
  noteId: string;
  ownerId: string;
  now: Seconds;
  by?: Author;
}

export type CreateNoteResult<S extends NotesState> = NotesResult<S, { kind: 'note_created'; note: NoteRecord }>;
export type UpdateNoteResult<S extends NotesState> = NotesResult<S, { kind: 'note_updated'; note: NoteRecord }>;
export type DeleteNoteResult<S extends NotesState> = NotesResult<S, { kind: 'note_deleted'; noteId: string }>;

/** Issue 14: one person's notes are bounded in total, so a connected app cannot fill the disk. */
function overQuota(state: NotesState, ownerId: string, keptDelta: number, limits: NoteLimits): NoteProblem | undefined {
  const total = bytesUsed(state, ownerId).kept + keptDelta;
  return total <= limits.bytesPerUser ? undefined : notesFull(total, limits);
}

function refuse<S extends NotesState>(state: S, outcome: NoteProblem): { state: S; changes: []; outcome: NoteProblem } {
  return { state, changes: [], outcome };
}

function notFound(noteId: string): NoteProblem {
  return problem('not_found', `no note with id ${JSON.stringify(noteId)}; list your notes to find its id`);
}

function publicIdTaken(state: NotesState, publicId: string): boolean {
  return keysWhere(state.notes, 'publicId', publicId).size > 0;
}

function idTaken(state: NotesState, noteId: string, publicId: string): boolean {
  return Object.hasOwn(state.notes, noteId) || Object.hasOwn(state.trashedNotes, noteId) || publicIdTaken(state, publicId);
}

export function createNote<S extends NotesState>(state: S, input: CreateNoteInput, limits: NoteLimits = NOTE_LIMITS): CreateNoteResult<S> {
  const title = checkTitle(input.title, limits);
  if ('kind' in title) return refuse(state, title);
  const body = checkBody(input.body, limits);
  if ('kind' in body) return refuse(state, body);
  const tags = checkTags(input.tags, limits);
  if ('kind' in tags) return refuse(state, tags);
  const isPublic = checkPublic(input.public ?? false);
  if ('kind' in isPublic) return refuse(state, isPublic);
  if (countNotes(state, input.ownerId) >= limits.notesPerUser) {
    return refuse(state, problem('too_many_notes', `you have reached the limit of ${limits.notesPerUser} notes; delete some before creating more`));
  }
  const size = contentSize({ title: title.value, body: body.value, tags: tags.value });
  const full = overQuota(state, input.ownerId, size, limits);
  if (full) return refuse(state, full);
  if (idTaken(state, input.noteId, input.publicId)) return refuse(state, problem('invalid_note', 'note id collision; retry'));

  const note: NoteRecord = {
    noteId: input.noteId,
    ownerId: input.ownerId,
    title: title.value,
    body: body.value,
    tags: tags.value,
    createdAt: input.now,
    updatedAt: input.now,
    public: isPublic.value,
    publicId: input.publicId,
    ...(input.by === undefined ? {} : { changedBy: input.by }),
  };
  const tx = new NotesTransaction(state);
  tx.put(note);
  // History makes room for the new note (budget.ts).
  for (const version of versionsToEvict(state, input.ownerId, size, [], new Set(), limits)) tx.deleteVersion(version.versionId);
  return { state: tx.result(), changes: tx.changes, outcome: { kind: 'note_created', note } };
}

export function updateNote<S extends NotesState>(state: S, input: UpdateNoteInput, limits: NoteLimits = NOTE_LIMITS, retention: NoteRetention = NOTE_RETENTION): UpdateNoteResult<S> {
  const existing = getNote(state, input.ownerId, input.noteId);
  if (!existing) return refuse(state, notFound(input.noteId));
  const note: NoteRecord = { ...existing, updatedAt: input.now };
  if (input.title !== undefined) {
    const title = checkTitle(input.title, limits);
    if ('kind' in title) return refuse(state, title);
    note.title = title.value;
  }
  if (input.body !== undefined) {
    const body = checkBody(input.body, limits);
    if ('kind' in body) return refuse(state, body);
    note.body = body.value;
  }
  if (input.tags !== undefined) {
    const tags = checkTags(input.tags, limits);
    if ('kind' in tags) return refuse(state, tags);
    note.tags = tags.value;
  }
  if (input.public !== undefined) {
    const isPublic = checkPublic(input.public);
    if ('kind' in isPublic) return refuse(state, isPublic);
    // SEC-SHARE-01: each share opens a new link, so one closed by unsharing never opens again.
    if (isPublic.value && !existing.public && input.publicId !== undefined) {
      if (publicIdTaken(state, input.publicId)) return refuse(state, problem('invalid_note', 'public id collision; retry'));
      note.publicId = input.publicId;
    }
    note.public = isPublic.value;
  }
  // Only a note that grows can cross the limit; shrinking one (or its other fields) always works.
  const delta = contentSize(note) - storedSize(existing);
  if (delta > 0) {
    const full = overQuota(state, input.ownerId, delta, limits);
    if (full) return refuse(state, full);
  }
  // NOTES-VER-01: `changedBy` names who wrote the content, so sharing alone does not change it.
  if (input.by !== undefined && contentChanged(existing, note)) note.changedBy = input.by;
  const tx = new NotesTransaction(state);
  tx.put(note);
  // NOTES-VER-01: the content replaced is kept, within the note's count and age (NOTES-VER-02) and
  // the owner's budget (NOTES-VER-04: the oldest history goes first when room is needed).
  const adding = contentChanged(existing, note) && retention.versionsPerNote > 0 ? [versionOf(state, existing, input.now)] : [];
  const expired = versionsPastRetention(state, note.noteId, adding.length, input.now, retention);
  const dropped = new Set(expired.map((version) => version.versionId));
  const evicted = versionsToEvict(state, input.ownerId, delta, adding, dropped, limits);
  for (const version of adding) if (!evicted.includes(version)) tx.putVersion(version);
  for (const version of [...expired, ...evicted]) if (!adding.includes(version)) tx.deleteVersion(version.versionId);
  return { state: tx.result(), changes: tx.changes, outcome: { kind: 'note_updated', note } };
}

/** NOTES-TRASH-01: a deleted note moves to the trash, out of every list, search and fetch. */
export function deleteNote<S extends NotesState>(state: S, input: DeleteNoteInput, limits: NoteLimits = NOTE_LIMITS): DeleteNoteResult<S> {
  const note = getNote(state, input.ownerId, input.noteId);
  if (!note) return refuse(state, notFound(input.noteId));
  const trashed = { note, ownerId: note.ownerId, trashedAt: input.now, ...(input.by === undefined ? {} : { trashedBy: input.by }) };
  const tx = new NotesTransaction(state);
  tx.delete(note.noteId);
  tx.putTrashed(trashed);
  // The trash holds at most notesPerUser notes: past that the oldest is deleted for good.
  for (const old of oldestTrashedBeyond(state, input.ownerId, limits.notesPerUser - 1)) eraseInto(tx, state, old.note.noteId);
  for (const version of versionsToEvict(state, input.ownerId, trashCost(trashed) - storedSize(note), [], new Set(), limits)) tx.deleteVersion(version.versionId);
  return { state: tx.result(), changes: tx.changes, outcome: { kind: 'note_deleted', noteId: input.noteId } };
}

/** Removes a trashed note and its whole history for good. */
export function eraseInto(tx: NotesTransaction<NotesState>, state: NotesState, noteId: string): void {
  tx.deleteTrashed(noteId);
  for (const versionId of [...keysWhere(state.noteVersions, 'noteId', noteId)]) tx.deleteVersion(versionId);
}
