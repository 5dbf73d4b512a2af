// POST /oauth/token: form-encoded only (CLA-11). The core decides; this route signs the access
// token it minted (and the ID token, with the person's claims) and answers with the RFC 6749 §5.1 JSON.
import type Router from '@koa/router';
import { formParams } from '../middleware/body.ts';
import { sendJson, sendOAuthError } from './response.ts';
import { identityClaims } from '../../app/identity-claims.ts';
import type { Services } from '../../app/services.ts';

export function tokenRoutes(router: Router, services: Services): void {
  router.post('/oauth/token', async (ctx) => {
    const params = formParams(ctx);
    if (!params) return sendOAuthError(ctx, { error: 'invalid_request', description: 'send the token request as application/x-www-form-urlencoded', status: 400 });
    const authorization = ctx.get('Authorization');
    const client = await services.clients.forTokenRequest(params);
    const outcome = await services.queue.run({
      type: 'token',
      now: services.now(),
      params,
      ...client,
      ...(ctx.headers.authorization === undefined ? {} : { authorization }),
      fresh: { grantId: services.fresh(), jti: services.fresh(), refreshToken: services.fresh() },
    });
    if (outcome.kind === 'error') return sendOAuthError(ctx, outcome.error);
    const { tokens } = outcome;
    const idToken = tokens.idToken === undefined ? undefined : { ...tokens.idToken, ...identityClaims(services.queue.state, tokens.idToken.sub, tokens.scope.split(' ')) };
    sendJson(ctx, 200, {
      access_token: await services.keys.sign(tokens.accessToken),
      token_type: tokens.tokenType,
      expires_in: tokens.expiresIn,
      scope: tokens.scope,
      ...(tokens.refreshToken === undefined ? {} : { refresh_token: tokens.refreshToken }),
      ...(idToken === undefined ? {} : { id_token: await services.keys.signIdToken(idToken) }),
    });
  });
}
