// A note's history (NOTES-VER-03): every kept version with who wrote it and when, and one version
// on its own page with a readable diff (lines removed and added, long unchanged stretches folded)
// and the form that restores it as a new change.
import { diffLines } from 'diff';
import { html, type SafeHtml } from './html.ts';
import { hidden } from './layout.ts';
import { noticeBox, renderAppLayout, type Navigation } from './notes-layout.ts';
import { notePath, versionPath } from './notes-paths.ts';
import { timeElement } from './notes-time.ts';

/** Who wrote a version, as the page names them. */
export type AuthorLabel = { kind: 'you' } | { kind: 'app'; name: string; clientId: string } | { kind: 'unknown' };

export interface VersionEntry {
  versionId: string;
  title: string;
  savedAt: number;
  savedBy: AuthorLabel;
  replacedAt: number;
}

export interface HistoryInput {
  nav: Navigation;
  note: { noteId: string; title: string; updatedAt: number; changedBy: AuthorLabel };
  versions: readonly VersionEntry[];
  /** The list of notes beside the page (NOTES-UI-01). */
  sidebar?: SafeHtml;
  notice?: string;
}

export function authorText(author: AuthorLabel): SafeHtml {
  if (author.kind === 'you') return html`you`;
  if (author.kind === 'app') return html`<span class="app-name">${author.name}</span> <span class="muted">(app ${author.clientId.length > 40 ? `${author.clientId.slice(0, 40)}…` : author.clientId})</span>`;
  return html`<span class="muted">someone (written before history was kept)</span>`;
}

export function renderHistory({ nav, note, versions, sidebar, notice }: HistoryInput): string {
  const rows = versions.map((version) => html`<li class="version-item">
<a href="${versionPath(note.noteId, version.versionId)}"><strong>${version.title}</strong></a>
<p class="meta">Written ${timeElement(version.savedAt, nav.now)} by ${authorText(version.savedBy)} · replaced ${timeElement(version.replacedAt, nav.now)}</p>
</li>`);
  const body = html`<p class="back"><a href="${notePath(note.noteId)}">← Back to the note</a></p>
${noticeBox(notice)}
<h1>History of “${note.title}”</h1>
<p class="meta">Current version: written ${timeElement(note.updatedAt, nav.now)} by ${authorText(note.changedBy)}.</p>
${versions.length === 0
    ? html`<p class="empty">No earlier versions yet. Each time the note changes, here or through an app, what it held before is kept here.</p>`
    : html`<ol class="version-list">${rows}</ol>
<p class="hint">Open a version to see what changed and to restore it. Old versions are dropped after a while, the oldest first.</p>`}`;
  return renderAppLayout({ title: `History of ${note.title}`, body, nav: { ...nav, current: 'notes' }, ...(sidebar === undefined ? {} : { aside: sidebar }) });
}

export interface VersionPageInput {
  nav: Navigation;
  note: { noteId: string; title: string; body: string; tags: readonly string[] };
  version: VersionEntry & { body: string; tags: readonly string[] };
  /** The version before it, if one is kept: the diff then also shows what this version changed. */
  previous?: { title: string; body: string; tags: readonly string[] };
  /** The rendered Markdown of the version. */
  rendered: SafeHtml;
  sidebar?: SafeHtml;
}

/** Unchanged lines kept around a change; longer unchanged stretches fold to one line. */
const CONTEXT = 3;

/** A line diff from `before` to `after` as a list, each line marked removed, added or kept. */
export function renderDiff(before: string, after: string): SafeHtml {
  const lines: SafeHtml[] = [];
  const parts = diffLines(before, after);
  parts.forEach((part, index) => {
    const text = part.value.endsWith('\n') ? part.value.slice(0, -1) : part.value;
    const partLines = text.split('\n');
    if (part.added || part.removed) {
      const [kind, sign, label] = part.added ? ['diff-add', '+', 'added'] : ['diff-del', '−', 'removed'];
      for (const line of partLines) lines.push(html`<li class="${kind}"><span class="sign" aria-label="${label}">${sign}</span>${line}</li>`);
      return;
    }
    const head = index === 0 ? [] : partLines.slice(0, CONTEXT);
    const tail = index === parts.length - 1 ? [] : partLines.slice(-CONTEXT);
    if (head.length + tail.length >= partLines.length) {
      for (const line of partLines) lines.push(html`<li class="diff-same"><span class="sign"> </span>${line}</li>`);
      return;
    }
    for (const line of head) lines.push(html`<li class="diff-same"><span class="sign"> </span>${line}</li>`);
    const folded = partLines.length - head.length - tail.length;
    lines.push(html`<li class="diff-fold">… ${folded} unchanged line${folded === 1 ? '' : 's'} …</li>`);
    for (const line of tail) lines.push(html`<li class="diff-same"><span class="sign"> </span>${line}</li>`);
  });
  if (parts.every((part) => !part.added && !part.removed)) return html`<p class="muted">The text is the same.</p>`;
  return html`<ol class="diff" aria-label="Changes">${lines}</ol>`;
}

function fieldChange(label: string, before: string, after: string): SafeHtml {
  if (before === after) return html``;
  return html`<p class="diff-field"><strong>${label}:</strong> <del>${before || '(none)'}</del> → <ins>${after || '(none)'}</ins></p>`;
}

export function renderVersion({ nav, note, version, previous, rendered, sidebar }: VersionPageInput): string {
  const body = html`<p class="back"><a href="${notePath(note.noteId, 'history')}">← History</a></p>
<h1>${version.title}</h1>
<p class="meta">Version written ${timeElement(version.savedAt, nav.now)} by ${authorText(version.savedBy)} · replaced ${timeElement(version.replacedAt, nav.now)}</p>
<section aria-labelledby="changes-heading">
<h2 id="changes-heading">From this version to the current note</h2>
${fieldChange('Title', version.title, note.title)}
${fieldChange('Tags', version.tags.join(', '), note.tags.join(', '))}
${renderDiff(version.body, note.body)}
</section>
${previous === undefined ? '' : html`<section aria-labelledby="own-changes-heading">
<h2 id="own-changes-heading">What this version changed from the one before</h2>
${fieldChange('Title', previous.title, version.title)}
${fieldChange('Tags', previous.tags.join(', '), version.tags.join(', '))}
<div class="previous-diff">${renderDiff(previous.body, version.body)}</div>
</section>`}
<form method="post" action="${versionPath(note.noteId, version.versionId, 'restore')}" class="form">
${hidden('csrf', nav.csrf)}
<p class="hint">Restoring makes this version's title, body and tags the note's again, as a new change: the current text is kept in the history too.</p>
<div class="actions">
<button type="submit" class="primary">Restore this version</button>
<a class="button secondary" href="${notePath(note.noteId)}">Back to the note</a>
</div>
</form>
<section aria-labelledby="version-heading">
<h2 id="version-heading">This version</h2>
<article class="note-body">
${rendered}
</article>
</section>`;
  return renderAppLayout({ title: `${version.title} (earlier version)`, body, nav: { ...nav, current: 'notes' }, ...(sidebar === undefined ? {} : { aside: sidebar }) });
}
