// The Koa application: middleware in the order a request meets it, then one router per endpoint,
// then the routes the composition root mounts after them (/mcp, which this folder never imports).
import Router from '@koa/router';
import Koa from 'koa';
import { authorizeRoutes } from './oauth/authorize.ts';
import { forwardedOnlyFrom, proxyMatcher } from './middleware/forwarded.ts';
import { healthRoutes } from './health.ts';
import { requestId } from './middleware/request-id.ts';
import { parseBody } from './middleware/body.ts';
import { queryBound } from './middleware/bounds.ts';
import { consentRoutes } from './web/consent.ts';
import { cors } from './middleware/cors.ts';
import { discoveryRoutes } from './oauth/discovery.ts';
import { errorHandler } from './middleware/errors.ts';
import { homeRoutes } from './web/home.ts';
import { jwksRoutes } from './oauth/jwks.ts';
import { loginRoutes } from './web/login.ts';
import { rateLimits } from './middleware/rate-limit.ts';
import { helmetOptions, securityHeaders } from './middleware/security-headers.ts';
import { registerRoutes } from './oauth/register.ts';
import { revokeRoutes } from './oauth/revoke.ts';
import type { Services } from '../app/services.ts';
import { setupRoutes } from './web/setup.ts';
import { tokenRoutes } from './oauth/token.ts';
import { userinfoRoutes } from './oauth/userinfo.ts';
import { webAppRoutes } from './web/routes.ts';
import { signedInUsername } from './web/session.ts';

/** Endpoints that browser-based MCP clients call across origins. */
const CORS_PATHS = /^\/(\.well-known\/|oauth\/(register|token|revoke|jwks\.json)$)/;

/** Registers one endpoint family's routes. */
export type Routes = (router: Router, services: Services) => void;

export interface AppOptions {
  /** Mounted after the HTTP endpoints, in this order; `src/server.ts` passes `[mcpRoutes]`. */
  routes: readonly Routes[];
}

const HTTP_ROUTES: readonly Routes[] = [healthRoutes, discoveryRoutes, registerRoutes, authorizeRoutes, tokenRoutes, revokeRoutes, userinfoRoutes, jwksRoutes, loginRoutes, consentRoutes, setupRoutes, homeRoutes, webAppRoutes];

export function createApp(services: Services, options: AppOptions): Koa {
  // Behind one reverse proxy, the client is the last X-Forwarded-For entry (the one the proxy
  // added); earlier entries are whatever the client wrote, and would let it pick its own rate-limit key.
  const { trustProxy, trustedProxies } = services.config;
  const app = new Koa({ proxy: trustProxy, maxIpsCount: 1 });
  const https = services.config.publicUrl.startsWith('https:');
  const fromTrustedProxy = trustProxy ? proxyMatcher(trustedProxies) : () => false;

  // First: nothing below may read a forwarded header a stranger wrote.
  if (trustProxy) app.use(forwardedOnlyFrom(trustedProxies));
  app.use(requestId(fromTrustedProxy));
  app.use(async (ctx, next) => {
    const started = performance.now();
    await next();
    // Path only: query strings carry codes and state, which never go to logs.
    services.log.info({ reqId: ctx.state.requestId, method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round(performance.now() - started) }, 'request');
  });
  app.use(errorHandler(services.log));
  app.use(securityHeaders(helmetOptions(https)));
  app.use(async (ctx, next) => (CORS_PATHS.test(ctx.path) ? cors(ctx, next) : next()));
  app.use(queryBound);
  // /mcp reads its own body (the MCP SDK takes the raw request); everything else is parsed here.
  // The router also sends `/MCP` and `/mcp/` there, so they skip the parser too (else the body is spent and /mcp waits forever).
  app.use(async (ctx, next) => (/^\/mcp\/?$/i.test(ctx.path) ? next() : parseBody(ctx, next)));
  // After parsing: sign-in and token limits key on the username and client_id in the form.
  if (services.config.rateLimits.enabled) {
    // A bearer token counts as proof only once it verifies (the verifier caches, so /mcp pays once).
    const grantOf = async (token: string) => {
      const verified = await services.verifyAccessToken(token);
      return verified.ok ? verified.claims.gid : undefined;
    };
    app.use(rateLimits(services.config.rateLimits, { grantOf, signedInUsername: (ctx) => signedInUsername(ctx, services) }));
  }

  const router = new Router();
  for (const routes of [...HTTP_ROUTES, ...options.routes]) routes(router, services);
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}
