// Checking and normalising what a user writes into a note. Lengths count Unicode code points, so
// "é" and "😀" are one character each. Every problem carries a message that says what to fix.
import { NOTE_LIMITS } from './types.ts';
import type { NotesError } from './types.ts';

/** The shape of `NOTE_LIMITS`; tests pass smaller numbers. */
export type NoteLimits = { readonly [K in keyof typeof NOTE_LIMITS]: number };

/** Exactly the error outcome of a notes transition, so a check's failure can be returned as is. */
export interface NoteProblem {
  kind: 'error';
  error: NotesError;
  message: string;
}

export type Checked<T> = { value: T } | NoteProblem;

export function problem(error: NotesError, message: string): NoteProblem {
  return { kind: 'error', error, message };
}

const TAG = /^[\p{L}\p{N}_:-]+$/u;

function length(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/** Quotes user input in a message without echoing a megabyte back. */
function quote(text: string): string {
  return JSON.stringify(length(text) > 40 ? `${[...text].slice(0, 40).join('')}…` : text);
}

/** Titles are trimmed; the trimmed title is what is stored. */
export function checkTitle(title: unknown, limits: NoteLimits = NOTE_LIMITS): Checked<string> {
  if (typeof title !== 'string') return problem('invalid_note', 'title must be a string');
  const trimmed = title.trim();
  if (trimmed === '') return problem('invalid_note', `give the note a title of 1 to ${limits.titleLength} characters`);
  const size = length(trimmed);
  if (size > limits.titleLength) {
    return problem('invalid_note', `shorten the title to at most ${limits.titleLength} characters (it has ${size})`);
  }
  return { value: trimmed };
}

/** Bodies are Markdown, kept exactly as written, and may be empty. */
export function checkBody(body: unknown, limits: NoteLimits = NOTE_LIMITS): Checked<string> {
  if (typeof body !== 'string') return problem('invalid_note', 'body must be a string (it may be empty)');
  const size = length(body);
  if (size > limits.bodyLength) {
    return problem('note_too_large', `shorten the body to at most ${limits.bodyLength} characters (it has ${size})`);
  }
  return { value: body };
}

/** The stored form of a tag: trimmed, NFC, lowercase. Also used to look tags up. */
export function normalizeTag(tag: string): string {
  return tag.trim().normalize('NFC').toLowerCase();
}

/** Tags are normalised, deduplicated and sorted; the limit on their number applies after dedupe. */
export function checkTags(tags: unknown, limits: NoteLimits = NOTE_LIMITS): Checked<string[]> {
  if (!Array.isArray(tags) || !tags.every((tag) => typeof tag === 'string')) {
    return problem('invalid_note', 'tags must be a list of strings');
  }
  const unique = new Set<string>();
  for (const raw of tags as string[]) {
    const tag = normalizeTag(raw);
    const size = length(tag);
    if (size === 0 || size > limits.tagLength || !TAG.test(tag)) {
      return problem(
        'invalid_note',
        `tag ${quote(raw)} must be 1 to ${limits.tagLength} letters, digits, "_", ":" or "-", without spaces`,
      );
    }
    unique.add(tag);
  }
  if (unique.size > limits.tags) {
    return problem('invalid_note', `use at most ${limits.tags} different tags (there are ${unique.size})`);
  }
  return { value: [...unique].sort() };
}

export function checkPublic(flag: unknown): Checked<boolean> {
  return typeof flag === 'boolean' ? { value: flag } : problem('invalid_note', 'public must be true or false');
}
