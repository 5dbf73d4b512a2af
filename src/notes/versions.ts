// A note's history (NOTES-VER-01): before a change replaces a note's title, body or tags, what it
// held is kept as a version, with who wrote it and when. Versions are bounded per note by count and
// by age (NOTES-VER-02), and count against the owner's byte budget (see budget.ts).
import type { Seconds } from '../core/types.ts';
import { keysWhere } from '../records/index.ts';
import { NOTE_RETENTION } from './types.ts';
import type { NoteRecord, NoteRetention, NoteVersionRecord, NotesState } from './types.ts';

const DAY = 86_400;

/** The versions of a note, every owner's; callers scope them. */
function versionsOfNote(state: NotesState, noteId: string): NoteVersionRecord[] {
  return [...keysWhere(state.noteVersions, 'noteId', noteId)].map((versionId) => state.noteVersions[versionId]!);
}

const newestFirst = (a: NoteVersionRecord, b: NoteVersionRecord) => b.seq - a.seq;

/** The owner's versions of one note, newest first; none for another owner's note. */
export function noteVersions(state: NotesState, ownerId: string, noteId: string): NoteVersionRecord[] {
  return versionsOfNote(state, noteId).filter((version) => version.ownerId === ownerId).sort(newestFirst);
}

export function getNoteVersion(state: NotesState, ownerId: string, noteId: string, versionId: string): NoteVersionRecord | undefined {
  const version = Object.hasOwn(state.noteVersions, versionId) ? state.noteVersions[versionId] : undefined;
  return version?.ownerId === ownerId && version.noteId === noteId ? version : undefined;
}

/** Whether a change from `before` to `after` changes what a version would keep. */
export function contentChanged(before: NoteRecord, after: NoteRecord): boolean {
  return before.title !== after.title || before.body !== after.body || before.tags.join('\n') !== after.tags.join('\n');
}

/** What `previous` held, as the version a change at `now` keeps. */
export function versionOf(state: NotesState, previous: NoteRecord, now: Seconds): NoteVersionRecord {
  const seq = versionsOfNote(state, previous.noteId).reduce((highest, version) => Math.max(highest, version.seq), 0) + 1;
  return {
    versionId: `${previous.noteId}.${seq}`,
    noteId: previous.noteId,
    ownerId: previous.ownerId,
    seq,
    title: previous.title,
    body: previous.body,
    tags: [...previous.tags],
    savedAt: previous.updatedAt,
    ...(previous.changedBy === undefined ? {} : { savedBy: previous.changedBy }),
    replacedAt: now,
  };
}

/** NOTES-VER-02: a version replaced more than `versionDays` ago is dropped. */
export function versionExpired(version: NoteVersionRecord, now: Seconds, retention: NoteRetention = NOTE_RETENTION): boolean {
  return version.replacedAt + retention.versionDays * DAY <= now;
}

/** The note's versions a write at `now` that adds `adding` more drops: past the count, or too old. */
export function versionsPastRetention(state: NotesState, noteId: string, adding: number, now: Seconds, retention: NoteRetention = NOTE_RETENTION): NoteVersionRecord[] {
  const kept = versionsOfNote(state, noteId).sort(newestFirst);
  const room = Math.max(0, retention.versionsPerNote - adding);
  return kept.filter((version, index) => index >= room || versionExpired(version, now, retention));
}
