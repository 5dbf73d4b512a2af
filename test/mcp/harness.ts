// A real agent-notes server on 127.0.0.1 from the composition root (`startServer`, which mounts
// `/mcp` through `mcpRoutes`), in memory, with an offset clock; getting tokens through the real
// OAuth flow; and raw MCP calls in either protocol era.
import { createHash, randomBytes } from 'node:crypto';
import { findUserByName } from '../../src/accounts/users.ts';
import type { Services } from '../../src/app/services.ts';
import { startServer } from '../../src/server.ts';
import { Browser } from '../kit/browser.ts';

export const PASSWORD = 'correct horse battery staple';
export const REDIRECT_URI = 'http://127.0.0.1:8976/callback';

export interface TestServer {
  url: string;
  mcpUrl: string;
  services: Services;
  /** Seconds added to the wall clock (expiry tests). */
  clock: { offset: number };
  /** Creates a user; returns their id (the `sub` of their tokens). */
  addUser(username: string): Promise<string>;
  close(): Promise<void>;
}

export interface TestServerOptions {
  mode?: 'oauth' | 'mixed';
  allowedOrigins?: string[];
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const clock = { offset: 0 };
  const running = await startServer({
    port: 0,
    env: { MCP_AUTH_MODE: options.mode ?? 'oauth', ALLOWED_ORIGINS: (options.allowedOrigins ?? []).join(',') },
    now: () => Math.floor(Date.now() / 1000) + clock.offset,
  });
  return {
    url: running.url,
    mcpUrl: `${running.url}/mcp`,
    services: running.services,
    clock,
    async addUser(username) {
      await running.createUser(username, PASSWORD);
      const user = findUserByName(running.services.queue.state, username);
      if (!user) throw new Error(`${username} was not created`);
      return user.userId;
    },
    close: () => running.close(),
  };
}

// ------------------------------------------------------------------------------------ OAuth

export interface Tokens {
  access_token: string;
  refresh_token?: string;
  scope: string;
  clientId: string;
}

/**
 * Drives the server's own pages like a browser: from the authorization URL through sign-in and
 * consent to the redirect back to the client. Returns that final redirect.
 */
export async function approveInBrowser(base: string, authorizationUrl: string, username: string): Promise<URL> {
  const browser = new Browser(base);
  let response = await browser.fetch(authorizationUrl);
  for (let hops = 0; hops < 8; hops += 1) {
    const location = response.headers.get('location');
    if (response.status === 200) throw new Error(`stuck on a page at hop ${hops}`);
    if (!location) throw new Error(`unexpected ${response.status}: ${await response.text()}`);
    const next = new URL(location, base);
    if (next.origin !== new URL(base).origin) return next;
    response = await browser.fetch(next.href);
    if (response.status !== 200) continue;
    const html = await response.text();
    if (next.pathname === '/login') response = await browser.submit(next.href, html, { username, password: PASSWORD });
    else if (next.pathname === '/consent') response = await browser.submit(next.href, html, { decision: 'approve' });
    else throw new Error(`unexpected page ${next.pathname}`);
  }
  throw new Error('too many redirects');
}

/** The query of a ChatGPT-shaped authorization request: PKCE S256 over `verifier`, resource `/mcp`. */
export function authorizationQuery(base: string, clientId: string, verifier: string, extra: Record<string, string> = {}): URLSearchParams {
  return new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    resource: `${base}/mcp`,
    ...extra,
  });
}

/** Registration, authorization with PKCE, sign-in, consent and code exchange, all over HTTP. */
export async function obtainTokens(base: string, username: string, scope = 'notes:read notes:write'): Promise<Tokens> {
  const registered = await fetch(`${base}/oauth/register`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ client_name: 'test client', redirect_uris: [REDIRECT_URI], token_endpoint_auth_method: 'none' }),
  });
  const { client_id: clientId } = (await registered.json()) as { client_id: string };
  const verifier = randomBytes(32).toString('base64url');
  const params = authorizationQuery(base, clientId, verifier, { state: 'state-1', scope });
  const redirect = await approveInBrowser(base, `/oauth/authorize?${params}`, username);
  const code = redirect.searchParams.get('code');
  if (!code) throw new Error(`no code in ${redirect.href}`);
  const response = await fetch(`${base}/oauth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', client_id: clientId, code, code_verifier: verifier, redirect_uri: REDIRECT_URI, resource: `${base}/mcp` }),
  });
  if (response.status !== 200) throw new Error(`token endpoint: ${response.status} ${await response.text()}`);
  return { ...((await response.json()) as Omit<Tokens, 'clientId'>), clientId };
}

// -------------------------------------------------------------------------------- raw MCP

export const LEGACY_VERSION = '2025-06-18';
export const MODERN_VERSION = '2026-07-28';

export interface McpAnswer {
  status: number;
  headers: Headers;
  /** The JSON-RPC message, from a JSON body or the first `data:` line of an SSE body. */
  message: Record<string, unknown> | undefined;
  text: string;
}

export interface PostOptions {
  token?: string;
  headers?: Record<string, string>;
}

export async function postMcp(mcpUrl: string, body: unknown, options: PostOptions = {}): Promise<McpAnswer> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', ...options.headers };
  if (options.token !== undefined) headers.Authorization = `Bearer ${options.token}`;
  const response = await fetch(mcpUrl, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, message: messageIn(text), text };
}

function messageIn(text: string): Record<string, unknown> | undefined {
  const data = text.split('\n').find((line) => line.startsWith('data:'));
  const json = data === undefined ? text : data.slice('data:'.length);
  try {
    return JSON.parse(json) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

let nextId = 1;

/** A 2025-era request: no envelope; the version header as clients send it after `initialize`. */
export function legacy(method: string, params: Record<string, unknown> = {}): { body: unknown; headers: Record<string, string> } {
  const headers: Record<string, string> = method === 'initialize' ? {} : { 'MCP-Protocol-Version': LEGACY_VERSION };
  return { body: { jsonrpc: '2.0', id: nextId++, method, params }, headers };
}

export function legacyInitialize(): { body: unknown; headers: Record<string, string> } {
  return legacy('initialize', { protocolVersion: LEGACY_VERSION, capabilities: {}, clientInfo: { name: 'raw-test', version: '1.0.0' } });
}

/** A 2026-07-28 request: the `_meta` envelope and the `MCP-Protocol-Version`/`Mcp-Method`/`Mcp-Name` headers. */
export function modern(method: string, params: Record<string, unknown> = {}): { body: unknown; headers: Record<string, string> } {
  const _meta = {
    'io.modelcontextprotocol/protocolVersion': MODERN_VERSION,
    'io.modelcontextprotocol/clientCapabilities': {},
    'io.modelcontextprotocol/clientInfo': { name: 'raw-test', version: '1.0.0' },
  };
  const headers: Record<string, string> = { 'MCP-Protocol-Version': MODERN_VERSION, 'Mcp-Method': method };
  if (method === 'tools/call' && typeof params.name === 'string') headers['Mcp-Name'] = params.name;
  return { body: { jsonrpc: '2.0', id: nextId++, method, params: { ...params, _meta } }, headers };
}

export async function send(mcpUrl: string, request: { body: unknown; headers: Record<string, string> }, token?: string, extra: Record<string, string> = {}): Promise<McpAnswer> {
  return postMcp(mcpUrl, request.body, { ...(token !== undefined && { token }), headers: { ...request.headers, ...extra } });
}

/** The `result` of a successful answer (fails loudly otherwise). */
export function resultOf(answer: McpAnswer): Record<string, unknown> {
  const result = answer.message?.result;
  if (typeof result !== 'object' || result === null) throw new Error(`no result (${answer.status}): ${answer.text}`);
  return result as Record<string, unknown>;
}

/** Calls a tool over the legacy era and returns its result. */
export async function callTool(mcpUrl: string, token: string | undefined, name: string, args: Record<string, unknown>): Promise<Record<string, unknown>> {
  return resultOf(await send(mcpUrl, legacy('tools/call', { name, arguments: args }), token));
}

/** `WWW-Authenticate` parameters as a map (values unquoted). */
export function challengeParams(header: string | null): Record<string, string> {
  if (header === null) throw new Error('no WWW-Authenticate header');
  if (!header.startsWith('Bearer ')) throw new Error(`not a Bearer challenge: ${header}`);
  const params: Record<string, string> = {};
  for (const match of header.slice('Bearer '.length).matchAll(/([a-z_]+)="((?:[^"\\]|\\.)*)"/g)) {
    params[match[1]!] = match[2]!.replace(/\\(.)/g, '$1');
  }
  return params;
}
