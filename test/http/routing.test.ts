// How the shell routes odd requests. Each case was first found by the HTTP fuzzer and is kept
// here as a plain example so it stays fixed without luck: a repeated return_to was a 500; methods a route does not serve were a text/plain 405 or a 501; a
// JSON body to /MCP or /mcp/ (routes match any case and a trailing slash) was never answered; an
// over-long query at /oauth/authorize/ was refused as OAuth JSON instead of a page; a long address
// of a signed-in page, echoed into the sign-in redirect, made a Location header no client could read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { obtainTokens } from '../kit/client.ts';
import { startTestServer, type TestServer } from '../kit/server.ts';

let server: TestServer;
let token: string;

beforeAll(async () => {
  server = await startTestServer({ users: ['alice'] });
  token = (await obtainTokens(server.url, 'alice')).access_token;
});
afterAll(() => server.close());

async function send(path: string, init: RequestInit = {}): Promise<{ status: number; type: string; text: string }> {
  const response = await fetch(`${server.url}${path}`, { redirect: 'manual', signal: AbortSignal.timeout(5000), ...init });
  return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
}

describe('routing: any case, a trailing slash, unserved methods, long addresses', () => {
  it('[MCP-45] a repeated return_to on the sign-in page is ignored, not a 500', async () => {
    const answer = await send('/login?return_to=%2Fnotes&return_to=%2Fnotes');
    expect(answer.status).toBe(200);
    expect(answer.type).toMatch(/^text\/html/);
  });

  it('[OA21-07] a method a route does not serve is a 405 in the endpoint\'s shape, never a 501 or plain text', async () => {
    const tokenEndpoint = await send('/oauth/token');
    expect(tokenEndpoint.status).toBe(405);
    expect(JSON.parse(tokenEndpoint.text)).toMatchObject({ error: 'invalid_request' });
    const page = await send('/consent', { method: 'PURGE' });
    expect(page.status).toBe(405);
    expect(page.type).toMatch(/^text\/html/);
    const mcp = await send('/mcp', { method: 'PURGE', headers: { Authorization: `Bearer ${token}` } });
    expect(mcp.status).toBe(405);
    expect(JSON.parse(mcp.text)).toMatchObject({ jsonrpc: '2.0', error: { code: -32000 } });
  });

  it('[REQ-02] /MCP and /mcp/ answer a JSON-RPC call like /mcp instead of waiting forever', async () => {
    for (const path of ['/mcp', '/mcp/', '/MCP', '/Mcp/']) {
      const answer = await send(path, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', 'MCP-Protocol-Version': '2025-06-18', Authorization: `Bearer ${token}` },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      });
      expect(answer.status, path).toBe(200);
    }
  });

  it('[OA21-07] an over-long query at /oauth/authorize/ is refused with a page, like /oauth/authorize', async () => {
    for (const path of ['/oauth/authorize', '/oauth/authorize/', '/OAUTH/AUTHORIZE']) {
      const answer = await send(`${path}?client_id=${'%F0%9F%98%80'.repeat(800)}`);
      expect(answer.status, path).toBe(414);
      expect(answer.type, path).toMatch(/^text\/html/);
    }
  });

  it('[MCP-45] a signed-in page at a very long address sends a stranger to sign in without echoing it', async () => {
    const long = `/notes/${'%E2%80%AE'.repeat(1000)}`;
    const answer = await fetch(`${server.url}${long}`, { redirect: 'manual' });
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe('/login');
    const short = await fetch(`${server.url}/notes/abc?q=1`, { redirect: 'manual' });
    expect(short.headers.get('location')).toBe(`/login?return_to=${encodeURIComponent('/notes/abc?q=1')}`);
  });
});
