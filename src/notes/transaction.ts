// A transaction over the notes collection of a larger state (the app's): the record engine tracks
// the notes, and `result()` puts them back beside the caller's other collections.
import { Transaction } from '../records/index.ts';
import type { NoteRecord, NotesChange, NotesState } from './types.ts';

export class NotesTransaction<S extends NotesState> {
  readonly #base: S;
  readonly #tx: Transaction<NotesState>;

  constructor(base: S) {
    this.#base = base;
    this.#tx = new Transaction<NotesState>(base);
  }

  put(note: NoteRecord): void {
    this.#tx.put('notes', note.noteId, note);
  }

  delete(noteId: string): void {
    this.#tx.delete('notes', noteId);
  }

  get changes(): NotesChange[] {
    return this.#tx.changes;
  }

  result(): S {
    return { ...this.#base, ...this.#tx.result() };
  }
}
