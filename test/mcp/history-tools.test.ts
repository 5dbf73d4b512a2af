// The history tools over MCP (NOTES-VER-05): an assistant lists a note's versions and reads one, so
// it can say what it changed; restoring from tools is there only when the operator turned it on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callTool, legacy, obtainTokens, resultOf, send, startTestServer, type TestServer } from './harness.ts';

function structured(result: Record<string, unknown>): Record<string, unknown> {
  expect(result.isError, JSON.stringify(result)).toBeUndefined();
  return result.structuredContent as Record<string, unknown>;
}

function toolError(result: Record<string, unknown>): string {
  expect(result.isError, JSON.stringify(result)).toBe(true);
  return (result.content as { text: string }[])[0]!.text;
}

async function toolNames(server: TestServer, token: string): Promise<string[]> {
  return (resultOf(await send(server.mcpUrl, legacy('tools/list'), token)).tools as { name: string }[]).map((tool) => tool.name);
}

describe('history tools, restore off (the default)', () => {
  let server: TestServer;
  let alice: string;
  let bob: string;
  let clientId: string;

  beforeAll(async () => {
    server = await startTestServer({ users: ['alice', 'bob'] });
    [alice, bob] = (await Promise.all([obtainTokens(server.url, 'alice'), obtainTokens(server.url, 'bob')])).map((t) => t.access_token) as [string, string];
    clientId = JSON.parse(Buffer.from(alice.split('.')[1]!, 'base64url').toString()).client_id as string;
  });
  afterAll(() => server.close());

  it('[NOTES-VER-05][NOTES-VER-01] list_note_versions and fetch_note_version show what a change replaced and which app wrote it', async () => {
    const { id } = structured(await callTool(server.mcpUrl, alice, 'create_note', { title: 'Trip', body: 'pack boots', tags: ['travel'] })) as { id: string };
    await callTool(server.mcpUrl, alice, 'update_note', { id, body: 'pack boots and a tent' });
    const listed = structured(await callTool(server.mcpUrl, alice, 'list_note_versions', { id }));
    const app = { kind: 'app', name: 'test client', client_id: clientId };
    expect(listed).toEqual({
      id,
      title: 'Trip',
      current: { updated_at: expect.any(String), changed_by: app },
      versions: [{ version_id: `${id}.1`, title: 'Trip', saved_at: expect.any(String), saved_by: app, replaced_at: expect.any(String), characters: 10 }],
    });
    const version = structured(await callTool(server.mcpUrl, alice, 'fetch_note_version', { id, version_id: `${id}.1` }));
    expect(version).toMatchObject({ id, version_id: `${id}.1`, title: 'Trip', text: 'pack boots', tags: ['travel'], saved_by: app });
    expect(toolError(await callTool(server.mcpUrl, alice, 'fetch_note_version', { id, version_id: `${id}.7` }))).toMatch(/list_note_versions/);
  });

  it('[NOTES-OWN-01] another user\'s note has no versions to list or read', async () => {
    const { id } = structured(await callTool(server.mcpUrl, alice, 'create_note', { title: 'Private', body: 'one' })) as { id: string };
    await callTool(server.mcpUrl, alice, 'update_note', { id, body: 'two' });
    expect(toolError(await callTool(server.mcpUrl, bob, 'list_note_versions', { id }))).toMatch(/no note/);
    expect(toolError(await callTool(server.mcpUrl, bob, 'fetch_note_version', { id, version_id: `${id}.1` }))).toMatch(/no version/);
  });

  it('[NOTES-VER-05] without NOTES_TOOLS_RESTORE no tool restores a version', async () => {
    expect(await toolNames(server, alice)).not.toContain('restore_note_version');
    const answer = await send(server.mcpUrl, legacy('tools/call', { name: 'restore_note_version', arguments: { id: 'x', version_id: 'x.1' } }), alice);
    expect(JSON.stringify(answer.message)).toMatch(/not found|unknown|restore_note_version/i);
    expect(answer.message?.result === undefined || (answer.message.result as { isError?: boolean }).isError === true).toBe(true);
  });
});

describe('history tools, restore on', () => {
  let server: TestServer;
  let alice: string;

  beforeAll(async () => {
    server = await startTestServer({ users: ['alice'], env: { NOTES_TOOLS_RESTORE: 'on' } });
    alice = (await obtainTokens(server.url, 'alice')).access_token;
  });
  afterAll(() => server.close());

  it('[NOTES-VER-05] with NOTES_TOOLS_RESTORE=on, restore_note_version is listed and restores as a new change', async () => {
    expect(await toolNames(server, alice)).toContain('restore_note_version');
    const { id } = structured(await callTool(server.mcpUrl, alice, 'create_note', { title: 'Essay', body: 'long careful text' })) as { id: string };
    await callTool(server.mcpUrl, alice, 'update_note', { id, body: 'summary' });
    const restored = structured(await callTool(server.mcpUrl, alice, 'restore_note_version', { id, version_id: `${id}.1` }));
    expect(restored).toMatchObject({ id, text: 'long careful text' });
    const versions = structured(await callTool(server.mcpUrl, alice, 'list_note_versions', { id })).versions as { version_id: string }[];
    expect(versions.map((version) => version.version_id)).toEqual([`${id}.2`, `${id}.1`]);
    expect(toolError(await callTool(server.mcpUrl, alice, 'restore_note_version', { id, version_id: 'nope' }))).toMatch(/no version/);
  });
});

describe('history within the byte budget', () => {
  let server: TestServer;
  let alice: string;

  beforeAll(async () => {
    server = await startTestServer({ users: ['alice'], env: { NOTES_MAX_MB_PER_USER: '1' } });
    alice = (await obtainTokens(server.url, 'alice')).access_token;
  });
  afterAll(() => server.close());

  it('[NOTES-VER-04][SEC-NOTES-01] an app rewriting a big note again and again is never refused and never takes the owner past the budget', async () => {
    const { id } = structured(await callTool(server.mcpUrl, alice, 'create_note', { title: 'Big', body: 'a'.repeat(90_000) })) as { id: string };
    for (let i = 0; i < 15; i++) structured(await callTool(server.mcpUrl, alice, 'update_note', { id, body: String.fromCharCode(98 + i).repeat(90_000) }));
    const { noteVersions, notes } = server.services.queue.state;
    const held = [...Object.values(notes), ...Object.values(noteVersions)].reduce((sum, record) => sum + Buffer.byteLength(record.body) + Buffer.byteLength(record.title), 0);
    expect(held).toBeLessThanOrEqual(1024 * 1024);
    const versions = structured(await callTool(server.mcpUrl, alice, 'list_note_versions', { id })).versions as { version_id: string }[];
    expect(versions.length).toBeGreaterThanOrEqual(5);
    expect(versions.length).toBeLessThan(15);
    // The newest history is what stays: the latest version holds the text just replaced.
    const latest = structured(await callTool(server.mcpUrl, alice, 'fetch_note_version', { id, version_id: versions[0]!.version_id })) as { text: string };
    expect(latest.text[0]).toBe(String.fromCharCode(98 + 13));
    expect((structured(await callTool(server.mcpUrl, alice, 'fetch', { id })) as { text: string }).text[0]).toBe(String.fromCharCode(98 + 14));
  });
});
