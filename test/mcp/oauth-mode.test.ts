// The MCP endpoint in `oauth` mode over a real socket: every challenge shape and status code, the
// check order (Origin, then auth, then protocol), the methods besides POST, and scope enforcement.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  callTool,
  challengeParams,
  legacy,
  legacyInitialize,
  modern,
  obtainTokens,
  postMcp,
  send,
  startTestServer,
  type TestServer,
  type Tokens,
} from './harness.ts';

let server: TestServer;
let prm: string;
let full: Tokens;
let readOnly: Tokens;
let writeOnly: Tokens;

beforeAll(async () => {
  server = await startTestServer({ env: { MCP_AUTH_MODE: 'oauth', ALLOWED_ORIGINS: 'https://inspector.example.org' } });
  prm = `${server.url}/.well-known/oauth-protected-resource/mcp`;
  await server.addUser('alice');
  [full, readOnly, writeOnly] = await Promise.all([
    obtainTokens(server.url, 'alice'),
    obtainTokens(server.url, 'alice', 'notes:read'),
    obtainTokens(server.url, 'alice', 'notes:write'),
  ]);
});
afterAll(() => server.close());

async function signedClaims(changes: Record<string, unknown>): Promise<string> {
  const verified = await server.services.verifyAccessToken(full.access_token);
  if (!verified.ok) throw new Error('the test token should verify');
  return server.services.keys.sign({ ...verified.claims, ...changes } as typeof verified.claims);
}

describe('[mcp] oauth mode: no token', () => {
  it('[REQ-02][RFC6750-04][EC-37][CGPT-05][MCP-05][MCP-08] a request without a token gets 401 with resource_metadata and scope, and no error', async () => {
    const answer = await send(server.mcpUrl, legacyInitialize());
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toBe(`Bearer resource_metadata="${prm}", scope="notes:read notes:write"`);
    expect(answer.message).toMatchObject({ jsonrpc: '2.0', error: { code: -32000 }, id: null });
    expect(answer.headers.get('cache-control')).toBe('no-store');
  });

  it('[REQ-01][MCP-05] the challenged resource_metadata URL serves the protected-resource metadata', async () => {
    const metadata = (await (await fetch(prm)).json()) as Record<string, unknown>;
    expect(metadata).toMatchObject({ resource: server.mcpUrl, authorization_servers: [server.url] });
  });

  it('[REQ-06][EC-39][MCP-51] both eras\' first requests get the challenge: initialize and server/discover', async () => {
    for (const request of [legacyInitialize(), modern('server/discover'), modern('tools/list'), legacy('tools/list')]) {
      const answer = await send(server.mcpUrl, request);
      expect(answer.status).toBe(401);
      expect(challengeParams(answer.headers.get('www-authenticate'))).toEqual({ resource_metadata: prm, scope: 'notes:read notes:write' });
    }
  });

  it('[EC-39][MCP-50] authentication wins over protocol errors: bad version, missing headers, malformed JSON, wrong media type', async () => {
    const cases = [
      send(server.mcpUrl, modern('server/discover'), undefined, { 'MCP-Protocol-Version': '1999-01-01' }),
      postMcp(server.mcpUrl, (modern('tools/list').body), {}),
      postMcp(server.mcpUrl, '{"jsonrpc": "2.0", "method": ', {}),
      postMcp(server.mcpUrl, '{}', { headers: { 'Content-Type': 'text/plain' } }),
    ];
    for (const answer of await Promise.all(cases)) {
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer resource_metadata=/);
    }
  });

  it('[RFC6750-01][MCP-32] a token in the query string is not a credential', async () => {
    const response = await fetch(`${server.mcpUrl}?access_token=${full.access_token}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' },
      body: JSON.stringify(legacyInitialize().body),
    });
    expect(response.status).toBe(401);
    expect(challengeParams(response.headers.get('www-authenticate'))).not.toHaveProperty('error');
  });

  it('[EC-40] GET and HEAD without a token get the same 401 challenge (HEAD without a body)', async () => {
    const get = await fetch(server.mcpUrl, { headers: { Accept: 'text/event-stream' } });
    expect(get.status).toBe(401);
    expect(get.headers.get('www-authenticate')).toBe(`Bearer resource_metadata="${prm}", scope="notes:read notes:write"`);
    const head = await fetch(server.mcpUrl, { method: 'HEAD' });
    expect(head.status).toBe(401);
    expect(head.headers.get('www-authenticate')).toBe(`Bearer resource_metadata="${prm}", scope="notes:read notes:write"`);
    expect(await head.text()).toBe('');
  });

  it('[EC-40] an OPTIONS preflight needs no token and answers 204 with CORS for an allowed origin', async () => {
    const response = await fetch(server.mcpUrl, {
      method: 'OPTIONS',
      headers: { Origin: 'https://inspector.example.org', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization, content-type, mcp-protocol-version, mcp-param-region' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://inspector.example.org');
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    const allowed = response.headers.get('access-control-allow-headers')!.toLowerCase();
    for (const header of ['authorization', 'content-type', 'mcp-protocol-version', 'mcp-method', 'mcp-name', 'mcp-param-region']) expect(allowed).toContain(header);
    expect(response.headers.get('vary')).toMatch(/origin/i);
    const bare = await fetch(server.mcpUrl, { method: 'OPTIONS' });
    expect(bare.status).toBe(204);
    expect(bare.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('[mcp] oauth mode: refused tokens', () => {
  it('[REQ-03][MCP-33][CGPT-42][MCP-07] garbage, foreign-audience, foreign-issuer and badly signed tokens get 401 invalid_token with a description', async () => {
    const foreignAudience = await signedClaims({ aud: 'https://other.example/mcp' });
    const arrayAudience = await signedClaims({ aud: [server.mcpUrl, 'https://other.example/mcp'] });
    const foreignIssuer = await signedClaims({ iss: 'https://other.example' });
    const [header, payload] = full.access_token.split('.');
    const badSignature = `${header}.${payload}.${'A'.repeat(86)}`;
    for (const token of ['not-a-jwt', foreignAudience, arrayAudience, foreignIssuer, badSignature]) {
      const answer = await send(server.mcpUrl, legacyInitialize(), token);
      expect(answer.status, token).toBe(401);
      const params = challengeParams(answer.headers.get('www-authenticate'));
      expect(params).toMatchObject({ resource_metadata: prm, error: 'invalid_token', scope: 'notes:read notes:write' });
      expect(params.error_description?.length).toBeGreaterThan(0);
    }
  });

  it('[EC-33][MCP-34][MCP-35] a token for another resource is refused even though we signed it', async () => {
    const answer = await send(server.mcpUrl, legacy('tools/list'), await signedClaims({ aud: `${server.mcpUrl}/` }));
    expect(answer.status).toBe(401);
    expect(challengeParams(answer.headers.get('www-authenticate')).error_description).toMatch(/audience/);
  });

  it('[REQ-03][CGPT-43] an expired token gets 401 invalid_token "token expired"', async () => {
    const tokens = await obtainTokens(server.url, 'alice');
    server.clock.offset = 2 * 3600;
    try {
      const answer = await send(server.mcpUrl, legacy('tools/list'), tokens.access_token);
      expect(answer.status).toBe(401);
      expect(challengeParams(answer.headers.get('www-authenticate'))).toMatchObject({ error: 'invalid_token', error_description: 'token expired' });
    } finally {
      server.clock.offset = 0;
    }
  });

  it('[REQ-03][MCP-48] revoking the grant makes its access token fail at once', async () => {
    const tokens = await obtainTokens(server.url, 'alice');
    expect((await send(server.mcpUrl, legacy('tools/list'), tokens.access_token)).status).toBe(200);
    await fetch(`${server.url}/oauth/revoke`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ client_id: tokens.clientId, token: tokens.refresh_token! }) });
    const answer = await send(server.mcpUrl, legacy('tools/list'), tokens.access_token);
    expect(answer.status).toBe(401);
    expect(challengeParams(answer.headers.get('www-authenticate'))).toMatchObject({ error: 'invalid_token', error_description: 'token revoked' });
  });

  it('[RFC6750-03] a Bearer header without a well-formed token is refused like a bad token', async () => {
    const answer = await postMcp(server.mcpUrl, legacyInitialize().body, { headers: { Authorization: 'Bearer two words' } });
    expect(answer.status).toBe(401);
    expect(challengeParams(answer.headers.get('www-authenticate')).error).toBe('invalid_token');
  });
});

describe('[mcp] oauth mode: scopes', () => {
  it('[REQ-04][MCP-24][MCP-38][CLA-10][INSP-03] a read-only token calling create_note gets 403 insufficient_scope naming notes:write', async () => {
    const request = legacy('tools/call', { name: 'create_note', arguments: { title: 'nope' } });
    const answer = await send(server.mcpUrl, request, readOnly.access_token);
    expect(answer.status).toBe(403);
    const params = challengeParams(answer.headers.get('www-authenticate'));
    expect(params).toMatchObject({ error: 'insufficient_scope', scope: 'notes:write', resource_metadata: prm });
    expect(params.error_description).toBeTruthy();
    expect(answer.message).toMatchObject({ error: { code: -32000 }, id: (request.body as { id: number }).id });
    expect(Object.values(server.services.queue.state.notes).some((note) => note.title === 'nope')).toBe(false);
  });

  it('[REQ-04][MCP-24] the same holds for the 2026-07-28 era, for update_note and delete_note', async () => {
    for (const name of ['update_note', 'delete_note']) {
      const answer = await send(server.mcpUrl, modern('tools/call', { name, arguments: { id: 'x' } }), readOnly.access_token);
      expect(answer.status).toBe(403);
      expect(challengeParams(answer.headers.get('www-authenticate'))).toMatchObject({ error: 'insufficient_scope', scope: 'notes:write' });
    }
  });

  it('[MCP-25][CGPT-17] a read-only token can read, and a write-only token can read too (notes:write implies notes:read)', async () => {
    const created = await callTool(server.mcpUrl, writeOnly.access_token, 'create_note', { title: 'Scoped', body: 'hierarchy check' });
    expect(created.isError).toBeUndefined();
    const id = (created.structuredContent as { id: string }).id;
    for (const token of [readOnly.access_token, writeOnly.access_token]) {
      const found = await callTool(server.mcpUrl, token, 'search', { query: 'hierarchy' });
      expect(found.structuredContent).toMatchObject({ results: [{ id }] });
      const fetched = await callTool(server.mcpUrl, token, 'fetch', { id });
      expect(fetched.structuredContent).toMatchObject({ id, title: 'Scoped' });
    }
  });

  it('[EC-38] listing and the public about tool need a token but no particular scope', async () => {
    const listed = await send(server.mcpUrl, legacy('tools/list'), readOnly.access_token);
    expect(listed.status).toBe(200);
    const about = await callTool(server.mcpUrl, readOnly.access_token, 'about', {});
    expect(about.structuredContent).toMatchObject({ name: 'agent-notes', mcp_url: server.mcpUrl, auth_mode: 'oauth' });
  });

  it('[REQ-04][MCP-25] a batch calling a write tool with a read-only token is refused as a whole, naming every scope it needs', async () => {
    const batch = [legacy('tools/call', { name: 'search', arguments: { query: 'x' } }).body, legacy('tools/call', { name: 'delete_note', arguments: { id: 'x' } }).body];
    const answer = await postMcp(server.mcpUrl, batch, { token: readOnly.access_token, headers: { 'MCP-Protocol-Version': '2025-06-18' } });
    expect(answer.status).toBe(403);
    expect(challengeParams(answer.headers.get('www-authenticate')).scope).toBe('notes:read notes:write');
    // The description names only what the token lacks (issue 14 item 13).
    expect(challengeParams(answer.headers.get('www-authenticate')).error_description).toBe('this call needs the notes:write permission');
  });
});

describe('[mcp] oauth mode: methods, media and bodies', () => {
  it('[EC-40] with a valid token GET, HEAD and DELETE are 405 with Allow: POST', async () => {
    for (const method of ['GET', 'HEAD', 'DELETE']) {
      const response = await fetch(server.mcpUrl, { method, headers: { Authorization: `Bearer ${full.access_token}`, Accept: 'text/event-stream' } });
      expect(response.status, method).toBe(405);
      expect(response.headers.get('allow')).toBe('POST');
    }
  });

  it('[MCP-38] malformed JSON is 400 with a JSON-RPC parse error and a null id', async () => {
    const answer = await postMcp(server.mcpUrl, '{"jsonrpc": "2.0", "id": 1, "method": ', { token: full.access_token });
    expect(answer.status).toBe(400);
    expect(answer.message).toEqual({ jsonrpc: '2.0', error: { code: -32700, message: expect.any(String) }, id: null });
  });

  it('[MCP-38] a body that is no JSON-RPC message is 400; a wrong media type 415; over 1 MB 413', async () => {
    const scalar = await postMcp(server.mcpUrl, '42', { token: full.access_token });
    expect(scalar.status).toBe(400);
    expect(scalar.message).toMatchObject({ error: { code: -32600 } });
    const text = await postMcp(server.mcpUrl, JSON.stringify(legacyInitialize().body), { token: full.access_token, headers: { 'Content-Type': 'text/plain' } });
    expect(text.status).toBe(415);
    const huge = await postMcp(server.mcpUrl, JSON.stringify({ ...(legacy('tools/call', { name: 'create_note', arguments: { title: 'big', body: 'x'.repeat(1024 * 1024) } }).body as object) }), { token: full.access_token });
    expect(huge.status).toBe(413);
    // The connection is closed after a refused upload, and the server keeps serving.
    expect((await send(server.mcpUrl, legacy('tools/list'), full.access_token)).status).toBe(200);
  });

  it('[MCP-50][EC-39] with a valid token, protocol errors are the SDK\'s 400s', async () => {
    const wrongVersion = await send(server.mcpUrl, modern('tools/list'), full.access_token, { 'MCP-Protocol-Version': '2025-06-18' });
    expect(wrongVersion.status).toBe(400);
    const withoutMethod = modern('tools/list');
    delete withoutMethod.headers['Mcp-Method'];
    expect((await send(server.mcpUrl, withoutMethod, full.access_token)).status).toBe(400);
  });
});

describe('[mcp] Origin', () => {
  it('[MCP-49][REQ-06][EC-39] a disallowed Origin is 403 first: before auth, with a valid token, and on preflight', async () => {
    const evil = { Origin: 'https://evil.example' };
    const anonymous = await postMcp(server.mcpUrl, legacyInitialize().body, { headers: evil });
    const authenticated = await postMcp(server.mcpUrl, legacyInitialize().body, { token: full.access_token, headers: evil });
    const preflight = await fetch(server.mcpUrl, { method: 'OPTIONS', headers: { ...evil, 'Access-Control-Request-Method': 'POST' } });
    const nullOrigin = await postMcp(server.mcpUrl, legacyInitialize().body, { token: full.access_token, headers: { Origin: 'null' } });
    for (const answer of [anonymous, authenticated, nullOrigin]) {
      expect(answer.status).toBe(403);
      expect(answer.message).toMatchObject({ jsonrpc: '2.0', error: { code: -32000 }, id: null });
      expect(answer.headers.get('www-authenticate')).toBeNull();
      expect(answer.headers.get('access-control-allow-origin')).toBeNull();
    }
    expect(preflight.status).toBe(403);
  });

  it('[MCP-49] our own origin, a configured origin and (on loopback) a loopback origin are served, with CORS headers', async () => {
    for (const origin of [server.url, 'https://inspector.example.org', 'http://localhost:6274']) {
      const answer = await postMcp(server.mcpUrl, legacy('tools/list').body, { token: full.access_token, headers: { Origin: origin, 'MCP-Protocol-Version': '2025-06-18' } });
      expect(answer.status, origin).toBe(200);
      expect(answer.headers.get('access-control-allow-origin')).toBe(origin);
      expect(answer.headers.get('access-control-expose-headers')).toMatch(/WWW-Authenticate/);
    }
    const challenged = await postMcp(server.mcpUrl, legacyInitialize().body, { headers: { Origin: server.url } });
    expect(challenged.status).toBe(401);
    expect(challenged.headers.get('access-control-allow-origin')).toBe(server.url);
  });
});
