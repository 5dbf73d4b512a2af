// The two real clients end to end: the v2 SDK client (2026-07-28, with its OAuth client provider
// doing discovery, dynamic registration, authorization and the RFC 9207 check) and the v1 SDK
// client (legacy `initialize`, its own OAuth provider), each creating, searching and fetching a note.
// Only what crosses the wire is asserted.
import { Client, StreamableHTTPClientTransport, UnauthorizedError } from '@modelcontextprotocol/client';
import type { OAuthClientProvider } from '@modelcontextprotocol/client';
import { Client as LegacyClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as LegacyTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { OAuthClientProvider as LegacyOAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../kit/server.ts';
import { REDIRECT_URI, approveInBrowser } from './harness.ts';

/** The real composition root, as `npm start` builds it (in memory, rate limits on). */
function startNotesServer(): Promise<TestServer> {
  return startTestServer({ env: { RATE_LIMITS: 'on' } });
}

let server: TestServer;
/** The v2 client speaks 2026-07-28 when asked to negotiate (its default is still `initialize`). */
const MODERN = { versionNegotiation: { mode: 'auto' as const } };

beforeAll(async () => {
  server = await startNotesServer();
  await server.addUser('alice');
});
afterAll(() => server.close());

/** A provider for either SDK: keeps everything in memory and "redirects" through our own pages. */
class BrowserDrivenProvider {
  clientInfo: unknown;
  savedTokens: unknown;
  verifier = '';
  /** The redirect back to the client, with `code`, `state` and `iss`. */
  callback: URL | undefined;

  constructor(
    readonly base: string,
    readonly username: string,
    readonly clientName: string,
  ) {}

  get redirectUrl(): string {
    return REDIRECT_URI;
  }

  get clientMetadata() {
    return { client_name: this.clientName, redirect_uris: [REDIRECT_URI], grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], token_endpoint_auth_method: 'none' };
  }

  clientInformation() {
    return this.clientInfo as never;
  }

  saveClientInformation(info: unknown): void {
    this.clientInfo = info;
  }

  tokens() {
    return this.savedTokens as never;
  }

  saveTokens(tokens: unknown): void {
    this.savedTokens = tokens;
  }

  async redirectToAuthorization(url: URL): Promise<void> {
    expect(url.origin).toBe(this.base);
    this.callback = await approveInBrowser(this.base, url.href, this.username);
  }

  discovery: unknown;

  saveDiscoveryState(state: unknown): void {
    this.discovery = state;
  }

  discoveryState() {
    return this.discovery as never;
  }

  saveCodeVerifier(verifier: string): void {
    this.verifier = verifier;
  }

  codeVerifier(): string {
    return this.verifier;
  }
}

/** A fetch that notes the JSON-RPC method and protocol version of every POST to /mcp. */
function recordingFetch(seen: { method: string; version: string | null; status: number }[]): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.pathname === '/mcp' && init?.method === 'POST' && typeof init.body === 'string') {
      const headers = new Headers(init.headers);
      seen.push({ method: (JSON.parse(init.body) as { method: string }).method, version: headers.get('mcp-protocol-version'), status: response.status });
    }
    return response;
  };
}

function structured(result: unknown): Record<string, unknown> {
  const { isError, structuredContent } = result as { isError?: boolean; structuredContent?: Record<string, unknown> };
  expect(isError ?? false).toBe(false);
  return structuredContent!;
}

describe('[mcp] real clients', () => {
  it('[REQ-02][REQ-06][MCP-51][CGPT-05] the v2 SDK client discovers OAuth from the 401, registers, signs in and uses the notes tools', async () => {
    const mcpUrl = new URL(`${server.url}/mcp`);
    const provider = new BrowserDrivenProvider(server.url, 'alice', 'v2 e2e');
    const oauth = provider as unknown as OAuthClientProvider;

    // First attempt: 401 → discovery → registration → authorization (the browser part) → stop.
    const probes: { method: string; version: string | null; status: number }[] = [];
    const first = new Client({ name: 'agent-notes-e2e', version: '1.0.0' }, MODERN);
    await expect(first.connect(new StreamableHTTPClientTransport(mcpUrl, { authProvider: oauth, fetch: recordingFetch(probes) }))).rejects.toBeInstanceOf(UnauthorizedError);
    expect(probes[0]).toEqual({ method: 'server/discover', version: '2026-07-28', status: 401 });
    expect(provider.clientInfo).toMatchObject({ client_id: expect.any(String) });
    const callback = provider.callback!;
    expect(callback.searchParams.get('iss')).toBe(server.url);

    // Back at the redirect URI: the transport checks `iss` (RFC 9207) and redeems the code.
    await new StreamableHTTPClientTransport(mcpUrl, { authProvider: oauth }).finishAuth(callback.searchParams);
    expect(provider.savedTokens).toMatchObject({ access_token: expect.any(String), token_type: expect.stringMatching(/bearer/i) });

    const seen: { method: string; version: string | null; status: number }[] = [];
    const client = new Client({ name: 'agent-notes-e2e', version: '1.0.0' }, MODERN);
    await client.connect(new StreamableHTTPClientTransport(mcpUrl, { authProvider: oauth, fetch: recordingFetch(seen) }));
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(['search', 'fetch', 'create_note']));
      const created = structured(await client.callTool({ name: 'create_note', arguments: { title: 'From the v2 client', body: 'modern protocol marker', tags: ['e2e'] } }));
      const found = structured(await client.callTool({ name: 'search', arguments: { query: 'modern marker' } }));
      expect(found.results).toEqual([{ id: created.id, title: 'From the v2 client', url: `${server.url}/notes/${String(created.id)}` }]);
      const fetched = structured(await client.callTool({ name: 'fetch', arguments: { id: created.id } }));
      expect(fetched).toMatchObject({ id: created.id, text: 'modern protocol marker', metadata: { tags: ['e2e'] } });
      // The 2026-07-28 era: discovery instead of initialize, the version on every request.
      expect(seen[0]).toEqual({ method: 'server/discover', version: '2026-07-28', status: 200 });
      expect(seen.map((s) => s.method)).not.toContain('initialize');
      expect(seen.every((s) => s.version === '2026-07-28' && s.status === 200)).toBe(true);
    } finally {
      await client.close();
    }
  });

  it('[REQ-02][REQ-06][MCP-51] the v1 SDK client (legacy initialize) authorizes with its OAuth provider and uses the notes tools', async () => {
    const mcpUrl = new URL(`${server.url}/mcp`);
    const provider = new BrowserDrivenProvider(server.url, 'alice', 'v1 e2e');
    const oauth = provider as unknown as LegacyOAuthClientProvider;

    const first = new LegacyClient({ name: 'agent-notes-legacy-e2e', version: '1.0.0' });
    const transport = new LegacyTransport(mcpUrl, { authProvider: oauth });
    await expect(first.connect(transport)).rejects.toThrow(/Unauthorized/i);
    const code = provider.callback?.searchParams.get('code');
    expect(code).toBeTruthy();
    await transport.finishAuth(code!);

    const seen: { method: string; version: string | null; status: number }[] = [];
    const client = new LegacyClient({ name: 'agent-notes-legacy-e2e', version: '1.0.0' });
    await client.connect(new LegacyTransport(mcpUrl, { authProvider: oauth, fetch: recordingFetch(seen) }));
    try {
      expect(client.getServerVersion()).toMatchObject({ name: 'agent-notes' });
      const created = structured(await client.callTool({ name: 'create_note', arguments: { title: 'From the v1 client', body: 'legacy protocol marker' } }));
      const found = structured(await client.callTool({ name: 'search', arguments: { query: 'legacy marker' } }));
      expect(found.results).toEqual([{ id: created.id, title: 'From the v1 client', url: expect.any(String) }]);
      const fetched = structured(await client.callTool({ name: 'fetch', arguments: { id: created.id } }));
      expect(fetched).toMatchObject({ id: created.id, title: 'From the v1 client', text: 'legacy protocol marker' });
      expect(seen[0]).toMatchObject({ method: 'initialize', status: 200 });
    } finally {
      await client.close();
    }
  });

  it('[EC-36][EC-38][CGPT-47] in mixed mode the v2 client connects and lists anonymously, runs about, and sees protected tools challenge in band', async () => {
    const mixed = await startTestServer({ env: { MCP_AUTH_MODE: 'mixed', RATE_LIMITS: 'on' } });
    const client = new Client({ name: 'agent-notes-anonymous', version: '1.0.0' }, MODERN);
    try {
      await client.connect(new StreamableHTTPClientTransport(new URL(`${mixed.url}/mcp`)));
      const { tools } = await client.listTools();
      const search = tools.find((tool) => tool.name === 'search')!;
      expect(search._meta?.securitySchemes).toEqual([{ type: 'oauth2', scopes: ['notes:read'] }]);
      expect(structured(await client.callTool({ name: 'about', arguments: {} }))).toMatchObject({ name: 'agent-notes', auth_mode: 'mixed' });
      const challenged = (await client.callTool({ name: 'search', arguments: { query: 'x' } })) as { isError?: boolean; _meta?: Record<string, unknown> };
      expect(challenged.isError).toBe(true);
      expect(challenged._meta?.['mcp/www_authenticate']).toEqual([expect.stringMatching(/^Bearer resource_metadata=".*", error="invalid_token", error_description=".*", scope="notes:read notes:write"$/)]);
    } finally {
      await client.close();
      await mixed.close();
    }
  });
});
