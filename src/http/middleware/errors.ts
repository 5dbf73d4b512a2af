// The outermost middleware: whatever goes wrong, the client gets an answer in the shape its
// endpoint promises (OAuth JSON for /oauth and discovery, a JSON-RPC error for /mcp, an HTML page
// for pages and the authorization page), never a stack and never a 5xx for a method it does not serve.
import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import { answer, shapeOf } from './refusal.ts';

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
      if (ctx.body !== undefined) return;
      if (ctx.status === 404) {
        return answer(ctx, shapeOf(ctx.path), {
          status: 404,
          error: 'not_found',
          description: `${ctx.method} ${ctx.path} is not served here`,
          page: { title: 'Page not found', message: 'There is nothing at this address.', nextStep: 'Go to the home page and sign in.' },
        });
      }
      // The router's answer to a method a route does not serve (501 for one it has never heard
      // of): a 405 with its Allow header, in the endpoint's shape.
      if (ctx.status === 405 || ctx.status === 501) {
        const allowed = ctx.response.get('Allow');
        const description = `${ctx.method} is not served here${allowed === '' ? '' : `; use ${allowed}`}`;
        return answer(ctx, shapeOf(ctx.path), { status: 405, error: 'invalid_request', description, page: { title: 'That request could not be read', message: description } });
      }
    } catch (error) {
      const known = clientError(error);
      if (!known) log.error({ err: error, reqId: ctx.state.requestId, method: ctx.method, path: ctx.path }, 'request failed');
      const status = known?.status ?? 500;
      const description = known?.message ?? 'something went wrong on the server; try again';
      const code = status === 500 ? 'server_error' : ctx.path === '/oauth/register' ? 'invalid_client_metadata' : 'invalid_request';
      answer(ctx, shapeOf(ctx.path), { status, error: code, description, page: { title: status === 500 ? 'Something went wrong' : 'That request could not be read', message: description } });
    }
  };
}
