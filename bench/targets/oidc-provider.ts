// The peer authorization server: oidc-provider (oidc-provider-server.ts) as a child process, with
// the bench account signed in once at start so that every flow runs on that session, as ChatGPT's
// do on a signed-in user's browser.
import { fileURLToPath } from 'node:url';
import { registrationMetadata } from './agent-notes.ts';
import { readMemory, readUsage, startChild, stopChild } from './child.ts';
import { BENCH_REDIRECT, flowFailed, headerValues, mcpResource, PKCE, refreshGrant, registrationStep, rotatedRefreshToken, type BenchRequest, type Chain, type OAuthTarget } from './target.ts';

const SERVER = fileURLToPath(new URL('./oidc-provider-server.ts', import.meta.url));
/**
 * offline_access is what makes oidc-provider's refresh tokens outlive the session (with it, tokens
 * are not bound to the session), as agent-notes' are. No `openid`: agent-notes issues no ID token,
 * and with openid every exchange and refresh at the peer would also sign one. Without `prompt`,
 * oidc-provider keeps offline_access when the grant already holds it, so no consent page is needed.
 */
const SCOPE = 'offline_access notes:read notes:write';
const JSON_HEADERS = { 'content-type': 'application/json' };
const FORM_HEADERS = { 'content-type': 'application/x-www-form-urlencoded' };

function codeIn(location: string | undefined): string | undefined {
  if (location === undefined || !location.startsWith(BENCH_REDIRECT)) return undefined;
  return new URL(location).searchParams.get('code') ?? undefined;
}

/** The payload of a JWT, or undefined when `token` is not one. */
function jwtPayload(token: string): { aud?: string | string[] } | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    return JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as { aud?: string | string[] };
  } catch {
    return undefined;
  }
}

/** Cookies set along a redirect chain, by name (paths are ignored: one user, one server). */
class CookieJar {
  readonly #cookies = new Map<string, string>();

  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const separator = pair.indexOf('=');
      const name = pair.slice(0, separator).trim();
      if (attributes.some((attribute) => /expires=Thu, 01 Jan 1970/i.test(attribute))) this.#cookies.delete(name);
      else this.#cookies.set(name, pair.slice(separator + 1).trim());
    }
  }

  header(filter: (name: string) => boolean = () => true): string {
    return [...this.#cookies].filter(([name]) => filter(name)).map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

export async function startOidcProvider(): Promise<OAuthTarget> {
  const { child, match } = await startChild(['--import', 'tsx', SERVER], { ...process.env, PORT: '0' }, /READY (http:\/\/127\.0\.0\.1:\d+)/);
  const url = match[1]!;
  const pid = child.pid!;
  const resource = mcpResource(url);

  const authorizePath = (clientId: string) =>
    `/auth?${new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: BENCH_REDIRECT, scope: SCOPE, state: 'bench-state', code_challenge: PKCE.challenge, code_challenge_method: 'S256', resource })}`;
  const exchangeBody = (clientId: string, code: string) =>
    new URLSearchParams({ grant_type: 'authorization_code', client_id: clientId, code, code_verifier: PKCE.verifier, redirect_uri: BENCH_REDIRECT, resource }).toString();
  const send = (path: string, init: RequestInit = {}) => fetch(`${url}${path}`, { redirect: 'manual', ...init });

  async function register(): Promise<string> {
    const response = await send('/reg', { method: 'POST', headers: { ...JSON_HEADERS }, body: registrationMetadata() });
    const body = (await response.json()) as { client_id?: string };
    if (response.status !== 201 || body.client_id === undefined) throw new Error(`oidc-provider registration failed: ${response.status} ${JSON.stringify(body)}`);
    return body.client_id;
  }

  /** One authorization request through the sign-in page; returns the session's cookies. */
  async function signIn(): Promise<string> {
    const jar = new CookieJar();
    const toInteraction = await send(authorizePath(await register()));
    jar.take(toInteraction);
    const interaction = toInteraction.headers.get('location') ?? '';
    if (!interaction.startsWith('/interaction/')) throw new Error(`oidc-provider did not ask for sign-in: ${toInteraction.status} ${interaction}`);
    const signedIn = await send(interaction, { method: 'POST', headers: { ...FORM_HEADERS, cookie: jar.header() }, body: 'username=bench' });
    jar.take(signedIn);
    const resumed = await send(new URL(signedIn.headers.get('location') ?? '/', url).pathname, { headers: { cookie: jar.header() } });
    jar.take(resumed);
    if (codeIn(resumed.headers.get('location') ?? undefined) === undefined) throw new Error(`oidc-provider sign-in did not end with a code: ${resumed.status} ${resumed.headers.get('location')}`);
    return jar.header((name) => name.startsWith('_session'));
  }

  const cookie = await signIn();

  const target: OAuthTarget = {
    name: 'oidc-provider',
    url,
    pid,
    usage: () => readUsage(pid),
    memory: () => readMemory(child),
    stop: () => stopChild(child, 5_000),

    registration: () => ({ method: 'POST', path: '/reg', headers: { ...JSON_HEADERS }, body: registrationMetadata() }),

    async chains(count) {
      const chains: Chain[] = [];
      for (let i = 0; i < count; i++) {
        const clientId = await register();
        const authorized = await send(authorizePath(clientId), { headers: { cookie } });
        const code = codeIn(authorized.headers.get('location') ?? undefined);
        if (code === undefined) throw new Error(`oidc-provider gave no code: ${authorized.status} ${authorized.headers.get('location')}`);
        const tokens = await send('/token', { method: 'POST', headers: { ...FORM_HEADERS }, body: exchangeBody(clientId, code) });
        const body = (await tokens.json()) as { access_token?: string; refresh_token?: string };
        if (body.access_token === undefined || body.refresh_token === undefined) throw new Error(`oidc-provider gave no tokens: ${tokens.status} ${JSON.stringify(body)}`);
        const audience = jwtPayload(body.access_token)?.aud;
        if (![audience].flat().includes(resource)) throw new Error(`oidc-provider's access token is not a JWT for ${resource}: ${body.access_token}`);
        chains.push({ clientId, refreshToken: body.refresh_token });
      }
      return chains;
    },

    refreshRequest: (chain) => refreshGrant('/token', chain, resource),
    successor: rotatedRefreshToken,

    flowRequests(done) {
      type Flow = { clientId?: string; code?: string | undefined };
      const failed = flowFailed(done);
      const steps: BenchRequest[] = [
        registrationStep(target.registration()),
        {
          method: 'GET',
          setupRequest: (request, context: Flow) => (context.clientId === undefined ? failed() : { ...request, path: authorizePath(context.clientId), headers: { cookie } }),
          onResponse: (status, _body, context: Flow, headers) => {
            if (status === 303) context.code = codeIn(headerValues(headers, 'location')[0]);
          },
        },
        {
          method: 'POST',
          setupRequest: (request, context: Flow) =>
            context.clientId === undefined || context.code === undefined ? failed() : { ...request, path: '/token', headers: { ...FORM_HEADERS }, body: exchangeBody(context.clientId, context.code) },
          onResponse: (status, body) => done(status === 200 && body.includes('"access_token"')),
        },
      ];
      return steps;
    },
  };
  return target;
}
