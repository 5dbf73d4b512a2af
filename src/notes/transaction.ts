// A transaction over the notes collections (notes, their versions, the trash) of a larger state (the app's): the record engine tracks
// the notes, and `result()` puts them back beside the caller's other collections.
import { Transaction } from '../records/index.ts';
import type { NoteRecord, NoteVersionRecord, NotesChange, NotesState, TrashedNoteRecord } from './types.ts';

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

  putVersion(version: NoteVersionRecord): void {
    this.#tx.put('noteVersions', version.versionId, version);
  }

  deleteVersion(versionId: string): void {
    this.#tx.delete('noteVersions', versionId);
  }

  putTrashed(trashed: TrashedNoteRecord): void {
    this.#tx.put('trashedNotes', trashed.note.noteId, trashed);
  }

  deleteTrashed(noteId: string): void {
    this.#tx.delete('trashedNotes', noteId);
  }

  get changes(): NotesChange[] {
    return this.#tx.changes;
  }

  result(): S {
    return { ...this.#base, ...this.#tx.result() };
  }
}
