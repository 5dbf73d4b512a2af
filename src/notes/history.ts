// Restoring a version (NOTES-VER-03): the version's title, body and tags become the note's again,
// as a new change, so the text it replaces is itself kept as a version and nothing is lost.
import type { Seconds } from '../core/types.ts';
import { problem } from './fields.ts';
import type { NoteLimits } from './fields.ts';
import { getNote } from './queries.ts';
import { updateNote } from './transitions.ts';
import type { UpdateNoteResult } from './transitions.ts';
import { NOTE_LIMITS, NOTE_RETENTION } from './types.ts';
import type { Author, NoteRetention, NotesState } from './types.ts';
import { getNoteVersion } from './versions.ts';

export interface RestoreVersionInput {
  noteId: string;
  ownerId: string;
  versionId: string;
  now: Seconds;
  by?: Author;
}

export function restoreNoteVersion<S extends NotesState>(state: S, input: RestoreVersionInput, limits: NoteLimits = NOTE_LIMITS, retention: NoteRetention = NOTE_RETENTION): UpdateNoteResult<S> {
  const version = getNote(state, input.ownerId, input.noteId) ? getNoteVersion(state, input.ownerId, input.noteId, input.versionId) : undefined;
  if (!version) {
    return { state, changes: [], outcome: problem('not_found', `no version ${JSON.stringify(input.versionId)} of note ${JSON.stringify(input.noteId)}; list the note's versions to find one (old versions are dropped after a while)`) };
  }
  const { noteId, ownerId, now, by } = input;
  return updateNote(state, { noteId, ownerId, title: version.title, body: version.body, tags: version.tags, now, ...(by === undefined ? {} : { by }) }, limits, retention);
}
