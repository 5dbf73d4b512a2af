// GET /oauth/authorize: validation is the core's; this route only renders its answer. Errors about
// the client or redirect URI are shown to the person (never redirected); a valid request goes on
// to sign-in and consent.
import type Router from '@koa/router';
import { redirectLocation } from '../../core/index.ts';
import { renderErrorPage } from '../../ui/error-page.ts';
import { paramsFrom } from '../middleware/params.ts';
import type { Services } from '../../app/services.ts';

export function authorizeRoutes(router: Router, services: Services): void {
  router.get('/oauth/authorize', async (ctx) => {
    const params = paramsFrom(ctx.URL.searchParams);
    const client = await services.clients.forAuthorization(params);
    const outcome = await services.queue.run({
      type: 'authorize',
      now: services.now(),
      params,
      ...client,
      fresh: { requestId: services.fresh() },
    });
    switch (outcome.kind) {
      case 'consent_required':
        ctx.status = 303;
        ctx.redirect(`/consent?request=${encodeURIComponent(outcome.request.requestId)}`);
        return;
      case 'redirect':
        ctx.status = 303;
        ctx.redirect(redirectLocation(outcome.redirect));
        return;
      case 'error':
        ctx.status = 400;
        ctx.type = 'html';
        ctx.body = renderErrorPage({
          status: 400,
          title: 'This connection request cannot be completed',
          message: outcome.error.description,
          detail: `Error code: ${outcome.error.error}`,
        });
        return;
    }
  });
}
