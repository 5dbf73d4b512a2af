// The notes pages: list (search, tag filter), new, view, edit with a server-rendered preview, the
// public switch, and delete after a confirmation page. Notes are the same records the MCP tools
// read and write, so what ChatGPT or Claude saved shows here and the other way round.
import type Router from '@koa/router';
import type { RouterContext } from '@koa/router';
import {
  allTags,
  countNotes,
  createNote,
  deleteNote,
  getNote,
  listNotes,
  normalizeTag,
  NOTE_LIMITS,
  parseQuery,
  searchNotes,
  snippetAround,
  updateNote,
} from '../../notes/index.ts';
import type { NoteRecord } from '../../notes/index.ts';
import { markdownText, renderMarkdown } from '../../ui/markdown.ts';
import { renderDeleteNote } from '../../ui/notes-delete.ts';
import { renderNoteEditor, type NoteDraft } from '../../ui/notes-editor.ts';
import { renderNotesList, type NoteListItem } from '../../ui/notes-list.ts';
import { notePath, publicNotePath } from '../../ui/notes-paths.ts';
import { renderNoteView } from '../../ui/notes-view.ts';
import { field, sendPage, seeOther } from './pages.ts';
import type { Services } from '../../app/services.ts';
import type { SignedIn, SignedInForm, WebPages } from './guard.ts';

const PAGE_SIZE = 50;
const MAX_QUERY_LENGTH = 500;

const LIST_NOTICES = { deleted: 'The note was deleted.' } as const;
const VIEW_NOTICES = {
  created: 'Note created.',
  saved: 'Saved.',
  public: 'The note is public: anyone with the link below can read it.',
  private: 'The note is private again: its public link no longer opens it.',
} as const;

const CHANGED_MEANWHILE =
  'This note was changed somewhere else (perhaps by ChatGPT or Claude) since you opened it. Your version is below: save again to replace the other one, or cancel to keep it.';

/** "give the note a title…" from the notes module, as a sentence. */
function sentence(message: string): string {
  return `${message.charAt(0).toUpperCase()}${message.slice(1)}.`;
}

function queryText(ctx: RouterContext, name: string): string | undefined {
  const value = ctx.query[name];
  return typeof value === 'string' ? value : undefined;
}

/** Tags as typed in one line: separated by commas or white space. */
function tagsFrom(text: string): string[] {
  return text.split(/[\s,]+/u).filter((tag) => tag !== '');
}

/** The form's fields as typed; browsers send text areas with CRLF, notes keep LF like MCP writes. */
function draftFrom(form: SignedInForm['form']): NoteDraft {
  return {
    title: field(form, 'title') ?? '',
    body: (field(form, 'body') ?? '').replace(/\r\n?/g, '\n'),
    tags: field(form, 'tags') ?? '',
    public: field(form, 'public') === 'on',
  };
}

/** The `updatedAt` the edit form started from; a form without one is treated as out of date. */
function versionFrom(form: SignedInForm['form']): number | undefined {
  const text = field(form, 'version');
  return text !== undefined && /^\d{1,15}$/.test(text) ? Number(text) : undefined;
}

function draftOf(note: NoteRecord): NoteDraft {
  return { title: note.title, body: note.body, tags: note.tags.join(', '), public: note.public };
}

function listItem(note: NoteRecord, snippet: string): NoteListItem {
  return { noteId: note.noteId, title: note.title, snippet, tags: note.tags, updatedAt: note.updatedAt, public: note.public };
}

export function notesPageRoutes(router: Router, services: Services, pages: WebPages): void {
  const state = () => services.queue.state;

  function noteNotFound(ctx: RouterContext, who: SignedIn): void {
    pages.fail(ctx, who, 404, 'Note not found', 'There is no such note among yours. It may have been deleted, here or by an app you connected.', { href: '/notes', label: 'Back to your notes' });
  }

  /** The note named in the path, if it is one of the signed-in person's. */
  function ownNote(ctx: RouterContext, who: SignedIn): NoteRecord | undefined {
    const noteId = ctx.params.id;
    return noteId === undefined ? undefined : getNote(state(), who.user.userId, noteId);
  }

  function editor(ctx: RouterContext, who: SignedIn, status: number, options: { noteId?: string; draft: NoteDraft; version?: number; preview?: boolean; error?: string }): void {
    const { noteId, draft, version, preview = false, error } = options;
    sendPage(ctx, status, renderNoteEditor({
      nav: who.nav,
      draft,
      ...(noteId === undefined ? {} : { noteId }),
      ...(version === undefined ? {} : { version }),
      ...(preview ? { preview: renderMarkdown(draft.body) } : {}),
      ...(error === undefined ? {} : { error }),
    }));
  }

  /** One page of the owner's notes: best matches first when searching, else newest first. */
  function notesPage(ownerId: string, query: string, tag: string | undefined, requested: number): { items: NoteListItem[]; total: number; page: number } {
    const pageOf = (total: number) => Math.min(requested, Math.max(1, Math.ceil(total / PAGE_SIZE)));
    if (query === '') {
      const total = listNotes(state(), ownerId, { ...(tag === undefined ? {} : { tag }), limit: 0 }).total;
      const page = pageOf(total);
      const listed = listNotes(state(), ownerId, { ...(tag === undefined ? {} : { tag }), limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
      return { items: listed.notes.map((note) => listItem(note, snippetAround(markdownText(note.body)))), total, page };
    }
    const hits = searchNotes(state(), ownerId, query, { limit: NOTE_LIMITS.notesPerUser }).filter(({ note }) => tag === undefined || note.tags.includes(tag));
    const page = pageOf(hits.length);
    const words = parseQuery(query);
    const items = hits.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map(({ note }) => listItem(note, snippetAround(markdownText(note.body), words)));
    return { items, total: hits.length, page };
  }

  router.get('/notes', pages.page((ctx, who) => {
    const ownerId = who.user.userId;
    const query = (queryText(ctx, 'q') ?? '').trim().slice(0, MAX_QUERY_LENGTH);
    const rawTag = queryText(ctx, 'tag');
    const tag = rawTag === undefined || normalizeTag(rawTag) === '' ? undefined : normalizeTag(rawTag);
    const requested = Number.parseInt(queryText(ctx, 'page') ?? '1', 10);
    const { items, total, page } = notesPage(ownerId, query, tag, Number.isSafeInteger(requested) && requested > 0 ? requested : 1);
    const notice = pages.notice(ctx, LIST_NOTICES);
    sendPage(ctx, 200, renderNotesList({
      nav: { ...who.nav, current: 'notes' },
      items,
      query,
      ...(tag === undefined ? {} : { tag }),
      tags: allTags(state(), ownerId),
      total,
      ownedCount: countNotes(state(), ownerId),
      page,
      pageCount: Math.max(1, Math.ceil(total / PAGE_SIZE)),
      ...(notice === undefined ? {} : { notice }),
    }));
  }));

  // Registered before `/notes/:id`, which would otherwise take "new" for an id.
  router.get('/notes/new', pages.page((ctx, who) => {
    editor(ctx, who, 200, { draft: { title: '', body: '', tags: '', public: false } });
  }));

  router.post('/notes', pages.form(async (ctx, who) => {
    const draft = draftFrom(who.form);
    if (field(who.form, 'intent') === 'preview') return editor(ctx, who, 200, { draft, preview: true });
    const noteId = services.fresh();
    const outcome = await services.queue.apply((current) =>
      createNote(current, { noteId, ownerId: who.user.userId, title: draft.title, body: draft.body, tags: tagsFrom(draft.tags), public: draft.public, publicId: services.fresh(), now: services.now() }),
    );
    if (outcome.kind === 'error') return editor(ctx, who, 400, { draft, error: sentence(outcome.message) });
    seeOther(ctx, `${notePath(noteId)}?done=created`);
  }));

  router.get('/notes/:id', pages.page((ctx, who) => {
    const note = ownNote(ctx, who);
    if (!note) return noteNotFound(ctx, who);
    const notice = pages.notice(ctx, VIEW_NOTICES);
    sendPage(ctx, 200, renderNoteView({
      nav: who.nav,
      note,
      body: renderMarkdown(note.body),
      publicUrl: `${services.config.publicUrl}${publicNotePath(note.publicId)}`,
      ...(notice === undefined ? {} : { notice }),
    }));
  }));

  router.get('/notes/:id/edit', pages.page((ctx, who) => {
    const note = ownNote(ctx, who);
    if (!note) return noteNotFound(ctx, who);
    editor(ctx, who, 200, { noteId: note.noteId, draft: draftOf(note), version: note.updatedAt });
  }));

  router.post('/notes/:id', pages.form(async (ctx, who) => {
    const note = ownNote(ctx, who);
    if (!note) return noteNotFound(ctx, who);
    const draft = draftFrom(who.form);
    const version = versionFrom(who.form);
    if (field(who.form, 'intent') === 'preview') return editor(ctx, who, 200, { noteId: note.noteId, draft, ...(version === undefined ? {} : { version }), preview: true });
    // Someone else (an MCP client, another tab) saved since this form was opened: ask before overwriting.
    if (version !== note.updatedAt) return editor(ctx, who, 409, { noteId: note.noteId, draft, version: note.updatedAt, error: CHANGED_MEANWHILE });
    const outcome = await services.queue.apply((current) =>
      updateNote(current, { noteId: note.noteId, ownerId: who.user.userId, title: draft.title, body: draft.body, tags: tagsFrom(draft.tags), public: draft.public, now: services.now() }),
    );
    if (outcome.kind === 'error') return editor(ctx, who, 400, { noteId: note.noteId, draft, version: note.updatedAt, error: sentence(outcome.message) });
    seeOther(ctx, `${notePath(note.noteId)}?done=saved`);
  }));

  router.post('/notes/:id/public', pages.form(async (ctx, who) => {
    const note = ownNote(ctx, who);
    if (!note) return noteNotFound(ctx, who);
    const wanted = field(who.form, 'public');
    if (wanted !== 'true' && wanted !== 'false') {
      return pages.fail(ctx, who, 400, 'Choose public or private', 'The form did not say whether to make the note public. Use the button on the note’s page.', { href: notePath(note.noteId), label: 'Back to the note' });
    }
    const outcome = await services.queue.apply((current) => updateNote(current, { noteId: note.noteId, ownerId: who.user.userId, public: wanted === 'true', now: services.now() }));
    if (outcome.kind === 'error') return noteNotFound(ctx, who);
    seeOther(ctx, `${notePath(note.noteId)}?done=${wanted === 'true' ? 'public' : 'private'}`);
  }));

  router.get('/notes/:id/delete', pages.page((ctx, who) => {
    const note = ownNote(ctx, who);
    if (!note) return noteNotFound(ctx, who);
    sendPage(ctx, 200, renderDeleteNote({ nav: who.nav, note }));
  }));

  router.post('/notes/:id/delete', pages.form(async (ctx, who) => {
    const note = ownNote(ctx, who);
    if (!note) return noteNotFound(ctx, who);
    const outcome = await services.queue.apply((current) => deleteNote(current, { noteId: note.noteId, ownerId: who.user.userId }));
    if (outcome.kind === 'error') return noteNotFound(ctx, who);
    seeOther(ctx, '/notes?done=deleted');
  }));
}
