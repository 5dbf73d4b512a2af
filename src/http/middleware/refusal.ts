// Answers for requests refused before their route runs (rate limits, size bounds), in the shape the
// endpoint promises: OAuth JSON for the OAuth endpoints and discovery, a JSON-RPC error for /mcp,
// and an HTML page for what a person's browser shows (sign-in, the authorization page, the web app).
import type { Context } from 'koa';
import { jsonRpcError, SERVER_ERROR } from '../../mcp/json-rpc.ts';
import { renderErrorPage } from '../../ui/error-page.ts';
import { sendJson } from '../oauth/response.ts';
import { sendPage } from '../web/pages.ts';

export type Shape = 'oauth' | 'json-rpc' | 'page';

/**
 * `/oauth/authorize` is a page: its errors before validation are never redirected (EC-25). Routes
 * match whatever the case and with one trailing slash (`/OAUTH/AUTHORIZE/`), so shapes do too.
 */
export function shapeOf(path: string): Shape {
  const lower = path.toLowerCase();
  const route = lower.length > 1 && lower.endsWith('/') ? lower.slice(0, -1) : lower;
  if (route === '/mcp') return 'json-rpc';
  if (route === '/oauth/authorize') return 'page';
  return lower.startsWith('/oauth/') || lower.startsWith('/.well-known/') ? 'oauth' : 'page';
}

export interface Refusal {
  status: number;
  /** The OAuth `error` code for the JSON shape. */
  error: string;
  /** One sentence for clients and people alike. */
  description: string;
  /** Page only. */
  title: string;
  nextStep: string;
}

export function refuse(ctx: Context, shape: Shape, refusal: Refusal): void {
  switch (shape) {
    case 'oauth':
      return sendJson(ctx, refusal.status, { error: refusal.error, error_description: refusal.description });
    case 'json-rpc':
      return sendJson(ctx, refusal.status, jsonRpcError(SERVER_ERROR, refusal.description));
    case 'page':
      return sendPage(ctx, refusal.status, renderErrorPage({ status: refusal.status, title: refusal.title, message: `${capitalised(refusal.description)}.`, nextStep: refusal.nextStep }));
  }
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
