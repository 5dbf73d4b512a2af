// Every request gets an id, on its log line and in the X-Request-Id response header, so an
// operator can find the line behind what a client reported. A proxy we trust may hand its own id
// on (then the proxy's log and ours agree); from anyone else the header is ignored.
import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';

/** What a forwarded id may look like: short, printable, nothing a log viewer would interpret. */
const FORWARDED_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestId(fromTrustedProxy: (address: string | undefined) => boolean): Middleware {
  return async (ctx, next) => {
    const offered = ctx.get('X-Request-Id');
    const id = offered !== '' && FORWARDED_ID.test(offered) && fromTrustedProxy(ctx.req.socket.remoteAddress) ? offered : randomUUID();
    ctx.state.requestId = id;
    ctx.set('X-Request-Id', id);
    await next();
  };
}
