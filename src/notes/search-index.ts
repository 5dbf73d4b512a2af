// The search index (NOTES-SEARCH-01): one inverted index per owner, kept in step with every write as
// a view of the notes collection (records `keptView`), so a query reads the postings of its words
// instead of every note. Terms live in MiniSearch's radix tree (SearchableMap), which answers the
// prefix of the last word and the words one edit away (typo tolerance, NOTES-SEARCH-02) without a
// scan. A posting holds a note and its weighted count of the term (title ×3, tags ×2, body ×1):
// exactly what search.ts adds up for a note.
import SearchableMap from 'minisearch/SearchableMap';
import { keptView } from '../records/index.ts';
import type { KeptView } from '../records/index.ts';
import { tokenize, TYPO_MIN_LENGTH } from './words.ts';
import type { NoteRecord } from './types.ts';

export const WEIGHT = { title: 3, tags: 2, body: 1 } as const;

/**
 * Postings of one term: (note slot, weighted count) pairs, ascending by slot, packed in one
 * Int32Array that doubles when full (a quarter of the memory of two plain arrays, and no
 * per-element boxing).
 */
class Postings {
  data = new Int32Array(4);
  /** Pairs in use. */
  length = 0;

  /** Where `slot` is, or would go. */
  #position(slot: number): number {
    const { data } = this;
    if (this.length === 0 || data[2 * (this.length - 1)]! < slot) return this.length; // appends, as a build does
    let low = 0;
    let high = this.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (data[2 * middle]! < slot) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  insert(slot: number, weight: number): void {
    if (2 * (this.length + 1) > this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    const at = this.#position(slot);
    if (at < this.length) this.data.copyWithin(2 * at + 2, 2 * at, 2 * this.length);
    this.data[2 * at] = slot;
    this.data[2 * at + 1] = weight;
    this.length++;
  }

  /** False when the slot was not there. */
  remove(slot: number): boolean {
    const at = this.#position(slot);
    if (at >= this.length || this.data[2 * at] !== slot) return false;
    this.data.copyWithin(2 * at, 2 * at + 2, 2 * this.length);
    this.length--;
    return true;
  }

  /** Adds each posting's weighted count to its slot in `into`. */
  addInto(into: Float64Array): void {
    const { data } = this;
    for (let i = 0; i < 2 * this.length; i += 2) into[data[i]!]! += data[i + 1]!;
  }
}

export { TYPO_MIN_LENGTH } from './words.ts';

/** The weighted count of each word of a note, as search counts it. */
export function weightedWords(note: Pick<NoteRecord, 'title' | 'body' | 'tags'>): Map<string, number> {
  const weights = new Map<string, number>();
  const add = (words: readonly string[], weight: number) => {
    for (const word of words) weights.set(word, (weights.get(word) ?? 0) + weight);
  };
  add(tokenize(note.title), WEIGHT.title);
  add(note.tags.flatMap(tokenize), WEIGHT.tags);
  add(tokenize(note.body), WEIGHT.body);
  return weights;
}

/**
 * One owner's notes, indexed. Slots are small integers standing for note ids in the postings; the
 * postings sit in a plain map for writes and lookups, and the radix tree holds the terms alone, for
 * prefixes and typos.
 */
export class OwnerIndex {
  readonly #postings = new Map<string, Postings>();
  readonly #terms = new SearchableMap<true>();
  readonly #slotOf = new Map<string, number>();
  readonly #noteIds: (string | undefined)[] = [];
  readonly #free: number[] = [];

  get size(): number {
    return this.#slotOf.size;
  }

  /** One more than the highest slot in use: the length of a per-slot array. */
  get slots(): number {
    return this.#noteIds.length;
  }

  /** The note in `slot`, if one is. */
  noteIdAt(slot: number): string | undefined {
    return this.#noteIds[slot];
  }

  add(note: NoteRecord): void {
    const slot = this.#free.pop() ?? this.#noteIds.length;
    this.#noteIds[slot] = note.noteId;
    this.#slotOf.set(note.noteId, slot);
    for (const [term, weight] of weightedWords(note)) {
      let postings = this.#postings.get(term);
      if (!postings) {
        postings = new Postings();
        this.#postings.set(term, postings);
        this.#terms.set(term, true);
      }
      postings.insert(slot, weight);
    }
  }

  remove(note: NoteRecord): void {
    const slot = this.#slotOf.get(note.noteId);
    if (slot === undefined) return;
    for (const term of weightedWords(note).keys()) {
      const postings = this.#postings.get(term);
      if (!postings) continue;
      if (!postings.remove(slot)) continue;
      if (postings.length === 0) {
        this.#postings.delete(term);
        this.#terms.delete(term);
      }
    }
    this.#slotOf.delete(note.noteId);
    this.#noteIds[slot] = undefined;
    this.#free.push(slot);
  }

  /**
   * Adds, per slot, the weighted count of `word` (or, for a prefix, of the words starting with it)
   * into `exact`, and that of the words one edit away into `typos` (words of TYPO_MIN_LENGTH or more).
   */
  matches(word: string, prefix: boolean, exact: Float64Array, typos: Float64Array): void {
    const addAll = (into: Float64Array, postings: Postings | undefined) => postings?.addInto(into);
    if (prefix) for (const term of this.#terms.atPrefix(word).keys()) addAll(exact, this.#postings.get(term));
    else addAll(exact, this.#postings.get(word));
    if (word.length < TYPO_MIN_LENGTH) return;
    for (const term of this.#terms.fuzzyGet(word, 1).keys()) {
      if (term === word || (prefix && term.startsWith(word))) continue; // already exact
      addAll(typos, this.#postings.get(term));
    }
  }
}

type SearchIndex = Map<string, OwnerIndex>;

function indexOf(index: SearchIndex, ownerId: string): OwnerIndex {
  let owner = index.get(ownerId);
  if (!owner) {
    owner = new OwnerIndex();
    index.set(ownerId, owner);
  }
  return owner;
}

const SEARCH_INDEX: KeptView<SearchIndex> = {
  build(records) {
    const index: SearchIndex = new Map();
    for (const note of Object.values(records) as NoteRecord[]) indexOf(index, note.ownerId).add(note);
    return index;
  },
  update(index, _key, previous, next) {
    if (previous !== undefined) {
      const owner = index.get((previous as NoteRecord).ownerId);
      owner?.remove(previous as NoteRecord);
      if (owner?.size === 0) index.delete((previous as NoteRecord).ownerId);
    }
    if (next !== undefined) indexOf(index, (next as NoteRecord).ownerId).add(next as NoteRecord);
  },
};

/** The owner's index (empty when they have no notes); built on first use, then kept in step. */
export function ownerIndex(notes: Readonly<Record<string, NoteRecord>>, ownerId: string): OwnerIndex {
  return keptView(notes, SEARCH_INDEX).get(ownerId) ?? new OwnerIndex();
}

/** Builds the index of every owner now (at start-up), so no first search pays for it. */
export function buildSearchIndex(notes: Readonly<Record<string, NoteRecord>>): void {
  keptView(notes, SEARCH_INDEX);
}
