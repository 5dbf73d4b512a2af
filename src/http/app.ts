// The Koa application: middleware in the order a request meets it, then one router per endpoint.
import Router from '@koa/router';
import Koa from 'koa';
import { authorizeRoutes } from './authorize.ts';
import { parseBody } from './body.ts';
import { queryBound } from './bounds.ts';
import { consentRoutes } from './consent.ts';
import { cors } from './cors.ts';
import { discoveryRoutes } from './discovery.ts';
import { errorHandler } from './errors.ts';
import { homeRoutes } from './home.ts';
import { jwksRoutes } from './jwks.ts';
import { loginRoutes } from './login.ts';
import { mcpRoutes } from '../mcp/index.ts';
import { rateLimits } from './rate-limit.ts';
import { helmetOptions, securityHeaders } from './security-headers.ts';
import { registerRoutes } from './register.ts';
import { revokeRoutes } from './revoke.ts';
import type { Services } from './services.ts';
import { setupRoutes } from './setup.ts';
import { tokenRoutes } from './token.ts';
import { webAppRoutes } from './web-app.ts';

/** Endpoints that browser-based MCP clients call across origins. */
const CORS_PATHS = /^\/(\.well-known\/|oauth\/(register|token|revoke|jwks\.json)$)/;

export function createApp(services: Services): Koa {
  // Behind one reverse proxy, the client is the last X-Forwarded-For entry (the one the proxy
  // added); earlier entries are whatever the client wrote, and would let it pick its own rate-limit key.
  const app = new Koa({ proxy: services.config.trustProxy, maxIpsCount: 1 });
  const https = services.config.publicUrl.startsWith('https:');

  app.use(async (ctx, next) => {
    const started = performance.now();
    await next();
    // Path only: query strings carry codes and state, which never go to logs.
    services.log.info({ method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round(performance.now() - started) }, 'request');
  });
  app.use(errorHandler(services.log));
  app.use(securityHeaders(helmetOptions(https)));
  app.use(async (ctx, next) => (CORS_PATHS.test(ctx.path) ? cors(ctx, next) : next()));
  app.use(queryBound);
  // /mcp reads its own body (the MCP SDK takes the raw request); everything else is parsed here.
  // The router also sends `/MCP` and `/mcp/` there, so they skip the parser too (else the body is spent and /mcp waits forever).
  app.use(async (ctx, next) => (/^\/mcp\/?$/i.test(ctx.path) ? next() : parseBody(ctx, next)));
  // After parsing: sign-in and token limits key on the username and client_id in the form.
  if (services.config.rateLimits.enabled) app.use(rateLimits(services.config.rateLimits));

  const router = new Router();
  for (const routes of [discoveryRoutes, registerRoutes, authorizeRoutes, tokenRoutes, revokeRoutes, jwksRoutes, loginRoutes, consentRoutes, setupRoutes, homeRoutes, webAppRoutes, mcpRoutes]) {
    routes(router, services);
  }
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}
