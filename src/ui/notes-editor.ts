// Writing a note: title, Markdown text, tags and the public switch, with the rendered text beside
// it on wide screens and below it on phones (NOTES-UI-02). "Preview" posts the form and the server
// renders the draft (no script), without saving anything; before that the preview shows the text
// the editor opened with. The newline after
// `<textarea>` is the one HTML parsers drop, so a body that starts with a blank line keeps it.
import { NOTE_LIMITS } from '../notes/types.ts';
import { html, type SafeHtml } from './html.ts';
import { alertBox, hidden } from './layout.ts';
import { renderAppLayout, type Navigation } from './notes-layout.ts';
import { notePath } from './notes-paths.ts';

/** What the form holds, as typed (tags as one line of text). */
export interface NoteDraft {
  title: string;
  body: string;
  tags: string;
  public: boolean;
}

export interface NoteEditorInput {
  nav: Navigation;
  /** The note being edited; absent for a new note. */
  noteId?: string;
  draft: NoteDraft;
  /** `updatedAt` of the version the draft started from, to notice edits made meanwhile. */
  version?: number;
  /** The rendered text: of the draft after "Preview", else of the text the editor opened with. */
  preview?: SafeHtml;
  /** The preview shows the draft as sent with "Preview". */
  previewed?: boolean;
  error?: string;
}

export function renderNoteEditor({ nav, noteId, draft, version, preview, previewed = false, error }: NoteEditorInput): string {
  const action = noteId === undefined ? '/notes' : notePath(noteId);
  const heading = noteId === undefined ? 'New note' : 'Edit note';
  const cancel = noteId === undefined ? '/notes' : notePath(noteId);
  const body = html`<h1>${heading}</h1>
${alertBox(error)}
<div class="editor-panes">
<form method="post" action="${action}" class="form editor">
${hidden('csrf', nav.csrf)}
${version === undefined ? '' : hidden('version', String(version))}
<label for="title">Title</label>
<input id="title" name="title" type="text" value="${draft.title}" maxlength="${NOTE_LIMITS.titleLength}" required${noteId === undefined && error === undefined && !previewed ? html` autofocus` : ''}>
<label for="body">Text</label>
<textarea id="body" name="body" rows="10" aria-describedby="body-hint">
${draft.body}</textarea>
<p id="body-hint" class="hint">Markdown: <code>**bold**</code>, <code>*italic*</code>, <code># Heading</code>, <code>- list item</code>, <code>- [ ] task</code>, <code>[link](https://…)</code>, <code>[[Another note]]</code>.</p>
<label for="tags">Tags</label>
<input id="tags" name="tags" type="text" value="${draft.tags}" autocapitalize="none" spellcheck="false" aria-describedby="tags-hint">
<p id="tags-hint" class="hint">Separate tags with commas or spaces. Letters, digits, “_”, “:” and “-”.</p>
<div class="check">
<input id="public" name="public" type="checkbox" value="on"${draft.public ? html` checked` : ''} aria-describedby="public-hint">
<label for="public">Public</label>
</div>
<p id="public-hint" class="hint">Anyone with the note’s secret link can read it, without signing in. Search engines are asked not to index it.</p>
<div class="actions">
<button type="submit" name="intent" value="save" class="primary">Save</button>
<button type="submit" name="intent" value="preview" class="secondary" formaction="${action}#preview">Preview</button>
<a class="quiet" href="${cancel}">Cancel</a>
</div>
</form>
${preview === undefined
  ? ''
  : html`<section id="preview" class="preview" aria-labelledby="preview-heading">
<h2 id="preview-heading">Preview <span class="muted">${previewed ? '(not saved yet)' : noteId === undefined ? '(press Preview to see your text)' : '(as saved; press Preview to see your changes)'}</span></h2>
<div class="note-body">
<p class="preview-title">${draft.title}</p>
${preview}
</div>
</section>`}
</div>`;
  return renderAppLayout({ title: heading, body, nav: { ...nav, current: 'notes' }, width: 'full' });
}
