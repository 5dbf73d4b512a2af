// The client side of each OAuth step, as ChatGPT performs it: discovery URLs, registration, the
// authorization request, the code exchange, refresh, revocation, and calls to the MCP endpoint.
import { walkAuthorization, type Decision, type Walk } from './browser.ts';
import { Failure, Skip, Unmet, strings, type Conformance, type Json, type RegisteredClient, type TokenSet } from './context.ts';
import { describeReply, jsonObject, type Reply } from './http.ts';
import { newPkce, newState, type Pkce } from './pkce.ts';

export const CHATGPT_REDIRECT = 'https://chatgpt.com/connector_platform_oauth_redirect';

/** ChatGPT's DCR request (DCR mode, stable redirect). */
export function chatgptRegistration(name = 'ChatGPT'): Json {
  return {
    client_name: name,
    redirect_uris: [CHATGPT_REDIRECT],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
  };
}

/** RFC 9728 well-known URL for a resource: the root form, or the path-inserted one. */
export function prmUrl(resource: string, pathInserted: boolean): string {
  const url = new URL(resource);
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.origin}/.well-known/oauth-protected-resource${pathInserted ? path : ''}`;
}

/** RFC 8414 well-known URL for an issuer (path inserted after the well-known prefix). */
export function asMetadataUrl(issuer: string): string {
  const url = new URL(issuer);
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.origin}/.well-known/oauth-authorization-server${path}`;
}

/** The scopes ChatGPT asks for: the AS list (it adds offline_access when listed), else the PRM's. */
export function chatgptScope(run: Conformance): string {
  return (strings(run.meta?.scopes_supported) ?? strings(run.prm?.scopes_supported) ?? []).join(' ');
}

export function register(run: Conformance, body: Json): Promise<Reply> {
  return run.http.postJson(run.metadata('registration_endpoint'), body);
}

/** Registers a client the way ChatGPT does; any failure leaves dependent checks unmet. */
export async function registerOrUnmet(run: Conformance, body: Json): Promise<RegisteredClient> {
  const reply = await register(run, body);
  const clientId = jsonObject(reply)?.client_id;
  if (reply.status !== 201 || typeof clientId !== 'string') throw new Unmet(`needs a registered client; ${describeReply(reply)}`);
  return { clientId, redirectUri: (strings(body.redirect_uris) ?? [])[0] ?? '' };
}

export interface AuthorizationRequest {
  client: RegisteredClient;
  /** Defaults to the client's redirect URI. */
  redirectUri?: string;
  /** Parameters to set (a string) or leave out (undefined) instead of ChatGPT's. */
  override?: Record<string, string | undefined>;
  decision?: Decision;
  /** Other redirects that should end the walk rather than be followed. */
  alsoStopAt?: string[];
}

export interface Authorization {
  walk: Walk;
  pkce: Pkce;
  state: string;
  redirectUri: string;
}

/** Sends the person to the authorization endpoint with ChatGPT's parameters and walks the pages. */
export async function authorize(run: Conformance, request: AuthorizationRequest): Promise<Authorization> {
  const pkce = newPkce();
  const state = newState();
  const redirectUri = request.redirectUri ?? request.client.redirectUri;
  const params: Record<string, string | undefined> = {
    response_type: 'code',
    client_id: request.client.clientId,
    redirect_uri: redirectUri,
    scope: chatgptScope(run),
    state,
    code_challenge: pkce.challenge,
    code_challenge_method: 'S256',
    resource: run.resource(),
    ...request.override,
  };
  const url = new URL(run.metadata('authorization_endpoint'));
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
  const walk = await walkAuthorization(run.http, url, {
    stopAt: [redirectUri, ...(request.alsoStopAt ?? [])],
    username: run.username,
    password: run.password,
    decision: request.decision ?? 'approve',
  });
  return { walk, pkce, state, redirectUri };
}

/** The `code` of an approved authorization, or a `Failure` saying where the walk ended instead. */
export function codeOf(auth: Authorization): string {
  const { walk } = auth;
  if (walk.end === 'page') throw new Failure(`the authorization ended on ${describeReply(walk.reply)}: ${walk.reason} (${walk.trail.join(', ')})`);
  const code = walk.location.searchParams.get('code');
  if (code === null) throw new Failure(`the client got no code: ${walk.location.search || '(no query)'}`);
  return code;
}

export interface Exchange {
  client: RegisteredClient;
  code: string;
  verifier: string;
  redirectUri?: string;
  /** Overrides the PRM resource; undefined sends none. */
  resource?: string | undefined;
}

export function exchangeCode(run: Conformance, exchange: Exchange): Promise<Reply> {
  const form: Record<string, string> = {
    grant_type: 'authorization_code',
    code: exchange.code,
    redirect_uri: exchange.redirectUri ?? exchange.client.redirectUri,
    client_id: exchange.client.clientId,
    code_verifier: exchange.verifier,
  };
  const resource = 'resource' in exchange ? exchange.resource : run.resource();
  if (resource !== undefined) form.resource = resource;
  return run.http.postForm(run.metadata('token_endpoint'), form);
}

export function refresh(run: Conformance, client: RegisteredClient, refreshToken: string): Promise<Reply> {
  return run.http.postForm(run.metadata('token_endpoint'), {
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    client_id: client.clientId,
    resource: run.resource(),
  });
}

export function revoke(run: Conformance, client: RegisteredClient, token: string, hint: string): Promise<Reply> {
  return run.http.postForm(run.metadata('revocation_endpoint'), { token, token_type_hint: hint, client_id: client.clientId });
}

/** The token set of a successful token response, or undefined. */
export function tokenSet(reply: Reply): TokenSet | undefined {
  const json = jsonObject(reply);
  if (reply.status !== 200 || typeof json?.access_token !== 'string') return undefined;
  return {
    access_token: json.access_token,
    ...(typeof json.refresh_token === 'string' ? { refresh_token: json.refresh_token } : {}),
    ...(typeof json.scope === 'string' ? { scope: json.scope } : {}),
    ...(typeof json.expires_in === 'number' ? { expires_in: json.expires_in } : {}),
    ...(typeof json.id_token === 'string' ? { id_token: json.id_token } : {}),
  };
}

/** The OAuth `error` of a JSON error answer. */
export function oauthError(reply: Reply): string | undefined {
  const error = jsonObject(reply)?.error;
  return typeof error === 'string' ? error : undefined;
}

/** A new code for the ChatGPT client (approving as needed), or `Unmet`. */
export async function freshCode(run: Conformance): Promise<{ client: RegisteredClient; code: string; pkce: Pkce }> {
  const client = run.need(run.client, 'the registered ChatGPT client (check register)');
  const auth = await authorize(run, { client });
  try {
    return { client, code: codeOf(auth), pkce: auth.pkce };
  } catch (error) {
    throw new Unmet(`needs an authorization code: ${(error as Error).message}`);
  }
}

/** A new token family for the ChatGPT client, with a refresh token, or `Unmet`. */
export async function freshTokens(run: Conformance): Promise<{ client: RegisteredClient; tokens: TokenSet & { refresh_token: string } }> {
  const { client, code, pkce } = await freshCode(run);
  const reply = await exchangeCode(run, { client, code, verifier: pkce.verifier });
  const tokens = tokenSet(reply);
  if (tokens?.refresh_token === undefined) throw new Unmet(`needs tokens with a refresh token; ${describeReply(reply)}`);
  return { client, tokens: { ...tokens, refresh_token: tokens.refresh_token } };
}

const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'agent-notes-conformance', version: '0.1.0' } },
};

/** POST an MCP `initialize` to the MCP endpoint, with a bearer token or without. */
export function callMcp(run: Conformance, token?: string): Promise<Reply> {
  return run.http.postJson(run.mcpUrl, INITIALIZE, {
    Accept: 'application/json, text/event-stream',
    ...(token === undefined ? {} : { Authorization: `Bearer ${token}` }),
  });
}

/** The tokenless answer of `/mcp` (asked once); a 404 means there is no MCP endpoint yet: `Skip`. */
export async function mcpWithoutToken(run: Conformance): Promise<Reply> {
  run.mcpProbe ??= callMcp(run);
  const reply = await run.mcpProbe;
  if (reply.status === 404) throw new Skip(`${new URL(run.mcpUrl).pathname} answers 404: no MCP endpoint to call yet`);
  return reply;
}

/** Whether the server has an MCP endpoint (anything but 404 without a token). */
export async function hasMcp(run: Conformance): Promise<boolean> {
  try {
    await mcpWithoutToken(run);
    return true;
  } catch (error) {
    if (error instanceof Skip) return false;
    throw error;
  }
}
