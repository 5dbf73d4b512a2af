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
  /** Shown first in the owner's list (NOTES-UI-06); absent means not pinned. */
  pinned?: boolean;
  /** Who wrote what the note holds now (absent on notes written before versions were kept). */
  changedBy?: Author;
}

/** Who made a change: the signed-in owner in the web app, or a connected app (name as it was then). */
export type Author =
  | { kind: 'person'; userId: string }
  | { kind: 'app'; clientId: string; name?: string };

/** What a note held before a change (NOTES-VER-01), kept for `versionDays` and at most `versionsPerNote` per note. */
export interface NoteVersionRecord {
  /** `<noteId>.<seq>`; `seq` counts up per note. */
  versionId: string;
  noteId: string;
  ownerId: string;
  seq: number;
  title: string;
  body: string;
  tags: string[];
  /** When this content was written (the note's `updatedAt` then) and by whom. */
  savedAt: Seconds;
  savedBy?: Author;
  /** When a later change replaced it; its age for pruning counts from here. */
  replacedAt: Seconds;
}

/** A deleted note, kept in the trash for `trashDays` (NOTES-TRASH-01); it is no longer in `notes`. */
export interface TrashedNoteRecord {
  note: NoteRecord;
  ownerId: string;
  trashedAt: Seconds;
  trashedBy?: Author;
}

export interface NotesState {
  notes: Record<string, NoteRecord>;
  noteVersions: Record<string, NoteVersionRecord>;
  /** Keyed by note id. */
  trashedNotes: Record<string, TrashedNoteRecord>;
}

export type NotesError = 'invalid_note' | 'note_too_large' | 'too_many_notes' | 'notes_full' | 'not_found';

/** One note, version or trashed note written or removed. */
export type NotesChange = Change<'notes' | 'noteVersions' | 'trashedNotes'>;

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

/** How long history and trash are kept; the operator's settings (NOTES_VERSIONS_KEPT, NOTES_VERSIONS_DAYS, NOTES_TRASH_DAYS). */
export interface NoteRetention {
  versionsPerNote: number;
  versionDays: number;
  trashDays: number;
}

export const NOTE_RETENTION: NoteRetention = { versionsPerNote: 100, versionDays: 180, trashDays: 30 };

/**
 * What a version or a trashed note costs its owner's byte budget besides its text: the record's
 * ids and dates. Without it, a stream of tiny edits could grow the data file without limit.
 */
export const RECORD_OVERHEAD = 256;

export function emptyNotesState(): NotesState {
  return { notes: {}, noteVersions: {}, trashedNotes: {} };
}
