// The `/mcp` endpoint. Checks run in the order EC-39 decides, and the first failure answers:
//   1. Origin (403, MCP-49);  2. CORS preflight (204, never authenticated, EC-40);
//   3. the bearer gate (401 in `oauth` mode, REQ-02/REQ-03);  4. method (405 for GET/HEAD/DELETE);
//   5. media type, size and JSON (415, 413, 400);  6. scopes of the tools called (403, REQ-04);
//   7. the SDK: protocol version and headers (400), then dispatch, with the identity as `authInfo`.
import type { IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { AuthInfo, McpHttpHandler } from '@modelcontextprotocol/server';
import { isJsonContentType } from '@modelcontextprotocol/server';
import type { Context, Middleware } from 'koa';
import type { Services } from '../app/services.ts';
import { authInfoOf, identifyCaller, satisfies } from './gate.ts';
import type { Caller } from './gate.ts';
import { INVALID_REQUEST, PARSE_ERROR } from '../http/middleware/json-rpc-error.ts';
import type { JsonRpcId } from '../http/middleware/json-rpc-error.ts';
import { answer } from '../http/middleware/refusal.ts';
import { requestIdOf, scopesNeeded } from './json-rpc.ts';
import { isAllowedOrigin } from './origin.ts';
import { MCP_BODY_LIMIT, parseJson, readRawBody } from './request-body.ts';
import { scopesFor, toolsFor } from './tools.ts';
import type { NotesTool } from './tools.ts';
import { bearerChallenge, resourceMetadataUrl } from '../http/middleware/www-authenticate.ts';

const ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'Accept', 'MCP-Protocol-Version', 'Mcp-Method', 'Mcp-Name', 'Mcp-Session-Id', 'Last-Event-ID'];
const EXPOSED_HEADERS = 'WWW-Authenticate, Mcp-Session-Id, MCP-Protocol-Version';
/** Not forwarded to the SDK: hop-by-hop headers, the body length (the body goes parsed), credentials. */
const NOT_FORWARDED = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'content-length', 'upgrade', 'te', 'trailer', 'proxy-connection', 'authorization', 'cookie']);

export interface McpEndpointOptions {
  tools?: readonly NotesTool[];
  bodyLimit?: number;
}

export function mcpEndpoint(services: Services, handler: McpHttpHandler, options: McpEndpointOptions = {}): Middleware {
  const { config } = services;
  const tools = options.tools ?? toolsFor(config);
  const bodyLimit = options.bodyLimit ?? MCP_BODY_LIMIT;
  const resourceMetadata = resourceMetadataUrl(config.core.resource);

  /** REQ-02 / RFC6750-04: `error` only when a token was presented, and then `invalid_token`. */
  function unauthorized(ctx: Context, caller: Exclude<Caller, { kind: 'authenticated' }>): void {
    const refused = caller.kind === 'invalid';
    const challenge = bearerChallenge({
      resourceMetadata,
      ...(refused && { error: 'invalid_token' as const, errorDescription: caller.description }),
      scope: config.core.scopes,
    });
    const message = refused ? `Unauthorized: ${caller.description}` : 'Unauthorized: sign in to agent-notes (OAuth) and send the access token as a Bearer token';
    answer(ctx, 'json-rpc', { status: 401, description: message, headers: { 'WWW-Authenticate': challenge } });
  }

  /**
   * REQ-04 / MCP-24 / MCP-25: every scope the operation needs goes in the challenge (clients ask for
   * exactly that set); the description names only what the token lacks.
   */
  function insufficientScope(ctx: Context, needed: readonly string[], id: JsonRpcId, held: ReadonlySet<string>): void {
    const missing = needed.filter((scope) => !held.has(scope));
    const errorDescription = `this call needs the ${(missing.length > 0 ? missing : needed).join(' and ')} permission`;
    const challenge = bearerChallenge({ resourceMetadata, error: 'insufficient_scope', errorDescription, scope: needed });
    answer(ctx, 'json-rpc', { status: 403, description: `Forbidden: ${errorDescription}`, id, headers: { 'WWW-Authenticate': challenge } });
  }

  return async (ctx) => {
    const origin = ctx.get('Origin') || undefined;
    // MCP-49 / REQ-06 / EC-39: a foreign web page is refused before anything else, and learns nothing.
    if (!isAllowedOrigin(origin, config)) return answer(ctx, 'json-rpc', { status: 403, description: 'Forbidden: this Origin may not use the MCP endpoint' });
    if (origin !== undefined) allowOrigin(ctx, origin);
    // EC-40: a CORS preflight carries no credentials and needs none.
    if (ctx.method === 'OPTIONS') return preflight(ctx, origin);

    const caller = await identifyCaller(ctx.get('Authorization') || undefined, services.verifyAccessToken);
    // EC-36 / EC-39 / EC-40: in `oauth` mode every request without a valid token is challenged,
    // whatever its method and whatever else is wrong with it.
    if (config.mcpAuthMode === 'oauth' && caller.kind !== 'authenticated') return unauthorized(ctx, caller);

    // EC-40: no server-sent event stream and no sessions, so only POST is served.
    if (ctx.method !== 'POST') {
      return answer(ctx, 'json-rpc', { status: 405, description: 'Method not allowed: send JSON-RPC messages with POST', headers: { Allow: 'POST' } });
    }
    if (!isJsonContentType(ctx.get('Content-Type'))) {
      return answer(ctx, 'json-rpc', { status: 415, description: 'Unsupported Media Type: Content-Type must be application/json' });
    }
    const raw = await readRawBody(ctx.req, bodyLimit);
    if (!raw.ok) {
      ctx.set('Connection', 'close');
      const tooLarge = raw.reason === 'too_large';
      return answer(ctx, 'json-rpc', { status: tooLarge ? 413 : 400, description: tooLarge ? `Payload Too Large: at most ${bodyLimit} bytes` : 'the request body could not be read' });
    }
    const parsed = parseJson(raw.text);
    if (!parsed.ok) return answer(ctx, 'json-rpc', { status: 400, code: PARSE_ERROR, description: 'Parse error: the request body is not valid JSON' });
    const body = parsed.value;
    if (typeof body !== 'object' || body === null) return answer(ctx, 'json-rpc', { status: 400, code: INVALID_REQUEST, description: 'Invalid Request: expected a JSON-RPC message' });

    const needed = scopesNeeded(body, (name) => scopesFor(name, tools));
    if (!satisfies(caller, needed)) {
      // `oauth` mode: the caller is authenticated here, so only scopes are missing.
      if (config.mcpAuthMode === 'oauth') return insufficientScope(ctx, needed, requestIdOf(body), heldBy(caller));
      // `mixed` mode answers a single call in band (the tool itself does, REQ-05); a batch has no
      // single result to carry the challenge, so it gets the HTTP one.
      if (Array.isArray(body)) return caller.kind === 'authenticated' ? insufficientScope(ctx, needed, null, caller.scopes) : unauthorized(ctx, caller);
    }
    // EC-34: a refused token counts as no token at all; it is never half-trusted.
    const authInfo = caller.kind === 'authenticated' ? authInfoOf(caller) : undefined;
    await forward(ctx, handler, config.core.resource, body, authInfo);
  };
}

function heldBy(caller: Caller): ReadonlySet<string> {
  return caller.kind === 'authenticated' ? caller.scopes : new Set();
}

function allowOrigin(ctx: Context, origin: string): void {
  ctx.vary('Origin');
  ctx.set('Access-Control-Allow-Origin', origin);
  ctx.set('Access-Control-Expose-Headers', EXPOSED_HEADERS);
}

function preflight(ctx: Context, origin: string | undefined): void {
  ctx.set('Allow', 'POST, GET, HEAD, DELETE, OPTIONS');
  if (origin !== undefined) {
    // SEP-2243 `Mcp-Param-*` headers are named per tool, so requested ones of that family are allowed too.
    const requested = (ctx.get('Access-Control-Request-Headers') || '').split(',').map((h) => h.trim()).filter((h) => /^mcp-param-[a-z0-9-]+$/i.test(h));
    ctx.set('Access-Control-Allow-Methods', 'POST, GET, HEAD, DELETE, OPTIONS');
    ctx.set('Access-Control-Allow-Headers', [...ALLOWED_HEADERS, ...requested].join(', '));
    ctx.set('Access-Control-Max-Age', '86400');
  }
  ctx.status = 204;
}

function forwardedHeaders(incoming: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined || NOT_FORWARDED.has(name)) continue;
    headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

/** Hands the parsed message to the SDK's fetch-style handler and streams its answer back. */
async function forward(ctx: Context, handler: McpHttpHandler, url: string, body: unknown, authInfo: AuthInfo | undefined): Promise<void> {
  const abort = new AbortController();
  const onClose = () => {
    if (!ctx.res.writableFinished) abort.abort();
  };
  ctx.res.once('close', onClose);
  const request = new Request(url, { method: 'POST', headers: forwardedHeaders(ctx.req.headers), signal: abort.signal });
  const response = await handler.fetch(request, { parsedBody: body, ...(authInfo !== undefined && { authInfo }) });

  ctx.status = response.status;
  response.headers.forEach((value, name) => ctx.set(name, value));
  ctx.respond = false;
  const res = ctx.res;
  res.writeHead(response.status);
  if (response.body === null) {
    res.end();
    return;
  }
  try {
    await pipeline(Readable.fromWeb(response.body as NodeReadableStream), res);
  } catch {
    // The client went away mid-stream; the abort signal has already ended the exchange.
  } finally {
    ctx.res.off('close', onClose);
  }
}
