// ChatGPT's mixed mode (MCP_AUTH_MODE=mixed): discovery and listing are anonymous, a stale token
// is ignored, the public tool runs for anyone, and protected tools challenge in band.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  challengeParams,
  legacy,
  legacyInitialize,
  modern,
  obtainTokens,
  postMcp,
  resultOf,
  send,
  startTestServer,
  type TestServer,
  type Tokens,
} from './harness.ts';

let server: TestServer;
let prm: string;
let full: Tokens;
let readOnly: Tokens;
const STALE = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJub2JvZHkifQ.c3RhbGU';

beforeAll(async () => {
  server = await startTestServer({ env: { MCP_AUTH_MODE: 'mixed' } });
  prm = `${server.url}/.well-known/oauth-protected-resource/mcp`;
  await server.addUser('alice');
  [full, readOnly] = await Promise.all([obtainTokens(server.url, 'alice'), obtainTokens(server.url, 'alice', 'notes:read')]);
});
afterAll(() => server.close());

/** The one challenge string of an in-band challenge, checked for shape (EC-44). */
function inBandChallenge(result: Record<string, unknown>): string {
  expect(result.isError).toBe(true);
  const meta = result._meta as Record<string, unknown>;
  const value = meta['mcp/www_authenticate'];
  expect(Array.isArray(value)).toBe(true);
  expect(value).toHaveLength(1);
  const [challenge] = value as string[];
  expect(typeof challenge).toBe('string');
  expect(challenge!.startsWith('Bearer ')).toBe(true);
  expect(challenge!.startsWith("'")).toBe(false);
  expect(challenge!.endsWith("'")).toBe(false);
  return challenge!;
}

describe('[mcp] mixed mode: anonymous discovery and listing', () => {
  it('[EC-38][CGPT-47][REQ-05] initialize, tools/list, ping and notifications work without a token (legacy era)', async () => {
    const init = await send(server.mcpUrl, legacyInitialize());
    expect(init.status).toBe(200);
    expect(resultOf(init)).toMatchObject({ serverInfo: { name: 'agent-notes' } });
    const notified = await postMcp(server.mcpUrl, { jsonrpc: '2.0', method: 'notifications/initialized' }, { headers: { 'MCP-Protocol-Version': '2025-06-18' } });
    expect(notified.status).toBe(202);
    expect((await send(server.mcpUrl, legacy('ping'))).status).toBe(200);
    const list = await send(server.mcpUrl, legacy('tools/list'));
    expect((resultOf(list).tools as unknown[]).length).toBe(10);
  });

  it('[EC-38][MCP-51][REQ-05] server/discover and tools/list work without a token (2026-07-28 era)', async () => {
    const discover = await send(server.mcpUrl, modern('server/discover'));
    expect(discover.status).toBe(200);
    expect(resultOf(discover)).toMatchObject({ supportedVersions: ['2026-07-28'] });
    expect((await send(server.mcpUrl, modern('tools/list'))).status).toBe(200);
  });

  it('[EC-38] tools/list is the same for everyone: anonymous, read-only and full tokens see every tool alike', async () => {
    const lists = await Promise.all([undefined, readOnly.access_token, full.access_token].map(async (token) => resultOf(await send(server.mcpUrl, legacy('tools/list'), token)).tools));
    expect(lists[1]).toEqual(lists[0]);
    expect(lists[2]).toEqual(lists[0]);
  });

  it('[EC-34] a stale or invalid token on anonymous operations is ignored, never a 401', async () => {
    for (const request of [legacyInitialize(), legacy('tools/list'), modern('server/discover'), modern('tools/list')]) {
      const answer = await send(server.mcpUrl, request, STALE);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('www-authenticate')).toBeNull();
    }
  });

  it('[EC-34][CGPT-45] the noauth tool runs anonymously, and with a stale token', async () => {
    for (const token of [undefined, STALE]) {
      const result = resultOf(await send(server.mcpUrl, legacy('tools/call', { name: 'about', arguments: {} }), token));
      expect(result.isError).toBeUndefined();
      expect(result.structuredContent).toEqual({ name: 'agent-notes', version: expect.any(String), mcp_url: server.mcpUrl, auth_mode: 'mixed' });
    }
  });

  it('[EC-40] GET and HEAD are 405 in mixed mode, with or without a token; OPTIONS is 204', async () => {
    for (const method of ['GET', 'HEAD']) {
      const response = await fetch(server.mcpUrl, { method });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('POST');
    }
    expect((await fetch(server.mcpUrl, { method: 'OPTIONS' })).status).toBe(204);
  });
});

describe('[mcp] mixed mode: in-band challenges', () => {
  it('[REQ-05][CGPT-46][EC-36][EC-37][EC-44] a protected tool without a token answers HTTP 200 with isError and one challenge string', async () => {
    const answer = await send(server.mcpUrl, legacy('tools/call', { name: 'create_note', arguments: { title: 'anonymous' } }));
    expect(answer.status).toBe(200);
    expect(answer.headers.get('www-authenticate')).toBeNull();
    const result = resultOf(answer);
    const params = challengeParams(inBandChallenge(result));
    expect(params).toEqual({ resource_metadata: prm, error: 'invalid_token', error_description: expect.any(String), scope: 'notes:read notes:write' });
    expect((result.content as { type: string; text: string }[])[0]).toMatchObject({ type: 'text', text: expect.stringMatching(/connect|sign in/i) });
    expect(Object.values(server.services.queue.state.notes).some((note) => note.title === 'anonymous')).toBe(false);
  });

  it('[EC-34][CGPT-46] a stale token on a protected tool gets the same invalid_token challenge, in band', async () => {
    const answer = await send(server.mcpUrl, modern('tools/call', { name: 'search', arguments: { query: 'x' } }), STALE);
    expect(answer.status).toBe(200);
    expect(challengeParams(inBandChallenge(resultOf(answer)))).toMatchObject({ error: 'invalid_token', resource_metadata: prm });
  });

  it('[CGPT-44] the challenge comes before input checks: bad arguments still get the challenge', async () => {
    const answer = await send(server.mcpUrl, legacy('tools/call', { name: 'fetch', arguments: { wrong: 1 } }));
    expect(challengeParams(inBandChallenge(resultOf(answer))).error).toBe('invalid_token');
  });

  it('[REQ-05][EC-37][MCP-25] a read-only token calling a write tool gets an in-band insufficient_scope naming notes:write', async () => {
    const answer = await send(server.mcpUrl, legacy('tools/call', { name: 'delete_note', arguments: { id: 'x' } }), readOnly.access_token);
    expect(answer.status).toBe(200);
    expect(challengeParams(inBandChallenge(resultOf(answer)))).toEqual({ resource_metadata: prm, error: 'insufficient_scope', error_description: expect.any(String), scope: 'notes:write' });
  });

  it('[REQ-05] with a sufficient token the protected tools run as usual', async () => {
    const created = resultOf(await send(server.mcpUrl, legacy('tools/call', { name: 'create_note', arguments: { title: 'Mixed', body: 'linked at last' } }), full.access_token));
    expect(created.isError).toBeUndefined();
    const found = resultOf(await send(server.mcpUrl, modern('tools/call', { name: 'search', arguments: { query: 'linked' } }), readOnly.access_token));
    expect(found.structuredContent).toMatchObject({ results: [{ title: 'Mixed' }] });
  });

  it('[EC-36] a batch with a protected call and no token gets the HTTP challenge (no single result could carry it)', async () => {
    const batch = [legacy('tools/call', { name: 'about', arguments: {} }).body, legacy('tools/call', { name: 'search', arguments: { query: 'x' } }).body];
    const answer = await postMcp(server.mcpUrl, batch, { headers: { 'MCP-Protocol-Version': '2025-06-18' } });
    expect(answer.status).toBe(401);
    expect(challengeParams(answer.headers.get('www-authenticate'))).toEqual({ resource_metadata: prm, scope: 'notes:read notes:write' });
  });

  it('[MCP-49] Origin is still checked first in mixed mode', async () => {
    const answer = await postMcp(server.mcpUrl, legacyInitialize().body, { headers: { Origin: 'https://evil.example' } });
    expect(answer.status).toBe(403);
  });
});
