// One step of a fuzz run sent to the server under test: the core command `explain` built for the
// step, with the values the reference model knows by its own names (client-1, code-3, refresh-4,
// access-jti-4) replaced by those the server handed out, sent as the requests a client and a
// browser make, and the answer read back as the model's `Observation` (what crosses the wire only).
import type { Observation } from '../../model/observation.ts';
import type { Command, Params } from '../../src/core/index.ts';
import { walkAuthorization } from '../conformance/browser.ts';
import { jsonObject, type Http, type Reply } from '../conformance/http.ts';
import type { ServerUnderTest } from './discover.ts';

/** The names the authorization response parameters travel under (RFC 6749 §4.1.2, RFC 9207). */
const RESPONSE_PARAMS = ['code', 'state', 'iss', 'error', 'error_description'];
const OAUTH_ERROR = /\b(invalid_request|invalid_client|unauthorized_client|access_denied|unsupported_response_type|invalid_scope|server_error|temporarily_unavailable|invalid_target|invalid_redirect_uri|invalid_client_metadata)\b/;

/** What the server answered, and the values of its own it handed out. */
export interface WireAnswer {
  observation: Observation;
  /** For an error page: whether its OAuth error code could be read (a page need not show one). */
  codeUnread?: boolean;
  /** The server's access token string, when it issued one. */
  accessToken?: string;
  /** A one-line account of the exchange, for the report. */
  detail: string;
}

export interface WireOptions {
  server: ServerUnderTest;
  /** Requests a client makes (no cookies). */
  client: Http;
  /** The person's browser for a run (prepareTarget hands every run the same one: one sign-in). */
  newBrowser: () => Http;
  username: string;
  password: string;
}

/** The model's names for values and the server's values, learned step by step. */
export class Translation {
  /** The person's browser for this run, made on the first consent. */
  browser: Http | undefined;
  readonly #values = new Map<string, string>();
  /** Pending authorization requests by the model's request id: where the browser starts, and where it stops. */
  readonly requests = new Map<string, { url: URL; redirectUri: string }>();

  learn(ours: string | undefined, theirs: string | undefined): void {
    if (ours !== undefined && theirs !== undefined && !this.#values.has(ours)) this.#values.set(ours, theirs);
  }

  known(ours: string): string | undefined {
    return this.#values.get(ours);
  }

  value(v: string): string {
    return this.#values.get(v) ?? v;
  }

  params(params: Params): Params {
    return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, v === undefined ? v : Array.isArray(v) ? v.map((x) => this.value(x)) : this.value(v)]));
  }

  /** A Basic header with its id and secret replaced. */
  authorization(header: string | undefined): string | undefined {
    const basic = header === undefined ? undefined : /^Basic (.+)$/.exec(header);
    if (header === undefined || basic === null || basic === undefined) return header;
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return header;
    const id = this.value(decodeURIComponent(decoded.slice(0, colon)));
    const secret = this.value(decodeURIComponent(decoded.slice(colon + 1)));
    return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
  }
}

function search(params: Params): URLSearchParams {
  const out = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) for (const v of value === undefined ? [] : [value].flat()) out.append(name, v);
  return out;
}

function redirectObservation(location: URL): Observation {
  const own = new URLSearchParams();
  const params: Record<string, string> = {};
  // A fragment response (RFC 6749 §4.2.2, the mode for `token` response types) carries them after the #.
  const fragment = new URLSearchParams(location.hash.slice(1));
  for (const [name, value] of [...location.searchParams, ...fragment]) {
    if (!RESPONSE_PARAMS.includes(name)) own.append(name, value);
    else if (name !== 'error_description') params[name] = value;
  }
  return { kind: 'redirect', redirectUri: `${location.origin}${location.pathname}${own.size > 0 ? `?${own}` : ''}`, params };
}

function sameEndpoint(url: URL, uri: string): boolean {
  if (!URL.canParse(uri)) return false;
  const target = new URL(uri);
  return url.protocol === target.protocol && url.hostname === target.hostname && url.pathname === target.pathname;
}

function jsonError(reply: Reply): WireAnswer {
  const body = jsonObject(reply);
  const error = typeof body?.error === 'string' ? body.error : `(no error code, status ${reply.status})`;
  return { observation: { kind: 'error', error, status: reply.status }, detail: `${reply.method} ${reply.url.pathname} → ${reply.status} ${error}` };
}

/** An error page for the person (never redirected): its code from "Error code: x" or any OAuth code it shows. */
function pageError(reply: Reply): WireAnswer {
  const code = /Error code: ([A-Za-z_]+)/.exec(reply.text)?.[1] ?? jsonObject(reply)?.error ?? OAUTH_ERROR.exec(reply.text)?.[1];
  const error = typeof code === 'string' ? code : '(unread)';
  return { observation: { kind: 'error', error, status: reply.status }, ...(typeof code === 'string' ? {} : { codeUnread: true }), detail: `${reply.method} ${reply.url.pathname} → ${reply.status} page${typeof code === 'string' ? ` (${code})` : ''}` };
}

export async function sendCommand(command: Command, t: Translation, o: WireOptions): Promise<WireAnswer> {
  switch (command.type) {
    case 'register': {
      const reply = await o.client.postJson(o.server.registrationEndpoint, command.metadata);
      const body = jsonObject(reply);
      if ((reply.status !== 201 && reply.status !== 200) || typeof body?.client_id !== 'string') return jsonError(reply);
      const observation: Observation = {
        kind: 'registered', clientId: body.client_id,
        authMethod: typeof body.token_endpoint_auth_method === 'string' ? body.token_endpoint_auth_method : 'client_secret_basic', // RFC 7591 §2 default
        redirectUris: Array.isArray(body.redirect_uris) ? (body.redirect_uris as string[]) : [],
        grantTypes: Array.isArray(body.grant_types) ? (body.grant_types as string[]) : ['authorization_code'],
      };
      if (typeof body.client_secret === 'string') observation.clientSecret = body.client_secret;
      return { observation, detail: `POST registration → ${reply.status} ${body.client_id}` };
    }
    case 'authorize': {
      const url = new URL(o.server.authorizationEndpoint);
      url.search = search(t.params(command.params)).toString();
      const reply = await o.client.get(url);
      const location = reply.headers.get('location');
      const redirectUri = typeof command.params.redirect_uri === 'string' ? command.params.redirect_uri : '';
      if (reply.status >= 300 && reply.status < 400 && location !== null) {
        const to = new URL(location, reply.url);
        if (sameEndpoint(to, redirectUri)) return { observation: redirectObservation(to), detail: `GET authorization → ${reply.status} to the client` };
        t.requests.set(command.fresh.requestId, { url, redirectUri });
        return { observation: { kind: 'consent_required', requestId: command.fresh.requestId, clientId: '', redirectUri, scopes: [], resource: '' }, detail: `GET authorization → ${reply.status} to ${to.pathname}` };
      }
      if (reply.status === 200) {
        t.requests.set(command.fresh.requestId, { url, redirectUri });
        return { observation: { kind: 'consent_required', requestId: command.fresh.requestId, clientId: '', redirectUri, scopes: [], resource: '' }, detail: 'GET authorization → 200 page' };
      }
      return pageError(reply);
    }
    case 'decide': {
      const request = t.requests.get(command.requestId);
      if (request === undefined) return { observation: { kind: 'error', error: 'invalid_request', status: 400 }, detail: 'no pending authorization of the server to decide' };
      t.browser ??= o.newBrowser();
      const walk = await walkAuthorization(t.browser, request.url, { stopAt: [request.redirectUri], username: o.username, password: o.password, decision: command.decision.approve ? 'approve' : 'deny' });
      if (walk.end === 'redirect') return { observation: redirectObservation(walk.location), detail: `browser: ${walk.trail.join(', ')}` };
      return { ...pageError(walk.reply), detail: `browser ended on a page (${walk.reason}): ${walk.trail.join(', ')}` };
    }
    case 'token': {
      const authorization = t.authorization(command.authorization);
      const reply = await o.client.postForm(o.server.tokenEndpoint, search(t.params(command.params)), authorization === undefined ? undefined : { Authorization: authorization });
      const body = jsonObject(reply);
      if (reply.status !== 200 || typeof body?.access_token !== 'string') return jsonError(reply);
      const observation: Observation = { kind: 'tokens', sub: '', aud: '', clientId: '', scope: typeof body.scope === 'string' ? body.scope : '(absent)', iat: 0, exp: 0, jti: '', gid: '' };
      if (typeof body.refresh_token === 'string') observation.refreshToken = body.refresh_token;
      return { observation, accessToken: body.access_token, detail: `POST token → 200${observation.refreshToken === undefined ? ' (no refresh token)' : ''}` };
    }
    case 'revoke': {
      if (o.server.revocationEndpoint === undefined) return { observation: { kind: 'error', error: '(no revocation endpoint)', status: 0 }, detail: 'no revocation endpoint' };
      const authorization = t.authorization(command.authorization);
      const reply = await o.client.postForm(o.server.revocationEndpoint, search(t.params(command.params)), authorization === undefined ? undefined : { Authorization: authorization });
      if (reply.status !== 200) return jsonError(reply);
      return { observation: { kind: 'revoked' }, detail: 'POST revocation → 200' };
    }
    default:
      return { observation: { kind: 'error', error: `(${command.type} has no HTTP request)`, status: 0 }, detail: 'not sent' };
  }
}
