// The notes tools over HTTP: their listing (securitySchemes in both places, both eras), what each
// does, that a user only ever reaches their own notes, and that bad input is a tool error.
import { McpServer, createMcpHandler } from '@modelcontextprotocol/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOTES_TOOLS, toolListing } from '../../src/mcp/index.ts';
import { callTool, legacy, legacyInitialize, modern, obtainTokens, resultOf, send, startTestServer, type TestServer } from './harness.ts';

let server: TestServer;
let alice: string;
let bob: string;
let aliceId: string;

type Listed = { name: string; securitySchemes: unknown; _meta: { securitySchemes: unknown }; annotations: Record<string, boolean>; inputSchema: unknown; outputSchema: unknown };

beforeAll(async () => {
  server = await startTestServer();
  aliceId = await server.addUser('alice');
  await server.addUser('bob');
  [alice, bob] = (await Promise.all([obtainTokens(server.url, 'alice'), obtainTokens(server.url, 'bob')])).map((t) => t.access_token) as [string, string];
});
afterAll(() => server.close());

function structured(result: Record<string, unknown>): Record<string, unknown> {
  expect(result.isError, JSON.stringify(result)).toBeUndefined();
  const [text] = result.content as { type: string; text: string }[];
  // Every result carries the same JSON as text, for clients that ignore structuredContent.
  expect(JSON.parse(text!.text)).toEqual(result.structuredContent);
  return result.structuredContent as Record<string, unknown>;
}

function toolError(result: Record<string, unknown>): string {
  expect(result.isError, JSON.stringify(result)).toBe(true);
  const [text] = result.content as { type: string; text: string }[];
  return text!.text;
}

describe('[mcp] tool listing', () => {
  it('[CGPT-45][EC-45][REQ-05] every tool declares securitySchemes at top level and in _meta, identical, in both eras', async () => {
    await send(server.mcpUrl, legacyInitialize(), alice);
    const legacyTools = resultOf(await send(server.mcpUrl, legacy('tools/list'), alice)).tools as Listed[];
    const modernTools = resultOf(await send(server.mcpUrl, modern('tools/list'), alice)).tools as Listed[];
    expect(modernTools).toEqual(legacyTools);
    expect(legacyTools.map((tool) => tool.name)).toEqual(['about', 'search', 'fetch', 'list_notes', 'create_note', 'update_note', 'delete_note', 'list_note_versions', 'fetch_note_version', 'list_tags']);
    const schemes = Object.fromEntries(legacyTools.map((tool) => [tool.name, tool.securitySchemes]));
    for (const tool of legacyTools) expect(tool._meta.securitySchemes, tool.name).toEqual(tool.securitySchemes);
    expect(schemes).toEqual({
      about: [{ type: 'noauth' }],
      search: [{ type: 'oauth2', scopes: ['notes:read'] }],
      fetch: [{ type: 'oauth2', scopes: ['notes:read'] }],
      list_notes: [{ type: 'oauth2', scopes: ['notes:read'] }],
      create_note: [{ type: 'oauth2', scopes: ['notes:write'] }],
      update_note: [{ type: 'oauth2', scopes: ['notes:write'] }],
      delete_note: [{ type: 'oauth2', scopes: ['notes:write'] }],
      list_note_versions: [{ type: 'oauth2', scopes: ['notes:read'] }],
      fetch_note_version: [{ type: 'oauth2', scopes: ['notes:read'] }],
      list_tags: [{ type: 'oauth2', scopes: ['notes:read'] }],
    });
  });

  it('[mcp] annotations say which tools read, which write and which destroy', async () => {
    const tools = resultOf(await send(server.mcpUrl, legacy('tools/list'), alice)).tools as Listed[];
    const hints = Object.fromEntries(tools.map((tool) => [tool.name, tool.annotations]));
    for (const name of ['about', 'search', 'fetch', 'list_notes', 'list_note_versions', 'fetch_note_version', 'list_tags']) expect(hints[name], name).toMatchObject({ readOnlyHint: true, destructiveHint: false });
    expect(hints.create_note).toMatchObject({ readOnlyHint: false, destructiveHint: false, idempotentHint: false });
    expect(hints.delete_note).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    for (const tool of tools) expect(tool.outputSchema, tool.name).toMatchObject({ type: 'object' });
  });

  it('[mcp] the prebuilt listing carries exactly the JSON Schemas the SDK itself would list', async () => {
    const plain = createMcpHandler(() => {
      const sdk = new McpServer({ name: 'reference', version: '0' });
      for (const tool of NOTES_TOOLS) {
        sdk.registerTool(tool.name, { title: tool.title, description: tool.description, inputSchema: tool.input, outputSchema: tool.output, annotations: tool.annotations }, () => ({ content: [] }));
      }
      return sdk;
    });
    const request = new Request('http://localhost/mcp', { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' } });
    const response = await plain.fetch(request, { parsedBody: { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} } });
    const data = (await response.text()).split('\n').find((line) => line.startsWith('data:'))!;
    const sdkTools = (JSON.parse(data.slice(5)) as { result: { tools: Record<string, unknown>[] } }).result.tools;
    const ours = toolListing(NOTES_TOOLS).map(({ securitySchemes: _s, _meta: _m, ...rest }) => rest);
    expect(ours).toEqual(sdkTools);
  });
});

describe('[mcp] notes tools', () => {
  it('[mcp][NOTES-TRASH-01] create_note, search, fetch, list_notes, update_note and delete_note do what they say', async () => {
    const created = structured(await callTool(server.mcpUrl, alice, 'create_note', { title: '  Groceries  ', body: 'milk, eggs and bread', tags: ['Home', 'shopping', 'home'] }));
    const id = created.id as string;
    expect(created).toEqual({
      id,
      title: 'Groceries',
      text: 'milk, eggs and bread',
      url: `${server.url}/notes/${id}`,
      metadata: { tags: ['home', 'shopping'], created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), updated_at: expect.any(String), public: false },
    });
    // Durable and owned by the token's user.
    expect(server.services.queue.state.notes[id]).toMatchObject({ ownerId: aliceId, title: 'Groceries' });

    expect(structured(await callTool(server.mcpUrl, alice, 'search', { query: 'eggs' }))).toEqual({ results: [{ id, title: 'Groceries', url: `${server.url}/notes/${id}` }] });
    expect(structured(await callTool(server.mcpUrl, alice, 'fetch', { id }))).toEqual({ ...created, metadata: { ...(created.metadata as object), links: [], backlinks: [] } });
    const listed = structured(await callTool(server.mcpUrl, alice, 'list_notes', { tag: 'HOME', limit: 10 }));
    expect(listed).toMatchObject({ total: 1, notes: [{ id, title: 'Groceries', tags: ['home', 'shopping'], public: false }] });

    const updated = structured(await callTool(server.mcpUrl, alice, 'update_note', { id, body: 'milk only', public: true }));
    expect(updated).toMatchObject({ id, title: 'Groceries', text: 'milk only', metadata: { public: true, public_url: expect.stringContaining(`${server.url}/p/`) } });

    expect(structured(await callTool(server.mcpUrl, alice, 'delete_note', { id }))).toEqual({ id, deleted: true });
    expect(server.services.queue.state.notes[id]).toBeUndefined();
    expect(server.services.queue.state.trashedNotes[id]).toMatchObject({ ownerId: aliceId, trashedBy: { kind: 'app' } });
    expect(toolError(await callTool(server.mcpUrl, alice, 'fetch', { id }))).toMatch(/no note/);
    expect(structured(await callTool(server.mcpUrl, alice, 'search', { query: 'milk' }))).toEqual({ results: [] });
    expect(structured(await callTool(server.mcpUrl, alice, 'list_notes', {}))).toMatchObject({ total: expect.any(Number) });
    expect((structured(await callTool(server.mcpUrl, alice, 'list_notes', { limit: 100 })).notes as { id: string }[]).map((note) => note.id)).not.toContain(id);
  });

  it('[SEC-SHARE-01] update_note sharing a note again gives it a new public link; keeping it public keeps the link', async () => {
    const { id } = structured(await callTool(server.mcpUrl, alice, 'create_note', { title: 'Shared twice', body: 'x', public: true })) as { id: string };
    const first = server.services.queue.state.notes[id]!.publicId;
    await callTool(server.mcpUrl, alice, 'update_note', { id, public: false });
    await callTool(server.mcpUrl, alice, 'update_note', { id, public: true });
    const second = server.services.queue.state.notes[id]!.publicId;
    expect(second).not.toBe(first);
    expect((await fetch(`${server.url}/p/${first}`)).status).toBe(404);
    expect((await fetch(`${server.url}/p/${second}`)).status).toBe(200);
    await callTool(server.mcpUrl, alice, 'update_note', { id, public: true, body: 'y' });
    expect(server.services.queue.state.notes[id]!.publicId).toBe(second);
  });

  it('[SEC-SEARCH-01] a search query over 500 characters is refused with a clear error, and 500 are fine', async () => {
    const refused = await send(server.mcpUrl, legacy('tools/call', { name: 'search', arguments: { query: 'q'.repeat(501) } }), alice);
    expect(JSON.stringify(refused.message)).toMatch(/500/);
    expect(structured(await callTool(server.mcpUrl, alice, 'search', { query: 'q'.repeat(500) }))).toEqual({ results: [] });
  });

  it('[mcp] list_notes pages with limit and offset and reports the total', async () => {
    for (const n of [1, 2, 3]) await callTool(server.mcpUrl, bob, 'create_note', { title: `Page ${n}`, tags: ['paging'] });
    const first = structured(await callTool(server.mcpUrl, bob, 'list_notes', { tag: 'paging', limit: 2 }));
    const rest = structured(await callTool(server.mcpUrl, bob, 'list_notes', { tag: 'paging', limit: 2, offset: 2 }));
    expect(first.total).toBe(3);
    expect((first.notes as unknown[]).length).toBe(2);
    expect((rest.notes as unknown[]).length).toBe(1);
  });

  it('[EC-48][MCP-47] a token for one user never reaches another user\'s notes', async () => {
    const secret = structured(await callTool(server.mcpUrl, alice, 'create_note', { title: 'Alice only', body: 'the secret word is marmalade' }));
    const id = secret.id as string;
    expect(structured(await callTool(server.mcpUrl, bob, 'search', { query: 'marmalade' }))).toEqual({ results: [] });
    expect(toolError(await callTool(server.mcpUrl, bob, 'fetch', { id }))).toMatch(/no note/);
    expect(toolError(await callTool(server.mcpUrl, bob, 'update_note', { id, title: 'Bob was here' }))).toMatch(/no note/);
    expect(toolError(await callTool(server.mcpUrl, bob, 'delete_note', { id }))).toMatch(/no note/);
    expect((structured(await callTool(server.mcpUrl, bob, 'list_notes', {})).notes as { id: string }[]).map((note) => note.id)).not.toContain(id);
    expect(structured(await callTool(server.mcpUrl, alice, 'fetch', { id }))).toMatchObject({ title: 'Alice only' });
  });

  it('[EC-48] concurrent calls of two users each see only their own notes (one server per request)', async () => {
    await callTool(server.mcpUrl, alice, 'create_note', { title: 'Parallel alice', body: 'concurrency probe' });
    await callTool(server.mcpUrl, bob, 'create_note', { title: 'Parallel bob', body: 'concurrency probe' });
    const calls = Array.from({ length: 20 }, (_, i): readonly [string, string] => (i % 2 === 0 ? ['alice', alice] : ['bob', bob]));
    const answers = await Promise.all(calls.map(async ([who, token]) => ({ who, result: structured(await callTool(server.mcpUrl, token, 'search', { query: 'concurrency probe' })) })));
    for (const { who, result } of answers) expect(result.results).toEqual([expect.objectContaining({ title: `Parallel ${who}` })]);
  });

  it('[mcp] the public about tool names the server and the URL to connect', async () => {
    expect(structured(await callTool(server.mcpUrl, alice, 'about', {}))).toEqual({ name: 'agent-notes', version: expect.any(String), mcp_url: server.mcpUrl, auth_mode: 'oauth' });
  });
});

describe('[mcp] bad tool input', () => {
  it('[mcp] schema failures are tool errors with a message, never JSON-RPC errors', async () => {
    const cases: [string, Record<string, unknown>][] = [
      ['create_note', {}],
      ['create_note', { title: 42 }],
      ['create_note', { title: 'x', tags: 'not-a-list' }],
      ['search', {}],
      ['fetch', { id: '' }],
      ['list_notes', { limit: 0 }],
      ['list_notes', { limit: 1000 }],
      ['list_notes', { offset: -1 }],
      ['list_note_versions', {}],
      ['fetch_note_version', { id: 'x' }],
      ['fetch_note_version', { id: 'x', version_id: '' }],
    ];
    for (const [name, args] of cases) {
      const answer = await send(server.mcpUrl, legacy('tools/call', { name, arguments: args }), alice);
      expect(answer.status, name).toBe(200);
      expect(answer.message?.error, `${name} ${JSON.stringify(args)}`).toBeUndefined();
      expect(toolError(resultOf(answer))).toMatch(/Invalid arguments|invalid|expected/i);
    }
  });

  it('[mcp] the notes rules answer as tool errors saying what to fix', async () => {
    expect(toolError(await callTool(server.mcpUrl, alice, 'create_note', { title: '   ' }))).toMatch(/title/);
    expect(toolError(await callTool(server.mcpUrl, alice, 'create_note', { title: 'x'.repeat(201) }))).toMatch(/200 characters/);
    expect(toolError(await callTool(server.mcpUrl, alice, 'create_note', { title: 'Tagged', tags: ['has space'] }))).toMatch(/tag/);
    expect(toolError(await callTool(server.mcpUrl, alice, 'update_note', { id: 'missing', title: 'x' }))).toMatch(/no note/);
    const id = structured(await callTool(server.mcpUrl, alice, 'create_note', { title: 'Unchanged' })).id as string;
    expect(toolError(await callTool(server.mcpUrl, alice, 'update_note', { id }))).toMatch(/nothing to change/);
  });

  it('[mcp] bad input is the same tool error in the 2026-07-28 era', async () => {
    const answer = await send(server.mcpUrl, modern('tools/call', { name: 'fetch', arguments: { id: 'missing' } }), alice);
    expect(answer.status).toBe(200);
    expect(toolError(resultOf(answer))).toMatch(/no note/);
  });

  it('[mcp] an unknown tool is a JSON-RPC invalid-params error, not a crash', async () => {
    const answer = await send(server.mcpUrl, legacy('tools/call', { name: 'format_disk', arguments: {} }), alice);
    expect(answer.message).toMatchObject({ error: { code: -32602 } });
  });
});
