// Security headers on every response, as helmet decides them. None of them depends on the request
// (no CSP nonces), so helmet runs once, at start, against a recorder; each request then gets the
// recorded headers in one loop instead of a dozen middleware calls rebuilding the same strings.
import type { ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';
import type { Middleware } from 'koa';

interface Recorded {
  set: [string, string][];
  removed: string[];
}

function record(options: HelmetOptions): Recorded {
  const recorded: Recorded = { set: [], removed: [] };
  const response = {
    setHeader(name: string, value: string | number | readonly string[]) {
      recorded.set.push([name, String(value)]);
      return response;
    },
    removeHeader(name: string) {
      recorded.removed.push(name);
    },
  };
  let finished = false;
  // Boundary with helmet: it is handed a recorder in place of a real request/response pair. helmet
  // only calls setHeader/removeHeader on it (checked by the test against helmet's own output).
  helmet(options)({} as never, response as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
    finished = true;
  });
  // helmet's middlewares run synchronously; anything else would need the per-request version.
  if (!finished) throw new Error('helmet did not finish synchronously; its headers cannot be computed once');
  return recorded;
}

/** What helmet is asked for: a strict CSP without inline code, no framing, HSTS only over https. */
export function helmetOptions(https: boolean): HelmetOptions {
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      // form-action is left out on purpose: the consent form's answer is a redirect to the
      // client's own redirect URI, which browsers would otherwise block.
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    strictTransportSecurity: https ? { maxAge: 31_536_000 } : false,
    referrerPolicy: { policy: 'no-referrer' },
  };
}

export function securityHeaders(options: HelmetOptions): Middleware {
  const { set, removed } = record(options);
  return async (ctx, next) => {
    for (const [name, value] of set) ctx.res.setHeader(name, value);
    for (const name of removed) ctx.res.removeHeader(name);
    await next();
  };
}
