// What an operator relies on from the HTTP side: /healthz, request ids on answers and log lines,
// forwarded headers believed only from the configured proxies, the loud warning when keys.json
// went missing, and retired signing keys leaving the JWKS once their tokens have expired.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { decodeProtectedHeader } from 'jose';
import Koa from 'koa';
import { afterEach, describe, expect, it } from 'vitest';
import { configFromEnv } from '../../src/config.ts';
import { forwardedOnlyFrom } from '../../src/http/middleware/forwarded.ts';
import { CLOCK_TOLERANCE } from '../../src/tokens/index.ts';
import { obtainTokens } from '../kit/client.ts';
import { startTestServer, type TestServer } from '../kit/server.ts';
import { tempDataDir } from '../kit/temp-dir.ts';

const servers: TestServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

async function server(options: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
  const started = await startTestServer(options);
  servers.push(started);
  return started;
}

/** Log lines written by the server, parsed. */
function logCapture(): { stream: PassThrough; lines(): Record<string, unknown>[] } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { stream, lines: () => text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('[ops] /healthz', () => {
  it('[OPS-HEALTH-01] answers ok with the checks and nothing else: no version, no counts', async () => {
    const running = await server({ dataDir: await tempDataDir(), users: ['alice'] });
    const response = await fetch(`${running.url}/healthz`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ status: 'ok', checks: { store: 'ok', keys: 'ok' } });
  });

  it('[OPS-HEALTH-01] once a journal write has failed, the store check fails and /healthz answers 503', async () => {
    const running = await server({ dataDir: await tempDataDir() });
    // A change the journal refuses to write (a put without a value) stops the commit queue, as a full disk would.
    await expect(running.services.queue.apply((state) => ({ state, changes: [{ op: 'put', collection: 'users', key: 'x', value: undefined } as never], outcome: null }))).rejects.toThrow();
    const response = await fetch(`${running.url}/healthz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: 'unavailable', checks: { store: 'failing', keys: 'ok' } });
  });
});

describe('[ops] request ids', () => {
  it('[OPS-LOG-01] every answer carries a fresh X-Request-Id, and the same id is on its log line', async () => {
    const logs = logCapture();
    const running = await server({ logDestination: logs.stream });
    const ids: string[] = [];
    for (const path of ['/healthz', '/.well-known/oauth-authorization-server', '/nowhere']) {
      const response = await fetch(`${running.url}${path}`);
      ids.push(response.headers.get('x-request-id') ?? '');
    }
    expect(new Set(ids).size).toBe(3);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const requestLines = logs.lines().filter((line) => line['msg'] === 'request');
    expect(requestLines.map((line) => [line['reqId'], line['path']])).toEqual([[ids[0], '/healthz'], [ids[1], '/.well-known/oauth-authorization-server'], [ids[2], '/nowhere']]);
  });

  it('[OPS-LOG-01][OPS-PROXY-01] an id handed on by a trusted proxy is kept; from anyone else it is replaced', async () => {
    const viaProxy = await server({ env: { TRUST_PROXY: 'on' } }); // loopback, where the test connects from, is the default proxy
    const kept = await fetch(`${viaProxy.url}/healthz`, { headers: { 'X-Request-Id': 'proxy-id-123' } });
    expect(kept.headers.get('x-request-id')).toBe('proxy-id-123');
    const strange = await fetch(`${viaProxy.url}/healthz`, { headers: { 'X-Request-Id': 'has spaces and "quotes"' } });
    expect(strange.headers.get('x-request-id')).not.toBe('has spaces and "quotes"');

    const elsewhere = await server({ env: { TRUST_PROXY: 'on', TRUST_PROXY_ADDRESSES: '10.0.0.0/8' } });
    const replaced = await fetch(`${elsewhere.url}/healthz`, { headers: { 'X-Request-Id': 'proxy-id-123' } });
    expect(replaced.headers.get('x-request-id')).not.toBe('proxy-id-123');
    const off = await server({});
    expect((await fetch(`${off.url}/healthz`, { headers: { 'X-Request-Id': 'proxy-id-123' } })).headers.get('x-request-id')).not.toBe('proxy-id-123');
  });
});

describe('[ops] forwarded headers and where the server listens', () => {
  /** A Koa app behind the middleware that reports the address and scheme it believed. */
  async function echo(ranges: string[]): Promise<{ url: string; close(): void }> {
    const app = new Koa({ proxy: true, maxIpsCount: 1 });
    app.use(forwardedOnlyFrom(ranges));
    app.use((ctx) => {
      ctx.body = { ip: ctx.ip, protocol: ctx.protocol, host: ctx.host };
    });
    const http = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => http.once('listening', resolve));
    return { url: `http://127.0.0.1:${(http.address() as { port: number }).port}`, close: () => http.close() };
  }
  const forged = { 'X-Forwarded-For': '203.0.113.7', 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'evil.example' };

  it('[OPS-PROXY-01] X-Forwarded-* from a configured proxy are believed; from any other address they are dropped', async () => {
    const trusted = await echo(['127.0.0.1', '::1']);
    const untrusted = await echo(['10.0.0.0/8', '192.0.2.1']);
    try {
      const believed = (await (await fetch(trusted.url, { headers: forged })).json()) as Record<string, string>;
      expect(believed).toEqual({ ip: '203.0.113.7', protocol: 'https', host: 'evil.example' });
      const dropped = (await (await fetch(untrusted.url, { headers: forged })).json()) as Record<string, string>;
      expect(dropped.ip).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
      expect(dropped.protocol).toBe('http');
      expect(dropped.host).toMatch(/^127\.0\.0\.1:\d+$/);
    } finally {
      trusted.close();
      untrusted.close();
    }
  });

  it('[OPS-PROXY-01] the server binds 127.0.0.1 unless HOST says otherwise, and trusts only loopback proxies by default', () => {
    const defaults = configFromEnv({});
    expect(defaults.host).toBe('127.0.0.1');
    expect(defaults.trustProxy).toBe(false);
    expect(defaults.trustedProxies).toEqual(['127.0.0.1', '::1']);
    expect(configFromEnv({ HOST: '0.0.0.0', TRUST_PROXY: 'on', TRUST_PROXY_ADDRESSES: '10.1.2.3, 172.16.0.0/12' })).toMatchObject({ host: '0.0.0.0', trustProxy: true, trustedProxies: ['10.1.2.3', '172.16.0.0/12'] });
    expect(configFromEnv({ TRUST_PROXY: '1' }).trustProxy).toBe(true); // what it took before
  });
});

describe('[ops] signing keys', () => {
  it('[OPS-KEYS-03] keys.json missing next to existing data is a loud warning, and a fresh directory is not', async () => {
    const dataDir = await tempDataDir();
    const fresh = logCapture();
    const first = await startTestServer({ dataDir, users: ['alice'], logDestination: fresh.stream });
    await first.close();
    expect(fresh.lines().filter((line) => line['level'] === 40)).toEqual([]);

    await rm(join(dataDir, 'keys.json'));
    const again = logCapture();
    await server({ dataDir, logDestination: again.stream });
    const warnings = again.lines().filter((line) => line['level'] === 40).map((line) => line['msg']);
    expect(warnings).toEqual([expect.stringMatching(/^keys\.json was missing next to existing data in .*: new signing keys were made, so every access token issued before no longer verifies/)]);
  });

  it('[OPS-KEYS-02] a retired key stays in the JWKS until the last token it signed has expired, then the tick drops it', async () => {
    const running = await server({ dataDir: await tempDataDir(), users: ['alice'] });
    const old = await obtainTokens(running.url, 'alice');
    const oldKid = decodeProtectedHeader(old.access_token).kid;
    await running.services.signingKeys.rotate();
    const retention = running.config.core.accessTokenTtl + CLOCK_TOLERANCE;
    const published = async () => ((await (await fetch(`${running.url}/oauth/jwks.json`)).json()) as { keys: { kid: string }[] }).keys.map((key) => key.kid);

    running.clock.offset = retention - 5; // the old token is about to expire: its key is still needed
    await running.services.signingKeys.dropExpired();
    expect(await published()).toContain(oldKid);
    expect((await running.services.verifyAccessToken(old.access_token)).ok).toBe(true); // within the clock tolerance, so its key must stay
    running.clock.offset = retention + 1;
    await running.services.signingKeys.dropExpired();
    expect(await published()).not.toContain(oldKid);
    expect(running.services.signingKeys.roles().map((key) => key.role)).toEqual(['signing', 'signing']);
  });
});
