// Model-based check of ownership: random creates, updates and deletes by two owners, compared with
// a reference Map from noteId to owner. After every step each owner sees exactly their own notes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NOTE_LIMITS, allTags, createNote, deleteNote, emptyNotesState, getNote, listNotes, searchNotes, updateNote } from '../../src/notes/index.ts';
import type { NoteLimits, NotesState } from '../../src/notes/index.ts';

const numRuns = Math.max(50, Math.floor(Number(process.env.FC_NUM_RUNS ?? 1000) / 5));

/** Small enough that owners reach their limit within a run. */
const LIMITS: NoteLimits = { ...NOTE_LIMITS, notesPerUser: 3 };
const OWNERS = ['alice', 'bob'] as const;
const NOTE_IDS = ['n0', 'n1', 'n2', 'n3', 'n4', 'n5'] as const;
const WORDS = ['plan', 'plane', 'budget', 'meeting'] as const;

type Model = Map<string, string>; // noteId → ownerId of every live note
interface Real {
  state: NotesState;
  now: number;
}

const owner = fc.constantFrom(...OWNERS);
const noteId = fc.constantFrom(...NOTE_IDS);
const text = fc.array(fc.constantFrom(...WORDS), { maxLength: 3 }).map((words) => words.join(' '));
const tags = fc.array(fc.constantFrom(...WORDS, 'Plan', ' budget '), { maxLength: 3 });

function countOf(model: Model, ownerId: string): number {
  return [...model.values()].filter((o) => o === ownerId).length;
}

/** What every step must leave true, for both owners. */
function checkIsolation(model: Model, state: NotesState): void {
  for (const ownerId of OWNERS) {
    const mine = (note: { ownerId: string }) => note.ownerId === ownerId;
    const listed = listNotes(state, ownerId, { limit: 100 });
    expect(listed.total).toBe(countOf(model, ownerId));
    expect(listed.notes.every(mine)).toBe(true);
    for (const query of ['', ...WORDS, 'plan budg']) {
      expect(searchNotes(state, ownerId, query, { limit: 100 }).every((hit) => mine(hit.note))).toBe(true);
    }
    for (const tag of WORDS) expect(listNotes(state, ownerId, { tag }).notes.every(mine)).toBe(true);
    const tagged = Object.values(allTags(state, ownerId)).reduce((sum, n) => sum + n, 0);
    expect(tagged).toBe(listed.notes.reduce((sum, note) => sum + note.tags.length, 0));
    for (const id of NOTE_IDS) expect(getNote(state, ownerId, id) !== undefined).toBe(model.get(id) === ownerId);
  }
}

class Create implements fc.Command<Model, Real> {
  constructor(readonly ownerId: string, readonly noteId: string, readonly title: string, readonly body: string, readonly tags: string[]) {}
  check = () => true;
  run(model: Model, real: Real): void {
    const result = createNote(real.state, {
      noteId: this.noteId, ownerId: this.ownerId, title: this.title, body: this.body, tags: this.tags, publicId: `p-${this.noteId}`, now: ++real.now,
    }, LIMITS);
    const expected =
      this.title.trim() === '' ? 'invalid_note'
      : countOf(model, this.ownerId) >= LIMITS.notesPerUser ? 'too_many_notes'
      : model.has(this.noteId) ? 'invalid_note' // id collision
      : 'note_created';
    expect(result.outcome.kind === 'error' ? result.outcome.error : result.outcome.kind).toBe(expected);
    if (expected === 'note_created') model.set(this.noteId, this.ownerId);
    real.state = result.state;
    checkIsolation(model, real.state);
  }
  toString = () => `${this.ownerId} creates ${this.noteId} ${JSON.stringify({ title: this.title, body: this.body, tags: this.tags })}`;
}

class Update implements fc.Command<Model, Real> {
  constructor(readonly ownerId: string, readonly noteId: string, readonly title: string | undefined, readonly body: string | undefined) {}
  check = () => true;
  run(model: Model, real: Real): void {
    const result = updateNote(real.state, {
      noteId: this.noteId, ownerId: this.ownerId, now: ++real.now,
      ...(this.title === undefined ? {} : { title: this.title }),
      ...(this.body === undefined ? {} : { body: this.body }),
    }, LIMITS);
    const expected =
      model.get(this.noteId) !== this.ownerId ? 'not_found'
      : this.title !== undefined && this.title.trim() === '' ? 'invalid_note'
      : 'note_updated';
    expect(result.outcome.kind === 'error' ? result.outcome.error : result.outcome.kind).toBe(expected);
    if (expected !== 'note_updated') expect(result.state).toBe(real.state);
    real.state = result.state;
    checkIsolation(model, real.state);
  }
  toString = () => `${this.ownerId} updates ${this.noteId} ${JSON.stringify({ title: this.title, body: this.body })}`;
}

class Delete implements fc.Command<Model, Real> {
  constructor(readonly ownerId: string, readonly noteId: string) {}
  check = () => true;
  run(model: Model, real: Real): void {
    const result = deleteNote(real.state, { noteId: this.noteId, ownerId: this.ownerId });
    const owned = model.get(this.noteId) === this.ownerId;
    expect(result.outcome.kind === 'error' ? result.outcome.error : result.outcome.kind).toBe(owned ? 'note_deleted' : 'not_found');
    if (owned) model.delete(this.noteId);
    real.state = result.state;
    checkIsolation(model, real.state);
  }
  toString = () => `${this.ownerId} deletes ${this.noteId}`;
}

const commands = [
  fc.tuple(owner, noteId, text, text, tags).map(([o, id, title, body, t]) => new Create(o, id, title, body, t)),
  fc.tuple(owner, noteId, fc.option(text, { nil: undefined }), fc.option(text, { nil: undefined }))
    .map(([o, id, title, body]) => new Update(o, id, title, body)),
  fc.tuple(owner, noteId).map(([o, id]) => new Delete(o, id)),
];

describe('[notes] ownership model', () => {
  it('[notes] after any sequence of writes by two owners, each sees exactly their own live notes', () => {
    fc.assert(
      fc.property(fc.commands(commands, { maxCommands: 40 }), (cmds) => {
        fc.modelRun(() => ({ model: new Map(), real: { state: emptyNotesState(), now: 0 } }), cmds);
      }),
      { numRuns },
    );
  });
});
