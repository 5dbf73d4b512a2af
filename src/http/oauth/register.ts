// POST /oauth/register: dynamic client registration (RFC 7591, REQ-14).
import type Router from '@koa/router';
import { sendJson, sendOAuthError } from './response.ts';
import type { Services } from '../../app/services.ts';

export function registerRoutes(router: Router, services: Services): void {
  router.post('/oauth/register', async (ctx) => {
    if (!ctx.is('application/json')) {
      return sendOAuthError(ctx, { error: 'invalid_client_metadata', description: 'send the client metadata as application/json', status: 400 });
    }
    const outcome = await services.queue.run({
      type: 'register',
      now: services.now(),
      metadata: ctx.request.body,
      fresh: { clientId: services.fresh(), clientSecret: services.fresh() },
    });
    if (outcome.kind === 'error') return sendOAuthError(ctx, outcome.error);
    sendJson(ctx, 201, outcome.client);
  });
}
