// Reading notes. Every query but `findPublicNote` is scoped to one owner: another user's note is
// never returned, counted or hinted at.
import { normalizeTag } from './fields.ts';
import { keysWhere } from '../records/index.ts';
import type { NoteRecord, NotesState, TrashedNoteRecord } from './types.ts';

export interface ListNotesOptions {
  /** Only notes carrying this tag (normalised like stored tags). */
  tag?: string;
  /** Defaults to 50. */
  limit?: number;
  /** Defaults to 0. */
  offset?: number;
  /** NOTES-UI-06: `updated` (default, newest first), `created` (newest first) or `title` (A to Z); pinned notes first in every order. */
  order?: NoteOrder;
  /** Pinned notes first; the web list asks for it, MCP's list keeps its plain order. */
  pinnedFirst?: boolean;
}

export const NOTE_ORDERS = ['updated', 'created', 'title'] as const;
export type NoteOrder = (typeof NOTE_ORDERS)[number];

const TITLE_ORDER = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

function byId(a: NoteRecord, b: NoteRecord): number {
  return a.noteId < b.noteId ? -1 : a.noteId > b.noteId ? 1 : 0;
}

const ORDERS: Record<NoteOrder, (a: NoteRecord, b: NoteRecord) => number> = {
  updated: (a, b) => newestFirst(a, b),
  created: (a, b) => b.createdAt - a.createdAt || byId(a, b),
  title: (a, b) => TITLE_ORDER.compare(a.title, b.title) || byId(a, b),
};

export interface NotesPage {
  notes: NoteRecord[];
  /** How many notes match, before `limit` and `offset`. */
  total: number;
}

/** Newest `updatedAt` first; equal times by `noteId`, so the order never depends on insertion. */
export function newestFirst(a: NoteRecord, b: NoteRecord): number {
  if (a.updatedAt !== b.updatedAt) return b.updatedAt - a.updatedAt;
  return a.noteId < b.noteId ? -1 : a.noteId > b.noteId ? 1 : 0;
}

/** A count or position from outside: a whole number, at least 0. */
export function wholeNumber(value: number): number {
  return Number.isFinite(value) ? Math.max(0, Math.floor(value)) : value > 0 ? Number.MAX_SAFE_INTEGER : 0;
}

/** The owner's live notes, through the kept `ownerId` index rather than a scan of everyone's. */
export function ownedNotes(state: NotesState, ownerId: string): NoteRecord[] {
  return [...keysWhere(state.notes, 'ownerId', ownerId)].map((noteId) => state.notes[noteId]!);
}

export function countNotes(state: NotesState, ownerId: string): number {
  return keysWhere(state.notes, 'ownerId', ownerId).size;
}

/** The owner's trash, most recently deleted first (NOTES-TRASH-02). */
export function trashedNotes(state: NotesState, ownerId: string): TrashedNoteRecord[] {
  return [...keysWhere(state.trashedNotes, 'ownerId', ownerId)]
    .map((noteId) => state.trashedNotes[noteId]!)
    .sort((a, b) => b.trashedAt - a.trashedAt || (a.note.noteId < b.note.noteId ? -1 : 1));
}

export function getTrashedNote(state: NotesState, ownerId: string, noteId: string): TrashedNoteRecord | undefined {
  const trashed = Object.hasOwn(state.trashedNotes, noteId) ? state.trashedNotes[noteId] : undefined;
  return trashed?.ownerId === ownerId ? trashed : undefined;
}

/** The owner's trashed notes past the `keep` most recent, which a new deletion pushes out. */
export function oldestTrashedBeyond(state: NotesState, ownerId: string, keep: number): TrashedNoteRecord[] {
  if (keysWhere(state.trashedNotes, 'ownerId', ownerId).size <= keep) return [];
  return trashedNotes(state, ownerId).slice(Math.max(0, keep));
}

export function getNote(state: NotesState, ownerId: string, noteId: string): NoteRecord | undefined {
  const note = Object.hasOwn(state.notes, noteId) ? state.notes[noteId] : undefined;
  return note?.ownerId === ownerId ? note : undefined;
}

export function listNotes(state: NotesState, ownerId: string, options: ListNotesOptions = {}): NotesPage {
  const { tag, limit = 50, offset = 0, order = 'updated', pinnedFirst = false } = options;
  const wanted = tag === undefined ? undefined : normalizeTag(tag);
  const matching = ownedNotes(state, ownerId).filter((note) => wanted === undefined || note.tags.includes(wanted));
  const start = wholeNumber(offset);
  const compare = ORDERS[order];
  const sorted = matching.sort(pinnedFirst ? (a, b) => Number(b.pinned === true) - Number(a.pinned === true) || compare(a, b) : compare);
  return { notes: sorted.slice(start, start + wholeNumber(limit)), total: matching.length };
}

/** The note shown at /p/<publicId>, only while its owner keeps it public. */
export function findPublicNote(state: NotesState, publicId: string): NoteRecord | undefined {
  for (const noteId of keysWhere(state.notes, 'publicId', publicId)) {
    const note = state.notes[noteId]!;
    if (note.public) return note;
  }
  return undefined;
}

/** Each tag the owner uses, with how many of their notes carry it (keys added in sorted order). */
export function allTags(state: NotesState, ownerId: string): Record<string, number> {
  const counts = new Map<string, number>();
  for (const note of ownedNotes(state, ownerId)) {
    for (const tag of note.tags) counts.set(tag, (counts.get(tag) ?? 0) + 1);
  }
  // fromEntries defines own properties, so a tag such as "__proto__" is an ordinary key.
  return Object.fromEntries([...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
