import { describe, expect, it } from 'vitest';
import { emptyState } from '../../src/core/state.ts';
import { emptyAccountsState } from '../../src/accounts/index.ts';
import { NOTE_LIMITS, createNote, deleteNote, emptyNotesState, findPublicNote, getNote, updateNote } from '../../src/notes/index.ts';
import type { CreateNoteInput, NoteLimits, NoteRecord, NotesState } from '../../src/notes/index.ts';

const SMALL_LIMITS: NoteLimits = { titleLength: 10, bodyLength: 20, tags: 3, tagLength: 5, notesPerUser: 3, bytesPerUser: 1_000_000 };

function noteInput(noteId: string, fields: Partial<CreateNoteInput> = {}): CreateNoteInput {
  return { noteId, ownerId: 'alice', title: `Note ${noteId}`, body: '', tags: [], publicId: `pub-${noteId}`, now: 100, ...fields };
}

/** Creates a note or fails the test with the reason. */
function withNote<S extends NotesState>(state: S, noteId: string, fields: Partial<CreateNoteInput> = {}): S {
  const result = createNote(state, noteInput(noteId, fields));
  if (result.outcome.kind !== 'note_created') throw new Error(`setup failed: ${JSON.stringify(result.outcome)}`);
  return result.state;
}

describe('[notes] createNote', () => {
  it('[notes] creating a note puts one record keyed by noteId and leaves the input state untouched', () => {
    const before = emptyNotesState();
    const result = createNote(before, noteInput('n1', { title: '  Groceries ', body: '- milk\n', tags: ['Home'], now: 7 }));
    const note: NoteRecord = {
      noteId: 'n1',
      ownerId: 'alice',
      title: 'Groceries',
      body: '- milk\n',
      tags: ['home'],
      createdAt: 7,
      updatedAt: 7,
      public: false,
      publicId: 'pub-n1',
    };
    expect(result.outcome).toEqual({ kind: 'note_created', note });
    expect(result.changes).toEqual([{ op: 'put', collection: 'notes', key: 'n1', value: note }]);
    expect(result.state.notes).toEqual({ n1: note });
    expect(before.notes).toEqual({});
  });

  it('[notes] a note is private unless created public', () => {
    expect(createNote(emptyNotesState(), noteInput('n1')).outcome).toMatchObject({ note: { public: false } });
    expect(createNote(emptyNotesState(), noteInput('n1', { public: true })).outcome).toMatchObject({ note: { public: true } });
  });

  it('[notes] passing the whole app state returns the whole app state, other collections untouched', () => {
    const app = { ...emptyState(), ...emptyAccountsState(), ...emptyNotesState() };
    const result = createNote(app, noteInput('n1'));
    expect(result.state.clients).toBe(app.clients);
    expect(result.state.users).toBe(app.users);
    expect(Object.keys(result.state.notes)).toEqual(['n1']);
  });

  it('[notes] a taken noteId or publicId is refused instead of overwriting a note', () => {
    const state = withNote(emptyNotesState(), 'n1', { ownerId: 'bob' });
    for (const input of [noteInput('n1'), noteInput('n2', { publicId: 'pub-n1' })]) {
      const result = createNote(state, input);
      expect(result.outcome).toMatchObject({ kind: 'error', error: 'invalid_note' });
      expect(result.state).toBe(state);
      expect(result.changes).toEqual([]);
    }
    expect(state.notes.n1?.ownerId).toBe('bob');
  });
});

describe('[notes] validation', () => {
  it.each([
    ['an empty title', { title: '' }, 'invalid_note', /title of 1 to 200/],
    ['a blank title', { title: ' \n\t ' }, 'invalid_note', /title of 1 to 200/],
    ['a title over the limit', { title: 'x'.repeat(201) }, 'invalid_note', /at most 200 characters \(it has 201\)/],
    ['a title that is not a string', { title: 42 }, 'invalid_note', /title must be a string/],
    ['a body over the limit', { body: 'x'.repeat(100_001) }, 'note_too_large', /at most 100000 characters \(it has 100001\)/],
    ['a body that is not a string', { body: null }, 'invalid_note', /body must be a string/],
    ['tags that are not a list', { tags: 'work' }, 'invalid_note', /list of strings/],
    ['a tag that is not a string', { tags: ['ok', 3] }, 'invalid_note', /list of strings/],
    ['an empty tag', { tags: ['  '] }, 'invalid_note', /tag "  " must be 1 to 40/],
    ['a tag with a space', { tags: ['two words'] }, 'invalid_note', /without spaces/],
    ['a tag with punctuation', { tags: ['c++'] }, 'invalid_note', /letters, digits, "_", ":" or "-"/],
    ['a tag over the limit', { tags: ['x'.repeat(41)] }, 'invalid_note', /1 to 40/],
    ['too many tags', { tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, 'invalid_note', /at most 20 different tags \(there are 21\)/],
    ['a public flag that is not a boolean', { public: 'yes' }, 'invalid_note', /public must be true or false/],
  ])('[notes] %s is refused with a message that says what to fix', (_name, fields, error, message) => {
    const state = emptyNotesState();
    const result = createNote(state, { ...noteInput('n1'), ...(fields as object) });
    expect(result.outcome).toMatchObject({ kind: 'error', error });
    expect(result.outcome.kind === 'error' && result.outcome.message).toMatch(message);
    expect(result.changes).toEqual([]);
    expect(result.state).toBe(state);
  });

  it('[notes] the message quotes a huge bad tag only in part', () => {
    const result = createNote(emptyNotesState(), noteInput('n1', { tags: [`${'x'.repeat(10_000)} y`] }));
    expect(result.outcome.kind === 'error' && result.outcome.message.length).toBeLessThan(200);
  });

  it('[notes] the default limits are accepted exactly at their edge', () => {
    const result = createNote(emptyNotesState(), noteInput('n1', {
      title: 'x'.repeat(NOTE_LIMITS.titleLength),
      body: 'x'.repeat(NOTE_LIMITS.bodyLength),
      tags: Array.from({ length: NOTE_LIMITS.tags }, (_, i) => `${i}`.padEnd(NOTE_LIMITS.tagLength, 'x')),
    }));
    expect(result.outcome.kind).toBe('note_created');
  });

  it('[notes] lengths count characters, not UTF-16 units: 200 emoji make a valid title', () => {
    expect(createNote(emptyNotesState(), noteInput('n1', { title: '😀'.repeat(200) })).outcome.kind).toBe('note_created');
    expect(createNote(emptyNotesState(), noteInput('n1', { title: '😀'.repeat(201) })).outcome.kind).toBe('error');
  });

  it('[notes] an empty body is fine', () => {
    expect(createNote(emptyNotesState(), noteInput('n1', { body: '' })).outcome.kind).toBe('note_created');
  });

  it('[notes] custom limits apply to title, body, tag length and tag count, edges included', () => {
    const create = (fields: Parameters<typeof noteInput>[1]) => createNote(emptyNotesState(), noteInput('n1', fields), SMALL_LIMITS).outcome;
    expect(create({ title: 'x'.repeat(10), body: 'y'.repeat(20), tags: ['abcde', 'b', 'c'] }).kind).toBe('note_created');
    expect(create({ title: 'x'.repeat(11) })).toMatchObject({ error: 'invalid_note' });
    expect(create({ body: 'y'.repeat(21) })).toMatchObject({ error: 'note_too_large' });
    expect(create({ tags: ['abcdef'] })).toMatchObject({ error: 'invalid_note' });
    expect(create({ tags: ['a', 'b', 'c', 'd'] })).toMatchObject({ error: 'invalid_note' });
    expect(create({ tags: ['a', 'b', 'c', 'A', ' b '] }).kind).toBe('note_created'); // counted after dedupe
  });

  it('[notes] an owner may hold notesPerUser notes; the next one is too_many_notes, other owners unaffected', () => {
    let state = emptyNotesState();
    for (const id of ['n1', 'n2', 'n3']) {
      const result = createNote(state, noteInput(id), SMALL_LIMITS);
      expect(result.outcome.kind).toBe('note_created');
      state = result.state;
    }
    const refused = createNote(state, noteInput('n4'), SMALL_LIMITS);
    expect(refused.outcome).toMatchObject({ kind: 'error', error: 'too_many_notes', message: expect.stringMatching(/limit of 3 notes; delete some/) });
    expect(refused.state).toBe(state);
    expect(createNote(state, noteInput('n4', { ownerId: 'bob' }), SMALL_LIMITS).outcome.kind).toBe('note_created');
    const afterDelete = deleteNote(state, { noteId: 'n1', ownerId: 'alice', now: 1_000 }).state;
    expect(createNote(afterDelete, noteInput('n4'), SMALL_LIMITS).outcome.kind).toBe('note_created');
  });

  it('[notes] the default notesPerUser is enforced', () => {
    const notes: Record<string, NoteRecord> = {};
    for (let i = 0; i < NOTE_LIMITS.notesPerUser; i++) {
      const note = createNote(emptyNotesState(), noteInput(`n${i}`)).outcome as { note: NoteRecord };
      notes[`n${i}`] = note.note;
    }
    const result = createNote({ ...emptyNotesState(), notes }, noteInput('one-more'));
    expect(result.outcome).toMatchObject({ kind: 'error', error: 'too_many_notes' });
  });
});

describe('[notes] tag normalisation', () => {
  it('[notes] tags are trimmed, lowercased, deduplicated and sorted', () => {
    const result = createNote(emptyNotesState(), noteInput('n1', { tags: [' Work ', 'project:Alpha', 'work', 'a_b-c', 'WORK'] }));
    expect(result.outcome).toMatchObject({ note: { tags: ['a_b-c', 'project:alpha', 'work'] } });
  });

  it('[notes] letters and digits of any script are allowed, compared in NFC', () => {
    const result = createNote(emptyNotesState(), noteInput('n1', { tags: ['Café', 'cafe\u0301', 'Ελληνικά', '日本語', '٣'] }));
    expect(result.outcome).toMatchObject({ note: { tags: ['café', 'ελληνικά', '٣', '日本語'].sort() } });
  });
});

describe('[notes] updateNote', () => {
  const base = withNote(emptyNotesState(), 'n1', { title: 'Old', body: 'old body', tags: ['x'], now: 100 });

  it('[NOTES-VER-01] only the given fields change, updatedAt becomes now, and what the note held is kept as a version', () => {
    const result = updateNote(base, { noteId: 'n1', ownerId: 'alice', body: 'new body', now: 200 });
    const note = { ...base.notes.n1!, body: 'new body', updatedAt: 200 };
    expect(result.outcome).toEqual({ kind: 'note_updated', note });
    const version = { versionId: 'n1.1', noteId: 'n1', ownerId: 'alice', seq: 1, title: 'Old', body: 'old body', tags: ['x'], savedAt: 100, replacedAt: 200 };
    expect(result.changes).toEqual([{ op: 'put', collection: 'notes', key: 'n1', value: note }, { op: 'put', collection: 'noteVersions', key: 'n1.1', value: version }]);
    expect(base.notes.n1?.body).toBe('old body');
  });

  it('[notes] every field can change, with the same normalisation as at creation; createdAt and publicId stay', () => {
    const result = updateNote(base, { noteId: 'n1', ownerId: 'alice', title: ' New ', body: '', tags: ['B', 'a'], public: true, now: 300 });
    expect(result.outcome).toMatchObject({
      note: { title: 'New', body: '', tags: ['a', 'b'], public: true, createdAt: 100, updatedAt: 300, publicId: 'pub-n1' },
    });
  });

  it('[SEC-SHARE-01] sharing a private note takes the fresh public id given; a note already public, or made private, keeps its id', () => {
    const shared = updateNote(base, { noteId: 'n1', ownerId: 'alice', public: true, publicId: 'pub-2', now: 200 });
    expect(shared.outcome).toMatchObject({ note: { public: true, publicId: 'pub-2' } });
    const stillPublic = updateNote(shared.state, { noteId: 'n1', ownerId: 'alice', public: true, publicId: 'pub-3', now: 201 });
    expect(stillPublic.outcome).toMatchObject({ note: { public: true, publicId: 'pub-2' } });
    const closed = updateNote(stillPublic.state, { noteId: 'n1', ownerId: 'alice', public: false, publicId: 'pub-4', now: 202 });
    expect(closed.outcome).toMatchObject({ note: { public: false, publicId: 'pub-2' } });
    const again = updateNote(closed.state, { noteId: 'n1', ownerId: 'alice', public: true, publicId: 'pub-5', now: 203 });
    expect(again.outcome).toMatchObject({ note: { public: true, publicId: 'pub-5' } });
    expect(findPublicNote(again.state, 'pub-2')).toBeUndefined();
    expect(findPublicNote(again.state, 'pub-5')?.noteId).toBe('n1');
  });

  it('[SEC-SHARE-01] a fresh public id that another note holds is refused instead of shared twice', () => {
    const two = withNote(base, 'n2', { public: true });
    const result = updateNote(two, { noteId: 'n1', ownerId: 'alice', public: true, publicId: 'pub-n2', now: 200 });
    expect(result).toMatchObject({ changes: [], outcome: { kind: 'error', error: 'invalid_note' } });
  });

  it.each([
    ['a blank title', { title: ' ' }, 'invalid_note'],
    ['a body over the limit', { body: 'x'.repeat(21) }, 'note_too_large'],
    ['a bad tag', { tags: ['no spaces'] }, 'invalid_note'],
    ['too many tags', { tags: ['a', 'b', 'c', 'd'] }, 'invalid_note'],
    ['a non-boolean public flag', { public: 1 }, 'invalid_note'],
  ])('[notes] an update with %s is refused and changes nothing', (_name, fields, error) => {
    const result = updateNote(base, { noteId: 'n1', ownerId: 'alice', now: 200, ...(fields as object) }, SMALL_LIMITS);
    expect(result.outcome).toMatchObject({ kind: 'error', error });
    expect(result.state).toBe(base);
    expect(result.changes).toEqual([]);
  });

  it('[notes] a missing note is not_found', () => {
    const result = updateNote(base, { noteId: 'nope', ownerId: 'alice', title: 'x', now: 200 });
    expect(result.outcome).toMatchObject({ kind: 'error', error: 'not_found' });
  });
});

describe('[notes] deleteNote', () => {
  it('[NOTES-TRASH-01] deleting a note moves its record from the notes to the trash', () => {
    const state = withNote(emptyNotesState(), 'n1');
    const result = deleteNote(state, { noteId: 'n1', ownerId: 'alice', now: 1_000 });
    expect(result.outcome).toEqual({ kind: 'note_deleted', noteId: 'n1' });
    const trashed = { note: state.notes.n1, ownerId: 'alice', trashedAt: 1_000 };
    expect(result.changes).toEqual([{ op: 'delete', collection: 'notes', key: 'n1' }, { op: 'put', collection: 'trashedNotes', key: 'n1', value: trashed }]);
    expect(result.state.notes).toEqual({});
    expect(result.state.trashedNotes).toEqual({ n1: trashed });
    expect(getNote(state, 'alice', 'n1')).toBeDefined();
  });

  it('[notes] deleting a missing note is not_found', () => {
    const state = emptyNotesState();
    expect(deleteNote(state, { noteId: 'n1', ownerId: 'alice', now: 1_000 })).toEqual({
      state,
      changes: [],
      outcome: { kind: 'error', error: 'not_found', message: expect.any(String) },
    });
  });

  it('[notes] an id like "__proto__" or "toString" is simply not found', () => {
    const state = withNote(emptyNotesState(), 'n1');
    for (const noteId of ['__proto__', 'toString', 'constructor']) {
      expect(deleteNote(state, { noteId, ownerId: 'alice', now: 1_000 }).outcome).toMatchObject({ error: 'not_found' });
      expect(getNote(state, 'alice', noteId)).toBeUndefined();
    }
  });
});

describe('a person\'s notes are bounded in total', () => {
  const limits: NoteLimits = { ...NOTE_LIMITS, bytesPerUser: 100 };
  it('[SEC-NOTES-01] a note that would take the owner over the limit is refused with notes_full; shrinking one always works; others are unaffected', () => {
    let state: NotesState = emptyNotesState();
    const made = createNote(state, noteInput('a', { title: 'A', body: 'x'.repeat(90) }), limits);
    expect(made.outcome.kind).toBe('note_created');
    state = made.state;
    const refused = createNote(state, noteInput('b', { title: 'B', body: 'y'.repeat(20) }), limits);
    expect(refused.outcome).toMatchObject({ kind: 'error', error: 'notes_full' });
    expect(refused.outcome.kind === 'error' && refused.outcome.message).toContain('over the limit');
    expect(updateNote(state, { noteId: 'a', ownerId: 'alice', body: 'x'.repeat(100), now: 101 }, limits).outcome).toMatchObject({ error: 'notes_full' });
    const shrunk = updateNote(state, { noteId: 'a', ownerId: 'alice', body: 'short', now: 101 }, limits);
    expect(shrunk.outcome.kind).toBe('note_updated');
    expect(createNote(shrunk.state, noteInput('b', { title: 'B', body: 'y'.repeat(20) }), limits).outcome.kind).toBe('note_created');
    expect(createNote(state, noteInput('c', { ownerId: 'bob', title: 'C', body: 'z'.repeat(90) }), limits).outcome.kind).toBe('note_created');
  });
});
