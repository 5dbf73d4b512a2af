// Model-based check of ownership: random creates, updates, deletes, restores (from the trash and of
// versions) and erasures by two owners, compared with reference Maps from noteId to owner for live
// and trashed notes. After every step each owner sees exactly their own notes, versions and trash.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NOTE_LIMITS, allTags, renameTag, createNote, deleteNote, emptyNotesState, eraseFromTrash, getNote, getNoteVersion, getTrashedNote, listNotes, noteVersions, restoreFromTrash, restoreNoteVersion, searchNotes, trashedNotes, updateNote } from '../../src/notes/index.ts';
import type { NoteLimits, NotesState } from '../../src/notes/index.ts';

const numRuns = Math.max(50, Math.floor(Number(process.env.FC_NUM_RUNS ?? 1000) / 5));

/** Small enough that owners reach their limit within a run. */
const LIMITS: NoteLimits = { ...NOTE_LIMITS, notesPerUser: 3 };
const OWNERS = ['alice', 'bob'] as const;
const NOTE_IDS = ['n0', 'n1', 'n2', 'n3', 'n4', 'n5'] as const;
const WORDS = ['plan', 'plane', 'budget', 'meeting'] as const;

/** noteId → ownerId of every live note; `trash` the same for trashed notes; the rest of the id space is free. */
type Model = Map<string, string> & { trash?: Map<string, string> };
const trashOf = (model: Model): Map<string, string> => (model.trash ??= new Map());
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
    // NOTES-OWN-01: versions and trash are scoped the same way.
    expect(trashedNotes(state, ownerId).map((t) => t.note.noteId).sort()).toEqual([...trashOf(model)].filter(([, o]) => o === ownerId).map(([id]) => id).sort());
    for (const id of NOTE_IDS) {
      expect(getTrashedNote(state, ownerId, id) !== undefined).toBe(trashOf(model).get(id) === ownerId);
      const versions = noteVersions(state, ownerId, id);
      expect(versions.every(mine)).toBe(true);
      if (model.get(id) !== ownerId && trashOf(model).get(id) !== ownerId) expect(versions).toEqual([]);
      for (const seq of [1, 2, 3]) {
        const version = getNoteVersion(state, ownerId, id, `${id}.${seq}`);
        if (version !== undefined) expect(mine(version)).toBe(true);
      }
    }
  }
  const anyone = [...model.keys(), ...trashOf(model).keys()];
  expect(new Set(anyone).size).toBe(anyone.length); // a note is live or trashed, never both
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
      : model.has(this.noteId) || trashOf(model).has(this.noteId) ? 'invalid_note' // id collision
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
    const result = deleteNote(real.state, { noteId: this.noteId, ownerId: this.ownerId, now: ++real.now }, LIMITS);
    const owned = model.get(this.noteId) === this.ownerId;
    expect(result.outcome.kind === 'error' ? result.outcome.error : result.outcome.kind).toBe(owned ? 'note_deleted' : 'not_found');
    if (owned) {
      model.delete(this.noteId);
      trashOf(model).set(this.noteId, this.ownerId);
    }
    real.state = result.state;
    checkIsolation(model, real.state);
  }
  toString = () => `${this.ownerId} deletes ${this.noteId}`;
}

class RestoreFromTrash implements fc.Command<Model, Real> {
  constructor(readonly ownerId: string, readonly noteId: string) {}
  check = () => true;
  run(model: Model, real: Real): void {
    const result = restoreFromTrash(real.state, { noteId: this.noteId, ownerId: this.ownerId }, LIMITS);
    const expected = trashOf(model).get(this.noteId) !== this.ownerId ? 'not_found' : countOf(model, this.ownerId) >= LIMITS.notesPerUser ? 'too_many_notes' : 'note_restored';
    expect(result.outcome.kind === 'error' ? result.outcome.error : result.outcome.kind).toBe(expected);
    if (expected === 'note_restored') {
      trashOf(model).delete(this.noteId);
      model.set(this.noteId, this.ownerId);
    }
    real.state = result.state;
    checkIsolation(model, real.state);
  }
  toString = () => `${this.ownerId} restores ${this.noteId} from the trash`;
}

class Erase implements fc.Command<Model, Real> {
  constructor(readonly ownerId: string, readonly noteId: string) {}
  check = () => true;
  run(model: Model, real: Real): void {
    const result = eraseFromTrash(real.state, { noteId: this.noteId, ownerId: this.ownerId });
    const owned = trashOf(model).get(this.noteId) === this.ownerId;
    expect(result.outcome.kind === 'error' ? result.outcome.error : result.outcome.kind).toBe(owned ? 'note_erased' : 'not_found');
    if (owned) trashOf(model).delete(this.noteId);
    real.state = result.state;
    if (owned) expect(Object.values(real.state.noteVersions).some((v) => v.noteId === this.noteId)).toBe(false);
    checkIsolation(model, real.state);
  }
  toString = () => `${this.ownerId} deletes ${this.noteId} for good`;
}

class RestoreVersion implements fc.Command<Model, Real> {
  constructor(readonly ownerId: string, readonly noteId: string, readonly seq: number) {}
  check = () => true;
  run(model: Model, real: Real): void {
    const versionId = `${this.noteId}.${this.seq}`;
    const result = restoreNoteVersion(real.state, { noteId: this.noteId, ownerId: this.ownerId, versionId, now: ++real.now }, LIMITS);
    const exists = model.get(this.noteId) === this.ownerId && Object.hasOwn(real.state.noteVersions, versionId);
    expect(result.outcome.kind === 'error' ? result.outcome.error : result.outcome.kind).toBe(exists ? 'note_updated' : 'not_found');
    real.state = result.state;
    checkIsolation(model, real.state);
  }
  toString = () => `${this.ownerId} restores version ${this.seq} of ${this.noteId}`;
}

class RenameTag implements fc.Command<Model, Real> {
  constructor(readonly ownerId: string, readonly from: string, readonly to: string) {}
  check = () => true;
  run(model: Model, real: Real): void {
    const others = OWNERS.filter((o) => o !== this.ownerId).map((o) => allTags(real.state, o));
    const result = renameTag(real.state, { ownerId: this.ownerId, from: this.from, to: this.to, now: ++real.now }, LIMITS);
    // Another owner's tags never change, whatever this owner renames.
    expect(OWNERS.filter((o) => o !== this.ownerId).map((o) => allTags(result.state, o))).toEqual(others);
    real.state = result.state;
    checkIsolation(model, real.state);
  }
  toString = () => `${this.ownerId} renames tag ${this.from} to ${this.to}`;
}

const commands = [
  fc.tuple(owner, noteId, text, text, tags).map(([o, id, title, body, t]) => new Create(o, id, title, body, t)),
  fc.tuple(owner, noteId, fc.option(text, { nil: undefined }), fc.option(text, { nil: undefined }))
    .map(([o, id, title, body]) => new Update(o, id, title, body)),
  fc.tuple(owner, noteId).map(([o, id]) => new Delete(o, id)),
  fc.tuple(owner, noteId).map(([o, id]) => new RestoreFromTrash(o, id)),
  fc.tuple(owner, noteId).map(([o, id]) => new Erase(o, id)),
  fc.tuple(owner, noteId, fc.integer({ min: 1, max: 3 })).map(([o, id, seq]) => new RestoreVersion(o, id, seq)),
  fc.tuple(owner, fc.constantFrom(...WORDS), fc.constantFrom(...WORDS)).map(([o, from, to]) => new RenameTag(o, from, to)),
];

describe('[notes] ownership model', () => {
  it('[NOTES-OWN-01] after any sequence of writes by two owners, each sees exactly their own live notes, versions and trash', () => {
    fc.assert(
      fc.property(fc.commands(commands, { maxCommands: 40 }), (cmds) => {
        fc.modelRun(() => ({ model: new Map(), real: { state: emptyNotesState(), now: 0 } }), cmds);
      }),
      { numRuns },
    );
  });
});
