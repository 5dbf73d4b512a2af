// The list beside an open note (NOTES-UI-01), read through the owner-scoped listing query: the
// owner's notes, pinned first, then most recently updated; the rest are a link away.
import { listNotes, type NotesState } from '../../notes/index.ts';
import type { SafeHtml } from '../../ui/html.ts';
import { renderNotesSidebar } from '../../ui/notes-sidebar.ts';
import type { SignedIn } from './guard.ts';

const PANE_SIZE = 30;

export function notePane(state: NotesState, who: SignedIn, currentId: string): SafeHtml {
  const { notes, total } = listNotes(state, who.user.userId, { limit: PANE_SIZE, pinnedFirst: true });
  return renderNotesSidebar({ notes, total, currentId, ...(who.nav.now === undefined ? {} : { now: who.nav.now }) });
}
