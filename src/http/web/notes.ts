// The notes pages: list (search, tag filter), new, view, edit with a server-rendered preview, the
// public switch, and delete after a confirmation page. Notes are the same records the MCP tools
// read and write, so what ChatGPT or Claude saved shows here and the other way round.
import type Router from '@koa/router';
import type { RouterContext } from '@koa/router';
import {
  allTags,
  backlinks,
  noteTitled,
  countNotes,
  createNote,
  deleteNote,
  getNote,
  listNotes,
  normalizeTag,
  NOTE_ORDERS,
  parseQuery,
  pinNote,
  searchPage,
  snippetAround,
  updateNote,
} from '../../notes/index.ts';
import type { Author, NoteOrder, NoteRecord, NotesState } from '../../notes/index.ts';
import { markdownText, renderMarkdown } from '../../ui/markdown.ts';
import { renderDeleteNote } from '../../ui/notes-delete.ts';
import { renderNotesList, type NoteListItem } from '../../ui/notes-list.ts';
import { listPath, notePath, publicNotePath } from '../../ui/notes-paths.ts';
import { renderNoteView } from '../../ui/notes-view.ts';
import { draftFrom, draftOf, sendEditor, sentence, tagsFrom, versionFrom, wantsPreview } from './note-editor.ts';
import { field, sendPage, seeOther } from './pages.ts';
import { notePane } from './note-pane.ts';
import type { Services } from '../../app/services.ts';
import type { SignedIn, SignedInForm, WebPages } from './guard.ts';
import { QUERY_LIMITS } from '../../notes/words.ts';

const PAGE_SIZE = 50;
const MAX_QUERY_LENGTH = QUERY_LIMITS.length;

const LIST_NOTICES = { deleted: 'The note was moved to the trash.' } as const;
const VIEW_NOTICES = {
  created: 'Note created.',
  saved: 'Saved.',
  public: 'The note is public: anyone with the link below can read it.',
  private: 'The note is private again: its public link no longer opens it.',
  restored: 'Restored. What the note held before is kept in its history.',
  pinned: 'Pinned: the note comes first in your list.',
  unpinned: 'Unpinned.',
} as const;

const CHANGED_MEANWHILE =
  'This note was changed somewhere else (perhaps by ChatGPT or Claude) since you opened it. Your version is below: save again to replace the other one, or cancel to keep it.';

/** What every notes handler works with: the app's services and the signed-in page kit. */
interface NotesWeb {
  services: Services;
  pages: WebPages;
}

type PageHandler = (web: NotesWeb, ctx: RouterContext, who: SignedIn) => Promise<void> | void;
type FormHandler = (web: NotesWeb, ctx: RouterContext, who: SignedInForm) => Promise<void> | void;

export function notesPageRoutes(router: Router, services: Services, pages: WebPages): void {
  const web: NotesWeb = { services, pages };
  const page = (handler: PageHandler) => pages.page((ctx, who) => handler(web, ctx, who));
  const form = (handler: FormHandler) => pages.form((ctx, who) => handler(web, ctx, who));
  router.get('/notes', page(listNotesPage));
  // Registered before `/notes/:id`, which would otherwise take "new" for an id.
  router.get('/notes/new', page(newNoteForm));
  router.post('/notes', form(createNoteFromForm));
  router.get('/notes/:id', page(showNote));
  router.get('/notes/:id/edit', page(editNoteForm));
  router.post('/notes/:id', form(saveNote));
  router.post('/notes/:id/public', form(setNoteVisibility));
  router.post('/notes/:id/pin', form(setNotePinned));
  router.get('/notes/:id/delete', page(confirmDelete));
  router.post('/notes/:id/delete', form(deleteNoteConfirmed));
}

// --- Handlers, one per route ---

function listNotesPage({ services, pages }: NotesWeb, ctx: RouterContext, who: SignedIn): void {
  const ownerId = who.user.userId;
  const state = services.queue.state;
  const { query, tag, requested } = listFilters(ctx);
  const order = listOrder(ctx);
  // NOTES-UI-06: an unknown order is a page that says which ones there are, never a 500.
  if (order === undefined) {
    return pages.fail(ctx, who, 400, 'Unknown sort order', 'Notes can be sorted by last update, creation date or title: use the “Sort by” links of your notes list.', { href: listPath(query, tag), label: 'Back to your notes' });
  }
  const { items, total, page } = notesPage(state, ownerId, query, tag, requested, order);
  const notice = pages.notice(ctx, LIST_NOTICES);
  sendPage(ctx, 200, renderNotesList({
    nav: { ...who.nav, current: 'notes' },
    items,
    query,
    ...(tag === undefined ? {} : { tag }),
    tags: allTags(state, ownerId),
    total,
    ownedCount: countNotes(state, ownerId),
    page,
    pageCount: Math.max(1, Math.ceil(total / PAGE_SIZE)),
    order,
    ...(notice === undefined ? {} : { notice }),
  }));
}

function newNoteForm({ services }: NotesWeb, ctx: RouterContext, who: SignedIn): void {
  sendEditor(ctx, who, 200, { linkTo: linksOf(services, who), draft: { title: '', body: '', tags: '', public: false } });
}

async function createNoteFromForm({ services }: NotesWeb, ctx: RouterContext, who: SignedInForm): Promise<void> {
  const draft = draftFrom(who.form);
  if (wantsPreview(who.form)) return sendEditor(ctx, who, 200, { draft, preview: true, linkTo: linksOf(services, who) });
  const noteId = services.fresh();
  const outcome = await services.queue.apply((current) =>
    createNote(current, { noteId, ownerId: who.user.userId, title: draft.title, body: draft.body, tags: tagsFrom(draft.tags), public: draft.public, publicId: services.fresh(), now: services.now(), by: personOf(who) }, services.config.noteLimits),
  );
  if (outcome.kind === 'error') return sendEditor(ctx, who, 400, { linkTo: linksOf(services, who), draft, error: sentence(outcome.message) });
  seeOther(ctx, `${notePath(noteId)}?done=created`);
}

function showNote({ services, pages }: NotesWeb, ctx: RouterContext, who: SignedIn): void {
  const note = ownNote(services, ctx, who);
  if (!note) return noteNotFound(pages, ctx, who);
  const notice = pages.notice(ctx, VIEW_NOTICES);
  const state = services.queue.state;
  sendPage(ctx, 200, renderNoteView({
    nav: who.nav,
    note,
    body: renderMarkdown(note.body, linksOf(services, who)),
    backlinks: backlinks(state, note).map(({ noteId, title }) => ({ noteId, title })),
    publicUrl: `${services.config.publicUrl}${publicNotePath(note.publicId)}`,
    sidebar: notePane(state, who, note.noteId),
    ...(notice === undefined ? {} : { notice }),
  }));
}

function editNoteForm({ services, pages }: NotesWeb, ctx: RouterContext, who: SignedIn): void {
  const note = ownNote(services, ctx, who);
  if (!note) return noteNotFound(pages, ctx, who);
  sendEditor(ctx, who, 200, { noteId: note.noteId, draft: draftOf(note), version: note.updatedAt, linkTo: linksOf(services, who) });
}

async function saveNote({ services, pages }: NotesWeb, ctx: RouterContext, who: SignedInForm): Promise<void> {
  const note = ownNote(services, ctx, who);
  if (!note) return noteNotFound(pages, ctx, who);
  const draft = draftFrom(who.form);
  const version = versionFrom(who.form);
  if (wantsPreview(who.form)) return sendEditor(ctx, who, 200, { noteId: note.noteId, draft, ...(version === undefined ? {} : { version }), preview: true, linkTo: linksOf(services, who) });
  // Someone else (an MCP client, another tab) saved since this form was opened: ask before overwriting.
  if (version !== note.updatedAt) return sendEditor(ctx, who, 409, { linkTo: linksOf(services, who), noteId: note.noteId, draft, version: note.updatedAt, error: CHANGED_MEANWHILE });
  const outcome = await services.queue.apply((current) =>
    updateNote(current, { noteId: note.noteId, ownerId: who.user.userId, title: draft.title, body: draft.body, tags: tagsFrom(draft.tags), public: draft.public, publicId: services.fresh(), now: services.now(), by: personOf(who) }, services.config.noteLimits, services.config.noteRetention),
  );
  if (outcome.kind === 'error') return sendEditor(ctx, who, 400, { linkTo: linksOf(services, who), noteId: note.noteId, draft, version: note.updatedAt, error: sentence(outcome.message) });
  seeOther(ctx, `${notePath(note.noteId)}?done=saved`);
}

async function setNoteVisibility({ services, pages }: NotesWeb, ctx: RouterContext, who: SignedInForm): Promise<void> {
  const note = ownNote(services, ctx, who);
  if (!note) return noteNotFound(pages, ctx, who);
  const wanted = field(who.form, 'public');
  if (wanted !== 'true' && wanted !== 'false') {
    return pages.fail(ctx, who, 400, 'Choose public or private', 'The form did not say whether to make the note public. Use the button on the note’s page.', { href: notePath(note.noteId), label: 'Back to the note' });
  }
  const outcome = await services.queue.apply((current) => updateNote(current, { noteId: note.noteId, ownerId: who.user.userId, public: wanted === 'true', publicId: services.fresh(), now: services.now(), by: personOf(who) }, services.config.noteLimits, services.config.noteRetention));
  if (outcome.kind === 'error') return noteNotFound(pages, ctx, who);
  seeOther(ctx, `${notePath(note.noteId)}?done=${wanted === 'true' ? 'public' : 'private'}`);
}

async function setNotePinned({ services, pages }: NotesWeb, ctx: RouterContext, who: SignedInForm): Promise<void> {
  const note = ownNote(services, ctx, who);
  if (!note) return noteNotFound(pages, ctx, who);
  const wanted = field(who.form, 'pinned');
  if (wanted !== 'true' && wanted !== 'false') {
    return pages.fail(ctx, who, 400, 'Pin or unpin?', 'The form did not say whether to pin the note. Use the button on the note’s page.', { href: notePath(note.noteId), label: 'Back to the note' });
  }
  const outcome = await services.queue.apply((current) => pinNote(current, { noteId: note.noteId, ownerId: who.user.userId, pinned: wanted === 'true', now: services.now() }));
  if (outcome.kind === 'error') return noteNotFound(pages, ctx, who);
  seeOther(ctx, `${notePath(note.noteId)}?done=${wanted === 'true' ? 'pinned' : 'unpinned'}`);
}

function confirmDelete({ services, pages }: NotesWeb, ctx: RouterContext, who: SignedIn): void {
  const note = ownNote(services, ctx, who);
  if (!note) return noteNotFound(pages, ctx, who);
  sendPage(ctx, 200, renderDeleteNote({ nav: who.nav, note, trashDays: services.config.noteRetention.trashDays }));
}

async function deleteNoteConfirmed({ services, pages }: NotesWeb, ctx: RouterContext, who: SignedInForm): Promise<void> {
  const note = ownNote(services, ctx, who);
  if (!note) return noteNotFound(pages, ctx, who);
  const outcome = await services.queue.apply((current) => deleteNote(current, { noteId: note.noteId, ownerId: who.user.userId, now: services.now(), by: personOf(who) }, services.config.noteLimits));
  if (outcome.kind === 'error') return noteNotFound(pages, ctx, who);
  seeOther(ctx, '/notes?done=deleted');
}

// --- Helpers ---

/** NOTES-LINK-01: `[[title]]` as the address of the owner's note with that title, if there is one. */
function linksOf(services: Services, who: SignedIn): (title: string) => string | undefined {
  return (title) => {
    const target = noteTitled(services.queue.state, who.user.userId, title);
    return target === undefined ? undefined : notePath(target.noteId);
  };
}

/** NOTES-VER-01: a change made here is the signed-in owner's. */
function personOf(who: SignedIn): Author {
  return { kind: 'person', userId: who.user.userId };
}

/** The note named in the path, if it is one of the signed-in person's. */
function ownNote(services: Services, ctx: RouterContext, who: SignedIn): NoteRecord | undefined {
  const noteId = ctx.params.id;
  return noteId === undefined ? undefined : getNote(services.queue.state, who.user.userId, noteId);
}

function noteNotFound(pages: WebPages, ctx: RouterContext, who: SignedIn): void {
  pages.fail(ctx, who, 404, 'Note not found', 'There is no such note among yours. It may have been deleted, here or by an app you connected: look in the trash.', { href: '/notes', label: 'Back to your notes' });
}

function queryText(ctx: RouterContext, name: string): string | undefined {
  const value = ctx.query[name];
  return typeof value === 'string' ? value : undefined;
}

/** The list's filters from the query string: the search, one tag, and the page asked for. */
function listFilters(ctx: RouterContext): { query: string; tag: string | undefined; requested: number } {
  const query = (queryText(ctx, 'q') ?? '').trim().slice(0, MAX_QUERY_LENGTH);
  const rawTag = queryText(ctx, 'tag');
  const tag = rawTag === undefined || normalizeTag(rawTag) === '' ? undefined : normalizeTag(rawTag);
  const requested = Number.parseInt(queryText(ctx, 'page') ?? '1', 10);
  return { query, tag, requested: Number.isSafeInteger(requested) && requested > 0 ? requested : 1 };
}

/** `?sort=`: absent means the default; `undefined` for a value that is not an order. */
function listOrder(ctx: RouterContext): NoteOrder | undefined {
  const value = ctx.query.sort;
  if (value === undefined || value === '') return 'updated';
  return typeof value === 'string' && (NOTE_ORDERS as readonly string[]).includes(value) ? (value as NoteOrder) : undefined;
}

function listItem(note: NoteRecord, snippet: string): NoteListItem {
  return { noteId: note.noteId, title: note.title, snippet, tags: note.tags, updatedAt: note.updatedAt, public: note.public, ...(note.pinned === true ? { pinned: true } : {}) };
}

/** One page of the owner's notes: best matches first when searching, else pinned first in the order asked for. */
function notesPage(state: NotesState, ownerId: string, query: string, tag: string | undefined, requested: number, order: NoteOrder): { items: NoteListItem[]; total: number; page: number } {
  const pageOf = (total: number) => Math.min(requested, Math.max(1, Math.ceil(total / PAGE_SIZE)));
  if (query === '') {
    const total = listNotes(state, ownerId, { ...(tag === undefined ? {} : { tag }), limit: 0 }).total;
    const page = pageOf(total);
    const listed = listNotes(state, ownerId, { ...(tag === undefined ? {} : { tag }), limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE, order, pinnedFirst: true });
    return { items: listed.notes.map((note) => listItem(note, snippetAround(markdownText(note.body)))), total, page };
  }
  const search = (page: number) => searchPage(state, ownerId, query, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE, ...(tag === undefined ? {} : { tag }) });
  let found = search(requested);
  const page = pageOf(found.total);
  if (page !== requested) found = search(page); // past the last page: show the last one
  const words = parseQuery(query);
  const { hits, total } = found;
  const items = hits.map(({ note }) => listItem(note, snippetAround(markdownText(note.body), words)));
  return { items, total, page };
}
