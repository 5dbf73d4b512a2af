// Links between notes and tag renaming, as pure queries and transitions.
import { describe, expect, it } from 'vitest';
import { allTags, backlinks, createNote, emptyNotesState, getNote, linkedTitles, noteLinks, noteVersions, renameTag, updateNote } from '../../src/notes/index.ts';
import type { CreateNoteInput, NotesState } from '../../src/notes/index.ts';
import { owned } from '../../src/records/index.ts';

function withNote(state: NotesState, noteId: string, fields: Partial<CreateNoteInput> = {}): NotesState {
  const result = createNote(state, { noteId, ownerId: 'alice', title: `Note ${noteId}`, body: '', tags: [], publicId: `pub-${noteId}`, now: 100, ...fields });
  if (result.outcome.kind !== 'note_created') throw new Error(`setup failed: ${JSON.stringify(result.outcome)}`);
  return owned(result.state);
}

describe('links', () => {
  it('[NOTES-LINK-01] [[title]] and [[title|text]] name notes once each, in order; empty or nested brackets do not', () => {
    expect(linkedTitles('See [[Trip plan]], [[ trip PLAN |the plan]] and [[Budget]]. Not [[ ]] nor [[a [b] c]] nor [x].')).toEqual(['Trip plan', 'Budget']);
  });

  it('[NOTES-LINK-01] links resolve to the owner\'s note of that title, case-blind; unknown titles stay unresolved; backlinks follow', () => {
    let state = withNote(owned(emptyNotesState()), 'trip', { title: 'Trip plan', body: 'Costs: [[budget]]. Packing: [[Packing list]].' });
    state = withNote(state, 'budget', { title: 'Budget', body: 'for the [[Trip plan]]' });
    state = withNote(state, 'other', { ownerId: 'bob', title: 'Packing list', body: '[[Budget]]' });
    const trip = getNote(state, 'alice', 'trip')!;
    expect(noteLinks(state, trip).map((link) => [link.title, link.note?.noteId])).toEqual([['budget', 'budget'], ['Packing list', undefined]]);
    expect(backlinks(state, getNote(state, 'alice', 'budget')!).map((note) => note.noteId)).toEqual(['trip']);
    // Renaming the target (kept views follow the write): the link no longer resolves, the backlink is gone.
    state = owned(updateNote(state, { noteId: 'budget', ownerId: 'alice', title: 'Money', now: 200 }).state);
    expect(noteLinks(state, getNote(state, 'alice', 'trip')!)[0]).toEqual({ title: 'budget' });
    expect(backlinks(state, getNote(state, 'alice', 'budget')!)).toEqual([]);
    state = withNote(state, 'packing', { title: 'packing LIST' });
    expect(noteLinks(state, getNote(state, 'alice', 'trip')!)[1]?.note?.noteId).toBe('packing');
  });
});

describe('tags', () => {
  it('[NOTES-TAG-01] renaming a tag changes it on every note of the owner that carries it, merging with an existing tag, each change kept as a version', () => {
    let state = withNote(emptyNotesState(), 'a', { tags: ['work', 'urgent'] });
    state = withNote(state, 'b', { tags: ['Work', 'job'] });
    state = withNote(state, 'c', { tags: ['home'] });
    state = withNote(state, 'd', { ownerId: 'bob', tags: ['work'] });
    const result = renameTag(state, { ownerId: 'alice', from: 'WORK', to: 'Job', now: 300 });
    expect(result.outcome).toEqual({ kind: 'tag_renamed', from: 'work', to: 'job', notes: 2 });
    expect(allTags(result.state, 'alice')).toEqual({ home: 1, job: 2, urgent: 1 });
    expect(allTags(result.state, 'bob')).toEqual({ work: 1 });
    expect(noteVersions(result.state, 'alice', 'a').map((version) => version.tags)).toEqual([['urgent', 'work']]);
  });

  it('[NOTES-TAG-01] an unknown tag or an invalid new name is refused and changes nothing', () => {
    const state = withNote(emptyNotesState(), 'a', { tags: ['work'] });
    expect(renameTag(state, { ownerId: 'alice', from: 'play', to: 'fun', now: 300 })).toMatchObject({ changes: [], outcome: { error: 'not_found' } });
    expect(renameTag(state, { ownerId: 'alice', from: 'work', to: 'two words', now: 300 })).toMatchObject({ changes: [], outcome: { error: 'invalid_note' } });
    expect(renameTag(state, { ownerId: 'bob', from: 'work', to: 'job', now: 300 })).toMatchObject({ changes: [], outcome: { error: 'not_found' } });
  });
});
