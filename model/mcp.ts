// The reference model of `/mcp` access: which tool a bearer token may call, and how the endpoint
// refuses one it may not. Written from the rules in chatgpt-apps/auth.md (Resource server, MCP
// challenges, the tool scopes, EC-33 to EC-37, Check order `/mcp`, Revocation), never from
// src/mcp or src/tokens. `Tokens` keeps what the resource server must know about each access token
// the authorization server issued; `access` says what a call answers for the caller it verified.
import { LIFETIMES, type Lifetimes } from './lifetimes.ts';

export type Mode = 'oauth' | 'mixed';
export type ToolName = 'about' | 'search' | 'fetch' | 'list_notes' | 'list_tags' | 'list_note_versions' | 'create_note' | 'update_note' | 'delete_note';

/** auth.md, "Tool scopes": `about` needs none, reading needs `notes:read`, changing `notes:write`. */
export const TOOL_SCOPES: Readonly<Record<ToolName, readonly string[]>> = {
  about: [],
  search: ['notes:read'],
  fetch: ['notes:read'],
  list_notes: ['notes:read'],
  list_tags: ['notes:read'],
  list_note_versions: ['notes:read'],
  create_note: ['notes:write'],
  update_note: ['notes:write'],
  delete_note: ['notes:write'],
};

/** What a `401` challenge names (REQ-02, EC-37): the server's resource scopes, never `offline_access`. */
export const SERVER_SCOPES: readonly string[] = ['notes:read', 'notes:write'];

/** "Scope hierarchy at the MCP layer": `notes:write` implies `notes:read`. */
function effectiveScopes(granted: string): Set<string> {
  const held = new Set(granted.split(' ').filter((s) => s !== ''));
  if (held.has('notes:write')) held.add('notes:read');
  return held;
}

/** The caller after verification: no token, a refused one (whatever the reason), or a valid one. */
export type Caller = { kind: 'none' } | { kind: 'refused'; why: string } | { kind: 'valid'; userId: string; scope: string };

export type Access =
  /** The tool runs, for this user (or anonymously: `about` in `mixed` mode). */
  | { kind: 'runs'; userId: string | null }
  /** An HTTP refusal with its `WWW-Authenticate` challenge (`error` absent when no token was sent). */
  | { kind: 'http'; status: 401 | 403; error: 'invalid_token' | 'insufficient_scope' | null; scope: string[] }
  /** HTTP 200, a tool error carrying `_meta["mcp/www_authenticate"]` (mixed mode, REQ-05). */
  | { kind: 'in_band'; error: 'invalid_token' | 'insufficient_scope'; scope: string[] };

/** Check order `/mcp`, steps 3 and 8, for one `tools/call` of `tool`. */
export function access(mode: Mode, tool: ToolName, caller: Caller): Access {
  const needed = [...TOOL_SCOPES[tool]].sort();
  // 1. Step 3 (REQ-02, EC-36, EC-37): `oauth` mode and no valid token: 401 with the server's
  //    scopes; `error="invalid_token"` only when a token was presented and refused (RFC6750-04).
  if (mode === 'oauth' && caller.kind !== 'valid') {
    return { kind: 'http', status: 401, error: caller.kind === 'refused' ? 'invalid_token' : null, scope: [...SERVER_SCOPES] };
  }
  // 2. Step 8 (REQ-04, MCP-25): every needed scope held, with the hierarchy applied. In `mixed`
  //    mode a refused token counts as none (EC-34): the `noauth` tool runs anonymously.
  const held = caller.kind === 'valid' ? effectiveScopes(caller.scope) : new Set<string>();
  if (needed.every((scope) => held.has(scope))) return { kind: 'runs', userId: caller.kind === 'valid' ? caller.userId : null };
  // 3. `oauth` mode: the caller is valid here, so only scopes are missing: 403 naming them all.
  if (mode === 'oauth') return { kind: 'http', status: 403, error: 'insufficient_scope', scope: needed };
  // 4. `mixed` mode, a single call: in band (EC-37): `insufficient_scope` with the tool's scopes
  //    for a valid token, `invalid_token` with the server's scopes without one.
  return caller.kind === 'valid'
    ? { kind: 'in_band', error: 'insufficient_scope', scope: needed }
    : { kind: 'in_band', error: 'invalid_token', scope: [...SERVER_SCOPES] };
}

interface Grant { userId: string; clientId: string; live: boolean; refreshToken: string | undefined; refreshExpiresAt: number }
interface AccessToken { jti: string; gid: string; userId: string; clientId: string; scope: string; exp: number; ours: boolean; revoked: boolean }

/** What the answer to a connection or a refresh must carry, as far as `/mcp` cares. */
export interface Issued { jti: string; gid: string; sub: string; clientId: string; scope: string; iat: number; exp: number; refreshToken?: string }

/**
 * The access tokens and grants behind them. An access token is live while `now < exp` plus the clock tolerance (none), its grant
 * exists, and its `jti` was not revoked (Resource server); it is accepted only with exactly our
 * audience, signed by us (EC-33, MCP-34). Grants die by disconnection (`revokeGrant`) or by the
 * revocation of their refresh token (REQ-19, EC-35), and take every access token with them.
 */
export class Tokens {
  readonly #grants = new Map<string, Grant>();
  readonly #tokens = new Map<string, AccessToken>(); // by the token as presented
  readonly #lifetimes: Lifetimes;

  constructor(lifetimes: Lifetimes = LIFETIMES) {
    this.#lifetimes = lifetimes;
  }

  /** The lifetime an access token must be issued with ("Access token lifetime: 1 hour"). */
  get accessTokenTtl(): number {
    return this.#lifetimes.accessTokenTtl;
  }

  /** How long past its `exp` a token is still accepted. */
  get accessTokenTolerance(): number {
    return this.#lifetimes.accessTokenTolerance;
  }

  /** A code exchange made a new grant (EC-48: per user and client, never shared between users). */
  connected(token: string, issued: Issued, now: number): void {
    if (this.#grants.has(issued.gid)) throw new Error(`a code exchange reused grant ${issued.gid}`);
    this.#grants.set(issued.gid, { userId: issued.sub, clientId: issued.clientId, live: true, refreshToken: issued.refreshToken, refreshExpiresAt: now + this.#lifetimes.refreshTokenTtl });
    this.#add(token, issued);
  }

  /** What a refresh with the grant's current refresh token must answer: new tokens, or `invalid_grant`. */
  refreshable(gid: string, now: number): boolean {
    const grant = this.#grants.get(gid);
    return grant !== undefined && grant.live && grant.refreshToken !== undefined && now < grant.refreshExpiresAt;
  }

  /** A refresh rotated the grant's refresh token (EC-31) and issued one more access token. */
  refreshed(token: string, issued: Issued, now: number): void {
    const grant = this.#grants.get(issued.gid)!;
    grant.refreshToken = issued.refreshToken;
    grant.refreshExpiresAt = now + this.#lifetimes.refreshTokenTtl;
    this.#add(token, issued);
  }

  /** A token we signed for another resource: refused whatever else it says (EC-33, MCP-34). */
  foreign(token: string, like: string): void {
    const original = this.#tokens.get(like)!;
    this.#tokens.set(token, { ...original, ours: false });
  }

  /** What the verifier makes of `token` at `now` (REQ-03, MCP-33). */
  caller(token: string | undefined, now: number): Caller {
    if (token === undefined) return { kind: 'none' };
    const t = this.#tokens.get(token);
    if (t === undefined) return { kind: 'refused', why: 'not a token of ours' };
    if (!t.ours) return { kind: 'refused', why: 'another audience' };
    // "Access token clock tolerance" (none today): refused from `exp + tolerance` on.
    if (now >= t.exp + this.#lifetimes.accessTokenTolerance) return { kind: 'refused', why: 'expired' };
    if (!this.#grants.get(t.gid)!.live) return { kind: 'refused', why: 'grant revoked' };
    if (t.revoked) return { kind: 'refused', why: 'token revoked' };
    return { kind: 'valid', userId: t.userId, scope: t.scope };
  }

  /**
   * `POST /oauth/revoke` by `clientId` (Check order `revoke`, step 3): a refresh token of this
   * client revokes its grant; a live access token of this client is revoked itself; anything
   * else, another client's token included, changes nothing. The answer is `200` in every case.
   */
  revoke(token: string, clientId: string, now: number): void {
    const grant = [...this.#grants.values()].find((g) => g.refreshToken === token);
    if (grant !== undefined) {
      if (grant.clientId === clientId && now < grant.refreshExpiresAt) grant.live = false;
      return;
    }
    const access = this.#tokens.get(token);
    if (access !== undefined && this.caller(token, now).kind === 'valid' && access.clientId === clientId) access.revoked = true;
  }

  /** The user disconnects an app (Check order `revokeGrant`): only their own live grant. */
  disconnect(gid: string, userId: string): 'grant_revoked' | 'not_found' {
    const grant = this.#grants.get(gid);
    if (grant === undefined || !grant.live || grant.userId !== userId) return 'not_found';
    grant.live = false;
    return 'grant_revoked';
  }

  #add(token: string, issued: Issued): void {
    this.#tokens.set(token, { jti: issued.jti, gid: issued.gid, userId: issued.sub, clientId: issued.clientId, scope: issued.scope, exp: issued.exp, ours: true, revoked: false });
  }
}
