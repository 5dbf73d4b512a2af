// Links between notes (NOTES-LINK-01): `[[Note title]]` (or `[[Note title|shown text]]`) in a body
// names another note of the same owner by its title, compared trimmed, NFC and case-blind. The
// titles and the links of every note are kept views of the notes collection, so a note's links
// and backlinks are found without reading every body.
import { keptView } from '../records/index.ts';
import type { KeptView } from '../records/index.ts';
import { newestFirst } from './queries.ts';
import type { NoteRecord, NotesState } from './types.ts';

/** `[[title]]` or `[[title|label]]`, on one line, brackets not nested. */
export const WIKILINK = /\[\[([^[\]|\n]{1,200})(?:\|([^[\]\n]{0,200}))?\]\]/g;

export function titleKey(title: string): string {
  return title.trim().normalize('NFC').toLowerCase();
}

/** The titles a body links to, each once, in the order they first appear. */
export function linkedTitles(body: string): string[] {
  const seen = new Map<string, string>();
  for (const match of body.matchAll(WIKILINK)) {
    const title = match[1]!.trim();
    if (title !== '' && !seen.has(titleKey(title))) seen.set(titleKey(title), title);
  }
  return [...seen.values()];
}

/** owner → title key → note ids (titles or link targets, depending on the view). */
type ByKey = Map<string, Map<string, Set<string>>>;

function keyedView(keysOf: (note: NoteRecord) => string[]): KeptView<ByKey> {
  const add = (view: ByKey, note: NoteRecord) => {
    let owner = view.get(note.ownerId);
    if (!owner) view.set(note.ownerId, (owner = new Map()));
    for (const key of keysOf(note)) {
      let ids = owner.get(key);
      if (!ids) owner.set(key, (ids = new Set()));
      ids.add(note.noteId);
    }
  };
  const remove = (view: ByKey, note: NoteRecord) => {
    const owner = view.get(note.ownerId);
    for (const key of keysOf(note)) {
      const ids = owner?.get(key);
      ids?.delete(note.noteId);
      if (ids?.size === 0) owner!.delete(key);
    }
  };
  return {
    build(records) {
      const view: ByKey = new Map();
      for (const note of Object.values(records) as NoteRecord[]) add(view, note);
      return view;
    },
    update(view, _key, previous, next) {
      if (previous !== undefined) remove(view, previous as NoteRecord);
      if (next !== undefined) add(view, next as NoteRecord);
    },
  };
}

const BY_TITLE = keyedView((note) => [titleKey(note.title)]);
const LINKING = keyedView((note) => linkedTitles(note.body).map(titleKey));

function notesFor(state: NotesState, view: ByKey, ownerId: string, key: string): NoteRecord[] {
  return [...(view.get(ownerId)?.get(key) ?? [])].map((noteId) => state.notes[noteId]!).sort(newestFirst);
}

/** The owner's note with this title (the most recently changed, if several share it). */
export function noteTitled(state: NotesState, ownerId: string, title: string): NoteRecord | undefined {
  return notesFor(state, keptView(state.notes, BY_TITLE), ownerId, titleKey(title))[0];
}

export interface NoteLink {
  title: string;
  /** Absent when no note of the owner has that title. */
  note?: NoteRecord;
}

/** What a note links to, in order, each with the note it names if there is one. */
export function noteLinks(state: NotesState, note: NoteRecord): NoteLink[] {
  return linkedTitles(note.body).map((title) => {
    const target = noteTitled(state, note.ownerId, title);
    return target === undefined ? { title } : { title, note: target };
  });
}

/** The owner's other notes that link to this one by its title, newest first. */
export function backlinks(state: NotesState, note: NoteRecord): NoteRecord[] {
  return notesFor(state, keptView(state.notes, LINKING), note.ownerId, titleKey(note.title)).filter((other) => other.noteId !== note.noteId);
}
