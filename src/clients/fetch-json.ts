// One guarded HTTPS GET of a small JSON document: a client's metadata document or its key set.
// Addresses are checked after the name lookup and again on the connected socket, redirects are
// never followed, and size and time are capped, so a hostile document host can neither reach
// inside the network nor hold a request up for long.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request } from 'node:https';
import type { LookupFunction } from 'node:net';
import { isPublicAddress } from './address-guard.ts';

export interface FetchPolicy {
  timeoutMs: number;
  maxBytes: number;
  /** Extra trusted CA certificates (tests: a test CA; never needed in production). */
  ca?: string;
  /**
   * Test-only: host names that really live at a loopback address and port. Only these bypass
   * the address guard, and only for that exact address; empty in production.
   */
  hosts?: Readonly<Record<string, { address: string; port: number }>>;
  /** Name lookup to guard (tests fake DNS answers); the system resolver by default. */
  lookup?: typeof dnsLookup;
  /** Which addresses may be reached: public unicast ones unless a test says none at all. */
  reachable?: (address: string) => boolean;
}

export const DEFAULT_FETCH_POLICY: FetchPolicy = { timeoutMs: 5000, maxBytes: 5 * 1024 };

export type FetchResult = { ok: true; body: unknown; maxAge?: number } | { ok: false; why: string };

class Refused extends Error {}

/** A lookup that answers only when every address the name resolves to may be reached. */
function guardedLookup(base: typeof dnsLookup, reachable: (address: string) => boolean): LookupFunction {
  return (hostname, options, callback) => {
    base(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 4);
      const list = addresses as unknown as LookupAddress[];
      const bad = list.find((entry) => !reachable(entry.address));
      if (bad || list.length === 0) return callback(new Refused(`${hostname} resolves to a non-public address${bad ? ` (${bad.address})` : ''}`), '', 4);
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

/** `max-age` in seconds, with `no-store` and `no-cache` meaning "as short as allowed" (0). */
function maxAgeOf(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const directives = header.toLowerCase().split(',').map((d) => d.trim());
  if (directives.includes('no-store') || directives.includes('no-cache')) return 0;
  const maxAge = directives.find((d) => d.startsWith('max-age='));
  const seconds = maxAge === undefined ? NaN : Number(maxAge.slice('max-age='.length));
  return Number.isInteger(seconds) && seconds >= 0 ? seconds : undefined;
}

function isJsonType(type: string | undefined): boolean {
  const essence = (type ?? '').split(';', 1)[0]!.trim().toLowerCase();
  return essence === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(essence);
}

/** What a developer can act on, without internals: the connection error's code, not its stack. */
function describe(error: unknown): string {
  if (error instanceof Refused) return error.message;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'its host name does not resolve';
  if (code === 'ECONNREFUSED') return 'its host refused the connection';
  if (code !== undefined && /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO/.test(code)) return `its TLS certificate is not trusted (${code})`;
  return `the connection failed${code === undefined ? '' : ` (${code})`}`;
}

export function fetchJson(raw: string, policy: FetchPolicy = DEFAULT_FETCH_POLICY): Promise<FetchResult> {
  const url = new URL(raw);
  if (url.protocol !== 'https:') return Promise.resolve({ ok: false, why: 'is not an https URL' });
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  const mapped = policy.hosts?.[hostname];
  const reachable = policy.reachable ?? isPublicAddress;
  // An IP literal skips the name lookup, so it is judged here (and again once connected).
  if (!mapped && /^[\d.]+$|:/.test(hostname) && !reachable(hostname)) return Promise.resolve({ ok: false, why: `${hostname} is not a public address` });
  const allowed = (address: string | undefined) => (mapped ? address === mapped.address : address !== undefined && reachable(address));

  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: FetchResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(result);
    };
    const req = request({
      host: mapped?.address ?? hostname,
      port: mapped?.port ?? (url.port === '' ? 443 : Number(url.port)),
      servername: hostname,
      path: `${url.pathname}${url.search}`,
      method: 'GET',
      headers: { host: url.host, accept: 'application/json', 'user-agent': 'agent-notes (client metadata fetcher)' },
      agent: false,
      ...(mapped ? {} : { lookup: guardedLookup(policy.lookup ?? dnsLookup, reachable) }),
      ...(policy.ca === undefined ? {} : { ca: policy.ca }),
    });
    const timer = setTimeout(() => finish({ ok: false, why: `its host did not answer within ${policy.timeoutMs / 1000} s` }), policy.timeoutMs);
    req.on('socket', (socket) => {
      // Checked again on the connected socket: what was resolved is what was reached.
      socket.once('connect', () => {
        if (!allowed(socket.remoteAddress)) finish({ ok: false, why: `connected to a non-public address (${socket.remoteAddress})` });
      });
    });
    req.on('error', (error) => finish({ ok: false, why: describe(error) }));
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400) return finish({ ok: false, why: `answered a redirect (HTTP ${status}), which is not followed` });
      if (status !== 200) return finish({ ok: false, why: `answered HTTP ${status}` });
      if (!isJsonType(res.headers['content-type'])) return finish({ ok: false, why: `answered ${res.headers['content-type'] ?? 'no content type'}, not JSON` });
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > policy.maxBytes) return finish({ ok: false, why: `is larger than ${policy.maxBytes} bytes` });
        chunks.push(chunk);
      });
      res.on('error', (error) => finish({ ok: false, why: describe(error) }));
      res.on('end', () => {
        let body: unknown;
        try {
          body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks)));
        } catch {
          return finish({ ok: false, why: 'is not valid JSON' });
        }
        const maxAge = maxAgeOf(res.headers['cache-control']);
        finish(maxAge === undefined ? { ok: true, body } : { ok: true, body, maxAge });
      });
    });
    req.end();
  });
}
