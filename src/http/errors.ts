// The outermost middleware: whatever goes wrong, the client gets an answer in the shape its
// endpoint promises (OAuth JSON for /oauth and discovery, an HTML page for pages), never a stack.
import type { Context, Middleware } from 'koa';
import type { Logger } from 'pino';
import { renderErrorPage } from '../ui/error-page.ts';
import { sendOAuthError } from './oauth-response.ts';

function wantsJson(ctx: Context): boolean {
  return ctx.path.startsWith('/oauth/') || ctx.path.startsWith('/.well-known/') || ctx.path === '/mcp';
}

/** Errors thrown by body parsing and Koa itself carry a 4xx status and a safe message. */
function clientError(error: unknown): { status: number; message: string } | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const status = (error as { status?: unknown }).status;
  if (typeof status !== 'number' || status < 400 || status > 499) return undefined;
  const message = status === 413 ? 'the request body is too large' : status === 415 ? 'unsupported content type' : 'the request could not be read';
  return { status, message };
}

export function errorHandler(log: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        if (wantsJson(ctx)) return sendOAuthError(ctx, { error: 'not_found', description: `${ctx.method} ${ctx.path} is not served here`, status: 404 });
        ctx.status = 404;
        ctx.type = 'html';
        ctx.body = renderErrorPage({ status: 404, title: 'Page not found', message: 'There is nothing at this address.', nextStep: 'Go to the home page and sign in.' });
      }
    } catch (error) {
      const known = clientError(error);
      if (!known) log.error({ err: error, method: ctx.method, path: ctx.path }, 'request failed');
      const status = known?.status ?? 500;
      const message = known?.message ?? 'something went wrong on the server; try again';
      if (wantsJson(ctx)) {
        const code = status === 500 ? 'server_error' : ctx.path === '/oauth/register' ? 'invalid_client_metadata' : 'invalid_request';
        return sendOAuthError(ctx, { error: code, description: message, status: status as 400 });
      }
      ctx.status = status;
      ctx.type = 'html';
      ctx.body = renderErrorPage({ status, title: status === 500 ? 'Something went wrong' : 'That request could not be read', message });
    }
  };
}
