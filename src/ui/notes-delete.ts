// Deleting a note asks first, on a page of its own: "Delete X?" with a form that moves it to the trash.
import { html } from './html.ts';
import { hidden } from './layout.ts';
import { renderAppLayout, type Navigation } from './notes-layout.ts';
import { notePath } from './notes-paths.ts';

export interface DeleteNoteInput {
  nav: Navigation;
  note: { noteId: string; title: string; public: boolean };
  trashDays: number;
}

export function renderDeleteNote({ nav, note, trashDays }: DeleteNoteInput): string {
  const body = html`<h1>Delete “${note.title}”?</h1>
<p>The note moves to the trash: it disappears here and from ChatGPT, Claude and every app you connected.${note.public ? ' Its public link stops working.' : ''} You can restore it from the <a href="/trash">trash</a> for ${trashDays} days.</p>
<form method="post" action="${notePath(note.noteId, 'delete')}" class="form">
${hidden('csrf', nav.csrf)}
<div class="actions">
<button type="submit" class="danger">Move to trash</button>
<a class="button secondary" href="${notePath(note.noteId)}">Keep it</a>
</div>
</form>`;
  return renderAppLayout({ title: `Delete ${note.title}?`, body, nav: { ...nav, current: 'notes' } });
}
