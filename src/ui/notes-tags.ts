// The tags page (NOTES-TAG-01): every tag with how many notes carry it, a link to those notes, and
// a form per tag to rename it everywhere.
import { html } from './html.ts';
import { alertBox, hidden } from './layout.ts';
import { noticeBox, renderAppLayout, type Navigation } from './notes-layout.ts';
import { listPath } from './notes-paths.ts';

export interface TagsInput {
  nav: Navigation;
  tags: Readonly<Record<string, number>>;
  notice?: string;
  error?: string;
}

/** `/tags/<tag>/rename`. */
export function renameTagPath(tag: string): string {
  return `/tags/${encodeURIComponent(tag)}/rename`;
}

export function renderTags({ nav, tags, notice, error }: TagsInput): string {
  const entries = Object.entries(tags);
  const rows = entries.map(([tag, count], i) => html`<li class="tag-row">
<a class="tag" href="${listPath('', tag)}">${tag}</a> <span class="muted">${count} ${count === 1 ? 'note' : 'notes'}</span>
<form method="post" action="${renameTagPath(tag)}" class="inline-form">
${hidden('csrf', nav.csrf)}
<label for="rename-${i}">Rename “${tag}” to</label>
<input id="rename-${i}" name="to" type="text" required maxlength="40" value="${tag}">
<button type="submit" class="secondary">Rename</button>
</form>
</li>`);
  const body = html`<p class="back"><a href="/notes">← All notes</a></p>
${noticeBox(notice)}
${alertBox(error)}
<h1>Tags</h1>
${entries.length === 0
    ? html`<p class="empty">No note carries a tag yet. Add tags when you write a note, separated by commas.</p>`
    : html`<p class="muted">Renaming a tag changes it on every note that carries it (each note keeps the old tags in its history); renaming it to another existing tag merges the two.</p>
<ul class="tag-rows">${rows}</ul>`}`;
  return renderAppLayout({ title: 'Tags', body, nav: { ...nav, current: 'notes' } });
}
