// The excerpt of a body shown with a search hit: plain text with whitespace collapsed, at most
// SNIPPET_LENGTH characters (plus "…" where it was cut), starting a little before the first match.
import { isQueryWord, isTypoOfQueryWord, normalizeWord, WORD } from './words.ts';
import type { Query } from './words.ts';

export const SNIPPET_LENGTH = 160;
/** How much text to keep before the first match, so it reads in context. */
const LEAD = 40;

function firstMatch(text: string, query: Query): number {
  let typo: number | undefined;
  for (const match of text.matchAll(WORD)) {
    const word = normalizeWord(match[0]);
    if (isQueryWord(query, word)) return match.index;
    if (typo === undefined && isTypoOfQueryWord(query, word)) typo = match.index;
  }
  return typo ?? 0; // no word as typed: the first typo, else the match was in the title or tags (the body's start)
}

/** Drops half of a surrogate pair that a cut left at either end. */
function wholeCharacters(text: string): string {
  return text.replace(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/g, '');
}

export function snippetAround(body: string, query?: Query): string {
  const text = body.normalize('NFC').replace(/\s+/g, ' ').trim();
  if (text.length <= SNIPPET_LENGTH) return text;
  const at = query === undefined ? 0 : firstMatch(text, query);
  let end = Math.min(text.length, Math.max(0, at - LEAD) + SNIPPET_LENGTH);
  let start = Math.max(0, end - SNIPPET_LENGTH);
  // Cut at spaces where one is near, never past the match itself.
  const spaceAfterStart = text.indexOf(' ', start);
  if (start > 0 && spaceAfterStart !== -1 && spaceAfterStart < at) start = spaceAfterStart + 1;
  const spaceBeforeEnd = text.lastIndexOf(' ', end);
  if (end < text.length && spaceBeforeEnd > at) end = spaceBeforeEnd;
  return `${start > 0 ? '…' : ''}${wholeCharacters(text.slice(start, end))}${end < text.length ? '…' : ''}`;
}
