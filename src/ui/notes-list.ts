// The notes list: search, a tag filter, one entry per note (pinned first, then in the order chosen
// with `?sort=`, or best match first when searching), and an empty state that says what to do next.
import { html, type SafeHtml } from './html.ts';
import { noticeBox, renderAppLayout, type Navigation } from './notes-layout.ts';
import { listPath, notePath, type ListOrder } from './notes-paths.ts';
import { timeElement } from './notes-time.ts';

export interface NoteListItem {
  noteId: string;
  title: string;
  /** Plain text from the body. */
  snippet: string;
  tags: readonly string[];
  updatedAt: number;
  public: boolean;
  pinned?: boolean;
}

export interface NotesListInput {
  nav: Navigation;
  items: readonly NoteListItem[];
  /** The search as typed; empty when not searching. */
  query: string;
  /** The tag filtered on, if any. */
  tag?: string;
  /** Every tag of the owner with how many notes carry it. */
  tags: Readonly<Record<string, number>>;
  /** How many notes match the search and filter, across pages. */
  total: number;
  /** How many notes the owner has in all. */
  ownedCount: number;
  /** 1-based. */
  page: number;
  pageCount: number;
  /** How the list is sorted when not searching (NOTES-UI-06). */
  order?: ListOrder;
  notice?: string;
}

const ORDER_LABELS: Record<ListOrder, { link: string; summary: string }> = {
  updated: { link: 'Last updated', summary: 'recently updated first' },
  created: { link: 'Created', summary: 'newest first' },
  title: { link: 'Title', summary: 'by title' },
};

function searchForm(query: string, tag: string | undefined, order: ListOrder): SafeHtml {
  return html`<form method="get" action="/notes" role="search" class="search">
<label for="q">Search notes</label>
<div class="search-row">
<input id="q" name="q" type="search" value="${query}" maxlength="500" placeholder="Title, tags or text">
${tag === undefined ? '' : html`<input type="hidden" name="tag" value="${tag}">`}
${order === 'updated' ? '' : html`<input type="hidden" name="sort" value="${order}">`}
<button type="submit" class="secondary">Search</button>
</div>
</form>`;
}

function tagFilter(tags: Readonly<Record<string, number>>, query: string, current: string | undefined, order: ListOrder): SafeHtml {
  const entries = Object.entries(tags);
  if (entries.length === 0) return html``;
  const link = (label: SafeHtml | string, href: string, selected: boolean) =>
    html`<li><a class="tag" href="${href}"${selected ? html` aria-current="true"` : ''}>${label}</a></li>`;
  return html`<nav class="tag-filter" aria-label="Filter by tag">
<ul>
${link('Any tag', listPath(query, undefined, 1, order), current === undefined)}
${entries.map(([tag, count]) => link(html`${tag} <span class="count">${count}</span>`, listPath(query, tag, 1, order), tag === current))}
</ul>
</nav>`;
}

/** Sorting links, kept in every other link of the list; none while searching (best match first). */
function sortChoice(query: string, tag: string | undefined, order: ListOrder): SafeHtml {
  if (query !== '') return html``;
  const choices = (Object.keys(ORDER_LABELS) as ListOrder[]).map((choice) =>
    html`<li><a href="${listPath(query, tag, 1, choice)}"${choice === order ? html` aria-current="true"` : ''}>${ORDER_LABELS[choice].link}</a></li>`);
  return html`<nav class="sort-choice" aria-label="Sort notes">
<span class="muted">Sort by</span>
<ul>${choices}</ul>
</nav>`;
}

function item(note: NoteListItem, now: number | undefined): SafeHtml {
  return html`<li class="note-item${note.pinned === true ? ' pinned' : ''}">
<h2><a href="${notePath(note.noteId)}">${note.title}</a>${note.pinned === true ? html` <span class="badge pin">Pinned</span>` : ''}</h2>
${note.snippet === '' ? '' : html`<p class="snippet">${note.snippet}</p>`}
<p class="meta">Updated ${timeElement(note.updatedAt, now)}${note.public ? html` · <span class="badge">Public</span>` : ''}${note.tags.map((tag) => html` <span class="tag">${tag}</span>`)}</p>
</li>`;
}

function emptyState({ ownedCount, query, tag }: NotesListInput): SafeHtml {
  if (ownedCount === 0) {
    return html`<div class="empty">
<p><strong>No notes yet.</strong></p>
<p>Write your first note with <a href="/notes/new">New note</a>, or connect ChatGPT or Claude (the address is on your <a href="/account">Account</a> page) and ask it to save one: it appears here.</p>
</div>`;
  }
  if (query !== '') {
    return html`<div class="empty">
<p><strong>No notes match “${query}”${tag === undefined ? '' : html` with the tag “${tag}”`}.</strong></p>
<p>Check the spelling or use fewer words. Every word must appear in the note; the last may be the start of a word. <a href="/notes">Show all notes</a>.</p>
</div>`;
  }
  return html`<div class="empty">
<p><strong>No notes carry the tag “${tag ?? ''}”.</strong></p>
<p><a href="/notes">Show all notes</a>.</p>
</div>`;
}

function pager({ page, pageCount, query, tag, order = 'updated' }: NotesListInput): SafeHtml {
  if (pageCount <= 1) return html``;
  return html`<nav class="pager" aria-label="Pages">
${page > 1 ? html`<a href="${listPath(query, tag, page - 1, order)}" rel="prev">← Previous</a>` : html`<span></span>`}
<span class="muted">Page ${page} of ${pageCount}</span>
${page < pageCount ? html`<a href="${listPath(query, tag, page + 1, order)}" rel="next">Next →</a>` : html`<span></span>`}
</nav>`;
}

function summary({ total, query, tag, order = 'updated' }: NotesListInput): string {
  const notes = `${total} ${total === 1 ? 'note' : 'notes'}`;
  if (query !== '') return `${notes} ${total === 1 ? 'matches' : 'match'} “${query}”${tag === undefined ? '' : ` with the tag “${tag}”`}, best first.`;
  const sorted = `pinned first, then ${ORDER_LABELS[order].summary}`;
  if (tag !== undefined) return `${notes} tagged “${tag}”, ${sorted}.`;
  return `${notes}, ${sorted}.`;
}

export function renderNotesList(input: NotesListInput): string {
  const { nav, items, query, tag, tags, notice, order = 'updated' } = input;
  const body = html`<div class="page-head">
<h1>Notes</h1>
<a class="button primary" href="/notes/new">New note</a>
</div>
${noticeBox(notice)}
${searchForm(query, tag, order)}
${tagFilter(tags, query, tag, order)}
${items.length === 0 ? '' : sortChoice(query, tag, order)}
${items.length === 0
  ? emptyState(input)
  : html`<p class="muted" id="list-summary">${summary(input)}</p>
<ul class="note-list" aria-labelledby="list-summary">
${items.map((note) => item(note, nav.now))}
</ul>
${pager(input)}`}
<p class="muted trash-link"><a href="/tags">Tags</a> · <a href="/trash">Trash</a>: deleted notes wait there before they go for good.</p>`;
  return renderAppLayout({ title: query === '' ? 'Notes' : `Search: ${query}`, body, nav });
}
