// GET or POST /oauth/userinfo (OIDC Core §5.3): the signed-in person's claims for an access token
// granted `openid`. The token comes in the Authorization header only (RFC 6750 §2.1); a bad one is
// 401 `invalid_token`, one without `openid` is 403 `insufficient_scope`, both with a Bearer challenge.
import type Router from '@koa/router';
import type { Context } from 'koa';
import { identityClaims } from '../../app/identity-claims.ts';
import type { Services } from '../../app/services.ts';
import { bearerToken } from '../middleware/bearer.ts';
import { bearerChallenge, type BearerError } from '../middleware/www-authenticate.ts';
import { offersOpenId } from './discovery.ts';
import { sendJson } from './response.ts';

function refuse(ctx: Context, status: 400 | 401 | 403, error: BearerError, description: string): void {
  ctx.set('WWW-Authenticate', bearerChallenge({ error, errorDescription: description, ...(error === 'insufficient_scope' ? { scope: ['openid'] } : {}) }));
  sendJson(ctx, status, { error, error_description: description });
}

export function userinfoRoutes(router: Router, services: Services): void {
  const answer = async (ctx: Context) => {
    // With OIDC off there is no OpenID provider, so there is no userinfo endpoint either.
    if (!offersOpenId(services)) return sendJson(ctx, 404, { error: 'not_found', error_description: 'OpenID Connect is turned off on this server' });
    const presented = bearerToken(ctx.get('Authorization') || undefined);
    if (presented.kind === 'none') {
      // RFC 6750 §3.1: no credentials at all gets a challenge without an error code.
      ctx.set('WWW-Authenticate', bearerChallenge({}));
      return sendJson(ctx, 401, { error: 'invalid_token', error_description: 'send the access token as Authorization: Bearer <token>' });
    }
    if (presented.kind === 'malformed') return refuse(ctx, 401, 'invalid_token', 'the Authorization header does not hold a bearer token');
    const verified = await services.verifyAccessToken(presented.token);
    if (!verified.ok) return refuse(ctx, 401, 'invalid_token', verified.description);
    const scopes = verified.claims.scope.split(' ');
    if (!scopes.includes('openid')) return refuse(ctx, 403, 'insufficient_scope', 'this access token was not granted the openid scope');
    sendJson(ctx, 200, { sub: verified.claims.sub, ...identityClaims(services.queue.state, verified.claims.sub, scopes) });
  };
  router.get('/oauth/userinfo', answer);
  router.post('/oauth/userinfo', answer);
}
