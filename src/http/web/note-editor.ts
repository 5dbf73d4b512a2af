// The note editor shared by "new" and "edit": the draft read from the form as typed, the draft of a
// stored note, and the editor page with its optional preview and error.
import type { RouterContext } from '@koa/router';
import type { NoteRecord } from '../../notes/index.ts';
import { renderMarkdown } from '../../ui/markdown.ts';
import { renderNoteEditor, type NoteDraft } from '../../ui/notes-editor.ts';
import { field, sendPage } from './pages.ts';
import type { SignedIn, SignedInForm } from './guard.ts';

export interface EditorPage {
  noteId?: string;
  draft: NoteDraft;
  version?: number;
  preview?: boolean;
  /** Resolves `[[title]]` in the preview to the owner's note (NOTES-LINK-01). */
  linkTo?: (title: string) => string | undefined;
  error?: string;
}

/** "give the note a title…" from the notes module, as a sentence. */
export function sentence(message: string): string {
  return `${message.charAt(0).toUpperCase()}${message.slice(1)}.`;
}

/** Tags as typed in one line: separated by commas or white space. */
export function tagsFrom(text: string): string[] {
  return text.split(/[\s,]+/u).filter((tag) => tag !== '');
}

/** The form's fields as typed; browsers send text areas with CRLF, notes keep LF like MCP writes. */
export function draftFrom(form: SignedInForm['form']): NoteDraft {
  return {
    title: field(form, 'title') ?? '',
    body: (field(form, 'body') ?? '').replace(/\r\n?/g, '\n'),
    tags: field(form, 'tags') ?? '',
    public: field(form, 'public') === 'on',
  };
}

/** The `updatedAt` the edit form started from; a form without one is treated as out of date. */
export function versionFrom(form: SignedInForm['form']): number | undefined {
  const text = field(form, 'version');
  return text !== undefined && /^\d{1,15}$/.test(text) ? Number(text) : undefined;
}

export function draftOf(note: NoteRecord): NoteDraft {
  return { title: note.title, body: note.body, tags: note.tags.join(', '), public: note.public };
}

/** Asked for a preview rather than a save. */
export function wantsPreview(form: SignedInForm['form']): boolean {
  return field(form, 'intent') === 'preview';
}

export function sendEditor(ctx: RouterContext, who: SignedIn, status: number, page: EditorPage): void {
  const { noteId, draft, version, preview = false, linkTo, error } = page;
  sendPage(ctx, status, renderNoteEditor({
    nav: who.nav,
    draft,
    ...(noteId === undefined ? {} : { noteId }),
    ...(version === undefined ? {} : { version }),
    // NOTES-UI-02: the preview always stands beside the text; after "Preview" it shows the draft.
    preview: renderMarkdown(draft.body, linkTo),
    previewed: preview,
    ...(error === undefined ? {} : { error }),
  }));
}
