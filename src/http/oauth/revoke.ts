// POST /oauth/revoke (RFC 7009): 200 for anything that authenticates, known token or not.
import type Router from '@koa/router';
import type { AccessTokenRef } from '../../core/index.ts';
import { formParams } from '../middleware/body.ts';
import { noStore, sendOAuthError } from './response.ts';
import type { Services } from '../../app/services.ts';

/** If the token is one of our access tokens (signature, issuer, audience), the claims the core needs. */
async function accessTokenRef(services: Services, token: unknown): Promise<AccessTokenRef | undefined> {
  if (typeof token !== 'string' || token.split('.').length !== 3) return undefined;
  const verified = await services.verifyAccessToken(token);
  if (!verified.ok) return undefined;
  const { jti, gid, client_id: clientId, exp } = verified.claims;
  return { jti, gid, clientId, exp };
}

export function revokeRoutes(router: Router, services: Services): void {
  router.post('/oauth/revoke', async (ctx) => {
    const params = formParams(ctx);
    if (!params) return sendOAuthError(ctx, { error: 'invalid_request', description: 'send the revocation request as application/x-www-form-urlencoded', status: 400 });
    const accessToken = await accessTokenRef(services, params.token);
    const client = await services.clients.forTokenRequest(params);
    const outcome = await services.queue.run({
      type: 'revoke',
      now: services.now(),
      params,
      ...client,
      ...(ctx.headers.authorization === undefined ? {} : { authorization: ctx.get('Authorization') }),
      ...(accessToken === undefined ? {} : { accessToken }),
    });
    if (outcome.kind === 'error') return sendOAuthError(ctx, outcome.error);
    noStore(ctx);
    ctx.status = 200;
    ctx.body = '';
  });
}
