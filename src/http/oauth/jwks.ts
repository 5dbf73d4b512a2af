// GET /oauth/jwks.json: the public keys access tokens are signed with.
import type Router from '@koa/router';
import type { Services } from '../../app/services.ts';

export function jwksRoutes(router: Router, services: Services): void {
  router.get('/oauth/jwks.json', (ctx) => {
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.body = services.keys.jwks();
  });
}
