// The security headers are helmet's, computed once at start: every response must carry exactly
// what helmet itself sets per request with the same options (and over https, HSTS too).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import helmet from 'helmet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Koa from 'koa';
import { helmetOptions, securityHeaders } from '../../src/http/middleware/security-headers.ts';
import { startTestServer, type TestServer } from '../kit/server.ts';

async function helmetHeaders(https: boolean): Promise<Headers> {
  const middleware = helmet(helmetOptions(https));
  const server = createServer((req, res) => middleware(req, res, () => res.end('ok')));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    return (await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`)).headers;
  } finally {
    server.close();
  }
}

/** helmet's own headers: what a bare response with only helmet on it carries, minus Node's. */
const NODE_HEADERS = new Set(['content-length', 'date', 'connection', 'keep-alive']);

function helmetPart(headers: Headers): Record<string, string> {
  return Object.fromEntries([...headers].filter(([name]) => !NODE_HEADERS.has(name)));
}

/** The same headers, read off another response. */
function sameHeaders(headers: Headers, expected: Record<string, string>): Record<string, string | null> {
  return Object.fromEntries(Object.keys(expected).map((name) => [name, headers.get(name)]));
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: { RATE_LIMITS: 'on' } });
});
afterAll(() => server.close());

describe('[security] headers on every response', () => {
  it('[RFC9700-07] pages, OAuth JSON, errors and /mcp carry exactly the headers helmet sets, including anti-framing', async () => {
    const expected = helmetPart(await helmetHeaders(false));
    expect(expected['x-frame-options']).toBe('DENY');
    expect(expected['content-security-policy']).toContain("frame-ancestors 'none'");
    for (const [path, init] of [['/login', {}], ['/.well-known/oauth-authorization-server', {}], ['/nowhere', {}], ['/oauth/token', { method: 'POST' }], ['/mcp', { method: 'POST' }]] as const) {
      const response = await fetch(`${server.url}${path}`, { redirect: 'manual', ...init });
      expect(sameHeaders(response.headers, expected), path).toEqual(expected);
      expect(response.headers.get('x-powered-by'), path).toBeNull();
    }
  });

  it('[RFC9700-07] with the https options the recorded headers include HSTS, as helmet would send', async () => {
    const expected = helmetPart(await helmetHeaders(true));
    expect(expected['strict-transport-security']).toMatch(/max-age=31536000/);
    const app = new Koa();
    app.use(securityHeaders(helmetOptions(true)));
    app.use((ctx) => {
      ctx.body = 'ok';
    });
    const listener = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => listener.once('listening', resolve));
    try {
      const response = await fetch(`http://127.0.0.1:${(listener.address() as AddressInfo).port}/`);
      expect(sameHeaders(response.headers, expected)).toEqual(expected);
    } finally {
      listener.close();
    }
  });
});
