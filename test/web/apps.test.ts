// Connected apps: one entry per grant, and disconnecting one, which stops its access and refresh
// tokens at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from '../kit/browser.ts';
import { WireClient } from '../kit/client.ts';
import { callTool, challengeParams, legacy, obtainTokens, send, startTestServer, type TestServer } from '../mcp/harness.ts';
import { getPage, signIn, submitForm } from './harness.ts';

const CHATGPT_REDIRECT = 'https://chatgpt.com/connector_platform_oauth_redirect';

let server: TestServer;
let alice: Browser;

beforeAll(async () => {
  server = await startTestServer();
  await server.addUser('alice');
  await server.addUser('bob');
  alice = await signIn(server.url, 'alice');
});
afterAll(() => server.close());

/** ChatGPT's shape: DCR with its stable redirect URI, PKCE, offline_access; returns its tokens. */
async function connectChatGpt(username: string): Promise<{ access_token: string; refresh_token: string; clientId: string }> {
  const person = new WireClient(server.url, { username });
  const client = await person.register({ client_name: 'ChatGPT', redirect_uris: [CHATGPT_REDIRECT], token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'] });
  const { code, verifier } = await person.code(client, { state: 'chatgpt-state', scope: 'notes:read notes:write offline_access' });
  const response = await person.exchange(client, code, verifier);
  return { ...(JSON.parse(response.text) as { access_token: string; refresh_token: string }), clientId: client.clientId };
}

async function refresh(clientId: string, refreshToken: string): Promise<{ status: number }> {
  return new WireClient(server.url).refresh({ clientId, redirectUri: CHATGPT_REDIRECT }, refreshToken);
}

describe('[web] connected apps', () => {
  it('[web] with no app connected, the page says how to connect one and shows the MCP URL', async () => {
    const page = await getPage(alice, '/apps');
    expect(page.status).toBe(200);
    expect(page.doc.querySelector('.empty')?.text).toContain('No apps are connected');
    expect(page.doc.querySelector('.empty code')?.text).toBe(server.mcpUrl);
  });

  it('[web] each grant is one entry: the host it answers to, the name it claims, its permissions and dates', async () => {
    await connectChatGpt('alice');
    await obtainTokens(server.url, 'alice', 'notes:read');
    const page = await getPage(alice, '/apps');
    const entries = page.doc.querySelectorAll('.app-item');
    expect(entries).toHaveLength(2);
    const chatgpt = entries.find((entry) => entry.querySelector('.app-host')?.text === 'chatgpt.com');
    expect(chatgpt?.querySelector('.client-name')?.text).toBe('calls itself ChatGPT');
    expect(chatgpt?.querySelectorAll('.facts ul li').map((li) => li.text)).toEqual([
      'Read your notes',
      'Create, change and delete your notes',
      'Stay connected when you are not using it (refresh tokens)',
    ]);
    expect(chatgpt?.querySelectorAll('.facts time')).toHaveLength(2);
    const local = entries.find((entry) => entry.querySelector('.app-host')?.text === '127.0.0.1:8976');
    expect(local?.querySelectorAll('.facts ul li').map((li) => li.text)).toEqual(['Read your notes']);
    // Another person's apps are not listed.
    expect((await getPage(await signIn(server.url, 'bob'), '/apps')).doc.querySelectorAll('.app-item')).toHaveLength(0);
  });

  it('[web][REQ-02] disconnecting an app stops its access and refresh tokens at once: the next MCP call gets the 401 challenge', async () => {
    const tokens = await connectChatGpt('alice');
    expect(await callTool(server.mcpUrl, tokens.access_token, 'search', { query: '' })).toHaveProperty('structuredContent');
    const grantId = Object.values(server.services.queue.state.grants).find((grant) => grant.clientId === tokens.clientId)!.grantId;

    const page = await getPage(alice, '/apps');
    const response = await submitForm(alice, page, `/apps/${grantId}/revoke`);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/apps?done=revoked');
    expect((await getPage(alice, '/apps?done=revoked')).doc.querySelector('.notice')?.text).toContain('Disconnected');

    const refused = await send(server.mcpUrl, legacy('tools/call', { name: 'search', arguments: { query: '' } }), tokens.access_token);
    expect(refused.status).toBe(401);
    expect(challengeParams(refused.headers.get('www-authenticate'))).toMatchObject({ error: 'invalid_token', resource_metadata: `${server.url}/.well-known/oauth-protected-resource/mcp` });
    expect((await refresh(tokens.clientId, tokens.refresh_token)).status).toBe(400);
  });

  it('[web] an app that is not one of yours, or no longer connected, cannot be disconnected', async () => {
    const bobsTokens = await obtainTokens(server.url, 'bob');
    const bobsGrant = Object.values(server.services.queue.state.grants).find((grant) => grant.clientId === bobsTokens.clientId)!.grantId;
    const page = await getPage(alice, '/apps');
    const csrf = page.doc.querySelector('form[action^="/apps/"] input[name="csrf"]')?.getAttribute('value') ?? '';
    for (const grantId of [bobsGrant, 'no-such-grant']) {
      const response = await alice.fetch(`/apps/${grantId}/revoke`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ csrf }) });
      expect(response.status).toBe(404);
      expect(await response.text()).toContain('See connected apps');
    }
    expect(server.services.queue.state.grants[bobsGrant]).toBeDefined();
  });
});
