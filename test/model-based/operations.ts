// The one list of abstract operations. Each is a fast-check command that builds a concrete core
// command from what the world knows (valid or deliberately hostile, about as often each), runs
// it through `execute`, and records what it learned. `toString()` prints what happened, so a
// counterexample reads like a bug report. `asyncOperations(executor)` turns the same list into
// `fc.AsyncCommand`s for another system under test (the server over HTTP): the same `build` and
// `learn`, with `executor` answering instead of `execute`.
import fc from 'fast-check';
import { expect } from 'vitest';
import type { Observation } from '../../model/observation.ts';
import { LIFETIMES } from '../../model/lifetimes.ts';
import type { Command, Params } from '../../src/core/index.ts';
import { checkLearned, execute } from './execute.ts';
import { consentStep } from '../../src/core/consent.ts';
import { config, ISSUER, RESOURCE, s256, type Ctx, type KnownClient, type KnownGrant, type KnownRefresh, type Real, type World } from './world.ts';

/** How often each kind of operation ran with valid and with hostile input. */
export const stats = new Map<string, { valid: number; hostile: number }>();
/** How often each kind of operation ended in each outcome (shows how deep the runs get). */
export const outcomes = new Map<string, number>();

function count(kind: string, hostile: boolean): void {
  const entry = stats.get(kind) ?? { valid: 0, hostile: 0 };
  if (hostile) entry.hostile += 1;
  else entry.valid += 1;
  stats.set(kind, entry);
}

/**
 * Runs a core command against another system under test, compares its answer with the reference
 * model (which it applies itself), and returns the answer as an observation.
 */
export type AsyncExecutor<R> = (ctx: Ctx, real: R, command: Command) => Promise<Observation>;

export abstract class Operation implements fc.Command<Ctx, Real> {
  protected outcome = 'not run';
  abstract readonly kind: string;
  abstract readonly flaw: string | null;
  /** Runs only when the world holds what the operation needs (fast-check skips it otherwise). */
  check(ctx: Readonly<Ctx>): boolean {
    return this.applicable(ctx.world);
  }
  protected applicable(_world: World): boolean {
    return true;
  }
  run(ctx: Ctx, real: Real): void {
    const command = this.begin(ctx.world, 'core and model disagree');
    const { observation } = execute(ctx, real, command);
    this.conclude(ctx, observation, () => checkLearned(ctx, real));
  }
  /** The same step against another system under test: `executor` answers and compares. */
  async runWith<R>(ctx: Ctx, real: R, executor: AsyncExecutor<R>): Promise<void> {
    const command = this.begin(ctx.world, 'the system under test and the model disagree');
    const observation = await executor(ctx, real, command);
    this.conclude(ctx, observation, () => {});
  }
  private begin(world: World, disagreement: string): Command {
    count(this.kind, this.flaw !== null);
    const command = withDocument(world, this.build(world));
    this.outcome = `FAILED HERE: ${disagreement}, or an invariant broke (see the error below)`;
    return command;
  }
  private conclude(ctx: Ctx, observation: Observation, checkInvariants: () => void): void {
    const summary =
      observation.kind === 'error' ? `${observation.error} (${observation.status})`
      : observation.kind === 'redirect' ? `redirect ${observation.params.error ?? 'code'}`
      : observation.kind;
    const key = `${this.kind}${this.flaw ? ` !${this.flaw}` : ''} -> ${summary}`;
    outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    this.outcome = `${summary}, then FAILED HERE: an invariant broke (see the error below)`;
    this.learn(ctx, observation);
    checkInvariants();
    this.outcome = summary;
  }
  /** The concrete core command, from what the world knows. */
  abstract build(world: World): Command;
  /** Records what the answer taught (new clients, requests, codes, tokens). */
  abstract learn(ctx: Ctx, observation: Observation): void;
  abstract describe(): string;
  toString(): string {
    return `${this.describe()} -> ${this.outcome}`;
  }
}

const flawOrValid = <T extends string>(flaws: readonly T[]) =>
  fc.oneof(fc.constant(null), fc.constantFrom(...flaws));

function basicHeader(id: string, secret: string): string {
  const enc = (s: string) => encodeURIComponent(s);
  return `Basic ${Buffer.from(`${enc(id)}:${enc(secret)}`).toString('base64')}`;
}

/**
 * What the shell brings along for a URL-shaped client_id: the document the world's "internet"
 * answers for it (none when it was never published, or was taken down).
 */
function withDocument(world: World, command: Command): Command {
  if (command.type !== 'authorize' && command.type !== 'token' && command.type !== 'revoke') return command;
  const named = command.params.client_id;
  const claims = command.type !== 'authorize' && command.assertion && 'claims' in command.assertion ? command.assertion.claims : undefined;
  const id = typeof named === 'string' ? named : typeof claims?.sub === 'string' ? claims.sub : undefined;
  const document = id === undefined ? undefined : world.documents.get(id);
  return document === undefined ? command : { ...command, clientDocument: document };
}

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** Client assertion flaws (EC-29): each must be 401 invalid_client, or invalid_request for the shape ones. */
const ASSERTION_FLAWS = ['replayed-jti', 'wrong-aud', 'expired-assertion', 'long-assertion', 'wrong-key', 'no-assertion', 'iss-not-sub', 'assertion-with-secret', 'wrong-assertion-type', 'future-nbf'] as const;

interface Credentials {
  params: Params;
  authorization?: string;
  assertion?: Extract<Command, { type: 'token' }>['assertion'];
}

/**
 * A private_key_jwt client's credentials: the assertion's claims as the shell would hand them over
 * once the signature checked out (or its failure, for a wrong key). Valid ones vary where the rules
 * allow (audience form, exp from 1 s to the 330 s bound) so the bounds are met exactly.
 */
function assertionCredentials(world: World, client: KnownClient, flaw: string | null): Credentials {
  const id = client.clientId;
  if (flaw === 'no-assertion') return { params: { client_id: id } };
  const jti = world.fresh('assertion');
  const variant = Number(jti.replace(/\D/g, '')) % 3;
  const claims: Record<string, unknown> = {
    iss: id, sub: id, iat: world.now, jti,
    aud: [`${ISSUER}/oauth/token`, ISSUER, ['https://elsewhere.example', ISSUER]][variant],
    exp: world.now + [1, 60, LIFETIMES.assertionMaxAhead][variant]!,
  };
  const replayed = world.assertionJtis.filter((j) => j.clientId === id).at(-1)?.jti;
  switch (flaw) {
    case 'replayed-jti': claims.jti = replayed ?? jti; break;
    case 'wrong-aud': claims.aud = 'https://evil.example/oauth/token'; break;
    case 'expired-assertion': claims.exp = world.now; break;
    case 'long-assertion': claims.exp = world.now + LIFETIMES.assertionMaxAhead + 1; break;
    case 'iss-not-sub': claims.iss = 'https://evil.example/client.json'; break;
    case 'future-nbf': claims.nbf = world.now + LIFETIMES.assertionNotBeforeSkew + 1; break;
    default: break;
  }
  // Only a valid assertion spends its jti, so only those are worth replaying later.
  if (flaw === null) world.assertionJtis.push({ clientId: id, jti: claims.jti as string });
  const params: Params = { client_assertion_type: flaw === 'wrong-assertion-type' ? 'urn:ietf:params:oauth:client-assertion-type:saml2-bearer' : ASSERTION_TYPE, client_assertion: `signed.${jti}.jwt` };
  if (flaw === 'assertion-with-secret') params.client_secret = 'a-secret-too';
  return { params, assertion: flaw === 'wrong-key' ? { failure: 'the client assertion\'s signature does not verify with the client\'s published keys' } : { claims } };
}

/** Client credentials for the token and revocation endpoints, honest or not. */
function credentials(world: World, client: KnownClient | undefined, flaw: string | null, style: 'basic' | 'post'): Credentials {
  if (flaw === 'unknown-client') return { params: { client_id: 'nobody' } };
  client ??= world.clients[0];
  if (!client) return { params: {} };
  if (client.authMethod === 'private_key_jwt' || (ASSERTION_FLAWS as readonly string[]).includes(flaw ?? '')) return assertionCredentials(world, client, flaw);
  if (flaw === 'no-client') return { params: {} };
  // A confidential client that leaves its secret out, or presents another confidential client's.
  if (flaw === 'id-without-secret') return { params: { client_id: client.clientId } };
  const others = world.clients.find((c) => c.clientId !== client.clientId && c.secret !== undefined)?.secret;
  const secret = flaw === 'wrong-secret' ? 'not-the-secret' : flaw === 'other-clients-secret' ? (others ?? 'no-other-secret') : client.secret;
  // The method it did not register: Basic for a `client_secret_post` client and the reverse.
  if (flaw === 'wrong-method' && secret !== undefined) style = client.authMethod === 'client_secret_basic' ? 'post' : 'basic';
  if (flaw === 'basic-and-post') return { params: { client_secret: secret ?? 'x' }, authorization: basicHeader(client.clientId, secret ?? 'x') };
  if (flaw === 'bad-basic') return { params: {}, authorization: 'Basic !!!' };
  if (secret === undefined && flaw !== 'wrong-secret') return { params: { client_id: client.clientId } };
  if (style === 'basic') return { params: {}, authorization: basicHeader(client.clientId, secret ?? '') };
  return { params: { client_id: client.clientId, client_secret: secret ?? '' } };
}

// ------------------------------------------------------------------ register

const REGISTRATIONS = {
  'chatgpt-stable': { client_name: 'ChatGPT', redirect_uris: ['https://chatgpt.com/connector_platform_oauth_redirect'], grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], token_endpoint_auth_method: 'none' },
  'chatgpt-callback': { client_name: 'ChatGPT', redirect_uris: ['https://chatgpt.com/connector/oauth/cb9XyZ'], token_endpoint_auth_method: 'none', application_type: 'web' },
  claude: { client_name: 'Claude', redirect_uris: ['https://claude.ai/api/mcp/auth_callback', 'https://claude.com/api/mcp/auth_callback'], scope: 'notes:read' },
  loopback: { client_name: 'Inspector', redirect_uris: ['http://127.0.0.1/callback'], application_type: 'native', unknown_member: 42 },
  'confidential-basic': { client_name: 'Server app', redirect_uris: ['https://app.example.net/cb'], token_endpoint_auth_method: 'client_secret_basic', grant_types: ['authorization_code'] },
  'confidential-post': { redirect_uris: ['https://app.example.net/cb'], token_endpoint_auth_method: 'client_secret_post' },
  // EC-28: ChatGPT's document names private_key_jwt singular and ["none", "private_key_jwt"] plural.
  'chatgpt-both-members': { client_name: 'ChatGPT', redirect_uris: ['https://chatgpt.com/connector/oauth/cb9XyZ'], token_endpoint_auth_method: 'private_key_jwt', token_endpoint_auth_methods_supported: ['none', 'private_key_jwt'] },
  'plural-only': { redirect_uris: ['https://app.example.net/cb'], token_endpoint_auth_methods_supported: ['tls_client_auth', 'client_secret_basic'] },
} as const;

const BAD_REGISTRATIONS = {
  'not-an-object': ['https://app.example.net/cb'],
  'no-redirects': { client_name: 'x' },
  'empty-redirects': { redirect_uris: [] },
  'http-elsewhere': { redirect_uris: ['http://evil.example/cb'] },
  fragment: { redirect_uris: ['https://app.example.net/cb#frag'] },
  'custom-scheme': { redirect_uris: ['cursor://anysphere/cb'] },
  userinfo: { redirect_uris: ['https://user:pw@a.example/cb'] },
  'private-key-jwt': { redirect_uris: ['https://app.example.net/cb'], token_endpoint_auth_method: 'private_key_jwt' },
  'client-credentials': { redirect_uris: ['https://app.example.net/cb'], grant_types: ['client_credentials'] },
  implicit: { redirect_uris: ['https://app.example.net/cb'], response_types: ['token'] },
  'long-name': { redirect_uris: ['https://app.example.net/cb'], client_name: 'n'.repeat(500) },
  'too-many-redirects': { redirect_uris: Array.from({ length: 11 }, (_, i) => `https://app.example.net/cb${i}`) },
  'number-redirect': { redirect_uris: [42] },
  'http-logo': { redirect_uris: ['https://app.example.net/cb'], logo_uri: 'http://app.example.net/logo.png' },
  // The redirect policy: only the built-in callbacks, loopback and what the operator trusts.
  'long-scope': { redirect_uris: ['https://app.example.net/cb'], scope: 'notes:read '.repeat(100) },
  'plural-not-strings': { redirect_uris: ['https://app.example.net/cb'], token_endpoint_auth_methods_supported: 'none' },
  'no-supported-method': { redirect_uris: ['https://app.example.net/cb'], token_endpoint_auth_method: 'private_key_jwt', token_endpoint_auth_methods_supported: ['private_key_jwt', 'tls_client_auth'] },
  'untrusted-origin': { redirect_uris: ['https://evil.example/cb'] },
  'lookalike-host': { redirect_uris: ['https://chatgpt.com.evil.example/connector/oauth/abc'] },
  'dot-segments': { redirect_uris: ['https://chatgpt.com/connector/oauth/../../evil'] },
  'encoded-dot-segments': { redirect_uris: ['https://app.example.net/a/%2E%2e/cb'] },
  'port-on-built-in': { redirect_uris: ['https://chatgpt.com:443/connector_platform_oauth_redirect'] },
  'backslash': { redirect_uris: ['https://app.example.net\\@evil.example/cb'] },
  'upper-case-host': { redirect_uris: ['https://APP.example.net/cb'] },
  'one-bad-among-good': { redirect_uris: ['https://claude.ai/api/mcp/auth_callback', 'https://claude.ai.evil.example/api/mcp/auth_callback'] },
} as const;

class Register extends Operation {
  readonly kind = 'register';
  constructor(readonly variant: keyof typeof REGISTRATIONS, readonly flaw: keyof typeof BAD_REGISTRATIONS | null) {
    super();
  }
  describe() {
    return `register(${this.flaw ?? this.variant})`;
  }
  build(world: World): Command {
    const metadata = this.flaw ? BAD_REGISTRATIONS[this.flaw] : REGISTRATIONS[this.variant];
    return { type: 'register', now: world.now, metadata: structuredClone(metadata), fresh: { clientId: world.fresh('client'), clientSecret: world.fresh('secret') } };
  }
  learn({ world }: Ctx, o: Observation) {
    if (o.kind !== 'registered') return;
    const client: KnownClient = { clientId: o.clientId, authMethod: o.authMethod, redirectUris: o.redirectUris, grantTypes: o.grantTypes };
    if (o.clientSecret !== undefined) client.secret = o.clientSecret;
    world.clients.push(client);
  }
}

// ------------------------------------------------------------------ metadata documents (CIMD)

/** Where the world's document clients live: reserved names only, never fetched (the pure run has no network). */
const DOCUMENT_URLS = ['https://chatgpt.example/oauth/client.json', 'https://claude.example/oauth/mcp-oauth-client-metadata', 'https://tools.example/client.json'] as const;
/** URLs no document may be fetched from (CIMD-01): each must be refused whatever it serves. */
const BAD_DOCUMENT_URLS = ['http://claude.example/oauth/meta', 'https://claude.example/oauth/../meta', 'https://claude.example', 'https://Claude.example/oauth/meta', 'https://u@claude.example/oauth/meta'];

const CHATGPT_CALLBACK_ID = 'https://chatgpt.com/connector/oauth/cimdX1';

const DOCUMENTS = {
  // CGPT-OBS-04: ChatGPT's shape, private_key_jwt preferred and ["none","private_key_jwt"] offered.
  chatgpt: (url: string) => ({ client_id: url, client_name: 'ChatGPT', client_uri: 'https://chatgpt.com/', redirect_uris: [CHATGPT_CALLBACK_ID], grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], token_endpoint_auth_method: 'private_key_jwt', token_endpoint_auth_methods_supported: ['none', 'private_key_jwt'], token_endpoint_auth_signing_alg: 'RS256', jwks_uri: 'https://keys.example/oauth/jwks.json' }),
  // CLA-04: Claude's shape, no method at all (an implicit public client).
  claude: (url: string) => ({ client_id: url, client_name: 'Claude', redirect_uris: ['https://claude.ai/api/mcp/auth_callback', 'https://claude.com/api/mcp/auth_callback'] }),
  'claude-code': (url: string) => ({ client_id: url, client_name: 'Claude Code', redirect_uris: ['http://localhost/callback', 'http://127.0.0.1/callback'], token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'] }),
  'plural-none': (url: string) => ({ client_id: url, redirect_uris: ['https://claude.com/api/mcp/auth_callback'], token_endpoint_auth_methods_supported: ['none'] }),
  'inline-keys': (url: string) => ({ client_id: url, redirect_uris: [CHATGPT_CALLBACK_ID], token_endpoint_auth_methods_supported: ['private_key_jwt'], jwks: { keys: [{ kty: 'EC', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0', kid: 'k1' }] }, grant_types: ['authorization_code'] }),
} as const;

const BAD_DOCUMENTS: Record<string, (url: string) => unknown> = {
  'not-an-object': (url) => [url],
  'other-client-id': () => DOCUMENTS.claude('https://claude.example/oauth/someone-else'),
  'client-secret': (url) => ({ ...DOCUMENTS.claude(url), client_secret: 'shh' }),
  'secret-method': (url) => ({ ...DOCUMENTS.claude(url), token_endpoint_auth_method: 'client_secret_post' }),
  'secret-in-plural': (url) => ({ ...DOCUMENTS.claude(url), token_endpoint_auth_methods_supported: ['none', 'client_secret_basic'] }),
  'singular-not-in-plural': (url) => ({ ...DOCUMENTS.chatgpt(url), token_endpoint_auth_methods_supported: ['none'] }),
  'unsupported-methods': (url) => ({ ...DOCUMENTS.claude(url), token_endpoint_auth_methods_supported: ['tls_client_auth'] }),
  'no-keys': (url) => ({ ...DOCUMENTS.chatgpt(url), jwks_uri: undefined }),
  'both-keys': (url) => ({ ...DOCUMENTS.chatgpt(url), jwks: { keys: [{ kty: 'EC' }] } }),
  'private-key': (url) => ({ ...DOCUMENTS['inline-keys'](url), jwks: { keys: [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y', d: 'private' }] } }),
  'http-jwks-uri': (url) => ({ ...DOCUMENTS.chatgpt(url), jwks_uri: 'http://keys.example/oauth/jwks.json' }),
  'evil-redirect': (url) => ({ ...DOCUMENTS.claude(url), redirect_uris: ['https://evil.example/steal-tokens'] }),
  'no-redirects': (url) => ({ ...DOCUMENTS.claude(url), redirect_uris: [] }),
  implicit: (url) => ({ ...DOCUMENTS.claude(url), response_types: ['token'] }),
  'long-name': (url) => ({ ...DOCUMENTS.claude(url), client_name: 'n'.repeat(300) }),
};

const PUBLISH_FLAWS = [...Object.keys(BAD_DOCUMENTS), 'fetch-failed', 'taken-down', 'bad-url'] as const;

/**
 * A metadata document appears at (or changes at, or vanishes from) one of the world's URLs, as
 * its publisher changes it; the world then knows a client by that URL. Every later command naming
 * the URL carries whatever the URL answers at that moment, as the shell would fetch it.
 */
class PublishDocument implements fc.Command<Ctx, Real> {
  constructor(readonly pickUrl: number, readonly variant: keyof typeof DOCUMENTS, readonly flaw: (typeof PUBLISH_FLAWS)[number] | null) {}
  check(): boolean {
    return true;
  }
  #url(): string {
    return this.flaw === 'bad-url' ? BAD_DOCUMENT_URLS[this.pickUrl % BAD_DOCUMENT_URLS.length]! : DOCUMENT_URLS[this.pickUrl % DOCUMENT_URLS.length]!;
  }
  /** Publishing is no request to the server: only what the URL answers from now on changes. */
  run({ world }: Ctx): void {
    count('publishDocument', this.flaw !== null);
    const url = this.#url();
    if (this.flaw === 'taken-down') world.documents.delete(url);
    else if (this.flaw === 'fetch-failed') world.documents.set(url, { url, failure: 'the document host answered HTTP 503' });
    else {
      const document = this.flaw === null || this.flaw === 'bad-url' ? DOCUMENTS[this.variant](url) : BAD_DOCUMENTS[this.flaw]!(url);
      world.documents.set(url, { url, document: JSON.parse(JSON.stringify(document)) as unknown });
    }
    const shaped = DOCUMENTS[this.variant](url) as { redirect_uris: readonly string[]; grant_types?: readonly string[] };
    const known: KnownClient = {
      clientId: url,
      document: true,
      authMethod: this.variant === 'chatgpt' || this.variant === 'inline-keys' ? 'private_key_jwt' : 'none',
      redirectUris: [...shaped.redirect_uris],
      grantTypes: [...(shaped.grant_types ?? ['authorization_code', 'refresh_token'])],
    };
    const at = world.clients.findIndex((c) => c.clientId === url);
    if (at >= 0) world.clients[at] = known;
    else world.clients.push(known);
  }
  toString(): string {
    return `publishDocument(${this.#url()}, ${this.flaw ?? this.variant})`;
  }
}

// ------------------------------------------------------------------ authorize

const AUTHORIZE_FLAWS = [
  'unknown-client', 'missing-client', 'repeated-client', 'foreign-redirect', 'redirect-with-fragment', 'missing-redirect',
  'no-pkce', 'plain', 'no-method', 'bad-challenge', 'wrong-resource', 'resource-with-fragment', 'resource-path-slash',
  'one-bad-resource', 'unknown-scope', 'token-response', 'no-response-type', 'state-too-long', 'repeated-scope',
  // A registered redirect URI changed in one component: each must be refused, loopback or https.
  'redirect-other-path', 'redirect-extra-query', 'redirect-trailing-slash', 'redirect-userinfo', 'redirect-encoded', 'redirect-upper-case',
  'nonce-too-long',
] as const;

/** A redirect URI with one component changed, for the `redirect-*` flaws. */
function alteredRedirect(uri: string, flaw: string): string {
  const url = new URL(uri);
  switch (flaw) {
    case 'redirect-other-path': return uri.replace(url.pathname, `${url.pathname}/../evil`);
    case 'redirect-extra-query': return `${uri}${url.search === '' ? '?' : '&'}next=https://evil.example`;
    case 'redirect-trailing-slash': return uri.endsWith('/') ? uri.slice(0, -1) : `${uri}/`;
    case 'redirect-userinfo': return uri.replace('://', '://user@');
    case 'redirect-encoded': return uri.replace(/[a-z](?=[^/]*$)/, (c) => `%${c.charCodeAt(0).toString(16)}`);
    case 'redirect-upper-case': return uri.replace(url.host, url.host.toUpperCase()).replace(url.pathname, url.pathname.toUpperCase());
    default: return uri;
  }
}

interface AuthorizeShape {
  scope: '' | 'notes:read' | 'notes:read notes:write' | 'offline_access' | 'openid email notes:write' | 'notes:read offline_access' | 'notes:read notes:write offline_access' | 'openid email notes:write offline_access' | undefined;
  state: 'none' | 'short' | 'long';
  resource: 'canonical' | 'omitted' | 'uppercase' | 'default-port' | 'twice';
  redirect: 'first' | 'last' | 'omit-if-single' | 'other-port';
}

class Authorize extends Operation {
  readonly kind = 'authorize';
  #request: { verifier: string; clientId: string; redirect: string | undefined } | undefined;
  constructor(readonly pickClient: number, readonly shape: AuthorizeShape, readonly flaw: (typeof AUTHORIZE_FLAWS)[number] | null) {
    super();
  }
  describe() {
    return `authorize(client#${this.pickClient}, ${JSON.stringify(this.shape)}${this.flaw ? `, flaw=${this.flaw}` : ''})`;
  }
  build(world: World): Command {
    const client = world.pick(world.clients, this.pickClient)!;
    const verifier = world.verifier();
    const params: Params = {
      client_id: client.clientId,
      response_type: 'code',
      code_challenge: s256(verifier),
      code_challenge_method: 'S256',
    };
    let redirect = this.shape.redirect === 'last' ? client.redirectUris.at(-1) : client.redirectUris[0];
    if (this.shape.redirect === 'other-port' && redirect?.startsWith('http://127.0.0.1/')) redirect = redirect.replace('127.0.0.1/', '127.0.0.1:49152/');
    if (!(this.shape.redirect === 'omit-if-single' && client.redirectUris.length === 1)) params.redirect_uri = redirect;
    if (this.shape.scope !== undefined) params.scope = this.shape.scope;
    if (this.shape.state !== 'none') params.state = this.shape.state === 'short' ? 'oauth_s_xyz' : 's'.repeat(2048);
    // OIDC: a nonce whenever the state is short (so with and without openid), echoed in the ID token.
    if (this.shape.state === 'short') params.nonce = world.fresh('nonce');
    const resources = {
      canonical: RESOURCE,
      omitted: undefined,
      uppercase: RESOURCE.replace('https://notes.example.com', 'HTTPS://NOTES.EXAMPLE.COM'),
      'default-port': RESOURCE.replace('.com/', '.com:443/'),
    } as const;
    if (this.shape.resource === 'twice') params.resource = [RESOURCE, RESOURCE];
    else if (this.shape.resource !== 'omitted') params.resource = resources[this.shape.resource];
    switch (this.flaw) {
      case 'unknown-client': params.client_id = 'no-such-client'; break;
      case 'missing-client': delete params.client_id; break;
      case 'repeated-client': params.client_id = [client.clientId, client.clientId]; break;
      case 'foreign-redirect': params.redirect_uri = 'https://attacker.example/cb'; break;
      case 'redirect-with-fragment': params.redirect_uri = `${redirect}#x`; break;
      case 'missing-redirect': delete params.redirect_uri; break;
      case 'no-pkce': delete params.code_challenge; break;
      case 'plain': params.code_challenge_method = 'plain'; break;
      case 'no-method': delete params.code_challenge_method; break;
      case 'bad-challenge': params.code_challenge = 'too-short'; break;
      case 'wrong-resource': params.resource = 'https://other.example.com/mcp'; break;
      case 'resource-with-fragment': params.resource = `${RESOURCE}#frag`; break;
      case 'resource-path-slash': params.resource = `${RESOURCE}/`; break;
      case 'one-bad-resource': params.resource = [RESOURCE, 'https://notes.example.com']; break;
      case 'unknown-scope': params.scope = 'notes:read admin'; break;
      case 'token-response': params.response_type = 'token'; break;
      case 'no-response-type': delete params.response_type; break;
      case 'state-too-long': params.state = 's'.repeat(5000); break;
      case 'repeated-scope': params.scope = ['notes:read', 'notes:write']; break;
      case 'nonce-too-long': params.nonce = 'n'.repeat(5000); break;
      case null: break;
      default: if (typeof params.redirect_uri === 'string') params.redirect_uri = alteredRedirect(params.redirect_uri, this.flaw); else params.redirect_uri = alteredRedirect(client.redirectUris[0]!, this.flaw); break;
    }
    this.#request = { verifier, clientId: client.clientId, redirect: typeof params.redirect_uri === 'string' ? params.redirect_uri : undefined };
    return { type: 'authorize', now: world.now, params, fresh: { requestId: world.fresh('request') } };
  }
  learn({ world }: Ctx, o: Observation) {
    if (o.kind === 'redirect') {
      // Invariant 5 (second half): only a redirect URI validated for this client is ever used.
      expect(this.flaw === 'unknown-client' || this.flaw === 'foreign-redirect' || this.flaw === 'redirect-with-fragment', `redirected despite ${this.flaw}`).toBe(false);
      const client = world.clients.find((c) => c.clientId === this.#request?.clientId);
      expect(client).toBeDefined();
      expect([this.#request?.redirect, ...client!.redirectUris]).toContain(o.redirectUri);
      // A changed component is never accepted: whatever redirect happens goes to a registered URI as it is.
      if (this.flaw?.startsWith('redirect-')) expect(client!.redirectUris, `redirected to an altered URI (${this.flaw})`).toContain(o.redirectUri);
    }
    if (o.kind === 'consent_required') {
      world.requests.push({ requestId: o.requestId, clientId: o.clientId, redirectUri: o.redirectUri, verifier: this.#request!.verifier, scopes: o.scopes });
    }
  }
}

// ------------------------------------------------------------------ decide

const DECIDE_FLAWS = ['unknown-request', 'unrequested-scope', 'empty-approval', 'decided-request'] as const;

class Decide extends Operation {
  readonly kind = 'decide';
  #requestId: string | undefined;
  constructor(readonly pickRequest: number, readonly choice: 'approve' | 'approve-first' | 'deny', readonly user: 'alice' | 'bob', readonly flaw: (typeof DECIDE_FLAWS)[number] | null) {
    super();
  }
  protected override applicable(world: World) {
    return this.flaw === 'unknown-request' || (this.flaw === 'decided-request' ? world.decided : world.requests).length > 0;
  }
  describe() {
    return `decide(request#${this.pickRequest}, ${this.choice}, ${this.user}${this.flaw ? `, flaw=${this.flaw}` : ''})`;
  }
  build(world: World): Command {
    const request = world.pick(this.flaw === 'decided-request' ? world.decided : world.requests, this.pickRequest);
    this.#requestId = request?.requestId;
    const requestId = !request || this.flaw === 'unknown-request' ? 'no-such-request' : request.requestId;
    let decision: Extract<Command, { type: 'decide' }>['decision'] =
      this.choice === 'deny' ? { approve: false }
      : this.choice === 'approve-first' && request ? { approve: true, scopes: request.scopes.slice(0, 1) }
      : { approve: true };
    if (this.flaw === 'unrequested-scope') decision = { approve: true, scopes: ['notes:admin'] };
    if (this.flaw === 'empty-approval') decision = { approve: true, scopes: [] };
    return { type: 'decide', now: world.now, requestId, userId: this.user, decision, fresh: { code: world.fresh('code') } };
  }
  learn({ world }: Ctx, o: Observation) {
    const request = world.requests.find((r) => r.requestId === this.#requestId);
    if (request && (o.kind === 'redirect' || (o.kind === 'error' && this.flaw === null))) {
      world.requests = world.requests.filter((r) => r !== request);
      world.decided.push(request);
    }
    if (o.kind === 'redirect' && request) {
      expect(o.redirectUri).toBe(request.redirectUri);
      if (o.params.code !== undefined) world.codes.push({ code: o.params.code, clientId: request.clientId, redirectUri: request.redirectUri, verifier: request.verifier, redemptions: 0 });
    }
  }
}

/**
 * A client connects in one step: a valid authorization request, the user's approval and the code
 * exchange, each on what the step before produced. Sequences of independent draws reach tokens
 * rarely (over HTTP, where runs are short, in about one run of twenty), and everything after
 * tokens (refresh, revocation, remembered consent) needs them.
 */
class Connect implements fc.Command<Ctx, Real> {
  #steps: Operation[] = [];
  constructor(readonly pickClient: number, readonly scope: AuthorizeShape['scope'], readonly user: 'alice' | 'bob') {}
  check(): boolean {
    return true;
  }
  run(ctx: Ctx, real: Real): void {
    this.#steps = [];
    for (const step of this.#plan(ctx.world)) {
      this.#steps.push(step);
      step.run(ctx, real);
    }
  }
  async runWith<R>(ctx: Ctx, real: R, executor: AsyncExecutor<R>): Promise<void> {
    this.#steps = [];
    for (const step of this.#plan(ctx.world)) {
      this.#steps.push(step);
      await step.runWith(ctx, real, executor);
    }
  }
  /** Each step is made after the one before ran, on what it produced; a refusal ends the plan. */
  *#plan(world: World): Generator<Operation> {
    const requests = world.requests.length;
    yield new Authorize(this.pickClient, { scope: this.scope, state: 'short', resource: 'canonical', redirect: 'first' }, null);
    if (world.requests.length === requests) return;
    const codes = world.codes.length;
    yield new Decide(world.requests.length - 1, 'approve', this.user, null);
    if (world.codes.length === codes) return;
    yield new Exchange(world.codes.filter((c) => c.redemptions === 0).length - 1, { redirect: 'same', resource: 'canonical', style: 'basic' }, null);
  }
  toString(): string {
    return `connect(client#${this.pickClient}, ${JSON.stringify(this.scope)}, ${this.user}): ${this.#steps.join('; ')}`;
  }
}

/** What a consent page showed, and for remembered consent the redirect it answered with at once. */
export interface ConsentSeen {
  kind: 'expired' | 'remembered' | 'ask';
  redirect?: Observation;
  /** The model's answer to the decision, when the executor already asked it (the pure run does). */
  modelAnswer?: Observation;
}

/**
 * Opens the consent page as a browser does: `decide` is the decision the shell makes by itself when
 * remembered consent covers the request (approve all), with its fresh code, in case it does.
 */
export type ConsentExecutor<R> = (ctx: Ctx, real: R, decide: Extract<Command, { type: 'decide' }>) => Promise<ConsentSeen>;

/** The pure run's consent page: the core's `consentStep`, then the shell's decision if remembered. */
function consentInCore(ctx: Ctx, real: Real, decide: Extract<Command, { type: 'decide' }>): ConsentSeen {
  const kind = consentStep(real.state, config, decide.requestId, decide.userId, decide.now).kind;
  if (kind !== 'remembered') return { kind };
  const { observation } = execute(ctx, real, decide); // asks the model too, and compares
  return { kind, redirect: observation, modelAnswer: observation };
}

/**
 * The signed-in user opens the consent page for a pending request, as a browser does after
 * `/oauth/authorize`. Both sides must agree whether there is nothing to approve, whether
 * remembered consent covers the request, or whether to ask; when it is covered the server approves
 * at once, and that redirect must be the model's answer to the same decision.
 */
class OpenConsentPage implements fc.Command<Ctx, Real> {
  #seen = 'not run';
  #user: 'alice' | 'bob' = 'alice';
  /** `returning`: the user who already holds a grant for the request's client, when there is one. */
  constructor(readonly pickRequest: number, readonly user: 'alice' | 'bob' | 'returning') {}
  check(ctx: Readonly<Ctx>): boolean {
    return ctx.world.requests.length > 0;
  }
  run(ctx: Ctx, real: Real): void {
    const opening = this.#prepare(ctx);
    if (opening) this.#conclude(ctx, opening, consentInCore(ctx, real, opening.command));
  }
  async runWith<R>(ctx: Ctx, real: R, open: ConsentExecutor<R>): Promise<void> {
    const opening = this.#prepare(ctx);
    if (opening) this.#conclude(ctx, opening, await open(ctx, real, opening.command));
  }
  /** Who opens which request, the decision the shell would make, and what the model expects. */
  #prepare(ctx: Ctx): { decision: Decide; command: Extract<Command, { type: 'decide' }>; expected: ConsentSeen['kind'] } | undefined {
    count('consent', false);
    const request = ctx.world.pick(ctx.world.requests, this.pickRequest);
    if (!request) return undefined;
    const holder = ctx.world.grants.find((g) => g.clientId === request.clientId)?.userId;
    this.#user = this.user !== 'returning' ? this.user : holder === 'bob' ? 'bob' : 'alice';
    const decision = new Decide(this.pickRequest, 'approve', this.#user, null);
    const command = decision.build(ctx.world) as Extract<Command, { type: 'decide' }>;
    const expected = ctx.model.consentStep(request.requestId, this.#user, ctx.world.now);
    this.#seen = `FAILED HERE: the model expects ${expected}`;
    return { decision, command, expected };
  }
  #conclude(ctx: Ctx, { decision, command, expected }: { decision: Decide; command: Extract<Command, { type: 'decide' }>; expected: ConsentSeen['kind'] }, seen: ConsentSeen): void {
    expect(seen.kind, 'the consent step: the system and the model disagree').toBe(expected);
    this.#seen = seen.kind;
    outcomes.set(`consent page -> ${seen.kind}`, (outcomes.get(`consent page -> ${seen.kind}`) ?? 0) + 1);
    if (seen.kind !== 'remembered') return;
    // In the pure run `execute` already compared core and model; over HTTP the model answers here.
    const answer = seen.modelAnswer ?? ctx.model.apply(command);
    expect(seen.redirect, 'remembered consent: the redirect differs from the model\'s decision').toEqual(answer);
    decision.learn(ctx, answer);
  }
  toString(): string {
    return `openConsentPage(request#${this.pickRequest}, ${this.#user}) -> ${this.#seen}`;
  }
}

/**
 * A connected app comes back: its client sends a new authorization request (for the scopes it holds,
 * fewer, or more) and the consent page opens for the grant's user or for someone else. Without this
 * step random sequences almost never return to a client that holds a grant, so remembered consent,
 * and the cases where it must not apply, would go untested.
 */
class Reconnect implements fc.Command<Ctx, Real> {
  #steps: string[] = [];
  constructor(readonly pickGrant: number, readonly scope: AuthorizeShape['scope'], readonly who: 'holder' | 'other') {}
  check(ctx: Readonly<Ctx>): boolean {
    return ctx.world.grants.length > 0;
  }
  run(ctx: Ctx, real: Real): void {
    const { authorize, before } = this.#request(ctx);
    authorize.run(ctx, real);
    this.#steps = [authorize.toString()];
    this.#page(ctx, before)?.run(ctx, real);
  }
  async runWith<R>(ctx: Ctx, real: R, executor: AsyncExecutor<R>, open: ConsentExecutor<R>): Promise<void> {
    const { authorize, before } = this.#request(ctx);
    await authorize.runWith(ctx, real, executor);
    this.#steps = [authorize.toString()];
    await this.#page(ctx, before)?.runWith(ctx, real, open);
  }
  #grant(ctx: Ctx): KnownGrant {
    return ctx.world.pick(ctx.world.grants, this.pickGrant)!;
  }
  #request(ctx: Ctx): { authorize: Authorize; before: number } {
    const client = ctx.world.clients.findIndex((c) => c.clientId === this.#grant(ctx).clientId);
    const authorize = new Authorize(client, { scope: this.scope, state: 'short', resource: 'canonical', redirect: 'first' }, null);
    this.#steps = [authorize.toString()];
    return { authorize, before: ctx.world.requests.length };
  }
  /** The consent page for the request just made, if it was accepted. */
  #page(ctx: Ctx, before: number): OpenConsentPage | undefined {
    if (ctx.world.requests.length === before) return undefined;
    const holder = this.#grant(ctx).userId;
    const page = new OpenConsentPage(ctx.world.requests.length - 1, (this.who === 'holder') === (holder === 'bob') ? 'bob' : 'alice');
    this.#steps.push(page.toString());
    return page;
  }
  toString(): string {
    return `reconnect(grant#${this.pickGrant}, ${JSON.stringify(this.scope)}, ${this.who}): ${this.#steps.join('; ')}`;
  }
}

// ------------------------------------------------------------------ token: authorization_code

const EXCHANGE_FLAWS = [
  'wrong-verifier', 'missing-verifier', 'malformed-verifier', 'other-client', 'unknown-client', 'no-client', 'wrong-secret',
  'bogus-code', 'missing-code', 'different-redirect', 'wrong-resource', 'basic-and-post', 'bad-basic', 'missing-grant-type',
  'unknown-grant-type', 'repeated-code', 'replayed-code', 'id-without-secret', 'wrong-method', 'other-clients-secret',
  ...ASSERTION_FLAWS,
] as const;

class Exchange extends Operation {
  readonly kind = 'exchange';
  #code: string | undefined;
  constructor(
    readonly pickCode: number,
    readonly shape: { redirect: 'omit' | 'same'; resource: 'omit' | 'canonical' | 'uppercase'; style: 'basic' | 'post' },
    readonly flaw: (typeof EXCHANGE_FLAWS)[number] | null,
  ) {
    super();
  }
  protected override applicable(world: World) {
    if (this.flaw === 'bogus-code' || this.flaw === 'missing-code') return world.codes.length > 0 || this.pickCode % 4 === 0;
    return world.codes.some((c) => (this.flaw === 'replayed-code' ? c.redemptions > 0 : c.redemptions === 0));
  }
  describe() {
    return `exchange(code#${this.pickCode}, ${JSON.stringify(this.shape)}${this.flaw ? `, flaw=${this.flaw}` : ''})`;
  }
  build(world: World): Command {
    const candidates = world.codes.filter((c) => (this.flaw === 'replayed-code' ? c.redemptions > 0 : c.redemptions === 0));
    const code = world.pick(candidates.length > 0 ? candidates : world.codes, this.pickCode);
    const owner = world.clients.find((c) => c.clientId === code?.clientId);
    const other = world.clients.find((c) => c.clientId !== code?.clientId);
    const client = this.flaw === 'other-client' ? other : owner;
    const { params, authorization, assertion } = credentials(world, client, this.flaw, this.shape.style);
    params.grant_type = 'authorization_code';
    params.code = code?.code ?? 'no-such-code';
    params.code_verifier = code?.verifier ?? 'v'.repeat(43);
    if (this.shape.redirect === 'same' && code) params.redirect_uri = code.redirectUri;
    if (this.shape.resource !== 'omit') params.resource = this.shape.resource === 'canonical' ? RESOURCE : 'https://Notes.Example.COM/mcp';
    switch (this.flaw) {
      case 'wrong-verifier': params.code_verifier = world.verifier(); break;
      case 'missing-verifier': delete params.code_verifier; break;
      case 'malformed-verifier': params.code_verifier = 'short'; break;
      case 'bogus-code': params.code = 'forged-code'; break;
      case 'missing-code': delete params.code; break;
      case 'different-redirect': params.redirect_uri = 'https://attacker.example/cb'; break;
      case 'wrong-resource': params.resource = 'https://notes.example.com/other'; break;
      case 'missing-grant-type': delete params.grant_type; break;
      case 'unknown-grant-type': params.grant_type = 'password'; break;
      case 'repeated-code': params.code = [params.code as string, params.code as string]; break;
      default: break;
    }
    this.#code = code?.code;
    const command: Command = { type: 'token', now: world.now, params, fresh: { grantId: world.fresh('grant'), jti: world.fresh('jti'), refreshToken: world.fresh('refresh') } };
    if (authorization !== undefined) command.authorization = authorization;
    if (assertion !== undefined) command.assertion = assertion;
    return command;
  }
  learn({ world }: Ctx, o: Observation) {
    if (o.kind !== 'tokens') return;
    const code = world.codes.find((c) => c.code === this.#code)!;
    code.redemptions += 1;
    if (o.idToken !== undefined) outcomes.set('tokens with an ID token', (outcomes.get('tokens with an ID token') ?? 0) + 1);
    const client = world.clients.find((c) => c.clientId === o.clientId);
    if (client?.document) outcomes.set(`tokens for a ${client.authMethod} document client`, (outcomes.get(`tokens for a ${client.authMethod} document client`) ?? 0) + 1);
    expect(code.redemptions, 'invariant 1: a code yielded tokens twice').toBe(1);
    world.accessTokens.push({ iss: '', sub: o.sub, aud: o.aud, client_id: o.clientId, scope: o.scope, iat: o.iat, exp: o.exp, jti: o.jti, gid: o.gid });
    world.grants.push({ grantId: o.gid, userId: o.sub, clientId: o.clientId, scopes: o.scope.split(' ') });
    if (o.refreshToken !== undefined) world.refreshTokens.push({ token: o.refreshToken, clientId: o.clientId, grantId: o.gid, rotated: false });
  }
}

// ------------------------------------------------------------------ token: refresh_token

const REFRESH_FLAWS = ['wider-scope', 'other-client', 'wrong-resource', 'bogus-token', 'missing-token', 'wrong-secret', 'unknown-client', 'resource-origin-only', 'rotated-token', 'id-without-secret', 'wrong-method', 'other-clients-secret', ...ASSERTION_FLAWS] as const;

class Refresh extends Operation {
  readonly kind = 'refresh';
  #grant: string | undefined;
  #presented: KnownRefresh | undefined;
  constructor(readonly pickToken: number, readonly shape: { scope: 'omit' | 'narrow' | 'openid'; resource: 'omit' | 'canonical' | 'uppercase'; style: 'basic' | 'post' }, readonly flaw: (typeof REFRESH_FLAWS)[number] | null) {
    super();
  }
  protected override applicable(world: World) {
    if (this.flaw === 'bogus-token' || this.flaw === 'missing-token') return world.refreshTokens.length > 0 || this.pickToken % 4 === 0;
    return world.refreshTokens.some((t) => t.rotated === (this.flaw === 'rotated-token'));
  }
  describe() {
    return `refresh(token#${this.pickToken}, ${JSON.stringify(this.shape)}${this.flaw ? `, flaw=${this.flaw}` : ''})`;
  }
  build(world: World): Command {
    // Valid input uses a token the test has not seen rotated; a replay or a grace retry uses one it has.
    const candidates = world.refreshTokens.filter((t) => t.rotated === (this.flaw === 'rotated-token'));
    const token = world.pick(candidates.length > 0 ? candidates : world.refreshTokens, this.pickToken);
    this.#presented = token;
    const owner = world.clients.find((c) => c.clientId === token?.clientId);
    const other = world.clients.find((c) => c.clientId !== token?.clientId);
    const { params, authorization, assertion } = credentials(world, this.flaw === 'other-client' ? other : owner, this.flaw, this.shape.style);
    params.grant_type = 'refresh_token';
    params.refresh_token = token?.token ?? 'no-such-token';
    const grant = world.grants.find((g) => g.grantId === token?.grantId);
    if (this.shape.scope === 'narrow' && grant) params.scope = grant.scopes[0] ?? '';
    if (this.shape.scope === 'openid') params.scope = 'openid';
    if (this.shape.resource === 'canonical') params.resource = RESOURCE;
    if (this.shape.resource === 'uppercase') params.resource = 'https://NOTES.example.com/mcp';
    switch (this.flaw) {
      case 'wider-scope': params.scope = 'notes:read notes:write offline_access'; break;
      case 'wrong-resource': params.resource = 'https://evil.example/mcp'; break;
      case 'resource-origin-only': params.resource = 'https://notes.example.com'; break;
      case 'bogus-token': params.refresh_token = 'forged-refresh-token'; break;
      case 'missing-token': delete params.refresh_token; break;
      default: break;
    }
    this.#grant = token?.grantId;
    const command: Command = { type: 'token', now: world.now, params, fresh: { grantId: world.fresh('grant'), jti: world.fresh('jti'), refreshToken: world.fresh('refresh') } };
    if (authorization !== undefined) command.authorization = authorization;
    if (assertion !== undefined) command.assertion = assertion;
    return command;
  }
  learn({ world }: Ctx, o: Observation) {
    if (o.kind !== 'tokens') return;
    const grant = world.grants.find((g) => g.grantId === this.#grant)!;
    // Invariant 3: refresh never widens scope.
    for (const scope of o.scope.split(' ')) expect(grant.scopes).toContain(scope);
    world.accessTokens.push({ iss: '', sub: o.sub, aud: o.aud, client_id: o.clientId, scope: o.scope, iat: o.iat, exp: o.exp, jti: o.jti, gid: o.gid });
    if (o.refreshToken !== undefined && !world.refreshTokens.some((t) => t.token === o.refreshToken)) {
      world.refreshTokens.push({ token: o.refreshToken, clientId: o.clientId, grantId: o.gid, rotated: false });
    }
    if (this.#presented && o.refreshToken !== this.#presented.token) this.#presented.rotated = true;
  }
}

// ------------------------------------------------------------------ revoke, revokeGrant, time

const REVOKE_FLAWS = ['other-client', 'missing-token', 'unknown-client', 'wrong-secret', 'repeated-token', ...ASSERTION_FLAWS] as const;

class Revoke extends Operation {
  readonly kind = 'revoke';
  constructor(readonly pick: number, readonly what: 'refresh' | 'access' | 'garbage', readonly hint: string | undefined, readonly flaw: (typeof REVOKE_FLAWS)[number] | null) {
    super();
  }
  protected override applicable(world: World) {
    return this.what === 'garbage' || (this.what === 'refresh' ? world.refreshTokens : world.accessTokens).length > 0;
  }
  describe() {
    return `revoke(${this.what}#${this.pick}, hint=${this.hint}${this.flaw ? `, flaw=${this.flaw}` : ''})`;
  }
  build(world: World): Command {
    const refresh = this.what === 'refresh' ? world.pick(world.refreshTokens, this.pick) : undefined;
    const access = this.what === 'access' ? world.pick(world.accessTokens, this.pick) : undefined;
    const ownerId = refresh?.clientId ?? access?.client_id;
    const owner = world.clients.find((c) => c.clientId === ownerId) ?? world.clients[0];
    const other = world.clients.find((c) => c.clientId !== owner?.clientId);
    const { params, authorization, assertion } = credentials(world, this.flaw === 'other-client' ? other : owner, this.flaw, 'post');
    params.token = refresh?.token ?? (access ? world.accessTokenString(access) : 'garbage-token');
    if (this.hint !== undefined) params.token_type_hint = this.hint;
    if (this.flaw === 'missing-token') delete params.token;
    if (this.flaw === 'repeated-token') params.token = ['a', 'b'];
    const command: Extract<Command, { type: 'revoke' }> = { type: 'revoke', now: world.now, params };
    if (authorization !== undefined) command.authorization = authorization;
    if (assertion !== undefined) command.assertion = assertion;
    if (access) command.accessToken = { jti: access.jti, gid: access.gid, clientId: access.client_id, exp: access.exp };
    return command;
  }
  learn() {}
}

class RevokeGrant extends Operation {
  readonly kind = 'revokeGrant';
  constructor(readonly pick: number, readonly flaw: 'other-user' | 'unknown-grant' | null) {
    super();
  }
  protected override applicable(world: World) {
    return this.flaw === 'unknown-grant' || world.grants.length > 0;
  }
  describe() {
    return `revokeGrant(grant#${this.pick}${this.flaw ? `, flaw=${this.flaw}` : ''})`;
  }
  build(world: World): Command {
    const grant = world.pick(world.grants, this.pick);
    const grantId = !grant || this.flaw === 'unknown-grant' ? 'no-such-grant' : grant.grantId;
    const userId = this.flaw === 'other-user' ? 'mallory' : (grant?.userId ?? 'alice');
    return { type: 'revokeGrant', now: world.now, grantId, userId };
  }
  learn() {}
}

class Tick extends Operation {
  readonly kind = 'tick';
  readonly flaw = null;
  describe() {
    return 'tick()';
  }
  build(world: World): Command {
    return { type: 'tick', now: world.now };
  }
  learn() {}
}

/** Time passing is not a command of the core: it only moves the clock every command carries. */
class Advance implements fc.Command<Ctx, Real> {
  constructor(readonly seconds: number) {}
  check() {
    return true;
  }
  run(ctx: Ctx) {
    ctx.world.now += this.seconds;
  }
  toString() {
    return `advance(${this.seconds}s)`;
  }
}

/**
 * A step taken some time after the previous one: the clock moves, then the step runs. One command
 * rather than two, so a wait lands right before the step it matters to (a grace retry 60 s after a
 * rotation, a code redeemed at its 300th second) far more often than two independent draws would.
 */
class Later implements fc.Command<Ctx, Real> {
  constructor(readonly seconds: number, readonly step: Operation) {}
  check(ctx: Readonly<Ctx>): boolean {
    return this.step.check(ctx);
  }
  run(ctx: Ctx, real: Real): void {
    ctx.world.now += this.seconds;
    this.step.run(ctx, real);
  }
  toString(): string {
    return `after ${this.seconds}s: ${this.step.toString()}`;
  }
}

// ------------------------------------------------------------------ the generator

/**
 * Every boundary the rules define, from the model's own reading of the Decisions (the grace
 * window, the code lifetime and its 600 s ceiling, the pending request, access and refresh token
 * lifetimes, reuse detection, the unused and idle client lifetimes): a wrong constant shows only when time lands just before or after it.
 */
// A tolerance of 0 is no boundary of its own, and time never runs backwards.
const BOUNDARIES = [...new Set([...Object.values(LIFETIMES), 600])].filter((b) => b > 1).sort((a, b) => a - b);

/** Mostly a second either side of a boundary (or on it); sometimes a short step or anywhere between. */
const clockAdvance = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...BOUNDARIES).chain((b) => fc.constantFrom(b - 1, b, b + 1)) },
  { weight: 1, arbitrary: fc.constantFrom(1, 5, 30) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: LIFETIMES.idleClientTtl + 1 }) },
);

const pick = fc.nat({ max: 50 });

const steps = [
  fc.tuple(fc.constantFrom(...(Object.keys(REGISTRATIONS) as (keyof typeof REGISTRATIONS)[])), flawOrValid(Object.keys(BAD_REGISTRATIONS) as (keyof typeof BAD_REGISTRATIONS)[])).map(([v, f]) => new Register(v, f)),
  fc
    .tuple(
      pick,
      fc.record({
        scope: fc.constantFrom(undefined, '', 'notes:read', 'notes:read notes:write', 'offline_access', 'openid email notes:write'),
        state: fc.constantFrom('none', 'short', 'long'),
        resource: fc.constantFrom('canonical', 'omitted', 'uppercase', 'default-port', 'twice'),
        redirect: fc.constantFrom('first', 'last', 'omit-if-single', 'other-port'),
      }) as fc.Arbitrary<AuthorizeShape>,
      flawOrValid(AUTHORIZE_FLAWS),
    )
    .map(([p, s, f]) => new Authorize(p, s, f)),
  fc.tuple(pick, fc.constantFrom('approve', 'approve-first', 'deny') as fc.Arbitrary<'approve' | 'approve-first' | 'deny'>, fc.constantFrom('alice', 'bob') as fc.Arbitrary<'alice' | 'bob'>, flawOrValid(DECIDE_FLAWS)).map(([p, c, u, f]) => new Decide(p, c, u, f)),
  fc
    .tuple(
      pick,
      fc.record({ redirect: fc.constantFrom('omit', 'same'), resource: fc.constantFrom('omit', 'canonical', 'uppercase'), style: fc.constantFrom('basic', 'post') }) as fc.Arbitrary<Exchange['shape']>,
      flawOrValid(EXCHANGE_FLAWS),
    )
    .map(([p, s, f]) => new Exchange(p, s, f)),
  fc
    .tuple(
      pick,
      fc.record({ scope: fc.constantFrom('omit', 'narrow', 'openid'), resource: fc.constantFrom('omit', 'canonical', 'uppercase'), style: fc.constantFrom('basic', 'post') }) as fc.Arbitrary<Refresh['shape']>,
      flawOrValid(REFRESH_FLAWS),
    )
    .map(([p, s, f]) => new Refresh(p, s, f)),
  fc.tuple(pick, fc.constantFrom('refresh', 'access', 'garbage') as fc.Arbitrary<'refresh' | 'access' | 'garbage'>, fc.constantFrom(undefined, 'refresh_token', 'access_token', 'bogus_hint'), flawOrValid(REVOKE_FLAWS)).map(([p, w, h, f]) => new Revoke(p, w, h, f)),
  fc.tuple(pick, flawOrValid(['other-user', 'unknown-grant'] as const)).map(([p, f]) => new RevokeGrant(p, f)),
  fc.constant(null).map(() => new Tick()),
  clockAdvance.map((s) => new Advance(s)),
];

const [, authorize, decide, exchange, refresh] = steps as [unknown, fc.Arbitrary<Operation>, fc.Arbitrary<Operation>, fc.Arbitrary<Operation>, fc.Arbitrary<Operation>];
/** A rotated refresh token presented again: the retry a client makes when an answer was lost. */
const retryRotated = fc
  .tuple(pick, fc.record({ scope: fc.constant('omit'), resource: fc.constantFrom('omit', 'canonical'), style: fc.constantFrom('basic', 'post') }) as fc.Arbitrary<Refresh['shape']>)
  .map(([p, s]) => new Refresh(p, s, 'rotated-token'));
/** A wait of a second either side of (or exactly) one of these lifetimes, or now and then any wait. */
const near = (...lifetimes: number[]) =>
  fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...lifetimes).chain((b) => fc.constantFrom(b - 1, b, b + 1)) }, { weight: 1, arbitrary: clockAdvance });
/** The steps whose answer depends on how long ago something happened, each after a wait near the lifetime it depends on. */
const later = fc.oneof(
  fc.tuple(near(LIFETIMES.pendingTtl), decide),
  fc.tuple(near(LIFETIMES.codeTtl, 600), exchange),
  fc.tuple(near(LIFETIMES.refreshTokenTtl, LIFETIMES.accessTokenTtl), refresh),
  fc.tuple(near(LIFETIMES.refreshGrace, LIFETIMES.reuseDetection), retryRotated),
).map(([seconds, step]) => new Later(seconds, step));

/** Every operation, with the steps of a flow (authorize, decide, exchange, refresh) weighted up so runs reach deep states. */
const connect = fc
  // Refresh tokens need offline_access (REQ-16), so most connections ask for it.
  .tuple(pick, fc.constantFrom<AuthorizeShape['scope']>(undefined, 'notes:read', 'offline_access', 'notes:read offline_access', 'notes:read notes:write offline_access', 'notes:read notes:write offline_access', 'openid email notes:write offline_access'), fc.constantFrom('alice', 'bob') as fc.Arbitrary<'alice' | 'bob'>)
  .map(([p, scope, user]) => new Connect(p, scope, user));
const shared = [...steps, authorize, decide, decide, exchange, exchange, refresh, refresh, later, later, connect, connect];
const openConsentPage = fc.tuple(pick, fc.constantFrom('returning', 'returning', 'alice', 'bob') as fc.Arbitrary<'alice' | 'bob' | 'returning'>).map(([p, u]) => new OpenConsentPage(p, u));
const reconnect = fc
  .tuple(pick, fc.constantFrom<AuthorizeShape['scope']>('notes:read', 'notes:read notes:write', 'openid email notes:write', 'offline_access'), fc.constantFrom('holder', 'holder', 'other') as fc.Arbitrary<'holder' | 'other'>)
  .map(([p, scope, who]) => new Reconnect(p, scope, who));
/** Metadata documents: the pure run only (over HTTP the server would have to fetch them). */
const publishDocument = fc
  .tuple(pick, fc.constantFrom(...(Object.keys(DOCUMENTS) as (keyof typeof DOCUMENTS)[])), flawOrValid(PUBLISH_FLAWS))
  .map(([p, v, f]) => new PublishDocument(p, v, f));
const consentSteps = [openConsentPage, openConsentPage, reconnect, reconnect];
export const operations = [...shared, ...consentSteps, publishDocument, publishDocument];

/** An operation (or the clock, or a consent page) as an `fc.AsyncCommand` against another system under test. */
class AsyncStep<R> implements fc.AsyncCommand<Ctx, R> {
  constructor(readonly step: Operation | Advance | Later | OpenConsentPage | Reconnect | Connect, readonly executor: AsyncExecutor<R>, readonly open?: ConsentExecutor<R>) {}
  check(ctx: Readonly<Ctx>): boolean {
    return this.step.check(ctx);
  }
  async run(ctx: Ctx, real: R): Promise<void> {
    const { step } = this;
    if (step instanceof Operation) await step.runWith(ctx, real, this.executor);
    else if (step instanceof Later) {
      ctx.world.now += step.seconds;
      await step.step.runWith(ctx, real, this.executor);
    } else if (step instanceof OpenConsentPage) await step.runWith(ctx, real, this.open!);
    else if (step instanceof Reconnect) await step.runWith(ctx, real, this.executor, this.open!);
    else if (step instanceof Connect) await step.runWith(ctx, real, this.executor);
    else step.run(ctx);
  }
  toString(): string {
    return this.step.toString();
  }
}

/**
 * The same operation list, same arbitraries and weights, run through `executor`; with `open`, the
 * system's consent page too (remembered consent, and returning clients).
 */
export function asyncOperations<R>(executor: AsyncExecutor<R>, open?: ConsentExecutor<R>): fc.Arbitrary<fc.AsyncCommand<Ctx, R>>[] {
  const list = (open === undefined ? shared : [...shared, ...consentSteps]) as fc.Arbitrary<Operation | Advance | Later | OpenConsentPage | Reconnect | Connect>[];
  return list.map((arbitrary) => arbitrary.map((step) => new AsyncStep(step, executor, open)));
}
