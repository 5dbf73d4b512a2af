// A real server with small limits from its environment, and the requests the limit tests repeat.
import { randomBytes } from 'node:crypto';
import { startServer, type RunningServer } from '../../src/server.ts';
import { Browser } from '../kit/browser.ts';
import { authorizationQuery, PASSWORD, REDIRECT_URI } from '../mcp/harness.ts';
import { OFFLINE_FETCH_POLICY } from '../kit/offline-fetch.ts';

export { PASSWORD, REDIRECT_URI };

export async function limitedServer(env: NodeJS.ProcessEnv, users: string[] = []): Promise<RunningServer> {
  const server = await startServer({ port: 0, env, fetchPolicy: OFFLINE_FETCH_POLICY });
  for (const user of users) await server.createUser(user, PASSWORD);
  return server;
}

export function register(base: string, headers: Record<string, string> = {}, body: unknown = { client_name: 'limits test', redirect_uris: [REDIRECT_URI] }): Promise<Response> {
  return fetch(`${base}/oauth/register`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

export async function registeredClientId(base: string): Promise<string> {
  const response = await register(base);
  if (response.status !== 201) throw new Error(`registration: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { client_id: string }).client_id;
}

export function tokenRequest(base: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base}/oauth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: 'no-such-code', code_verifier: 'v'.repeat(43), ...fields }),
  });
}

/** An authorization request URL (path and query) for a registered client. */
export function authorizationPath(base: string, clientId: string, extra: Record<string, string> = {}): string {
  return `/oauth/authorize?${authorizationQuery(base, clientId, randomBytes(32).toString('base64url'), extra)}`;
}

/** One sign-in through the real form (CSRF cookie and all); the answer to the POST. */
export async function signIn(base: string, username: string, password: string, browser = new Browser(base)): Promise<Response> {
  const page = await browser.fetch('/login');
  return browser.submit('/login', await page.text(), { username, password });
}

/** A browser whose every request the trusted proxy says comes from `address` (needs TRUST_PROXY=1). */
export class BrowserAt extends Browser {
  constructor(base: string, readonly address: string) {
    super(base);
  }

  override fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('X-Forwarded-For', this.address);
    return super.fetch(path, { ...init, headers });
  }
}

/** What a 429 must carry whatever its shape: a whole number of seconds to wait, within the window. */
export function retryAfter(response: Response): number {
  const value = response.headers.get('retry-after');
  if (value === null || !/^[0-9]+$/.test(value)) throw new Error(`Retry-After is ${JSON.stringify(value)}`);
  return Number(value);
}
