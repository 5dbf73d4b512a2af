// Creating, changing and deleting notes. Each transition checks the fields it is given in a fixed
// order (first failure answers), then writes one record. A note owned by someone else is answered
// exactly like a missing one: no transition reveals that another user's note exists.
import type { Seconds } from '../core/types.ts';
import { checkBody, checkPublic, checkTags, checkTitle, problem } from './fields.ts';
import type { NoteLimits, NoteProblem } from './fields.ts';
import { countNotes, getNote, ownedNotes } from './queries.ts';
import { NotesTransaction } from './transaction.ts';
import { NOTE_LIMITS } from './types.ts';
import type { NoteRecord, NotesResult, NotesState } from './types.ts';

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
}

export interface DeleteNoteInput {
  noteId: string;
  ownerId: string;
}

export type CreateNoteResult<S extends NotesState> = NotesResult<S, { kind: 'note_created'; note: NoteRecord }>;
export type UpdateNoteResult<S extends NotesState> = NotesResult<S, { kind: 'note_updated'; note: NoteRecord }>;
export type DeleteNoteResult<S extends NotesState> = NotesResult<S, { kind: 'note_deleted'; noteId: string }>;

/** A note's size as its owner's quota counts it; remembered per version of the note. */
const SIZES = new WeakMap<NoteRecord, number>();

function sizeOf(note: Pick<NoteRecord, 'title' | 'body' | 'tags'>): number {
  return Buffer.byteLength(note.title) + Buffer.byteLength(note.body) + note.tags.reduce((total, tag) => total + Buffer.byteLength(tag), 0);
}

function storedSize(note: NoteRecord): number {
  let size = SIZES.get(note);
  if (size === undefined) {
    size = sizeOf(note);
    SIZES.set(note, size);
  }
  return size;
}

/** Issue 14: one person's notes are bounded in total, so a connected app cannot fill the disk. */
function overQuota(state: NotesState, ownerId: string, note: Pick<NoteRecord, 'title' | 'body' | 'tags'>, replacing: string | undefined, limits: NoteLimits): NoteProblem | undefined {
  let total = sizeOf(note);
  for (const other of ownedNotes(state, ownerId)) if (other.noteId !== replacing) total += storedSize(other);
  if (total <= limits.bytesPerUser) return undefined;
  const mb = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`;
  return problem('notes_full', `your notes would hold ${mb(total)}, over the limit of ${mb(limits.bytesPerUser)}; shorten or delete notes first`);
}

function refuse<S extends NotesState>(state: S, outcome: NoteProblem): { state: S; changes: []; outcome: NoteProblem } {
  return { state, changes: [], outcome };
}

function notFound(noteId: string): NoteProblem {
  return problem('not_found', `no note with id ${JSON.stringify(noteId)}; list your notes to find its id`);
}

function publicIdTaken(state: NotesState, publicId: string): boolean {
  return Object.values(state.notes).some((note) => note.publicId === publicId);
}

function idTaken(state: NotesState, noteId: string, publicId: string): boolean {
  return Object.hasOwn(state.notes, noteId) || publicIdTaken(state, publicId);
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
  const full = overQuota(state, input.ownerId, { title: title.value, body: body.value, tags: tags.value }, undefined, limits);
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
  };
  const tx = new NotesTransaction(state);
  tx.put(note);
  return { state: tx.result(), changes: tx.changes, outcome: { kind: 'note_created', note } };
}

export function updateNote<S extends NotesState>(state: S, input: UpdateNoteInput, limits: NoteLimits = NOTE_LIMITS): UpdateNoteResult<S> {
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
  if (sizeOf(note) > storedSize(existing)) {
    const full = overQuota(state, input.ownerId, note, note.noteId, limits);
    if (full) return refuse(state, full);
  }
  const tx = new NotesTransaction(state);
  tx.put(note);
  return { state: tx.result(), changes: tx.changes, outcome: { kind: 'note_updated', note } };
}

export function deleteNote<S extends NotesState>(state: S, input: DeleteNoteInput): DeleteNoteResult<S> {
  if (!getNote(state, input.ownerId, input.noteId)) return refuse(state, notFound(input.noteId));
  const tx = new NotesTransaction(state);
  tx.delete(input.noteId);
  return { state: tx.result(), changes: tx.changes, outcome: { kind: 'note_deleted', noteId: input.noteId } };
}
