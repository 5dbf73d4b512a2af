// Raw MCP calls in either protocol era, and reading their answers. The server and the OAuth client
// come from the kit (test/kit/server.ts, test/kit/client.ts), re-exported here for the MCP tests.
export { PASSWORD, startTestServer, type TestServer, type TestServerOptions } from '../kit/server.ts';
export { approveInBrowser, authorizationQuery, obtainTokens, REDIRECT_URI, type Tokens } from '../kit/client.ts';

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
