// GET /p/<publicId>: a public note, read-only, for anyone with the link. The id is 256 random bits,
// so the page cannot be found by guessing; a private, deleted or unknown note answers the same 404.
// Notes carry no "may be indexed" choice, so every answer here asks search engines not to index it.
import type Router from '@koa/router';
import { findPublicNote } from '../../notes/index.ts';
import { renderMarkdown } from '../../ui/markdown.ts';
import { renderPublicNote, renderPublicNoteMissing } from '../../ui/public-note.ts';
import { sendPage } from './pages.ts';
import type { Services } from '../../app/services.ts';

export function publicNoteRoutes(router: Router, services: Services): void {
  router.get('/p/:publicId', (ctx) => {
    ctx.set('X-Robots-Tag', 'noindex');
    const note = findPublicNote(services.queue.state, ctx.params.publicId ?? '');
    if (!note) return sendPage(ctx, 404, renderPublicNoteMissing());
    sendPage(ctx, 200, renderPublicNote({ title: note.title, tags: note.tags, updatedAt: note.updatedAt, now: services.now(), body: renderMarkdown(note.body) }));
  });
}
