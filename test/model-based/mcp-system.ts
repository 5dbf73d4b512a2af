// The real server as the `/mcp` model run drives it: people connecting apps through the real
// sign-in and consent pages, refreshing, revoking and disconnecting, and apps calling the notes
// tools with whatever bearer token they hold, in either protocol era. Every call's answer is read
// back into the shape the models predict (model/mcp.ts `Access`, model/notes.ts `NoteAnswer`).
// Only 127.0.0.1 is ever contacted; the server runs on the run's own clock.
import { decodeJwt } from 'jose';
import { parse } from 'node-html-parser';
import type { Access, Issued, Mode, ToolName } from '../../model/mcp.ts';
import type { NoteArgs, NoteView } from '../../model/notes.ts';
import { createUser } from '../../src/accounts/users.ts';
import type { AccessTokenClaims } from '../../src/core/index.ts';
import { challengeParams, legacy, modern, send, type McpAnswer } from '../mcp/harness.ts';
import { WireClient, type Client } from '../kit/client.ts';
import { PASSWORD, startTestServer, type TestServer } from '../kit/server.ts';
import { cheapPasswordHash } from './http-executor.ts';

export const PEOPLE = ['alice', 'bob'] as const;
export type Person = (typeof PEOPLE)[number];
export type Era = 'legacy' | 'modern';

/** One app a person connected: its client, and the tokens it holds now. */
export interface Connection {
  person: Person;
  client: Client;
  gid: string;
  refreshToken: string | undefined;
}

/** What a `tools/call` answered, read back. `result` is the tool's structured content when it ran. */
export type Called =
  | { access: Extract<Access, { kind: 'runs' }>; result: Record<string, unknown> }
  | { access: Exclude<Access, { kind: 'runs' }> }
  | { access: { kind: 'tool_error' } };

/** The parameters of one challenge, as the models state them. */
function challenged(header: string): { error: 'invalid_token' | 'insufficient_scope' | null; scope: string[] } {
  const params = challengeParams(header);
  const error = params.error === undefined ? null : (params.error as 'invalid_token' | 'insufficient_scope');
  return { error, scope: (params.scope ?? '').split(' ').filter((s) => s !== '').sort() };
}

export class McpSystem {
  readonly #people = new Map<Person, WireClient>();

  private constructor(readonly server: TestServer, readonly mode: Mode) {}

  static async start(mode: Mode, clock: { now: number }): Promise<McpSystem> {
    const server = await startTestServer({ now: () => clock.now, env: { MCP_AUTH_MODE: mode } });
    const hash = await cheapPasswordHash();
    for (const person of PEOPLE) {
      await server.services.queue.apply((state) => createUser(state, { userId: person, username: person, passwordHash: hash, now: clock.now }));
    }
    return new McpSystem(server, mode);
  }

  async close(): Promise<void> {
    await this.server.close();
  }

  #person(person: Person): WireClient {
    let wire = this.#people.get(person);
    if (!wire) this.#people.set(person, (wire = new WireClient(this.server.url, { username: person, password: PASSWORD })));
    return wire;
  }

  /** A new app registers, asks for every scope as ChatGPT does, and `person` approves `approved`: its first tokens. */
  async connect(person: Person, approved: string[]): Promise<{ connection: Connection; accessToken: string; issued: Issued }> {
    const wire = this.#person(person);
    const client = await wire.register();
    const tokens = await wire.tokens(client, { scope: 'notes:read notes:write offline_access', scopes: approved });
    const issued = issuedBy(tokens.access_token, tokens.refresh_token);
    return { connection: { person, client, gid: issued.gid, refreshToken: tokens.refresh_token }, accessToken: tokens.access_token, issued };
  }

  /** A refresh with the connection's current refresh token: the new tokens, or the refusal's status. */
  async refresh(connection: Connection): Promise<{ accessToken: string; issued: Issued } | { status: number; error: unknown }> {
    const reply = await this.#person(connection.person).refresh(connection.client, connection.refreshToken!);
    const json = JSON.parse(reply.text) as Record<string, unknown>;
    if (reply.status !== 200) return { status: reply.status, error: json.error };
    const issued = issuedBy(String(json.access_token), typeof json.refresh_token === 'string' ? json.refresh_token : undefined);
    return { accessToken: String(json.access_token), issued };
  }

  /** POST /oauth/revoke by `by` (a public client) of `token`: the status (always 200 by the rules). */
  async revoke(by: Connection, token: string, hint: 'access_token' | 'refresh_token'): Promise<number> {
    return (await this.#person(by.person).revoke(by.client, token, hint)).status;
  }

  /**
   * `person` disconnects grant `gid` on the connected-apps page (their own or not): the page's own
   * form and CSRF value, posted to the grant's address.
   */
  async disconnect(person: Person, gid: string): Promise<'grant_revoked' | 'not_found'> {
    const browser = this.#person(person).browser;
    let page = await browser.fetch('/apps');
    if (page.status === 303) {
      await page.body?.cancel();
      if ((await this.#person(person).signIn()).status !== 303) throw new Error(`${person} could not sign in`);
      page = await browser.fetch('/apps');
    }
    const csrf = parse(await page.text()).querySelector('input[name="csrf"]')?.getAttribute('value');
    if (csrf === undefined) throw new Error('the connected-apps page has no CSRF value');
    const answer = await browser.fetch(`/apps/${encodeURIComponent(gid)}/revoke`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf }),
    });
    await answer.body?.cancel();
    if (answer.status === 303) return 'grant_revoked';
    if (answer.status === 404) return 'not_found';
    throw new Error(`disconnecting answered ${answer.status}`);
  }

  /** A token signed with the server's own key for another audience (EC-33): only the test can make one. */
  async foreignToken(like: string): Promise<string> {
    const claims = decodeJwt(like) as unknown as AccessTokenClaims;
    return this.server.services.keys.sign({ ...claims, aud: `${this.server.mcpUrl}/other` });
  }

  /** `tools/call` of `tool` with `args` and `token` (or none) in `era`. */
  async call(tool: ToolName, args: NoteArgs, token: string | undefined, era: Era): Promise<Called> {
    const request = era === 'legacy' ? legacy('tools/call', { name: tool, arguments: args }) : modern('tools/call', { name: tool, arguments: args });
    return readCall(await send(this.server.mcpUrl, request, token));
  }
}

function issuedBy(accessToken: string, refreshToken: string | undefined): Issued {
  const claims = decodeJwt(accessToken);
  const issued: Issued = {
    jti: String(claims.jti), gid: String(claims.gid), sub: String(claims.sub), clientId: String(claims.client_id),
    scope: String(claims.scope), iat: Number(claims.iat), exp: Number(claims.exp),
  };
  if (refreshToken !== undefined) issued.refreshToken = refreshToken;
  return issued;
}

function readCall(answer: McpAnswer): Called {
  if (answer.status === 401 || answer.status === 403) {
    const header = answer.headers.get('www-authenticate');
    if (header === null) throw new Error(`a ${answer.status} without a challenge: ${answer.text}`);
    return { access: { kind: 'http', status: answer.status, ...challenged(header) } };
  }
  if (answer.status !== 200) throw new Error(`tools/call answered ${answer.status}: ${answer.text.slice(0, 300)}`);
  const result = answer.message?.result as Record<string, unknown> | undefined;
  if (result === undefined) throw new Error(`tools/call answered no result: ${answer.text.slice(0, 300)}`);
  const inBand = (result._meta as Record<string, unknown> | undefined)?.['mcp/www_authenticate'];
  if (result.isError === true && Array.isArray(inBand)) {
    const { error, scope } = challenged(String(inBand[0]));
    if (error === null) throw new Error(`an in-band challenge without an error: ${String(inBand[0])}`);
    return { access: { kind: 'in_band', error, scope } };
  }
  if (result.isError === true) return { access: { kind: 'tool_error' } };
  // `runs` for some user: which one is the notes model's to judge, from what the tool answered.
  return { access: { kind: 'runs', userId: null }, result: (result.structuredContent ?? {}) as Record<string, unknown> };
}

/** A note as fetch, create_note and update_note answer it, in the notes model's terms. */
export function noteViewOf(result: Record<string, unknown>): NoteView {
  const metadata = result.metadata as { tags: string[]; public: boolean };
  return { id: String(result.id), title: String(result.title), text: String(result.text), tags: [...metadata.tags].sort(), public: metadata.public };
}
