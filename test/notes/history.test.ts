// Versions and the trash as pure transitions: what a change keeps and who wrote it, the bounds by
// count, age and bytes, restoring a version or a trashed note, and what time passing removes.
import { describe, expect, it } from 'vitest';
import {
  NOTE_LIMITS,
  RECORD_OVERHEAD,
  bytesUsed,
  createNote,
  deleteNote,
  emptyNotesState,
  eraseFromTrash,
  findPublicNote,
  getNote,
  listNotes,
  noteVersions,
  pruneNotes,
  restoreFromTrash,
  restoreNoteVersion,
  searchNotes,
  trashedNotes,
  updateNote,
} from '../../src/notes/index.ts';
import type { CreateNoteInput, NoteLimits, NoteRetention, NotesState } from '../../src/notes/index.ts';

const DAY = 86_400;
const RETENTION: NoteRetention = { versionsPerNote: 3, versionDays: 10, trashDays: 5 };
const APP = { kind: 'app', clientId: 'client-1', name: 'ChatGPT' } as const;
const PERSON = { kind: 'person', userId: 'alice' } as const;

function withNote(state: NotesState, noteId: string, fields: Partial<CreateNoteInput> = {}, limits: NoteLimits = NOTE_LIMITS): NotesState {
  const result = createNote(state, { noteId, ownerId: 'alice', title: `Note ${noteId}`, body: '', tags: [], publicId: `pub-${noteId}`, now: 100, ...fields }, limits);
  if (result.outcome.kind !== 'note_created') throw new Error(`setup failed: ${JSON.stringify(result.outcome)}`);
  return result.state;
}

function edited(state: NotesState, body: string, now: number, by?: typeof APP | typeof PERSON, limits: NoteLimits = NOTE_LIMITS, retention: NoteRetention = RETENTION): NotesState {
  const result = updateNote(state, { noteId: 'n1', ownerId: 'alice', body, now, ...(by === undefined ? {} : { by }) }, limits, retention);
  if (result.outcome.kind !== 'note_updated') throw new Error(`edit failed: ${JSON.stringify(result.outcome)}`);
  return result.state;
}

describe('versions', () => {
  it('[NOTES-VER-01] each change keeps what the note held, with who wrote it and when', () => {
    let state = withNote(emptyNotesState(), 'n1', { title: 'Plan', body: 'first', by: PERSON, now: 100 });
    state = edited(state, 'second, by ChatGPT', 200, APP);
    state = edited(state, 'third, by me', 300, PERSON);
    expect(getNote(state, 'alice', 'n1')).toMatchObject({ body: 'third, by me', changedBy: PERSON, updatedAt: 300 });
    expect(noteVersions(state, 'alice', 'n1').map(({ versionId, body, savedAt, savedBy, replacedAt }) => ({ versionId, body, savedAt, savedBy, replacedAt }))).toEqual([
      { versionId: 'n1.2', body: 'second, by ChatGPT', savedAt: 200, savedBy: APP, replacedAt: 300 },
      { versionId: 'n1.1', body: 'first', savedAt: 100, savedBy: PERSON, replacedAt: 200 },
    ]);
  });

  it('[NOTES-VER-01] sharing or unsharing alone keeps no version and leaves the author alone', () => {
    const state = withNote(emptyNotesState(), 'n1', { by: PERSON });
    const shared = updateNote(state, { noteId: 'n1', ownerId: 'alice', public: true, publicId: 'p2', now: 200, by: APP });
    expect(shared.changes.map((change) => change.collection)).toEqual(['notes']);
    expect(shared.outcome).toMatchObject({ note: { changedBy: PERSON, public: true } });
  });

  it('[NOTES-VER-02] a note keeps at most versionsPerNote versions, the newest', () => {
    let state = withNote(emptyNotesState(), 'n1', { body: 'v0' });
    for (let i = 1; i <= 6; i++) state = edited(state, `v${i}`, 100 + i);
    expect(noteVersions(state, 'alice', 'n1').map((version) => version.body)).toEqual(['v5', 'v4', 'v3']);
    expect(Object.keys(state.noteVersions)).toHaveLength(3);
  });

  it('[NOTES-VER-02] versions older than versionDays go, at the next write of the note and at the tick', () => {
    let state = withNote(emptyNotesState(), 'n1', { body: 'v0' });
    state = edited(state, 'v1', 1_000);
    state = withNote(state, 'n2', { body: 'other' });
    state = updateNote(state, { noteId: 'n2', ownerId: 'alice', body: 'other 2', now: 1_000 + 5 * DAY }, NOTE_LIMITS, RETENTION).state;
    // At the next write, past the age: the old version goes, the one just replaced stays.
    const later = edited(state, 'v2', 1_000 + 10 * DAY);
    expect(noteVersions(later, 'alice', 'n1').map((version) => version.body)).toEqual(['v1']);
    // The tick drops what is due and nothing else.
    const pruned = pruneNotes(state, 1_000 + 10 * DAY, RETENTION);
    expect(pruned.outcome).toEqual({ kind: 'notes_pruned', versions: 1, trashed: 0 });
    expect(noteVersions(pruned.state, 'alice', 'n1')).toEqual([]);
    expect(noteVersions(pruned.state, 'alice', 'n2')).toHaveLength(1);
    expect(pruneNotes(pruned.state, 1_000 + 10 * DAY, RETENTION)).toMatchObject({ changes: [], state: pruned.state });
  });

  it('[NOTES-VER-02] with versionsPerNote 0 no history is kept', () => {
    const state = edited(withNote(emptyNotesState(), 'n1'), 'changed', 200, undefined, NOTE_LIMITS, { ...RETENTION, versionsPerNote: 0 });
    expect(state.noteVersions).toEqual({});
  });

  it('[NOTES-VER-03] restoring a version makes its text the note\'s again, as a new change that keeps the current text too', () => {
    let state = withNote(emptyNotesState(), 'n1', { title: 'Long', body: 'the whole careful text', tags: ['work'] });
    state = updateNote(state, { noteId: 'n1', ownerId: 'alice', title: 'Summary', body: 'tl;dr', tags: [], now: 200, by: APP }).state;
    const restored = restoreNoteVersion(state, { noteId: 'n1', ownerId: 'alice', versionId: 'n1.1', now: 300, by: PERSON });
    expect(restored.outcome).toMatchObject({ kind: 'note_updated', note: { title: 'Long', body: 'the whole careful text', tags: ['work'], updatedAt: 300, changedBy: PERSON } });
    expect(noteVersions(restored.state, 'alice', 'n1').map((version) => version.body)).toEqual(['tl;dr', 'the whole careful text']);
    expect(restoreNoteVersion(state, { noteId: 'n1', ownerId: 'bob', versionId: 'n1.1', now: 300 }).outcome).toMatchObject({ error: 'not_found' });
    expect(restoreNoteVersion(state, { noteId: 'n1', ownerId: 'alice', versionId: 'n1.9', now: 300 }).outcome).toMatchObject({ error: 'not_found', message: expect.stringMatching(/list the note's versions/) });
  });
});

describe('the byte budget', () => {
  it('[NOTES-VER-04] versions count toward the budget; when a write needs room the oldest versions go first, never a note', () => {
    const limits: NoteLimits = { ...NOTE_LIMITS, bytesPerUser: 1_000 };
    let state = withNote(emptyNotesState(), 'n1', { title: 'T', body: 'a'.repeat(100) }, limits);
    state = edited(state, 'b'.repeat(100), 200, undefined, limits);
    expect(bytesUsed(state, 'alice')).toEqual({ kept: 101, versions: 101 + RECORD_OVERHEAD });
    state = edited(state, 'c'.repeat(100), 300, undefined, limits);
    expect(bytesUsed(state, 'alice').versions).toBe(2 * (101 + RECORD_OVERHEAD));
    // A third version would take the owner to 101 + 3 × 357 = 1,172 bytes: the oldest one goes.
    state = edited(state, 'd'.repeat(100), 400, undefined, limits);
    expect(noteVersions(state, 'alice', 'n1').map((version) => version.body[0])).toEqual(['c', 'b']);
    expect(bytesUsed(state, 'alice').kept + bytesUsed(state, 'alice').versions).toBeLessThanOrEqual(1_000);
    // A new note is made room for the same way.
    state = withNote(state, 'n2', { title: 'U', body: 'e'.repeat(400) }, limits);
    expect(noteVersions(state, 'alice', 'n1').map((version) => version.body[0])).toEqual(['c']);
    expect(getNote(state, 'alice', 'n1')?.body[0]).toBe('d');
  });

  it('[NOTES-VER-04] trashed notes count until they are deleted for good', () => {
    const limits: NoteLimits = { ...NOTE_LIMITS, bytesPerUser: 500 };
    let state = withNote(emptyNotesState(), 'n1', { title: 'T', body: 'a'.repeat(300) }, limits);
    state = deleteNote(state, { noteId: 'n1', ownerId: 'alice', now: 200 }, limits).state;
    expect(bytesUsed(state, 'alice')).toEqual({ kept: 301 + RECORD_OVERHEAD, versions: 0 });
    const refused = createNote(state, { noteId: 'n2', ownerId: 'alice', title: 'U', body: 'b'.repeat(100), tags: [], publicId: 'p2', now: 300 }, limits);
    expect(refused.outcome).toMatchObject({ error: 'notes_full', message: expect.stringMatching(/trash/) });
    state = eraseFromTrash(state, { noteId: 'n1', ownerId: 'alice' }).state;
    expect(createNote(state, { noteId: 'n2', ownerId: 'alice', title: 'U', body: 'b'.repeat(100), tags: [], publicId: 'p2', now: 300 }, limits).outcome.kind).toBe('note_created');
  });
});

describe('the trash', () => {
  it('[NOTES-TRASH-01] a trashed note is out of list, search, fetch and its public page', () => {
    let state = withNote(emptyNotesState(), 'n1', { title: 'Secret plan', body: 'shared', public: true });
    expect(findPublicNote(state, 'pub-n1')).toBeDefined();
    state = deleteNote(state, { noteId: 'n1', ownerId: 'alice', now: 200, by: APP }).state;
    expect(getNote(state, 'alice', 'n1')).toBeUndefined();
    expect(listNotes(state, 'alice')).toEqual({ notes: [], total: 0 });
    expect(searchNotes(state, 'alice', 'secret')).toEqual([]);
    expect(searchNotes(state, 'alice', '')).toEqual([]);
    expect(findPublicNote(state, 'pub-n1')).toBeUndefined();
    expect(trashedNotes(state, 'alice')).toMatchObject([{ note: { noteId: 'n1' }, trashedAt: 200, trashedBy: APP }]);
    expect(trashedNotes(state, 'bob')).toEqual([]);
    // A trashed note's id stays taken, so a new note cannot take over its history.
    expect(createNote(state, { noteId: 'n1', ownerId: 'bob', title: 'x', body: '', tags: [], publicId: 'p9', now: 300 }).outcome).toMatchObject({ error: 'invalid_note' });
  });

  it('[NOTES-TRASH-02] a restored note comes back private, with its history; deleting it for good takes the history too', () => {
    let state = withNote(emptyNotesState(), 'n1', { body: 'v0', public: true });
    state = edited(state, 'v1', 150);
    state = deleteNote(state, { noteId: 'n1', ownerId: 'alice', now: 200 }).state;
    expect(restoreFromTrash(state, { noteId: 'n1', ownerId: 'bob' }).outcome).toMatchObject({ error: 'not_found' });
    const restored = restoreFromTrash(state, { noteId: 'n1', ownerId: 'alice' });
    expect(restored.outcome).toMatchObject({ kind: 'note_restored', note: { body: 'v1', public: false, updatedAt: 150 } });
    expect(findPublicNote(restored.state, 'pub-n1')).toBeUndefined();
    expect(noteVersions(restored.state, 'alice', 'n1').map((version) => version.body)).toEqual(['v0']);
    expect(trashedNotes(restored.state, 'alice')).toEqual([]);

    const erased = eraseFromTrash(state, { noteId: 'n1', ownerId: 'alice' });
    expect(erased.outcome).toEqual({ kind: 'note_erased', noteId: 'n1' });
    expect(erased.state.trashedNotes).toEqual({});
    expect(erased.state.noteVersions).toEqual({});
    expect(eraseFromTrash(erased.state, { noteId: 'n1', ownerId: 'alice' }).outcome).toMatchObject({ error: 'not_found' });
  });

  it('[NOTES-TRASH-02] restoring waits for room under the note-count limit', () => {
    const limits: NoteLimits = { ...NOTE_LIMITS, notesPerUser: 1 };
    let state = withNote(emptyNotesState(), 'n1', {}, limits);
    state = deleteNote(state, { noteId: 'n1', ownerId: 'alice', now: 200 }, limits).state;
    state = withNote(state, 'n2', {}, limits);
    expect(restoreFromTrash(state, { noteId: 'n1', ownerId: 'alice' }, limits).outcome).toMatchObject({ error: 'too_many_notes' });
  });

  it('[NOTES-TRASH-03] after trashDays a trashed note and its history are deleted for good by the tick', () => {
    let state = edited(withNote(emptyNotesState(), 'n1'), 'v1', 150);
    state = deleteNote(state, { noteId: 'n1', ownerId: 'alice', now: 1_000 }).state;
    expect(pruneNotes(state, 1_000 + 5 * DAY - 1, RETENTION).changes).toEqual([]);
    const pruned = pruneNotes(state, 1_000 + 5 * DAY, RETENTION);
    expect(pruned.outcome).toEqual({ kind: 'notes_pruned', versions: 1, trashed: 1 });
    expect(pruned.state.trashedNotes).toEqual({});
    expect(pruned.state.noteVersions).toEqual({});
  });

  it('[NOTES-TRASH-03] the trash holds at most notesPerUser notes: the oldest goes for good', () => {
    const limits: NoteLimits = { ...NOTE_LIMITS, notesPerUser: 2 };
    let state = emptyNotesState();
    for (const [i, id] of ['a', 'b', 'c'].entries()) {
      state = withNote(state, id, {}, limits);
      state = deleteNote(state, { noteId: id, ownerId: 'alice', now: 200 + i }, limits).state;
    }
    expect(trashedNotes(state, 'alice').map((trashed) => trashed.note.noteId)).toEqual(['c', 'b']);
  });
});
