// The trash (NOTES-TRASH-01..03): a deleted note waits here `trashDays`, out of every list, search,
// fetch and public page, until its owner restores it, deletes it for good, or time runs out. Its
// history waits with it and comes back on restore.
import type { Seconds } from '../core/types.ts';
import { problem } from './fields.ts';
import type { NoteLimits, NoteProblem } from './fields.ts';
import { countNotes, getTrashedNote } from './queries.ts';
import { NotesTransaction } from './transaction.ts';
import { eraseInto } from './transitions.ts';
import { NOTE_LIMITS, NOTE_RETENTION } from './types.ts';
import type { NoteRecord, NoteRetention, NotesResult, NotesState } from './types.ts';
import { versionExpired } from './versions.ts';

const DAY = 86_400;

export interface TrashedNoteInput {
  noteId: string;
  ownerId: string;
}

export type RestoreNoteResult<S extends NotesState> = NotesResult<S, { kind: 'note_restored'; note: NoteRecord }>;
export type EraseNoteResult<S extends NotesState> = NotesResult<S, { kind: 'note_erased'; noteId: string }>;

function refuse<S extends NotesState>(state: S, outcome: NoteProblem): { state: S; changes: []; outcome: NoteProblem } {
  return { state, changes: [], outcome };
}

function notInTrash(noteId: string): NoteProblem {
  return problem('not_found', `no note with id ${JSON.stringify(noteId)} in your trash; it may have been restored or deleted for good`);
}

/**
 * Brings a trashed note back as it was, but private: its public link closed when it was deleted and
 * stays closed (SEC-SHARE-01); sharing it again makes a new one.
 */
export function restoreFromTrash<S extends NotesState>(state: S, input: TrashedNoteInput, limits: NoteLimits = NOTE_LIMITS): RestoreNoteResult<S> {
  const trashed = getTrashedNote(state, input.ownerId, input.noteId);
  if (!trashed) return refuse(state, notInTrash(input.noteId));
  if (countNotes(state, input.ownerId) >= limits.notesPerUser) {
    return refuse(state, problem('too_many_notes', `you have reached the limit of ${limits.notesPerUser} notes; delete one before restoring this`));
  }
  const note: NoteRecord = { ...trashed.note, public: false };
  const tx = new NotesTransaction(state);
  tx.deleteTrashed(note.noteId);
  tx.put(note);
  return { state: tx.result(), changes: tx.changes, outcome: { kind: 'note_restored', note } };
}

/** NOTES-TRASH-02: deletes a trashed note for good, with its history. */
export function eraseFromTrash<S extends NotesState>(state: S, input: TrashedNoteInput): EraseNoteResult<S> {
  if (!getTrashedNote(state, input.ownerId, input.noteId)) return refuse(state, notInTrash(input.noteId));
  const tx = new NotesTransaction(state);
  eraseInto(tx, state, input.noteId);
  return { state: tx.result(), changes: tx.changes, outcome: { kind: 'note_erased', noteId: input.noteId } };
}

/** Removes a person's note, live or trashed, with its history (when the person is removed). */
export function eraseNote<S extends NotesState>(state: S, input: TrashedNoteInput): EraseNoteResult<S> {
  const live = Object.hasOwn(state.notes, input.noteId) && state.notes[input.noteId]!.ownerId === input.ownerId;
  if (!live && !getTrashedNote(state, input.ownerId, input.noteId)) return refuse(state, notInTrash(input.noteId));
  const tx = new NotesTransaction(state);
  if (live) tx.delete(input.noteId);
  eraseInto(tx, state, input.noteId);
  return { state: tx.result(), changes: tx.changes, outcome: { kind: 'note_erased', noteId: input.noteId } };
}

/**
 * What time passing removes (run by the tick): versions past their age (NOTES-VER-02) and notes in
 * the trash longer than `trashDays` (NOTES-TRASH-03), each for good.
 */
export function pruneNotes<S extends NotesState>(state: S, now: Seconds, retention: NoteRetention = NOTE_RETENTION): NotesResult<S, { kind: 'notes_pruned'; versions: number; trashed: number }> {
  const tx = new NotesTransaction(state);
  for (const [noteId, record] of Object.entries(state.trashedNotes)) {
    if (record.trashedAt + retention.trashDays * DAY <= now) eraseInto(tx, state, noteId);
  }
  for (const version of Object.values(state.noteVersions)) {
    if (versionExpired(version, now, retention)) tx.deleteVersion(version.versionId); // once, even if erased above
  }
  const changes = tx.changes;
  if (changes.length === 0) return { state, changes: [], outcome: { kind: 'notes_pruned', versions: 0, trashed: 0 } };
  const count = (collection: string) => changes.filter((change) => change.collection === collection).length;
  return { state: tx.result(), changes, outcome: { kind: 'notes_pruned', versions: count('noteVersions'), trashed: count('trashedNotes') } };
}
