// The trash in the web app (NOTES-TRASH-02): the deleted notes, restore (back to the notes, private)
// and delete forever, each a form with the session's CSRF token.
import type Router from '@koa/router';
import type { RouterContext } from '@koa/router';
import { eraseFromTrash, restoreFromTrash, trashedNotes } from '../../notes/index.ts';
import { notePath } from '../../ui/notes-paths.ts';
import { renderTrash } from '../../ui/notes-trash.ts';
import { sendPage, seeOther } from './pages.ts';
import type { Services } from '../../app/services.ts';
import type { SignedIn, WebPages } from './guard.ts';

const DAY = 86_400;
const TRASH_NOTICES = { erased: 'The note was deleted for good.' } as const;

export function trashRoutes(router: Router, services: Services, pages: WebPages): void {
  function trash(ctx: RouterContext, who: SignedIn, status: number, message: { notice?: string; error?: string } = {}): void {
    const { trashDays } = services.config.noteRetention;
    const entries = trashedNotes(services.queue.state, who.user.userId).map((trashed) => ({
      noteId: trashed.note.noteId,
      title: trashed.note.title,
      trashedAt: trashed.trashedAt,
      expiresAt: trashed.trashedAt + trashDays * DAY,
    }));
    sendPage(ctx, status, renderTrash({ nav: who.nav, entries, trashDays, ...message }));
  }

  router.get('/trash', pages.page((ctx, who) => {
    const notice = pages.notice(ctx, TRASH_NOTICES);
    trash(ctx, who, 200, notice === undefined ? {} : { notice });
  }));

  router.post('/trash/:id/restore', pages.form(async (ctx, who) => {
    const input = { noteId: ctx.params.id ?? '', ownerId: who.user.userId };
    const outcome = await services.queue.apply((state) => restoreFromTrash(state, input, services.config.noteLimits));
    if (outcome.kind === 'error') return trash(ctx, who, outcome.error === 'not_found' ? 404 : 400, { error: sentence(outcome.message) });
    seeOther(ctx, `${notePath(outcome.note.noteId)}?done=restored`);
  }));

  router.post('/trash/:id/erase', pages.form(async (ctx, who) => {
    const input = { noteId: ctx.params.id ?? '', ownerId: who.user.userId };
    const outcome = await services.queue.apply((state) => eraseFromTrash(state, input));
    if (outcome.kind === 'error') return trash(ctx, who, 404, { error: sentence(outcome.message) });
    seeOther(ctx, '/trash?done=erased');
  }));
}

function sentence(message: string): string {
  return `${message.charAt(0).toUpperCase()}${message.slice(1)}.`;
}
