// The reference model of notes as the MCP tools expose them: per-owner notes, and what each notes
// tool must answer for the user it runs for. Written from the tools' contract (auth.md "Tool
// scopes" and CGPT-41: a tool touches only the notes of the token's `sub`; the tool descriptions
// for fields, search and listing), never from src/notes. One Map, no ranking, no timestamps: a
// search or a listing is predicted as the set it must be drawn from and how many it must show.

/** A note's essentials as `fetch`, `create_note` and `update_note` show it. Tags are sorted. */
export interface NoteView { id: string; title: string; text: string; tags: string[]; public: boolean }

export type NoteAnswer =
  | { kind: 'ok'; tool: 'fetch' | 'create_note' | 'update_note'; note: NoteView }
  | { kind: 'ok'; tool: 'delete_note'; id: string }
  /** `search` and `list_notes`: `shown` ids, all drawn from `from` (sorted); `total` for a listing. */
  | { kind: 'ok'; tool: 'search' | 'list_notes'; from: string[]; shown: number; total?: number }
  /** `list_note_versions`: what the note held before each change of its title, body or tags, newest first. */
  | { kind: 'ok'; tool: 'list_note_versions'; title: string; versions: { title: string; body: string; tags: string[] }[] }
  /** `list_tags`: every tag of the caller's notes with how many carry it, in code-unit order. */
  | { kind: 'ok'; tool: 'list_tags'; tags: [string, number][] }
  /** A tool error (`isError: true`) saying what to fix; its text is not compared. */
  | { kind: 'tool_error' };

export interface NoteArgs { id?: string; title?: string; body?: string; tags?: string[]; public?: boolean; query?: string; tag?: string }

interface Note { ownerId: string; title: string; body: string; tags: string[]; public: boolean; versions: { title: string; body: string; tags: string[] }[] }

const TITLE_LENGTH = 200; // "1 to 200 characters"
const SEARCH_LIMIT = 20; // "Returns up to 20 matches"
const LIST_LIMIT = 50; // "How many notes to return (1 to 100, default 50)"
const TAG = /^[\p{L}\p{N}_:-]+$/u; // "letters, digits, "_", ":" or "-", without spaces"

const error: NoteAnswer = { kind: 'tool_error' };

/** Words are runs of letters and digits, compared in lowercase. */
function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Whether one letter added, dropped or changed turns `a` into `b`. */
function oneEditApart(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  for (let i = 0; i <= Math.max(a.length, b.length); i++) {
    if (a.slice(0, i) + a.slice(i + 1) === b || b.slice(0, i) + b.slice(i + 1) === a || a.slice(0, i) + a.slice(i + 1) === b.slice(0, i) + b.slice(i + 1)) return true;
  }
  return false;
}

function validTitle(title: string): boolean {
  return [...title].length >= 1 && [...title].length <= TITLE_LENGTH;
}

/** Tags are stored lowercase; `undefined` when one is not a tag. */
function storedTags(tags: readonly string[]): string[] | undefined {
  const stored = tags.map((tag) => tag.toLowerCase());
  return stored.every((tag) => TAG.test(tag)) ? [...new Set(stored)].sort() : undefined;
}

export class NotesModel {
  readonly #notes = new Map<string, Note>(); // by note id, every owner's
  readonly #deleted = new Set<string>();

  /** Ids of live notes, each with its owner, for the test to pick from. */
  notes(): { id: string; ownerId: string }[] {
    return [...this.#notes].map(([id, note]) => ({ id, ownerId: note.ownerId }));
  }

  /** Ids that once named a note and name none now. */
  deletedIds(): string[] {
    return [...this.#deleted];
  }

  /**
   * `tool` run for `ownerId` with `args`; `newId` is the id the server gave a created note (ids are
   * the server's to choose, but must be new). Isolation: a note of another owner, a deleted note
   * and an unknown id are all simply not found.
   */
  call(ownerId: string, tool: 'search' | 'fetch' | 'list_notes' | 'list_tags' | 'list_note_versions' | 'create_note' | 'update_note' | 'delete_note', args: NoteArgs, newId?: string): NoteAnswer {
    const own = (id: string | undefined): Note | undefined => {
      const note = id === undefined ? undefined : this.#notes.get(id);
      return note?.ownerId === ownerId ? note : undefined;
    };
    switch (tool) {
      case 'search': {
        // Every word must appear in the title, tags or body; the last may be a prefix; a word of
        // four letters or more may instead appear with one typo (one letter added, dropped or
        // changed). No words: the most recent notes.
        const query = words(args.query ?? '');
        const last = query.pop();
        const from = this.#owned(ownerId).filter(([, note]) => {
          const found = [...words(note.title), ...note.tags.flatMap(words), ...words(note.body)];
          const typo = (w: string) => w.length >= 4 && found.some((f) => oneEditApart(w, f));
          return query.every((w) => found.includes(w) || typo(w)) && (last === undefined || found.some((w) => w.startsWith(last)) || typo(last));
        });
        return { kind: 'ok', tool, from: from.map(([id]) => id).sort(), shown: Math.min(SEARCH_LIMIT, from.length) };
      }
      case 'list_notes': {
        const tag = args.tag;
        const from = this.#owned(ownerId).filter(([, note]) => tag === undefined || note.tags.includes(tag));
        return { kind: 'ok', tool, from: from.map(([id]) => id).sort(), shown: Math.min(LIST_LIMIT, from.length), total: from.length };
      }
      case 'list_note_versions': {
        const note = own(args.id);
        return note ? { kind: 'ok', tool, title: note.title, versions: note.versions.map((version) => ({ ...version, tags: [...version.tags] })) } : error;
      }
      case 'list_tags': {
        const counts = new Map<string, number>();
        for (const [, note] of this.#owned(ownerId)) for (const tag of note.tags) counts.set(tag, (counts.get(tag) ?? 0) + 1);
        return { kind: 'ok', tool, tags: [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) };
      }
      case 'fetch': {
        const note = own(args.id);
        return note ? { kind: 'ok', tool, note: view(args.id!, note) } : error;
      }
      case 'create_note': {
        const tags = storedTags(args.tags ?? []);
        if (args.title === undefined || !validTitle(args.title) || tags === undefined) return error;
        if (newId === undefined || this.#notes.has(newId) || this.#deleted.has(newId)) throw new Error(`the server gave a created note the id ${newId}, which is not new`);
        const note: Note = { ownerId, title: args.title, body: args.body ?? '', tags, public: args.public ?? false, versions: [] };
        this.#notes.set(newId, note);
        return { kind: 'ok', tool, note: view(newId, note) };
      }
      case 'update_note': {
        const note = own(args.id);
        if (!note) return error;
        // "fields left out stay as they are", but at least one must be given.
        if (args.title === undefined && args.body === undefined && args.tags === undefined && args.public === undefined) return error;
        const tags = args.tags === undefined ? note.tags : storedTags(args.tags);
        if ((args.title !== undefined && !validTitle(args.title)) || tags === undefined) return error;
        // Every change of title, body or tags keeps what the note held (at most 100 a note, far more than a run makes).
        const next = { title: args.title ?? note.title, body: args.body ?? note.body, tags };
        if (next.title !== note.title || next.body !== note.body || next.tags.join(' ') !== note.tags.join(' ')) {
          note.versions.unshift({ title: note.title, body: note.body, tags: [...note.tags] });
        }
        Object.assign(note, { ...next, public: args.public ?? note.public });
        return { kind: 'ok', tool, note: view(args.id!, note) };
      }
      case 'delete_note': {
        if (!own(args.id)) return error;
        this.#notes.delete(args.id!);
        this.#deleted.add(args.id!);
        return { kind: 'ok', tool, id: args.id! };
      }
    }
  }

  #owned(ownerId: string): [string, Note][] {
    return [...this.#notes].filter(([, note]) => note.ownerId === ownerId);
  }
}

function view(id: string, note: Note): NoteView {
  return { id, title: note.title, text: note.body, tags: [...note.tags], public: note.public };
}
