// The model-based operations against the real server over a socket on 127.0.0.1: each core command
// becomes the request(s) a client or a browser would send, and each response is read back into the
// model's `Observation`, so the reference model judges the server exactly as it judges the core.
// The server's clock is the world's, and its fresh values are the command's: the executor queues
// them in the order the route consumes them (login and session internals get random ones).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import argon2 from 'argon2';
import { createLocalJWKSet, decodeJwt, jwtVerify, type JSONWebKeySet } from 'jose';
import { parse } from 'node-html-parser';
import { expect } from 'vitest';
import type { Observation } from '../../model/observation.ts';
import { createUser } from '../../src/accounts/users.ts';
import type { Command, Params } from '../../src/core/index.ts';
import { startServer, type RunningServer } from '../../src/server.ts';
import { Browser } from '../kit/browser.ts';
import { seedKeyFile } from '../kit/key-file.ts';
import { PASSWORD } from '../kit/server.ts';
import { observe } from './execute.ts';
import type { ConsentSeen } from './operations.ts';
import { config, ISSUER, RESOURCE, type Ctx, type World } from './world.ts';
import { OFFLINE_FETCH_POLICY } from '../kit/offline-fetch.ts';

/** The users decisions are made as; their user ids are their names, as the operations expect. */
const USERS = ['alice', 'bob'] as const;
/** auth.md, web sign-in: "Sessions last 30 days" (from sign-in, not sliding). */
const SESSION_LIFETIME = 30 * 86_400;
/** The names the authorization response parameters travel under (RFC 6749 §4.1.2, RFC 9207). */
const RESPONSE_PARAMS = ['code', 'state', 'iss', 'error', 'error_description'];

type ConsentRequired = Extract<Observation, { kind: 'consent_required' }>;
/** What the wire shows: only the request id of a consent-required answer leaves the server. */
type WireObservation = Exclude<Observation, { kind: 'consent_required' }> | Pick<ConsentRequired, 'kind' | 'requestId'>;

function onTheWire(observation: Observation): WireObservation {
  return observation.kind === 'consent_required' ? { kind: observation.kind, requestId: observation.requestId } : observation;
}

function searchParams(params: Params): URLSearchParams {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) for (const v of value === undefined ? [] : [value].flat()) search.append(name, v);
  return search;
}

/** An authorization response read back: the redirect URI (with any query of its own) and the response parameters. */
function redirectObservation(location: string): Observation {
  const url = new URL(location);
  const own = new URLSearchParams();
  const params: Record<string, string> = {};
  for (const [name, value] of url.searchParams) {
    if (!RESPONSE_PARAMS.includes(name)) own.append(name, value);
    else if (name !== 'error_description') params[name] = value; // descriptions are not compared
  }
  const query = own.size > 0 ? `?${own}` : '';
  return { kind: 'redirect', redirectUri: `${url.origin}${url.pathname}${query}`, params };
}

async function oauthError(response: Response): Promise<Observation> {
  const body = (await response.json()) as { error?: unknown };
  return { kind: 'error', error: String(body.error), status: response.status };
}

/**
 * The users' password hash, made once per test file with the lowest argon2id cost: sign-in still
 * runs the real verification (the cost travels inside the hash) in about a millisecond instead of
 * a third of a second, which is what lets every run start its own server with its own users.
 */
let passwordHash: Promise<string> | undefined;
export function cheapPasswordHash(): Promise<string> {
  return (passwordHash ??= argon2.hash(PASSWORD, { type: argon2.argon2id, memoryCost: 1024, timeCost: 1, parallelism: 1 }));
}

/** One server with a fresh data directory, on the clock of one run's world. */
export class HttpSystem {
  readonly #fresh: string[] = [];
  readonly #browsers = new Map<string, Browser>();
  /** When each user's browser last signed in: the session the server must still hold. */
  readonly #signedInAt = new Map<string, number>();
  #jwks: ReturnType<typeof createLocalJWKSet> | undefined;

  private constructor(readonly server: RunningServer, readonly base: string, readonly dataDir: string) {}

  static async start(world: World): Promise<HttpSystem> {
    const dataDir = await mkdtemp(join(tmpdir(), 'agent-notes-http-model-'));
    await seedKeyFile(dataDir); // not a fresh RSA key per run
    let system: HttpSystem | undefined;
    const { issuer: _issuer, resource: _resource, ...coreOverrides } = config;
    const server = await startServer({
      fetchPolicy: OFFLINE_FETCH_POLICY,
      port: 0,
      dataDir,
      env: {},
      publicUrl: ISSUER,
      now: () => world.now,
      fresh: () => system?.nextFresh() ?? randomBytes(32).toString('base64url'),
      coreOverrides,
    });
    // With a public URL of its own, the server's socket is only named by its port.
    system = new HttpSystem(server, `http://127.0.0.1:${server.config.port}`, dataDir);
    expect(server.config.core, 'the server runs the configuration the model is given').toEqual(config);
    const hash = await cheapPasswordHash();
    for (const user of USERS) {
      const outcome = await server.services.queue.apply((state) => createUser(state, { userId: user, username: user, passwordHash: hash, now: world.now }));
      expect(outcome.kind).toBe('user_created');
    }
    return system;
  }

  /** The next queued fresh value of the command being sent, if any. */
  nextFresh(): string | undefined {
    return this.#fresh.shift();
  }

  async close(): Promise<void> {
    await this.server.close();
    await rm(this.dataDir, { recursive: true, force: true });
  }

  /** The `AsyncExecutor`: the model's answer, the server's answer, compared on what crosses the wire. */
  async execute(ctx: Ctx, command: Command): Promise<Observation> {
    const expected = ctx.model.apply(command);
    let answered: WireObservation;
    try {
      answered = await this.#send(ctx.world, command);
    } finally {
      this.#fresh.length = 0; // a route that answered early leaves the command's values unused
    }
    expect(answered, 'the server over HTTP and the reference model disagree').toEqual(onTheWire(expected));
    this.#checkStoredRecords(ctx);
    // A consent-required answer carries only its request id; the rest of the model's expectation
    // (client, redirect URI, scopes, resource, state) stays behind the consent page.
    return expected;
  }

  /**
   * What the server stored after the step, against the model, collection by collection. Pending
   * requests are compared while live: for an expired request the consent route answers its page
   * without running `decide` (see #decide), so the server may keep it until the tick; the model
   * drops it at once.
   */
  #checkStoredRecords(ctx: Ctx): void {
    const { clients, pending, codes, grants, refreshTokens, revokedAccessTokens, usedAssertions } = this.server.services.queue.state;
    const now = ctx.world.now;
    const counts = Object.fromEntries(Object.entries({ clients, codes, grants, refreshTokens, revokedAccessTokens, usedAssertions }).map(([name, records]) => [name, Object.keys(records).length]));
    const { pending: _all, ...expected } = ctx.model.storedCounts();
    expect({ ...counts, livePending: Object.values(pending).filter((p) => now < p.expiresAt).length }, 'the server over HTTP stores other records than the model')
      .toEqual({ ...expected, livePending: ctx.model.livePendingCount(now) });
    // One live session per user whose browser signed in within the session lifetime.
    const liveSessions = Object.values(this.server.services.queue.state.sessions).filter((s) => now < s.expiresAt).map((s) => s.userId).sort();
    const signedIn = [...this.#signedInAt].filter(([, at]) => now < at + SESSION_LIFETIME).map(([user]) => user).sort();
    expect(liveSessions, 'live sessions are those of the sign-ins the browsers made').toEqual(signedIn);
  }

  #send(world: World, command: Command): Promise<WireObservation> {
    switch (command.type) {
      case 'register': return this.#register(command);
      case 'authorize': return this.#authorize(command);
      case 'decide': return this.#decide(world, command);
      case 'token': return this.#token(world, command);
      case 'revoke': return this.#revoke(command);
      // No HTTP endpoint yet: run in-process through the same commit queue, projected like the core.
      case 'revokeGrant':
      case 'tick':
        return this.server.services.queue.run(command).then(observe);
    }
  }

  #url(path: string): string {
    return new URL(path, this.base).href;
  }

  async #register(command: Extract<Command, { type: 'register' }>): Promise<WireObservation> {
    this.#fresh.push(command.fresh.clientId, command.fresh.clientSecret);
    const response = await fetch(this.#url('/oauth/register'), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(command.metadata) });
    if (response.status !== 201) return oauthError(response);
    const body = (await response.json()) as { client_id: string; client_secret?: string; token_endpoint_auth_method: string; redirect_uris: string[]; grant_types: string[] };
    const o: Observation = { kind: 'registered', clientId: body.client_id, authMethod: body.token_endpoint_auth_method, redirectUris: body.redirect_uris, grantTypes: body.grant_types };
    if (body.client_secret !== undefined) o.clientSecret = body.client_secret;
    return o;
  }

  async #authorize(command: Extract<Command, { type: 'authorize' }>): Promise<WireObservation> {
    this.#fresh.push(command.fresh.requestId);
    const response = await fetch(this.#url(`/oauth/authorize?${searchParams(command.params)}`), { redirect: 'manual' });
    const location = response.headers.get('location');
    if (response.status === 303 && location !== null) {
      if (location.startsWith('/consent?')) {
        const requestId = new URLSearchParams(location.slice('/consent?'.length)).get('request');
        return { kind: 'consent_required', requestId: requestId ?? '(none)' };
      }
      return redirectObservation(location);
    }
    // Phase-1 errors are a page for the person; the code is in its technical details.
    const page = await response.text();
    const code = /Error code: ([A-Za-z_]+)/.exec(page)?.[1] ?? `(no error code on a ${response.status} page)`;
    return { kind: 'error', error: code, status: response.status };
  }

  /**
   * POST /consent as the signed-in user. HTTP legitimately differs from the core here: for an
   * unknown or expired request the route answers its "Nothing to approve" page without running
   * `decide`, so the core keeps an expired pending record until the next tick, where the model
   * deletes it at once. Nothing observable depends on it (the consent pages check expiry too), so
   * the comparison is on the answer: a 400 page is the model's `invalid_request`.
   */
  async #decide(world: World, command: Extract<Command, { type: 'decide' }>): Promise<WireObservation> {
    const { browser, csrf } = await this.#signedIn(command.userId);
    const form = new URLSearchParams({ csrf, request_id: command.requestId });
    if (command.decision.approve) {
      form.set('decision', 'approve');
      // The page's checkboxes: approving without a choice means every requested scope stays ticked.
      const known = [...world.requests, ...world.decided].find((r) => r.requestId === command.requestId);
      for (const scope of command.decision.scopes ?? known?.scopes ?? []) form.append('scope', scope);
    } else {
      form.set('decision', 'deny');
    }
    this.#fresh.push(command.fresh.code);
    const response = await browser.fetch('/consent', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form });
    const location = response.headers.get('location');
    if (response.status === 303 && location !== null) return redirectObservation(location);
    await response.body?.cancel();
    return { kind: 'error', error: response.status === 400 ? 'invalid_request' : `(consent page ${response.status})`, status: response.status };
  }

  /**
   * GET /consent as the signed-in user, the way a browser arrives from /oauth/authorize: a page
   * that asks (200), nothing to approve (400), or, when remembered consent covers the request, an
   * immediate redirect back to the client, made by the route's own `decide` with this fresh code.
   */
  async openConsentPage(decide: Extract<Command, { type: 'decide' }>): Promise<ConsentSeen> {
    const { browser } = await this.#signedIn(decide.userId);
    this.#fresh.push(decide.fresh.code);
    try {
      const response = await browser.fetch(`/consent?request=${encodeURIComponent(decide.requestId)}`);
      const location = response.headers.get('location');
      await response.body?.cancel();
      if (response.status === 200) return { kind: 'ask' };
      if (response.status === 400) return { kind: 'expired' };
      if (response.status === 303 && location !== null && !location.startsWith('/')) return { kind: 'remembered', redirect: redirectObservation(location) };
      throw new Error(`GET /consent answered ${response.status} ${location ?? ''}`);
    } finally {
      this.#fresh.length = 0;
    }
  }

  /**
   * A browser signed in as `user`, and its session's CSRF value. The value is read from the account
   * page, not from GET /consent: that page approves at once when an earlier grant covers the
   * request, which would be a decision the model never saw. Sessions expire on the world's clock,
   * so the browser signs in again when the account page sends it to /login.
   */
  async #signedIn(user: string): Promise<{ browser: Browser; csrf: string }> {
    let browser = this.#browsers.get(user);
    if (!browser) this.#browsers.set(user, (browser = new Browser(this.base)));
    // The account page is a signed-in page with the session's CSRF value in its forms.
    let home = await browser.fetch('/account');
    if (home.status === 303) {
      await home.body?.cancel();
      const login = await browser.fetch('/login');
      const signIn = await browser.submit('/login', await login.text(), { username: user, password: PASSWORD });
      await signIn.body?.cancel();
      expect(signIn.status, `${user} could not sign in`).toBe(303);
      this.#signedInAt.set(user, this.server.services.now());
      home = await browser.fetch('/account');
    }
    expect(home.status, `${user}'s account page`).toBe(200);
    const csrf = parse(await home.text()).querySelector('input[name="csrf"]')?.getAttribute('value');
    expect(csrf, 'the account page carries the session CSRF value').toBeTruthy();
    return { browser, csrf: csrf! };
  }

  async #form(path: string, command: { params: Params; authorization?: string }): Promise<Response> {
    const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
    if (command.authorization !== undefined) headers.Authorization = command.authorization;
    return fetch(this.#url(path), { method: 'POST', headers, body: searchParams(command.params) });
  }

  async #token(world: World, command: Extract<Command, { type: 'token' }>): Promise<WireObservation> {
    this.#fresh.push(command.fresh.grantId, command.fresh.jti, command.fresh.refreshToken);
    const response = await this.#form('/oauth/token', command);
    if (response.status !== 200) return oauthError(response);
    const body = (await response.json()) as { access_token: string; token_type: string; expires_in: number; scope: string; refresh_token?: string; id_token?: string };
    await this.#verifySignature(body.access_token, world.now);
    const claims = decodeJwt(body.access_token);
    expect(claims.iss, 'the access token names its issuer').toBe(ISSUER);
    expect(claims.aud, 'invariant 3: the access token is for the canonical resource').toBe(RESOURCE);
    expect(body.token_type).toBe('Bearer');
    expect(body.scope, 'the response scope is the token scope').toBe(claims.scope);
    expect(body.expires_in).toBe(Number(claims.exp) - Number(claims.iat));
    // The client keeps what it was given: a later revocation presents this very string.
    world.accessTokenJwts.set(String(claims.jti), body.access_token);
    const o: Observation = {
      kind: 'tokens', sub: String(claims.sub), aud: String(claims.aud), clientId: String(claims.client_id), scope: String(claims.scope),
      iat: Number(claims.iat), exp: Number(claims.exp), jti: String(claims.jti), gid: String(claims.gid),
    };
    if (body.refresh_token !== undefined) o.refreshToken = body.refresh_token;
    if (body.id_token !== undefined && o.kind === 'tokens') {
      // The ID token verifies against the same key set, RS256, for the client that asked.
      const { payload } = await jwtVerify(body.id_token, this.#jwks!, { algorithms: ['RS256'], issuer: ISSUER, audience: o.clientId, currentDate: new Date(world.now * 1000) });
      expect(payload.iat, 'the ID token was issued with its access token').toBe(o.iat);
      o.idToken = { sub: String(payload.sub), aud: String(payload.aud), exp: Number(payload.exp), ...(typeof payload.nonce === 'string' ? { nonce: payload.nonce } : {}) };
    }
    return o;
  }

  /** Every access token verifies against the server's published key set (fetched once per server). */
  async #verifySignature(jwt: string, now: number): Promise<void> {
    if (!this.#jwks) this.#jwks = createLocalJWKSet((await (await fetch(this.#url('/oauth/jwks.json'))).json()) as JSONWebKeySet);
    await jwtVerify(jwt, this.#jwks, { algorithms: ['ES256'], typ: 'at+jwt', issuer: ISSUER, audience: RESOURCE, currentDate: new Date(now * 1000) });
  }

  async #revoke(command: Extract<Command, { type: 'revoke' }>): Promise<WireObservation> {
    // The server finds `accessToken` itself by verifying the presented JWT; the command's copy is
    // what the model is told. The two agree on every effect: the server only recognises a live
    // token, and the model ignores one whose grant is gone or that has expired.
    const response = await this.#form('/oauth/revoke', command);
    if (response.status !== 200) return oauthError(response);
    await response.body?.cancel();
    return { kind: 'revoked' };
  }
}

/** The executor `asyncOperations` takes. */
export const executeOverHttp = (ctx: Ctx, system: HttpSystem, command: Command): Promise<Observation> => system.execute(ctx, command);

/** The consent page over HTTP, for `asyncOperations`. */
export const openConsentOverHttp = (_ctx: Ctx, system: HttpSystem, decide: Extract<Command, { type: 'decide' }>): Promise<ConsentSeen> => system.openConsentPage(decide);
