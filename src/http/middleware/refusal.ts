// The one place that answers a refusal in the shape the endpoint promises: OAuth JSON for the OAuth
// endpoints and discovery, a JSON-RPC error for /mcp, and an HTML page for what a person's browser
// shows (sign-in, the authorization page, the web app). The error handler, the size bounds, the
// rate limits and /mcp's own checks all answer through `answer`.
import type { Context } from 'koa';
import { renderErrorPage } from '../../ui/error-page.ts';
import { jsonRpcError, SERVER_ERROR } from './json-rpc-error.ts';
import type { JsonRpcId } from './json-rpc-error.ts';

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

/** What a JSON-RPC answer needs; /mcp's own checks know their shape and give only this. */
export interface JsonRpcRefusal {
  status: number;
  /** One sentence for clients: the OAuth `error_description`, the JSON-RPC error `message`. */
  description: string;
  /** JSON-RPC error code; `SERVER_ERROR` unless the body itself is at fault. */
  code?: number;
  /** The id of the request refused, when there is exactly one; else `null`. */
  id?: JsonRpcId;
  /** Set after the caching headers (`WWW-Authenticate`, `Allow`). */
  headers?: Readonly<Record<string, string>>;
  /**
   * Refused before its route ran (size bounds, rate limits). These answers have always said
   * `Cache-Control: no-store` on pages and `Pragma: no-cache` on JSON-RPC as well, where the error
   * handler's and /mcp's do not; the wire is pinned, so the difference is kept here, in one place.
   */
  beforeRoute?: boolean;
}

/** A refusal any endpoint may get, so it says what each shape needs. */
export interface Refusal extends JsonRpcRefusal {
  /** The OAuth `error` code. */
  error: string;
  page: {
    title: string;
    /** Defaults to the description as a sentence. */
    message?: string;
    /** Defaults to the error page's own advice. */
    nextStep?: string;
  };
}

export function answer(ctx: Context, shape: 'json-rpc', refusal: JsonRpcRefusal): void;
export function answer(ctx: Context, shape: Shape, refusal: Refusal): void;
export function answer(ctx: Context, shape: Shape, refusal: JsonRpcRefusal): void {
  if (shape === 'json-rpc') return answerJsonRpc(ctx, refusal);
  // The overloads admit a refusal without `error` and `page` for the JSON-RPC shape only.
  const full = refusal as Refusal;
  return shape === 'oauth' ? answerOAuth(ctx, full) : answerPage(ctx, full);
}

/** RFC 6749 §5.2: `{ error, error_description }`, never cached. */
function answerOAuth(ctx: Context, refusal: Refusal): void {
  ctx.set('Cache-Control', 'no-store');
  ctx.set('Pragma', 'no-cache');
  setHeaders(ctx, refusal.headers);
  ctx.status = refusal.status;
  ctx.body = { error: refusal.error, error_description: refusal.description };
}

function answerJsonRpc(ctx: Context, refusal: JsonRpcRefusal): void {
  ctx.set('Cache-Control', 'no-store');
  if (refusal.beforeRoute === true) ctx.set('Pragma', 'no-cache');
  setHeaders(ctx, refusal.headers);
  ctx.status = refusal.status;
  ctx.body = jsonRpcError(refusal.code ?? SERVER_ERROR, refusal.description, refusal.id ?? null);
}

function answerPage(ctx: Context, refusal: Refusal): void {
  const { title, message = `${capitalised(refusal.description)}.`, nextStep } = refusal.page;
  ctx.status = refusal.status;
  ctx.type = 'html';
  if (refusal.beforeRoute === true) ctx.set('Cache-Control', 'no-store');
  setHeaders(ctx, refusal.headers);
  ctx.body = renderErrorPage({ status: refusal.status, title, message, ...(nextStep === undefined ? {} : { nextStep }) });
}

function setHeaders(ctx: Context, headers: Readonly<Record<string, string>> = {}): void {
  for (const [name, value] of Object.entries(headers)) ctx.set(name, value);
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
