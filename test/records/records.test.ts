// The generic record engine (src/records/) on states of its own making: it knows no domain, so
// these use made-up collections. The core's use of it is checked by the model runs and test/core.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyChanges, collectionSize, keptView, keysWhere, owned, replayInto, Transaction } from '../../src/records/index.ts';
import type { KeptView } from '../../src/records/index.ts';
import type { Change, Collections } from '../../src/records/index.ts';
import { AccountsTransaction } from '../../src/accounts/transaction.ts';
import { NotesTransaction } from '../../src/notes/transaction.ts';
import { emptyAccountsState } from '../../src/accounts/types.ts';
import { emptyNotesState } from '../../src/notes/types.ts';

interface Shelf {
  books: Record<string, { title: string; shelf: string }>;
  loans: Record<string, { book: string }>;
}
const emptyShelf = (): Shelf => ({ books: {}, loans: {} });
const numRuns = Math.max(50, Math.floor(Number(process.env.FC_NUM_RUNS ?? 1000) / 5));

type Op = { op: 'put'; key: string; shelf: string } | { op: 'delete'; key: string };
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('put' as const), key: fc.constantFrom('a', 'b', 'c', '__proto__'), shelf: fc.constantFrom('x', 'y') }),
  fc.record({ op: fc.constant('delete' as const), key: fc.constantFrom('a', 'b', 'c', 'missing') }),
);
const batches = fc.array(fc.array(op, { maxLength: 6 }), { maxLength: 8 });

function run(state: Shelf, batch: readonly Op[]): { state: Shelf; changes: Change<keyof Shelf>[] } {
  const tx = new Transaction(state);
  for (const step of batch) {
    if (step.op === 'put') tx.put('books', step.key, { title: step.key, shelf: step.shelf });
    else tx.delete('books', step.key);
  }
  return { state: tx.result(), changes: tx.changes };
}

describe('[records] transactions over named collections', () => {
  it('[records] owned (in place) and copy-on-write states end alike, record the same changes, and replay to the same collections', () => {
    fc.assert(
      fc.property(batches, (batches) => {
        let copied = emptyShelf();
        let inPlace = owned(emptyShelf());
        let replayedPlain: Collections = {};
        let replayedTx = emptyShelf();
        const frozen: Shelf[] = [];
        for (const batch of batches) {
          frozen.push(structuredClone(copied));
          const before = copied;
          const a = run(copied, batch);
          const b = run(inPlace, batch);
          expect(b.changes).toEqual(a.changes);
          expect(before, 'copy-on-write never writes its base').toEqual(frozen.at(-1));
          copied = a.state;
          inPlace = b.state;
          replayInto(replayedPlain, a.changes);
          replayedTx = applyChanges(replayedTx, a.changes);
        }
        expect(inPlace).toEqual(copied);
        expect(replayedTx).toEqual(copied);
        expect({ books: {}, ...replayedPlain }).toEqual({ books: copied.books });
        expect(collectionSize(inPlace.books)).toBe(Object.keys(copied.books).length);
      }),
      { numRuns },
    );
  });

  it('[records] an index on a field stays equal to a scan through in-place writes', () => {
    fc.assert(
      fc.property(batches, (batches) => {
        let state = owned(emptyShelf());
        keysWhere(state.books, 'shelf', 'x'); // built before the writes: maintained from here on
        for (const batch of batches) state = run(state, batch).state;
        for (const shelf of ['x', 'y']) {
          const scanned = Object.keys(state.books).filter((key) => state.books[key]?.shelf === shelf).sort();
          expect([...keysWhere(state.books, 'shelf', shelf)].sort(), shelf).toEqual(scanned);
        }
      }),
      { numRuns },
    );
  });

  it('[records] a kept view stays equal to one built from scratch through in-place writes', () => {
    // Books per shelf, the kind of total a domain keeps (bytes per owner, a search index).
    const perShelf: KeptView<Map<string, number>> = {
      build: (records) => {
        const counts = new Map<string, number>();
        for (const book of Object.values(records) as { shelf: string }[]) counts.set(book.shelf, (counts.get(book.shelf) ?? 0) + 1);
        return counts;
      },
      update: (counts, _key, previous, next) => {
        if (previous !== undefined) counts.set((previous as { shelf: string }).shelf, counts.get((previous as { shelf: string }).shelf)! - 1);
        if (next !== undefined) counts.set((next as { shelf: string }).shelf, (counts.get((next as { shelf: string }).shelf) ?? 0) + 1);
      },
    };
    const nonZero = (counts: Map<string, number>) => [...counts].filter(([, n]) => n !== 0).sort();
    fc.assert(
      fc.property(batches, (batches) => {
        let state = owned(emptyShelf());
        const kept = keptView(state.books, perShelf);
        for (const batch of batches) state = run(state, batch).state;
        expect(keptView(state.books, perShelf)).toBe(kept);
        expect(nonZero(kept)).toEqual(nonZero(perShelf.build(state.books)));
      }),
      { numRuns },
    );
  });

  it('[records] a delete of a missing key is no change, and only touched collections are copied', () => {
    const base = emptyShelf();
    const tx = new Transaction(base);
    tx.delete('books', 'nothing');
    tx.put('loans', 'l1', { book: 'a' });
    const next = tx.result();
    expect(tx.changes).toEqual([{ op: 'put', collection: 'loans', key: 'l1', value: { book: 'a' } }]);
    expect(next.loans).not.toBe(base.loans);
    expect(base.loans).toEqual({});
  });

  it('[records] replay keeps a "__proto__" key as an ordinary record and creates a collection on first use', () => {
    const collections: Collections = {};
    replayInto(collections, [{ op: 'put', collection: 'books', key: '__proto__', value: { title: 'p' } }]);
    expect(Object.keys(collections.books ?? {})).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(collections.books)).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(collections))).toEqual(collections);
  });

  it('[records] a "__proto__" record can be overwritten and deleted again, by replay and by transactions alike', () => {
    const collections: Collections = {};
    replayInto(collections, [
      { op: 'put', collection: 'books', key: '__proto__', value: 1 },
      { op: 'put', collection: 'books', key: '__proto__', value: 2 },
    ]);
    expect(collections.books?.['__proto__']).toBe(2);
    replayInto(collections, [{ op: 'delete', collection: 'books', key: '__proto__' }]);
    expect(Object.keys(collections.books ?? {})).toEqual([]);
    for (const base of [emptyShelf(), owned(emptyShelf())]) {
      const first = run(base, [{ op: 'put', key: '__proto__', shelf: 'x' }]).state;
      const second = run(first, [{ op: 'put', key: '__proto__', shelf: 'y' }]).state;
      expect(second.books['__proto__']?.shelf).toBe('y');
      expect(Object.keys(run(second, [{ op: 'delete', key: '__proto__' }]).state.books)).toEqual([]);
    }
  });

  it('[records] a collection missing from an older state reads as empty and is created by its first write', () => {
    // As a snapshot written before the collection existed loads: the key is simply absent.
    const old = JSON.parse('{"books":{}}') as Shelf;
    const tx = new Transaction(old);
    expect(tx.get('loans', 'l1')).toBeUndefined();
    tx.put('loans', 'l1', { book: 'a' });
    expect(tx.result().loans).toEqual({ l1: { book: 'a' } });
  });

  it('[records] a domain transaction over part of a larger state keeps the other collections as they are', () => {
    const base = { ...emptyShelf(), ...emptyAccountsState(), ...emptyNotesState() };
    const accounts = new AccountsTransaction(base);
    accounts.put('users', 'u1', { userId: 'u1', username: 'ann', passwordHash: 'h', createdAt: 0 });
    const afterAccounts = accounts.result();
    expect(afterAccounts.books).toBe(base.books);
    expect(afterAccounts.notes).toBe(base.notes);
    expect(Object.keys(afterAccounts.users)).toEqual(['u1']);
    expect(accounts.changes.map((c) => `${c.op} ${c.collection}/${c.key}`)).toEqual(['put users/u1']);
    const notes = new NotesTransaction(afterAccounts);
    notes.delete('n-missing');
    const afterNotes = notes.result();
    expect(afterNotes.users).toBe(afterAccounts.users);
    expect(notes.changes).toEqual([]);
  });
});
