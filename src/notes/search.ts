// Full-text search over one owner's notes (words as `words.ts` defines them). A note matches when it
// holds every word of the query (the last one may be a prefix, so "meet" finds "meeting"), or, for
// a word of four letters or more that the note lacks, a word one edit away (typo tolerance: "meetnig"
// finds nothing, "meting" finds "meeting"), which counts half. Its score weighs where the words
// occur (title ×3, tags ×2, body ×1), plus a bonus when the whole query appears as a phrase in the
// title or body. Ties go to the newer note. An empty query lists the most recent notes with score 0.
//
// `searchNotes` reads the index kept in step with every write (search-index.ts, NOTES-SEARCH-01), so
// its cost follows the postings of the query's words, not the length or number of the notes;
// `scoreNote` is the same rule applied to one note by scanning its words, the reference the index
// is tested against.
import { newestFirst, ownedNotes, wholeNumber } from './queries.ts';
import { ownerIndex, weightedWords } from './search-index.ts';
import { snippetAround } from './snippet.ts';
import { parseQuery, tokenize, TYPO_MIN_LENGTH, withinOneEdit } from './words.ts';
import type { Query } from './words.ts';
import type { NoteRecord, NotesState } from './types.ts';

export interface SearchOptions {
  /** Defaults to 20. */
  limit?: number;
  /** Hits to skip, best first (defaults to 0). */
  offset?: number;
  /** Only notes carrying this tag (already normalised). */
  tag?: string;
}

export interface SearchHit {
  note: NoteRecord;
  score: number;
  /** Plain text from the body around the first match (or its start), whitespace collapsed. */
  snippet: string;
}

const PHRASE_BONUS = 5;
/** What a word matched only through a typo counts, against a word found as typed. */
export const TYPO_FACTOR = 0.5;

/** A note's words joined by spaces, built once per version of the note and only when a phrase is looked for (SEC-SEARCH-01). */
const PHRASES = new WeakMap<NoteRecord, { title: string; body: string }>();

function phrasesOf(note: NoteRecord): { title: string; body: string } {
  let phrases = PHRASES.get(note);
  if (phrases === undefined) {
    phrases = { title: ` ${tokenize(note.title).join(' ')}`, body: ` ${tokenize(note.body).join(' ')}` };
    PHRASES.set(note, phrases);
  }
  return phrases;
}

function hasPhrase(note: NoteRecord, query: Query): boolean {
  if (query.exact.length === 0) return false;
  const { title, body } = phrasesOf(note);
  return title.includes(` ${query.phrase}`) || body.includes(` ${query.phrase}`); // open at the end: the last word may be a prefix
}

/** The note's score for the query by scanning its words, or undefined when some word of the query is missing. */
export function scoreNote(note: NoteRecord, query: Query): number | undefined {
  const words = weightedWords(note);
  let score = 0;
  const wanted: [string, boolean][] = [...query.exact.map((word): [string, boolean] => [word, false]), [query.prefix, true]];
  for (const [word, prefix] of wanted) {
    let exact = 0;
    let typos = 0;
    for (const [term, weight] of words) {
      if (prefix ? term.startsWith(word) : term === word) exact += weight;
      else if (word.length >= TYPO_MIN_LENGTH && withinOneEdit(word, term)) typos += weight;
    }
    if (exact > 0) score += exact;
    else if (typos > 0) score += typos * TYPO_FACTOR;
    else return undefined; // every word of the query is required
  }
  return hasPhrase(note, query) ? score + PHRASE_BONUS : score;
}

/** One page of hits, best first, and how many notes match in all. */
export function searchPage(state: NotesState, ownerId: string, text: string, options: SearchOptions = {}): { hits: SearchHit[]; total: number } {
  const limit = wholeNumber(options.limit ?? 20);
  const offset = wholeNumber(options.offset ?? 0);
  const { tag } = options;
  const query = parseQuery(text);
  if (query === undefined) {
    const notes = ownedNotes(state, ownerId).filter((note) => tag === undefined || note.tags.includes(tag));
    const page = notes.sort(newestFirst).slice(offset, offset + limit);
    return { hits: page.map((note) => ({ note, score: 0, snippet: snippetAround(note.body) })), total: notes.length };
  }
  const index = ownerIndex(state.notes, ownerId);
  const wanted: [string, boolean][] = [...query.exact.map((word): [string, boolean] => [word, false]), [query.prefix, true]];
  // Per slot: the score so far, or NaN once a word is missing (every word is required).
  const scores = new Float64Array(index.slots);
  for (const [word, prefix] of wanted) {
    const exact = new Float64Array(index.slots);
    const typos = new Float64Array(index.slots);
    index.matches(word, prefix, exact, typos);
    for (let slot = 0; slot < scores.length; slot++) {
      scores[slot]! += exact[slot]! > 0 ? exact[slot]! : typos[slot]! > 0 ? typos[slot]! * TYPO_FACTOR : Number.NaN;
    }
  }
  let hits: { note: NoteRecord; score: number }[] = [];
  for (let slot = 0; slot < scores.length; slot++) {
    const score = scores[slot]!;
    if (Number.isNaN(score)) continue;
    const noteId = index.noteIdAt(slot);
    if (noteId === undefined) continue;
    const note = state.notes[noteId]!;
    if (tag === undefined || note.tags.includes(tag)) hits.push({ note, score });
  }
  // Only hits that can reach the page need sorting with the full order: the rest are counted.
  const wantedHits = offset + limit;
  if (wantedHits > 0 && hits.length > 4 * wantedHits) {
    const best = Float64Array.from(hits, (hit) => hit.score).sort();
    const floor = best[best.length - wantedHits]! - (query.exact.length > 0 ? PHRASE_BONUS : 0);
    const total = hits.length;
    hits = hits.filter((hit) => hit.score >= floor);
    return ranked(hits, query, offset, limit, total);
  }
  return ranked(hits, query, offset, limit, hits.length);
}

function ranked(candidates: { note: NoteRecord; score: number }[], query: Query, offset: number, limit: number, total: number): { hits: SearchHit[]; total: number } {
  let hits = candidates;
  // The phrase bonus can lift a hit by PHRASE_BONUS at most: only hits within that of the page's
  // last place need the phrase looked for, the rest keep their rank below it.
  const byScore = (a: { note: NoteRecord; score: number }, b: { note: NoteRecord; score: number }) => b.score - a.score || newestFirst(a.note, b.note);
  if (query.exact.length > 0) {
    hits.sort(byScore);
    const cut = limit === 0 ? Infinity : (hits[offset + limit - 1]?.score ?? -Infinity);
    hits = hits.map((hit) => (hit.score + PHRASE_BONUS >= cut && hasPhrase(hit.note, query) ? { ...hit, score: hit.score + PHRASE_BONUS } : hit));
  }
  hits.sort(byScore);
  const page = hits.slice(offset, offset + limit).map(({ note, score }) => ({ note, score, snippet: snippetAround(note.body, query) }));
  return { hits: page, total };
}

export function searchNotes(state: NotesState, ownerId: string, text: string, options: SearchOptions = {}): SearchHit[] {
  return searchPage(state, ownerId, text, options).hits;
}
