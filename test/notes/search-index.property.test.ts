// The search index against the scan it replaces (NOTES-SEARCH-01): after any sequence of creates,
// updates and deletes through the commit queue's in-place path (so the index is kept in step, never
// rebuilt), every query answers exactly what scoring every note by scanning it would.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createNote, deleteNote, emptyNotesState, parseQuery, scoreNote, searchPage, updateNote } from '../../src/notes/index.ts';
import type { NoteRecord, NotesState } from '../../src/notes/index.ts';
import { newestFirst } from '../../src/notes/queries.ts';
import { owned } from '../../src/records/index.ts';

const numRuns = Math.max(30, Math.floor(Number(process.env.FC_NUM_RUNS ?? 1000) / 10));
const WORDS = ['plan', 'plane', 'plans', 'clan', 'budget', 'budgte', 'meeting', 'meting', 'réunion', 'reunion', 'ab', 'abc'] as const;
const text = fc.array(fc.constantFrom(...WORDS), { maxLength: 6 }).map((words) => words.join(' '));
const ids = ['n0', 'n1', 'n2', 'n3', 'n4'] as const;

type Write =
  | { kind: 'create'; id: string; owner: string; title: string; body: string; tags: string[] }
  | { kind: 'update'; id: string; owner: string; title: string; body: string }
  | { kind: 'delete'; id: string; owner: string };

const owner = fc.constantFrom('alice', 'bob');
const write: fc.Arbitrary<Write> = fc.oneof(
  fc.record({ kind: fc.constant('create' as const), id: fc.constantFrom(...ids), owner, title: text, body: text, tags: fc.array(fc.constantFrom('plan', 'budget', 'ab'), { maxLength: 2 }) }),
  fc.record({ kind: fc.constant('update' as const), id: fc.constantFrom(...ids), owner, title: text, body: text }),
  fc.record({ kind: fc.constant('delete' as const), id: fc.constantFrom(...ids), owner }),
);

function apply(state: NotesState, w: Write, now: number): NotesState {
  if (w.kind === 'create') return createNote(state, { noteId: w.id, ownerId: w.owner, title: w.title || 'untitled', body: w.body, tags: w.tags, publicId: `p-${w.id}-${now}`, now }).state;
  if (w.kind === 'update') return updateNote(state, { noteId: w.id, ownerId: w.owner, title: w.title || 'untitled', body: w.body, now }).state;
  return deleteNote(state, { noteId: w.id, ownerId: w.owner, now }).state;
}

/** What the search must answer, by scoring every note of the owner. */
function scanned(state: NotesState, ownerId: string, query: string): [string, number][] {
  const parsed = parseQuery(query)!;
  const hits: { note: NoteRecord; score: number }[] = [];
  for (const note of Object.values(state.notes)) {
    if (note.ownerId !== ownerId) continue;
    const score = scoreNote(note, parsed);
    if (score !== undefined) hits.push({ note, score });
  }
  return hits.sort((a, b) => b.score - a.score || newestFirst(a.note, b.note)).map(({ note, score }) => [note.noteId, score]);
}

describe('the search index', () => {
  it('[NOTES-SEARCH-01][NOTES-SEARCH-02] through any writes, indexed search answers exactly what a scan of every note does', () => {
    fc.assert(
      fc.property(fc.array(write, { maxLength: 25 }), fc.array(fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 6 }), (writes, queries) => {
        let state = owned(emptyNotesState());
        searchPage(state, 'alice', 'plan'); // the index exists from the start, so it is kept in step
        writes.forEach((w, i) => (state = owned(apply(state, w, 100 + i)))); // as the commit queue does
        for (const ownerId of ['alice', 'bob']) {
          for (const words of queries) {
            const query = words.join(' ');
            const { hits, total } = searchPage(state, ownerId, query, { limit: 100 });
            expect(hits.map((hit): [string, number] => [hit.note.noteId, hit.score]), `${ownerId}: ${query}`).toEqual(scanned(state, ownerId, query));
            expect(total).toBe(hits.length);
            expect(searchPage(state, ownerId, query, { limit: 2, offset: 1 }).hits.map((hit) => hit.note.noteId)).toEqual(hits.slice(1, 3).map((hit) => hit.note.noteId));
          }
        }
      }),
      { numRuns },
    );
  });
});
