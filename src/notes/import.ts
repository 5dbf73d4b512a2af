// Importing notes (NOTES-IO-02): every note of an archive checked like a note written by hand,
// the ones that fail refused one by one with the reason, and the rest written in one transition,
// so an import never stops half-way: past the owner's note count or byte budget nothing is written.
import type { Seconds } from '../core/types.ts';
import { bytesUsed, contentSize, notesFull } from './budget.ts';
import { checkBody, checkTags, checkTitle, problem } from './fields.ts';
import type { NoteLimits, NoteProblem } from './fields.ts';
import { countNotes } from './queries.ts';
import { NotesTransaction } from './transaction.ts';
import { NOTE_LIMITS } from './types.ts';
import type { Author, NoteRecord, NotesResult, NotesState } from './types.ts';

export interface ImportedNote {
  /** Where it came from (a path in the archive), for the report. */
  source: string;
  title: string;
  body: string;
  tags: readonly string[];
  createdAt?: Seconds;
  updatedAt?: Seconds;
  public?: boolean;
}

export interface ImportNotesInput {
  ownerId: string;
  notes: readonly ImportedNote[];
  /** Fresh random values from the shell, one pair per note. */
  ids: readonly { noteId: string; publicId: string }[];
  now: Seconds;
  by?: Author;
}

export interface Refused {
  source: string;
  reason: string;
}

export type ImportNotesResult<S extends NotesState> = NotesResult<S, { kind: 'notes_imported'; imported: NoteRecord[]; refused: Refused[] }>;

export function importNotes<S extends NotesState>(state: S, input: ImportNotesInput, limits: NoteLimits = NOTE_LIMITS): ImportNotesResult<S> {
  const accepted: NoteRecord[] = [];
  const refused: Refused[] = [];
  input.notes.forEach((imported, i) => {
    const ids = input.ids[i];
    const title = checkTitle(imported.title, limits);
    const body = checkBody(imported.body, limits);
    const tags = checkTags(imported.tags, limits);
    const failed = [title, body, tags].find((checked): checked is NoteProblem => 'kind' in checked);
    if (failed || ids === undefined) return void refused.push({ source: imported.source, reason: failed?.message ?? 'no id for this note' });
    if (Object.hasOwn(state.notes, ids.noteId) || Object.hasOwn(state.trashedNotes, ids.noteId)) return void refused.push({ source: imported.source, reason: 'note id collision; import again' });
    const updatedAt = imported.updatedAt ?? input.now;
    accepted.push({
      noteId: ids.noteId,
      ownerId: input.ownerId,
      title: (title as { value: string }).value,
      body: (body as { value: string }).value,
      tags: (tags as { value: string[] }).value,
      createdAt: Math.min(imported.createdAt ?? updatedAt, updatedAt),
      updatedAt,
      // An imported note is private unless the file says public: true (a new link, SEC-SHARE-01).
      public: imported.public === true,
      publicId: ids.publicId,
      ...(input.by === undefined ? {} : { changedBy: input.by }),
    });
  });
  const refuseAll = (why: NoteProblem) => ({ state, changes: [] as [], outcome: why });
  if (countNotes(state, input.ownerId) + accepted.length > limits.notesPerUser) {
    return refuseAll(problem('too_many_notes', `importing ${accepted.length} notes would take you past the limit of ${limits.notesPerUser} notes; nothing was imported`));
  }
  const total = bytesUsed(state, input.ownerId).kept + accepted.reduce((sum, note) => sum + contentSize(note), 0);
  if (total > limits.bytesPerUser) return refuseAll({ ...notesFull(total, limits), message: `${notesFull(total, limits).message}; nothing was imported` });
  const tx = new NotesTransaction(state);
  for (const note of accepted) tx.put(note);
  return { state: tx.result(), changes: tx.changes, outcome: { kind: 'notes_imported', imported: accepted, refused } };
}
