import { describe, expect, it } from 'vitest';
import { allTags, createNote, deleteNote, emptyNotesState, findPublicNote, getNote, listNotes, searchNotes, updateNote } from '../../src/notes/index.ts';
import type { CreateNoteInput, NoteRecord, NotesState } from '../../src/notes/index.ts';

/** Creates a note or fails the test with the reason. */
function withNote<S extends NotesState>(state: S, noteId: string, fields: Partial<CreateNoteInput> = {}): S {
  const result = createNote(state, { noteId, ownerId: 'alice', title: `Note ${noteId}`, body: '', tags: [], publicId: `pub-${noteId}`, now: 100, ...fields });
  if (result.outcome.kind !== 'note_created') throw new Error(`setup failed: ${JSON.stringify(result.outcome)}`);
  return result.state;
}

function ids(entries: readonly ({ noteId: string } | { note: NoteRecord })[]): string[] {
  return entries.map((entry) => ('note' in entry ? entry.note.noteId : entry.noteId));
}

function threeNotes() {
  let state = emptyNotesState();
  state = withNote(state, 'b', { now: 200, tags: ['work', 'Home'] });
  state = withNote(state, 'a', { now: 200, tags: ['work'] });
  state = withNote(state, 'c', { now: 300 });
  return state;
}

describe('[notes] queries', () => {
  it('[notes] getNote returns the owner’s note and nothing for a missing id', () => {
    const state = threeNotes();
    expect(getNote(state, 'alice', 'a')?.noteId).toBe('a');
    expect(getNote(state, 'alice', 'zzz')).toBeUndefined();
  });

  it('[notes] listNotes is newest updatedAt first, equal times by noteId, with the total', () => {
    expect(listNotes(threeNotes(), 'alice')).toMatchObject({ total: 3 });
    expect(ids(listNotes(threeNotes(), 'alice').notes)).toEqual(['c', 'a', 'b']);
  });

  it('[notes] an update moves a note to the top of the list', () => {
    const state = updateNote(threeNotes(), { noteId: 'b', ownerId: 'alice', now: 400 }).state;
    expect(ids(listNotes(state, 'alice').notes)).toEqual(['b', 'c', 'a']);
  });

  it('[notes] limit and offset page through the list; total counts every match', () => {
    const state = threeNotes();
    expect(listNotes(state, 'alice', { limit: 1, offset: 1 })).toEqual({ notes: [state.notes.a], total: 3 });
    expect(listNotes(state, 'alice', { offset: 3 })).toEqual({ notes: [], total: 3 });
    expect(listNotes(state, 'alice', { limit: 0 })).toEqual({ notes: [], total: 3 });
    expect(ids(listNotes(state, 'alice', { limit: -5, offset: -1 }).notes)).toEqual([]);
    expect(ids(listNotes(state, 'alice', { limit: 1.7, offset: Number.NaN }).notes)).toEqual(['c']);
  });

  it('[notes] the default page holds 50 notes', () => {
    let state = emptyNotesState();
    for (let i = 0; i < 60; i++) state = withNote(state, `n${i}`);
    expect(listNotes(state, 'alice')).toMatchObject({ total: 60, notes: { length: 50 } });
  });

  it('[notes] a tag filter is normalised like stored tags', () => {
    const state = threeNotes();
    expect(listNotes(state, 'alice', { tag: ' WORK ' })).toMatchObject({ total: 2 });
    expect(ids(listNotes(state, 'alice', { tag: 'home' }).notes)).toEqual(['b']);
    expect(listNotes(state, 'alice', { tag: 'nothing' })).toEqual({ notes: [], total: 0 });
  });

  it('[notes] allTags counts the owner’s notes per tag', () => {
    expect(allTags(threeNotes(), 'alice')).toEqual({ home: 1, work: 2 });
    expect(allTags(emptyNotesState(), 'alice')).toEqual({});
  });

  it('[notes] a tag named "__proto__" is counted like any other', () => {
    const tags = allTags(withNote(emptyNotesState(), 'n1', { tags: ['__proto__'] }), 'alice');
    expect(Object.keys(tags)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(tags)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(tags, '__proto__')?.value).toBe(1);
  });

  it('[notes] findPublicNote finds a note by publicId only while it is public', () => {
    const state = withNote(emptyNotesState(), 'n1', { public: true, publicId: 'p1' });
    expect(findPublicNote(state, 'p1')?.noteId).toBe('n1');
    expect(findPublicNote(state, 'n1')).toBeUndefined();
    const hidden = updateNote(state, { noteId: 'n1', ownerId: 'alice', public: false, now: 200 }).state;
    expect(findPublicNote(hidden, 'p1')).toBeUndefined();
    const shownAgain = updateNote(hidden, { noteId: 'n1', ownerId: 'alice', public: true, now: 300 }).state;
    expect(findPublicNote(shownAgain, 'p1')?.noteId).toBe('n1');
    expect(findPublicNote(withNote(emptyNotesState(), 'n2', { publicId: 'p2' }), 'p2')).toBeUndefined();
  });
});

describe('[notes] ownership isolation', () => {
  const state = withNote(emptyNotesState(), 'secret', { title: 'Bank pin', body: 'the pin is 1234', tags: ['private'], public: true });

  it('[notes] another user can neither get, list, search nor count the owner’s notes', () => {
    expect(getNote(state, 'bob', 'secret')).toBeUndefined();
    expect(listNotes(state, 'bob')).toEqual({ notes: [], total: 0 });
    expect(listNotes(state, 'bob', { tag: 'private' })).toEqual({ notes: [], total: 0 });
    expect(searchNotes(state, 'bob', 'bank pin')).toEqual([]);
    expect(searchNotes(state, 'bob', '')).toEqual([]);
    expect(allTags(state, 'bob')).toEqual({});
  });

  it('[notes] another user’s update or delete answers not_found, exactly as for a missing note', () => {
    const missing = deleteNote(state, { noteId: 'secret', ownerId: 'alice', now: 1_000 }).state;
    const update = { noteId: 'secret', ownerId: 'bob', title: 'mine now', now: 200 };
    expect(updateNote(state, update)).toEqual({ state, changes: [], outcome: updateNote(missing, update).outcome });
    const remove = { noteId: 'secret', ownerId: 'bob', now: 1_000 };
    expect(deleteNote(state, remove)).toEqual({ state, changes: [], outcome: deleteNote(missing, remove).outcome });
    expect(deleteNote(state, remove).outcome).toMatchObject({ error: 'not_found' });
    expect(state.notes.secret?.title).toBe('Bank pin');
  });

  it('[notes] an invalid update of another user’s note still says not_found, not what is wrong with it', () => {
    expect(updateNote(state, { noteId: 'secret', ownerId: 'bob', title: '', now: 200 }).outcome).toMatchObject({ error: 'not_found' });
  });
});
