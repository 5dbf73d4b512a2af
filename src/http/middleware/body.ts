// Request bodies: size-limited, and read as exactly the media type each endpoint promises.
import type { Context } from 'koa';
import { koaBody } from 'koa-body';
import type { Params } from '../../core/index.ts';
import { paramsFrom } from './params.ts';

export const BODY_LIMIT = '64kb';

/**
 * Parses JSON bodies and reads form bodies as text, up to the limit. Forms are parsed once, by
 * `formParams` from the raw text (repeated names kept); koa-body's own form parsing (qs) was work
 * thrown away on every token request.
 */
export const parseBody = koaBody({
  json: true,
  urlencoded: false,
  text: true,
  textTypes: ['urlencoded'],
  multipart: false,
  jsonLimit: BODY_LIMIT,
  textLimit: BODY_LIMIT,
  jsonStrict: true,
  includeUnparsed: true,
});

/** A form body as `Params` (repeats kept as lists), or `undefined` if it was not a form. */
export function formParams(ctx: Context): Params | undefined {
  // parseBody reads only urlencoded bodies as text, so a string body is a form (no second type check).
  const { body, rawBody } = ctx.request as { body?: unknown; rawBody?: unknown };
  if (typeof body !== 'string') return undefined;
  return paramsFrom(new URLSearchParams(typeof rawBody === 'string' ? rawBody : body));
}
