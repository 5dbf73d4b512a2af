// The tags page (NOTES-TAG-01): tags with their counts, and renaming one everywhere (a form with
// the session's CSRF token).
import type Router from '@koa/router';
import type { RouterContext } from '@koa/router';
import { allTags, renameTag } from '../../notes/index.ts';
import { renderTags } from '../../ui/notes-tags.ts';
import { field, sendPage, seeOther } from './pages.ts';
import type { Services } from '../../app/services.ts';
import type { SignedIn, WebPages } from './guard.ts';

const TAG_NOTICES = { renamed: 'The tag was renamed on every note that carried it.' } as const;

export function tagRoutes(router: Router, services: Services, pages: WebPages): void {
  function tags(ctx: RouterContext, who: SignedIn, status: number, message: { notice?: string; error?: string } = {}): void {
    sendPage(ctx, status, renderTags({ nav: who.nav, tags: allTags(services.queue.state, who.user.userId), ...message }));
  }

  router.get('/tags', pages.page((ctx, who) => {
    const notice = pages.notice(ctx, TAG_NOTICES);
    tags(ctx, who, 200, notice === undefined ? {} : { notice });
  }));

  router.post('/tags/:tag/rename', pages.form(async (ctx, who) => {
    const input = { ownerId: who.user.userId, from: ctx.params.tag ?? '', to: field(who.form, 'to') ?? '', now: services.now(), by: { kind: 'person', userId: who.user.userId } as const };
    const outcome = await services.queue.apply((state) => renameTag(state, input, services.config.noteLimits, services.config.noteRetention));
    if (outcome.kind === 'error') return tags(ctx, who, outcome.error === 'not_found' ? 404 : 400, { error: `${outcome.message.charAt(0).toUpperCase()}${outcome.message.slice(1)}.` });
    seeOther(ctx, '/tags?done=renamed');
  }));
}
