// Small helpers shared by the notes tests: a note written in one line, and limits small enough to
// reach in a test.
import { createNote } from '../../src/notes/index.ts';
import type { CreateNoteInput, NoteLimits, NoteRecord, NotesState } from '../../src/notes/index.ts';

export const SMALL_LIMITS: NoteLimits = { titleLength: 10, bodyLength: 20, tags: 3, tagLength: 5, notesPerUser: 3 };

export function noteInput(noteId: string, fields: Partial<CreateNoteInput> = {}): CreateNoteInput {
  return { noteId, ownerId: 'alice', title: `Note ${noteId}`, body: '', tags: [], publicId: `pub-${noteId}`, now: 100, ...fields };
}

/** Creates a note or fails the test with the reason. */
export function withNote<S extends NotesState>(state: S, noteId: string, fields: Partial<CreateNoteInput> = {}): S {
  const result = createNote(state, noteInput(noteId, fields));
  if (result.outcome.kind !== 'note_created') throw new Error(`setup failed: ${JSON.stringify(result.outcome)}`);
  return result.state;
}

export function ids(notes: readonly { noteId: string }[] | readonly { note: NoteRecord }[]): string[] {
  return notes.map((entry) => ('note' in entry ? entry.note.noteId : entry.noteId));
}
