// The vocabulary of notes: records persisted next to the OAuth and account collections, owned by
// one user each, and the result shape of every notes transition (the same as the core's).
import type { Seconds } from '../core/types.ts';
import type { Change } from '../records/index.ts';

export interface NoteRecord {
  noteId: string;
  ownerId: string;
  title: string;
  /** Markdown. */
  body: string;
  /** Lowercase, deduplicated, sorted. */
  tags: string[];
  createdAt: Seconds;
  updatedAt: Seconds;
  /** Shown read-only at /p/<publicId> when true. */
  public: boolean;
  /** Unguessable id of the public page; replaced each time the note is shared again (SEC-SHARE-01). */
  publicId: string;
}

export interface NotesState {
  notes: Record<string, NoteRecord>;
}

export type NotesError = 'invalid_note' | 'note_too_large' | 'too_many_notes' | 'notes_full' | 'not_found';

/** One note written or removed. */
export type NotesChange = Change<'notes'>;

export interface NotesResult<S extends NotesState, O> {
  state: S;
  changes: NotesChange[];
  outcome: O | { kind: 'error'; error: NotesError; message: string };
}

export const NOTE_LIMITS = {
  titleLength: 200,
  bodyLength: 100_000,
  tags: 20,
  tagLength: 40,
  notesPerUser: 10_000,
  /** Everything one person's notes may hold together (UTF-8 bytes of titles, bodies and tags). */
  bytesPerUser: 50 * 1024 * 1024,
} as const;

export function emptyNotesState(): NotesState {
  return { notes: {} };
}
