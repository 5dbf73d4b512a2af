// Pinning a note (NOTES-UI-06): pinned notes come first in the owner's list. Pinning changes
// neither the content nor `updatedAt` (so no version is kept, and an open editor stays current),
// but it is a change like any other: one note put through the commit queue and the journal.
import type { Seconds } from '../core/types.ts';
import { problem } from './fields.ts';
import type { NoteProblem } from './fields.ts';
import { getNote } from './queries.ts';
import { NotesTransaction } from './transaction.ts';
import type { NoteRecord, NotesResult, NotesState } from './types.ts';

export interface PinNoteInput {
  noteId: string;
  ownerId: string;
  pinned: boolean;
  now: Seconds;
}

export type PinNoteResult<S extends NotesState> = NotesResult<S, { kind: 'note_pinned'; note: NoteRecord }>;

function refuse<S extends NotesState>(state: S, outcome: NoteProblem): { state: S; changes: []; outcome: NoteProblem } {
  return { state, changes: [], outcome };
}

export function pinNote<S extends NotesState>(state: S, input: PinNoteInput): PinNoteResult<S> {
  // NOTES-OWN-01: only the owner's own note, found through the owner-scoped query.
  const existing = getNote(state, input.ownerId, input.noteId);
  if (!existing) return refuse(state, problem('not_found', `no note with id ${JSON.stringify(input.noteId)}; list your notes to find its id`));
  if ((existing.pinned === true) === input.pinned) return { state, changes: [], outcome: { kind: 'note_pinned', note: existing } };
  const { pinned: _old, ...rest } = existing;
  const note: NoteRecord = input.pinned ? { ...rest, pinned: true } : rest;
  const tx = new NotesTransaction(state);
  tx.put(note);
  return { state: tx.result(), changes: tx.changes, outcome: { kind: 'note_pinned', note } };
}
