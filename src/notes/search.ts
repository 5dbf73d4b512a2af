// Full-text search over one owner's notes, in one pass over each note's text (words as `words.ts`
// defines them). A note matches when it holds every word of the query (the last one may be a
// prefix, so "meet" finds "meeting"). Its score weighs where the words occur (title ×3, tags ×2,
// body ×1), plus a bonus when the whole query appears as a phrase in the title or body. Ties go to
// the newer note. An empty query lists the most recent notes with score 0.
import { newestFirst, ownedNotes, wholeNumber } from './queries.ts';
import { snippetAround } from './snippet.ts';
import { parseQuery, tokenize } from './words.ts';
import type { Query } from './words.ts';
import type { NoteRecord, NotesState } from './types.ts';

export interface SearchOptions {
  /** Defaults to 20. */
  limit?: number;
}

export interface SearchHit {
  note: NoteRecord;
  score: number;
  /** Plain text from the body around the first match (or its start), whitespace collapsed. */
  snippet: string;
}

const WEIGHT = { title: 3, tags: 2, body: 1 } as const;
const PHRASE_BONUS = 5;

/** A field's words, counted once: exact lookups by map, prefix lookups by binary search over the sorted words. */
class WordCounts {
  readonly #counts = new Map<string, number>();
  readonly #sorted: string[];
  /** `#running[i]`: the occurrences of `#sorted[0..i)`, so a prefix range sums in O(1). */
  readonly #running: number[];

  constructor(words: readonly string[]) {
    for (const word of words) this.#counts.set(word, (this.#counts.get(word) ?? 0) + 1);
    this.#sorted = [...this.#counts.keys()].sort();
    this.#running = [0];
    for (const word of this.#sorted) this.#running.push(this.#running.at(-1)! + this.#counts.get(word)!);
  }

  exact(word: string): number {
    return this.#counts.get(word) ?? 0;
  }

  prefixed(prefix: string): number {
    const from = this.#firstAtLeast(prefix);
    const to = this.#firstAtLeast(`${prefix}\uffff`); // above every UTF-16 unit a word can hold next
    return this.#running[to]! - this.#running[from]!;
  }

  #firstAtLeast(word: string): number {
    let low = 0;
    let high = this.#sorted.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.#sorted[middle]! < word) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

/** A note as search reads it, built once per version of the note (records are replaced on every change). */
interface IndexedNote {
  fields: { weight: number; counts: WordCounts }[];
  titlePhrase: string;
  bodyPhrase: string;
}

const INDEXED = new WeakMap<NoteRecord, IndexedNote>();

function indexed(note: NoteRecord): IndexedNote {
  let entry = INDEXED.get(note);
  if (entry === undefined) {
    const titleWords = tokenize(note.title);
    const bodyWords = tokenize(note.body);
    entry = {
      fields: [
        { weight: WEIGHT.title, counts: new WordCounts(titleWords) },
        { weight: WEIGHT.tags, counts: new WordCounts(note.tags.flatMap(tokenize)) },
        { weight: WEIGHT.body, counts: new WordCounts(bodyWords) },
      ],
      titlePhrase: ` ${titleWords.join(' ')}`,
      bodyPhrase: ` ${bodyWords.join(' ')}`,
    };
    INDEXED.set(note, entry);
  }
  return entry;
}

function containsPhrase(joined: string, phrase: string): boolean {
  return joined.includes(` ${phrase}`); // open at the end: the last word may be a prefix
}

/** The note's score for the query, or undefined when some word of the query is missing. */
export function scoreNote(note: NoteRecord, query: Query): number | undefined {
  const { fields, titlePhrase, bodyPhrase } = indexed(note);
  const occurrences = [
    ...query.exact.map((word) => (counts: WordCounts) => counts.exact(word)),
    (counts: WordCounts) => counts.prefixed(query.prefix),
  ];
  let score = 0;
  for (const occurrencesIn of occurrences) {
    let found = 0;
    for (const { weight, counts } of fields) {
      const frequency = occurrencesIn(counts);
      found += frequency;
      score += weight * frequency;
    }
    if (found === 0) return undefined; // every word of the query is required
  }
  if (query.exact.length > 0 && (containsPhrase(titlePhrase, query.phrase) || containsPhrase(bodyPhrase, query.phrase))) {
    score += PHRASE_BONUS;
  }
  return score;
}

export function searchNotes(state: NotesState, ownerId: string, text: string, options: SearchOptions = {}): SearchHit[] {
  const limit = wholeNumber(options.limit ?? 20);
  const query = parseQuery(text);
  const notes = ownedNotes(state, ownerId);
  if (query === undefined) {
    return notes.sort(newestFirst).slice(0, limit).map((note) => ({ note, score: 0, snippet: snippetAround(note.body) }));
  }
  const hits: { note: NoteRecord; score: number }[] = [];
  for (const note of notes) {
    const score = scoreNote(note, query);
    if (score !== undefined) hits.push({ note, score });
  }
  hits.sort((a, b) => b.score - a.score || newestFirst(a.note, b.note));
  return hits.slice(0, limit).map(({ note, score }) => ({ note, score, snippet: snippetAround(note.body, query) }));
}
