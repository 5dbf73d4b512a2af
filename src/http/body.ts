// Request bodies: size-limited, and read as exactly the media type each endpoint promises.
import type { Context } from 'koa';
import { koaBody } from 'koa-body';
import type { Params } from '../core/index.ts';
import { paramsFrom } from './params.ts';

export const BODY_LIMIT = '64kb';

/** Parses JSON and form bodies up to the limit, keeping the raw form text for exact parsing. */
export const parseBody = koaBody({
  json: true,
  urlencoded: true,
  text: false,
  multipart: false,
  jsonLimit: BODY_LIMIT,
  formLimit: BODY_LIMIT,
  jsonStrict: true,
  includeUnparsed: true,
});

/** A form body as `Params` (repeats kept as lists), or `undefined` if it was not a form. */
export function formParams(ctx: Context): Params | undefined {
  if (!ctx.is('application/x-www-form-urlencoded')) return undefined;
  // koa-body keeps the raw text (with `includeUnparsed`) so repeated names survive as lists.
  const raw = (ctx.request as { rawBody?: unknown }).rawBody;
  return paramsFrom(new URLSearchParams(typeof raw === 'string' ? raw : ''));
}
