// How search sees text: words are runs of Unicode letters and digits, compared in NFC lowercase;
// one-character words carry no meaning and are dropped, from notes and queries alike.
export const WORD = /[\p{L}\p{N}]+/gu;

/** One code point: one UTF-16 unit, or a surrogate pair (cheaper than a regular expression per word). */
function oneCharacter(word: string): boolean {
  if (word.length === 1) return true;
  if (word.length !== 2) return false;
  const first = word.charCodeAt(0);
  return first >= 0xd800 && first <= 0xdbff;
}

export function normalizeWord(word: string): string {
  return word.normalize('NFC').toLowerCase();
}

export function tokenize(text: string): string[] {
  const words: string[] = [];
  for (const word of normalizeWord(text).match(WORD) ?? []) {
    if (!oneCharacter(word)) words.push(word);
  }
  return words;
}

/** The words of a query: all must occur in a note; the last may occur as a prefix. */
export interface Query {
  exact: string[];
  prefix: string;
  /** Every word joined by single spaces, for the phrase bonus. */
  phrase: string;
}

/**
 * What one search may ask (issue 14: a 900 KB query held the whole server for 3 s): the text is
 * read up to 500 characters and its first 20 words. The tool schema and the page refuse longer text.
 */
export const QUERY_LIMITS = { length: 500, words: 20 } as const;

/** Undefined for a query without words (empty, blank, punctuation or single letters). */
export function parseQuery(text: string): Query | undefined {
  const words = tokenize(text.slice(0, QUERY_LIMITS.length)).slice(0, QUERY_LIMITS.words);
  const prefix = words.at(-1);
  return prefix === undefined ? undefined : { exact: words.slice(0, -1), prefix, phrase: words.join(' ') };
}

/** Whether a word of a note satisfies some word of the query. */
export function isQueryWord(query: Query, word: string): boolean {
  return word.startsWith(query.prefix) || query.exact.includes(word);
}

/** A query word's shortest length for typo matches: shorter words have too many neighbours. */
export const TYPO_MIN_LENGTH = 4;

/** Whether `a` and `b` differ by at most one inserted, deleted or replaced character (UTF-16 units, as the index counts). */
export function withinOneEdit(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  let i = 0;
  while (i < short.length && short[i] === long[i]) i++;
  if (short.length === long.length) return short.slice(i + 1) === long.slice(i + 1);
  return short.slice(i) === long.slice(i + 1);
}

/** Whether a word of a note is one edit away from some word of the query (NOTES-SEARCH-02). */
export function isTypoOfQueryWord(query: Query, word: string): boolean {
  return [...query.exact, query.prefix].some((wanted) => wanted.length >= TYPO_MIN_LENGTH && withinOneEdit(wanted, word));
}
