import { describe, expect, it } from 'vitest';
import { SNIPPET_LENGTH, createNote, emptyNotesState, parseQuery, searchNotes, tokenize } from '../../src/notes/index.ts';
import { scoreNote } from '../../src/notes/search.ts';
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

const sentence = 'lorem ipsum dolor sit amet consectetur ';

describe('[notes] search ranking', () => {
  it('[notes] a title match outranks a body-only match, whatever their age', () => {
    let state = emptyNotesState();
    state = withNote(state, 'body', { title: 'Misc', body: 'planning the budget', now: 500 });
    state = withNote(state, 'title', { title: 'Budget', body: 'numbers', now: 100 });
    const hits = searchNotes(state, 'alice', 'budget');
    expect(ids(hits)).toEqual(['title', 'body']);
    expect(hits.map((hit) => hit.score)).toEqual([3, 1]);
  });

  it('[notes] a tag match counts twice a body match', () => {
    let state = emptyNotesState();
    state = withNote(state, 'body', { body: 'travel plans', now: 500 });
    state = withNote(state, 'tag', { tags: ['travel'], now: 100 });
    expect(searchNotes(state, 'alice', 'travel').map((hit) => [hit.note.noteId, hit.score])).toEqual([['tag', 2], ['body', 1]]);
  });

  it('[notes] more occurrences score higher', () => {
    let state = emptyNotesState();
    state = withNote(state, 'once', { body: 'cat', now: 500 });
    state = withNote(state, 'thrice', { body: 'cat cat CAT', now: 100 });
    expect(ids(searchNotes(state, 'alice', 'cat'))).toEqual(['thrice', 'once']);
  });

  it('[notes] every query word is required', () => {
    let state = emptyNotesState();
    state = withNote(state, 'both', { title: 'Red', body: 'apple' });
    state = withNote(state, 'one', { title: 'Red', body: 'cherry' });
    expect(ids(searchNotes(state, 'alice', 'red apple'))).toEqual(['both']);
    expect(ids(searchNotes(state, 'alice', 'red pear'))).toEqual([]);
  });

  it('[notes] the last word may be a prefix, the others must be whole words', () => {
    const state = withNote(emptyNotesState(), 'n1', { title: 'Weekly meeting', body: 'agenda' });
    expect(ids(searchNotes(state, 'alice', 'meet'))).toEqual(['n1']);
    expect(ids(searchNotes(state, 'alice', 'weekly meet'))).toEqual(['n1']);
    expect(ids(searchNotes(state, 'alice', 'meet weekly'))).toEqual([]);
    expect(ids(searchNotes(state, 'alice', 'eting'))).toEqual([]);
  });

  it('[notes] the whole query as a phrase earns a bonus over the same words apart', () => {
    let state = emptyNotesState();
    state = withNote(state, 'apart', { body: 'machine and its learning', now: 500 });
    state = withNote(state, 'phrase', { body: 'Machine   learning, again', now: 100 });
    const hits = searchNotes(state, 'alice', 'machine learn');
    expect(ids(hits)).toEqual(['phrase', 'apart']);
    expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
  });

  it('[notes] equal scores go to the newer note', () => {
    let state = emptyNotesState();
    state = withNote(state, 'old', { body: 'tea', now: 100 });
    state = withNote(state, 'new', { body: 'tea', now: 200 });
    expect(ids(searchNotes(state, 'alice', 'tea'))).toEqual(['new', 'old']);
  });

  it('[notes] an empty query lists the most recent notes with score 0', () => {
    let state = emptyNotesState();
    for (const [id, now] of [['a', 1], ['b', 3], ['c', 2]] as const) state = withNote(state, id, { body: id, now });
    for (const query of ['', '   ', 'a ! ?']) {
      const hits = searchNotes(state, 'alice', query, { limit: 2 });
      expect(hits.map((hit) => [hit.note.noteId, hit.score])).toEqual([['b', 0], ['c', 0]]);
    }
  });

  it('[notes] limit caps the hits, 20 by default', () => {
    let state = emptyNotesState();
    for (let i = 0; i < 25; i++) state = withNote(state, `n${i}`, { body: 'same words' });
    expect(searchNotes(state, 'alice', 'same')).toHaveLength(20);
    expect(searchNotes(state, 'alice', 'same', { limit: 3 })).toHaveLength(3);
  });

  it('[notes] search is case-insensitive and Unicode-aware; an accent left out is a typo, not the same word', () => {
    const state = withNote(emptyNotesState(), 'n1', { title: 'Réunion à Zürich', body: 'Ωmega 東京' });
    expect(ids(searchNotes(state, 'alice', 'ZÜRICH réunion'))).toEqual(['n1']);
    expect(ids(searchNotes(state, 'alice', 'ωMEGA'))).toEqual(['n1']);
    expect(searchNotes(state, 'alice', 'réunion').map((hit) => hit.score)).toEqual([3]);
    expect(searchNotes(state, 'alice', 'reunion').map((hit) => hit.score)).toEqual([1.5]);
  });
});

describe('typo tolerance', () => {
  it('[NOTES-SEARCH-02] a word one edit away matches at half the weight the word as typed would have', () => {
    let state = emptyNotesState();
    state = withNote(state, 'typo', { title: 'Weekly meting', now: 500 });
    state = withNote(state, 'exact', { body: 'the meeting', now: 100 });
    const hits = searchNotes(state, 'alice', 'meeting');
    expect(hits.map((hit) => [hit.note.noteId, hit.score])).toEqual([['typo', 1.5], ['exact', 1]]); // a title typo (3 × ½) still beats a body match
    expect(ids(searchNotes(state, 'alice', 'meetign weekly'))).toEqual([]); // a swap is two edits
    expect(ids(searchNotes(state, 'alice', 'weekly meting'))).toEqual(['typo']);
    expect(ids(searchNotes(state, 'alice', 'mteing'))).toEqual([]);
  });

  it('[NOTES-SEARCH-02] the snippet of a note found through a typo starts near the word it matched', () => {
    const body = `${sentence.repeat(20)}the agenda for thursday ${sentence.repeat(20)}`;
    const snippet = searchNotes(withNote(emptyNotesState(), 'n1', { body }), 'alice', 'agena')[0]?.snippet;
    expect(snippet).toContain('the agenda for thursday');
  });

  it('[NOTES-SEARCH-02] words shorter than four letters must be exact, and a typo never stands in where the note has the word', () => {
    let state = emptyNotesState();
    state = withNote(state, 'cat', { body: 'cat' });
    state = withNote(state, 'car', { body: 'car' });
    expect(ids(searchNotes(state, 'alice', 'cat'))).toEqual(['cat']);
    const both = withNote(emptyNotesState(), 'n', { body: 'plan plane' });
    const query = parseQuery('plan')!;
    expect(scoreNote(both.notes.n!, query)).toBe(2); // prefix "plan" counts plan and plane, no typo on top
    expect(scoreNote(withNote(emptyNotesState(), 'm', { body: 'clan' }).notes.m!, query)).toBe(0.5);
  });
});

describe('[notes] words', () => {
  it('[notes] tokenize keeps runs of letters and digits, lowercased, two characters or more', () => {
    expect(tokenize('Hello, World! a 42 x9 — 😀😀 naïve e\u0301t')).toEqual(['hello', 'world', '42', 'x9', 'naïve', 'ét']);
  });

  it('[notes] a query is its words, the last one a prefix', () => {
    expect(parseQuery('Project  Meet')).toEqual({ exact: ['project'], prefix: 'meet', phrase: 'project meet' });
    expect(parseQuery(' ? a ')).toBeUndefined();
  });
});

describe('[notes] snippets', () => {
  it('[notes] a short body is the snippet, whitespace collapsed', () => {
    const state = withNote(emptyNotesState(), 'n1', { body: '  first line\n\n  second\tline ' });
    expect(searchNotes(state, 'alice', 'second')[0]?.snippet).toBe('first line second line');
  });

  it('[notes] a long body is cut around the first match, at word boundaries, marked with …', () => {
    const body = `${sentence.repeat(20)}the needle is here ${sentence.repeat(20)}`;
    const snippet = searchNotes(withNote(emptyNotesState(), 'n1', { body }), 'alice', 'needl')[0]!.snippet;
    expect(snippet).toContain('the needle is here');
    expect(snippet.startsWith('…')).toBe(true);
    expect(snippet.endsWith('…')).toBe(true);
    expect(snippet.length).toBeLessThanOrEqual(SNIPPET_LENGTH + 2);
    expect(snippet.slice(1, -1).trim()).toBe(snippet.slice(1, -1));
    expect(body).toContain(snippet.slice(1, -1));
  });

  it('[notes] a match near the end still fills the snippet', () => {
    const body = `${sentence.repeat(20)}needle`;
    const snippet = searchNotes(withNote(emptyNotesState(), 'n1', { body }), 'alice', 'needle')[0]!.snippet;
    expect(snippet.endsWith('needle')).toBe(true);
    expect(snippet.length).toBeGreaterThan(SNIPPET_LENGTH - 20);
  });

  it('[notes] a title-only match shows the start of the body', () => {
    const body = sentence.repeat(20);
    const snippet = searchNotes(withNote(emptyNotesState(), 'n1', { title: 'Needle', body }), 'alice', 'needle')[0]!.snippet;
    expect(snippet.startsWith('lorem ipsum')).toBe(true);
    expect(snippet.endsWith('…')).toBe(true);
  });

  it('[notes] a cut never splits a character made of two UTF-16 units', () => {
    const body = `${'😀'.repeat(200)} needle ${'😀'.repeat(200)}`;
    const snippet = searchNotes(withNote(emptyNotesState(), 'n1', { body }), 'alice', 'needle')[0]!.snippet;
    expect(snippet).toContain('needle');
    expect(snippet).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
  });
});

describe('bounded search', () => {
  it('[SEC-SEARCH-01] only the first 500 characters and 20 words of a query count', () => {
    const words = Array.from({ length: 30 }, (_, i) => `word${i}`);
    const query = parseQuery(words.join(' '))!;
    expect([...query.exact, query.prefix]).toEqual(words.slice(0, 20));
    const long = parseQuery(`${'a'.repeat(600)} tail`)!;
    expect(long.prefix).toBe('a'.repeat(500));
  });

  it('[SEC-SEARCH-01] prefix counts from the tokenized index match a plain scan, for words of any script', () => {
    const note = { noteId: 'n', ownerId: 'o', title: 'Zürich meeting', body: 'meet meeting meetings 会議 会議室 mee', tags: ['meetup'], createdAt: 1, updatedAt: 1, public: false, publicId: 'p' };
    expect(scoreNote(note, parseQuery('meet')!)).toBe(3 * 1 + 2 * 1 + 1 * 3);
    expect(scoreNote(note, parseQuery('会議')!)).toBe(2);
    expect(scoreNote(note, parseQuery('zür')!)).toBe(3);
    expect(scoreNote(note, parseQuery('nothing')!)).toBeUndefined();
  });
});
