// fetch follows [[links]] both ways, and list_tags counts tags, over MCP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callTool, obtainTokens, startTestServer, type TestServer } from './harness.ts';

let server: TestServer;
let alice: string;
let bob: string;

beforeAll(async () => {
  server = await startTestServer({ users: ['alice', 'bob'] });
  [alice, bob] = (await Promise.all([obtainTokens(server.url, 'alice'), obtainTokens(server.url, 'bob')])).map((t) => t.access_token) as [string, string];
});
afterAll(() => server.close());

const content = (result: Record<string, unknown>) => {
  expect(result.isError, JSON.stringify(result)).toBeUndefined();
  return result.structuredContent as { id: string; metadata: { links: { title: string; id?: string }[]; backlinks: { id: string; title: string }[] } } & Record<string, unknown>;
};

describe('links and tags over MCP', () => {
  it('[NOTES-LINK-01] fetch returns the notes a note links to (an unknown title without an id) and the notes linking to it', async () => {
    const budget = content(await callTool(server.mcpUrl, alice, 'create_note', { title: 'Budget', body: 'numbers', tags: ['money', 'trip'] }));
    const trip = content(await callTool(server.mcpUrl, alice, 'create_note', { title: 'Trip', body: 'see [[budget]] and [[Visa]]', tags: ['trip'] }));
    await callTool(server.mcpUrl, bob, 'create_note', { title: 'Bob links', body: '[[Budget]]' });
    expect(content(await callTool(server.mcpUrl, alice, 'fetch', { id: trip.id })).metadata.links).toEqual([{ title: 'budget', id: budget.id }, { title: 'Visa' }]);
    expect(content(await callTool(server.mcpUrl, alice, 'fetch', { id: budget.id })).metadata.backlinks).toEqual([{ id: trip.id, title: 'Trip' }]);
  });

  it('[NOTES-TAG-01] list_tags counts the caller\'s tags only', async () => {
    expect(content(await callTool(server.mcpUrl, alice, 'list_tags', {}))).toEqual({ tags: [{ tag: 'money', count: 1 }, { tag: 'trip', count: 2 }] });
    expect(content(await callTool(server.mcpUrl, bob, 'list_tags', {}))).toEqual({ tags: [] });
  });
});
