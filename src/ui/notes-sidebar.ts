// The list beside an open note on wide screens (NOTES-UI-01): the owner's notes, pinned first,
// the open one marked, so moving between notes is one click. On phones it follows the note.
import { html, type SafeHtml } from './html.ts';
import { notePath } from './notes-paths.ts';
import { timeElement } from './notes-time.ts';

export interface SidebarNote {
  noteId: string;
  title: string;
  updatedAt: number;
  pinned?: boolean;
}

export interface SidebarInput {
  notes: readonly SidebarNote[];
  /** How many notes the owner has, when more than are listed. */
  total: number;
  currentId?: string;
  now?: number;
}

export function renderNotesSidebar({ notes, total, currentId, now }: SidebarInput): SafeHtml {
  const entries = notes.map((note) => html`<li${note.pinned === true ? html` class="pinned"` : ''}>
<a href="${notePath(note.noteId)}"${note.noteId === currentId ? html` aria-current="page"` : ''}><span class="pane-title">${note.title}</span>${note.pinned === true ? html`<span class="visually-hidden"> (pinned)</span>` : ''}
<span class="pane-time">${timeElement(note.updatedAt, now)}</span></a>
</li>`);
  return html`<nav class="note-pane" aria-labelledby="note-pane-heading">
<div class="pane-head">
<h2 id="note-pane-heading"><a href="/notes">Your notes</a></h2>
<a class="button primary small" href="/notes/new">New</a>
</div>
<ul>${entries}</ul>
${total > notes.length ? html`<p class="muted"><a href="/notes">All ${total} notes →</a></p>` : ''}
</nav>`;
}
