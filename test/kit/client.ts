// One wire client for tests, built on the conformance client (spec/conformance/client.ts): register
// a client, act as a person through sign-in and consent in a cookie-keeping browser, exchange the
// code, refresh, revoke, and call /mcp with the bearer token. Everything crosses the wire, and only
// to 127.0.0.1; nothing here looks inside the server.
import { sameEndpoint, walkAuthorization, type Decision } from '../../spec/conformance/browser.ts';
import { callMcp, exchangeCode, refresh, register, revoke, tokenSet } from '../../spec/conformance/client.ts';
import { Conformance, strings, type Json, type RegisteredClient, type TokenSet } from '../../spec/conformance/context.ts';
import { describeReply, jsonObject, type Reply } from '../../spec/conformance/http.ts';
import { newState } from '../../spec/conformance/pkce.ts';
import { Browser } from './browser.ts';
import { newPkce, s256, type Pkce } from './pkce.ts';
import { PASSWORD } from './server.ts';

/** The loopback redirect URI of the kit's usual client. */
export const REDIRECT_URI = 'http://127.0.0.1:8976/callback';
/** What ChatGPT and Claude ask for once the metadata lists `offline_access` (CGPT-OBS-02, CLA-12). */
export const DEFAULT_SCOPE = 'notes:read notes:write offline_access';
/** A public client on the loopback redirect, as native clients register. */
export const TEST_CLIENT: Json = { client_name: 'test client', redirect_uris: [REDIRECT_URI], token_endpoint_auth_method: 'none' };

export interface Client extends RegisteredClient {
  /** Set for a confidential client. */
  clientSecret?: string;
}

export interface Tokens {
  access_token: string;
  refresh_token?: string;
  scope: string;
  clientId: string;
}

export interface Consent {
  decision?: Decision;
  /** Approve only these scopes (the consent page's other boxes unticked); default: all requested. */
  scopes?: string[];
}

export interface AuthorizeOptions extends Consent {
  scope?: string;
  state?: string;
  /** Other parameters of the authorization request, over the usual ones. */
  params?: Record<string, string>;
}

/** The query of a ChatGPT-shaped authorization request: PKCE S256 over `verifier`, resource `/mcp`. */
export function authorizationQuery(base: string, clientId: string, verifier: string, extra: Record<string, string> = {}): URLSearchParams {
  return new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    code_challenge: s256(verifier),
    code_challenge_method: 'S256',
    resource: `${base}/mcp`,
    scope: DEFAULT_SCOPE,
    ...extra,
  });
}

/** One sign-in through the real form (CSRF cookie and all); the answer to the POST. */
export async function signIn(browser: Browser, username: string, password = PASSWORD): Promise<Response> {
  const page = await browser.fetch('/login');
  return browser.submit('/login', await page.text(), { username, password });
}

/** A fetch through `browser` (its cookies) that refuses to leave 127.0.0.1. */
function loopbackOnly(browser: Browser): typeof fetch {
  return (input, init) => {
    const url = new URL(input instanceof Request ? input.url : input);
    if (url.hostname !== '127.0.0.1') return Promise.reject(new Error(`tests only connect to 127.0.0.1, not to ${url.host}`));
    return browser.fetch(url.href, init);
  };
}

function redirectOf(response: Response, base: string): URL {
  const location = response.headers.get('location');
  if (response.status !== 303 || location === null) throw new Error(`expected a redirect, got ${response.status} at ${response.url}`);
  return new URL(location, base);
}

/** A person (or nobody, for the client-only steps) with a browser, and the client app they use. */
export class WireClient {
  readonly browser: Browser;
  readonly run: Conformance;

  constructor(
    readonly base: string,
    person: { username?: string; password?: string; browser?: Browser } = {},
  ) {
    this.browser = person.browser ?? new Browser(base);
    this.run = new Conformance({ baseUrl: base, username: person.username ?? '', password: person.password ?? PASSWORD, fetch: loopbackOnly(this.browser) });
    // This server's documents, as its discovery tests pin them: the client needs no round trip.
    this.run.prm = { resource: `${this.run.base}/mcp` };
    this.run.meta = {
      issuer: this.run.base,
      registration_endpoint: `${this.run.base}/oauth/register`,
      authorization_endpoint: `${this.run.base}/oauth/authorize`,
      token_endpoint: `${this.run.base}/oauth/token`,
      revocation_endpoint: `${this.run.base}/oauth/revoke`,
    };
  }

  /** POST /oauth/register with `metadata`: the answer as it came. */
  registration(metadata: Json = TEST_CLIENT): Promise<Reply> {
    return register(this.run, metadata);
  }

  /** A registered client (with its secret, if confidential); throws unless the answer is a 201. */
  async register(metadata: Json = TEST_CLIENT): Promise<Client> {
    const reply = await this.registration(metadata);
    const json = jsonObject(reply);
    if (reply.status !== 201 || typeof json?.client_id !== 'string') throw new Error(`registration: ${describeReply(reply)} ${reply.text}`);
    const client: Client = { clientId: json.client_id, redirectUri: (strings(metadata.redirect_uris) ?? [])[0] ?? '' };
    if (typeof json.client_secret === 'string') client.clientSecret = json.client_secret;
    return client;
  }

  /** Signs the person in through the sign-in form; the answer to the POST. */
  signIn(): Promise<Response> {
    return signIn(this.browser, this.run.username, this.run.password);
  }

  /**
   * Opens an authorization request URL (absolute, or a path on the server) and acts as the person
   * until the client is answered: signs in if asked, approves or denies on the consent page.
   * Returns the redirect back to the client (code or error, state, iss).
   */
  async approve(authorizationUrl: string | URL, consent: Consent = {}): Promise<URL> {
    const start = new URL(authorizationUrl, this.base);
    const redirectUri = start.searchParams.get('redirect_uri');
    if (redirectUri === null) throw new Error('the kit walks authorization requests that name their redirect_uri');
    if (consent.scopes !== undefined) return this.#approveSome(start, redirectUri, consent.scopes);
    const walk = await walkAuthorization(this.run.http, start, { stopAt: [redirectUri], username: this.run.username, password: this.run.password, decision: consent.decision ?? 'approve' });
    if (walk.end === 'page') throw new Error(`the authorization ended on ${describeReply(walk.reply)}: ${walk.reason} (${walk.trail.join(', ')})`);
    return walk.location;
  }

  /** Walks to the consent page, then ticks only `scopes` there and approves. */
  async #approveSome(start: URL, redirectUri: string, scopes: string[]): Promise<URL> {
    const consentPage = `${this.run.base}/consent`;
    const walk = await walkAuthorization(this.run.http, start, { stopAt: [redirectUri, consentPage], username: this.run.username, password: this.run.password, decision: 'approve' });
    if (walk.end === 'page') throw new Error(`the authorization ended on ${describeReply(walk.reply)}: ${walk.reason} (${walk.trail.join(', ')})`);
    if (!sameEndpoint(walk.location, consentPage)) return walk.location;
    let page = await this.browser.fetch(walk.location.href);
    if (page.status === 303 && redirectOf(page, this.base).pathname === '/login') {
      if ((await this.signIn()).status !== 303) throw new Error(`${this.run.username} could not sign in`);
      page = await this.browser.fetch(walk.location.href);
    }
    if (page.status !== 200) return redirectOf(page, this.base); // an earlier grant covers the request
    return redirectOf(await this.browser.submit(walk.location.href, await page.text(), { decision: 'approve', scope: scopes }), this.base);
  }

  /** A ChatGPT-shaped authorization request for `client` (fresh PKCE and state), walked through. */
  async authorize(client: RegisteredClient, options: AuthorizeOptions = {}): Promise<{ redirect: URL; pkce: Pkce; state: string }> {
    const pkce = newPkce();
    const state = options.state ?? newState();
    const query = authorizationQuery(this.base, client.clientId, pkce.verifier, { redirect_uri: client.redirectUri, state, scope: options.scope ?? DEFAULT_SCOPE, ...options.params });
    const redirect = await this.approve(`/oauth/authorize?${query}`, options);
    return { redirect, pkce, state };
  }

  /** An authorization code for `client`, approved by the person, with its PKCE verifier. */
  async code(client: RegisteredClient, options: AuthorizeOptions = {}): Promise<{ code: string; verifier: string }> {
    const { redirect, pkce } = await this.authorize(client, options);
    const code = redirect.searchParams.get('code');
    if (code === null) throw new Error(`no code in ${redirect.href}`);
    return { code, verifier: pkce.verifier };
  }

  /** The code exchange (with redirect_uri and resource, as ChatGPT sends them). */
  exchange(client: RegisteredClient, code: string, verifier: string): Promise<Reply> {
    return exchangeCode(this.run, { client, code, verifier });
  }

  /** Authorization, consent and code exchange: the token set; throws unless the exchange is a 200. */
  async tokens(client: RegisteredClient, options: AuthorizeOptions = {}): Promise<TokenSet> {
    const { code, verifier } = await this.code(client, options);
    const reply = await this.exchange(client, code, verifier);
    const tokens = tokenSet(reply);
    if (tokens === undefined) throw new Error(`token endpoint: ${describeReply(reply)} ${reply.text}`);
    return tokens;
  }

  refresh(client: RegisteredClient, refreshToken: string): Promise<Reply> {
    return refresh(this.run, client, refreshToken);
  }

  revoke(client: RegisteredClient, token: string, hint: 'access_token' | 'refresh_token'): Promise<Reply> {
    return revoke(this.run, client, token, hint);
  }

  /** A JSON-RPC POST to /mcp, with the bearer token if given; by default the conformance `initialize`. */
  mcp(token: string | undefined, message?: Json): Promise<Reply> {
    if (message === undefined) return callMcp(this.run, token);
    return this.run.http.postJson(this.run.mcpUrl, message, { Accept: 'application/json, text/event-stream', ...(token === undefined ? {} : { Authorization: `Bearer ${token}` }) });
  }
}

/** Registration, authorization with PKCE, sign-in, consent and code exchange, all over HTTP. */
export async function obtainTokens(base: string, username: string, scope = DEFAULT_SCOPE): Promise<Tokens> {
  const person = new WireClient(base, { username });
  const client = await person.register();
  const tokens = await person.tokens(client, { scope });
  return { ...tokens, scope: tokens.scope ?? '', clientId: client.clientId };
}

/** Drives the server's own pages as `username` from an authorization URL to the redirect back to the client. */
export function approveInBrowser(base: string, authorizationUrl: string, username: string, consent: Consent = {}): Promise<URL> {
  return new WireClient(base, { username }).approve(authorizationUrl, consent);
}
