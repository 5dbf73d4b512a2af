// The read-only page of a public note, for anyone with its link: no sign-in, no navigation into
// the app, and `noindex` (notes carry no owner's choice to be indexed, so none is offered).
import { html, type SafeHtml } from './html.ts';
import { renderAppLayout } from './notes-layout.ts';
import { timeElement } from './notes-time.ts';

export interface PublicNoteInput {
  title: string;
  tags: readonly string[];
  updatedAt: number;
  /** The server's clock, for "updated 3 days ago". */
  now?: number;
  /** The rendered Markdown body. */
  body: SafeHtml;
}

export function renderPublicNote({ title, tags, updatedAt, now, body }: PublicNoteInput): string {
  const content = html`<article>
<h1 class="note-title">${title}</h1>
<p class="meta">Updated ${timeElement(updatedAt, now)}${tags.map((tag) => html` <span class="tag">${tag}</span>`)}</p>
<div class="note-body">
${body}
</div>
</article>
<p class="muted shared-by">A note shared read-only from agent-notes.</p>`;
  return renderAppLayout({ title, body: content, noindex: true });
}

/** The answer for a link that opens nothing: never says whether the note exists but is private. */
export function renderPublicNoteMissing(): string {
  const body = html`<h1>This note is not shared</h1>
<p>The link is wrong, or its owner made the note private or deleted it.</p>
<p class="muted">If someone sent you this link, ask them to share the note again.</p>`;
  return renderAppLayout({ title: 'Note not shared', body, noindex: true });
}
