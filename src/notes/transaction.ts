// A typed face on the core's `Transaction` for the notes collection: the core class copies the
// collection once, records every put and delete, and keeps collections it does not know.
import { Transaction } from '../core/state.ts';
import type { CoreState } from '../core/types.ts';
import type { NoteRecord, NotesChange, NotesState } from './types.ts';

export class NotesTransaction<S extends NotesState> {
  readonly #tx: Transaction;

  constructor(base: S) {
    this.#tx = new Transaction(base as unknown as CoreState);
  }

  put(note: NoteRecord): void {
    this.#tx.put('notes' as never, note.noteId, note as never);
  }

  delete(noteId: string): void {
    this.#tx.delete('notes' as never, noteId);
  }

  get changes(): NotesChange[] {
    return this.#tx.changes as unknown as NotesChange[];
  }

  result(): S {
    return this.#tx.result() as unknown as S;
  }
}
