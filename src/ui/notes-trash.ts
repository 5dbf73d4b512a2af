// The trash (NOTES-TRASH-02): deleted notes, most recent first, each with when it goes for good,
// a restore button and a quieter "Delete forever".
import { html } from './html.ts';
import { alertBox, hidden } from './layout.ts';
import { noticeBox, renderAppLayout, type Navigation } from './notes-layout.ts';
import { trashPath } from './notes-paths.ts';
import { timeElement } from './notes-time.ts';

export interface TrashEntry {
  noteId: string;
  title: string;
  trashedAt: number;
  /** When it is deleted for good. */
  expiresAt: number;
}

export interface TrashInput {
  nav: Navigation;
  entries: readonly TrashEntry[];
  trashDays: number;
  notice?: string;
  error?: string;
}

export function renderTrash({ nav, entries, trashDays, notice, error }: TrashInput): string {
  const rows = entries.map((entry) => html`<li class="trash-item">
<h2>${entry.title}</h2>
<p class="meta">Deleted ${timeElement(entry.trashedAt, nav.now)} · deleted for good ${timeElement(entry.expiresAt, nav.now)}</p>
<div class="actions">
<form method="post" action="${trashPath(entry.noteId, 'restore')}" class="inline-form">
${hidden('csrf', nav.csrf)}
<button type="submit" class="primary">Restore</button>
</form>
<form method="post" action="${trashPath(entry.noteId, 'erase')}" class="inline-form">
${hidden('csrf', nav.csrf)}
<button type="submit" class="secondary">Delete forever</button>
</form>
</div>
</li>`);
  const body = html`<p class="back"><a href="/notes">← All notes</a></p>
${noticeBox(notice)}
${alertBox(error)}
<h1>Trash</h1>
<p class="muted">Deleted notes wait here ${trashDays} days, out of search and out of every app you connected, then go for good. A restored note comes back private.</p>
${entries.length === 0 ? html`<p class="empty">The trash is empty.</p>` : html`<ul class="trash-list">${rows}</ul>`}`;
  return renderAppLayout({ title: 'Trash', body, nav: { ...nav, current: 'notes' } });
}
