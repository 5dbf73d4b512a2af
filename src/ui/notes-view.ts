// One note, as its owner sees it: the rendered text, its tags and dates, whether it is public (with
// the link to share), and the ways to edit, pin, share or delete it. MCP tools link here (`url`).
// On wide screens the owner's list stands beside it (NOTES-UI-01); Delete is the quiet action.
import { html, type SafeHtml } from './html.ts';
import { hidden } from './layout.ts';
import { noticeBox, renderAppLayout, type Navigation } from './notes-layout.ts';
import { listPath, notePath } from './notes-paths.ts';
import { timeElement } from './notes-time.ts';

export interface NoteViewInput {
  nav: Navigation;
  note: { noteId: string; title: string; tags: readonly string[]; createdAt: number; updatedAt: number; public: boolean; pinned?: boolean };
  /** The rendered Markdown body. */
  body: SafeHtml;
  /** The full address of the public page (shown only while the note is public). */
  publicUrl: string;
  /** The owner's notes that link here with `[[title]]` (NOTES-LINK-01). */
  backlinks?: readonly { noteId: string; title: string }[];
  /** The list of notes beside this one (NOTES-UI-01). */
  sidebar?: SafeHtml;
  notice?: string;
}

function sharing(noteId: string, isPublic: boolean, publicUrl: string, csrf: string): SafeHtml {
  const toggle = html`<form method="post" action="${notePath(noteId, 'public')}" class="inline-form">
${hidden('csrf', csrf)}
${hidden('public', isPublic ? 'false' : 'true')}
<button type="submit" class="secondary">${isPublic ? 'Make private' : 'Make public'}</button>
</form>`;
  if (!isPublic) {
    return html`<section class="sharing" aria-labelledby="sharing-heading">
<h2 id="sharing-heading">Private</h2>
<p class="muted">Only you, and the apps you connected, can read this note.</p>
${toggle}
</section>`;
  }
  return html`<section class="sharing public" aria-labelledby="sharing-heading">
<h2 id="sharing-heading">Public</h2>
<p>Anyone with this link can read the note, without signing in:</p>
<p><a class="copy" href="${publicUrl}">${publicUrl}</a></p>
<label for="share-link">Copy the link</label>
<div class="copy-row">
<input id="share-link" type="text" readonly value="${publicUrl}" spellcheck="false" aria-describedby="share-link-hint">
</div>
<p id="share-link-hint" class="hint">Select the field and copy, or right-click the link above and copy its address.</p>
<p class="hint">The link cannot be guessed. Search engines are asked not to index the page. Make the note private to close the link for good: sharing the note again makes a new one.</p>
${toggle}
</section>`;
}

function linkedFrom(backlinks: readonly { noteId: string; title: string }[]): SafeHtml {
  if (backlinks.length === 0) return html``;
  return html`<section class="backlinks" aria-labelledby="backlinks-heading">
<h2 id="backlinks-heading">Linked from</h2>
<ul>${backlinks.map((link) => html`<li><a href="${notePath(link.noteId)}">${link.title}</a></li>`)}</ul>
</section>`;
}

/** NOTES-UI-06: pin or unpin, a form of its own (CSRF like every form). */
function pinForm(noteId: string, pinned: boolean, csrf: string): SafeHtml {
  return html`<form method="post" action="${notePath(noteId, 'pin')}" class="inline-form">
${hidden('csrf', csrf)}
${hidden('pinned', pinned ? 'false' : 'true')}
<button type="submit" class="secondary">${pinned ? 'Unpin' : 'Pin to top'}</button>
</form>`;
}

export function renderNoteView({ nav, note, body, publicUrl, backlinks = [], sidebar, notice }: NoteViewInput): string {
  const tags = note.tags.map((tag) => html`<li><a class="tag" href="${listPath('', tag)}">${tag}</a></li>`);
  const content = html`<p class="back"><a href="/notes">← All notes</a></p>
${noticeBox(notice)}
<h1 class="note-title">${note.title}${note.pinned === true ? html` <span class="badge pin">Pinned</span>` : ''}</h1>
<p class="meta">Updated ${timeElement(note.updatedAt, nav.now)} · created ${timeElement(note.createdAt, nav.now)}</p>
${tags.length === 0 ? '' : html`<ul class="tag-list" aria-label="Tags">${tags}</ul>`}
<article class="note-body">
${body}
</article>
${linkedFrom(backlinks)}
<div class="actions note-actions">
<a class="button primary" href="${notePath(note.noteId, 'edit')}">Edit</a>
<a class="button secondary" href="${notePath(note.noteId, 'history')}">History</a>
${pinForm(note.noteId, note.pinned === true, nav.csrf)}
<a class="quiet-danger" href="${notePath(note.noteId, 'delete')}">Delete…</a>
</div>
${sharing(note.noteId, note.public, publicUrl, nav.csrf)}`;
  return renderAppLayout({ title: note.title, body: content, nav: { ...nav, current: 'notes' }, ...(sidebar === undefined ? {} : { aside: sidebar }) });
}
