// X-Forwarded-For, -Proto and -Host count only on connections from a configured proxy (loopback
// by default): with TRUST_PROXY on, anyone who reaches the port directly could otherwise forge
// the address their rate limits are keyed on, or claim https.
import type { Middleware } from 'koa';
import ipaddr from 'ipaddr.js';

const FORWARDED = ['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-forwarded-port'] as const;

/** Whether `address` (as the socket reports it) falls in one of `ranges` (addresses or CIDRs). */
export function proxyMatcher(ranges: readonly string[]): (address: string | undefined) => boolean {
  const parsed = ranges.map((range) => (range.includes('/') ? ipaddr.parseCIDR(range) : ([ipaddr.parse(range), ipaddr.parse(range).kind() === 'ipv4' ? 32 : 128] as const)));
  return (address) => {
    if (address === undefined || !ipaddr.isValid(address)) return false;
    const peer = ipaddr.process(address); // ::ffff:127.0.0.1 is 127.0.0.1
    return parsed.some(([base, bits]) => peer.kind() === base.kind() && peer.match(base, bits));
  };
}

/** Drops the forwarded headers of a request that did not come through a trusted proxy. */
export function forwardedOnlyFrom(ranges: readonly string[]): Middleware {
  const trusted = proxyMatcher(ranges);
  return (ctx, next) => {
    if (!trusted(ctx.req.socket.remoteAddress)) for (const header of FORWARDED) delete ctx.req.headers[header];
    return next();
  };
}
