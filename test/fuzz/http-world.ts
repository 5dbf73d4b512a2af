// The world the HTTP fuzzer attacks: a real server with an owner, predefined and registered clients
// (public and confidential, https and loopback), a signed-in browser session, pending authorization
// requests, codes, tokens, grants and notes, so that generated requests can carry values the server
// will recognise and get past the first check of each endpoint. Fuzzed requests use these up
// (codes are redeemed, tokens revoked, sessions ended), so the world renews them between batches.
import { randomBytes } from 'node:crypto';
import type { ClientRecord } from '../../src/core/index.ts';
import { CHATGPT_CALLBACK_TEMPLATE } from '../../src/core/redirect-uri.ts';
import { startSession } from '../../src/accounts/sessions.ts';
import { findUserByName } from '../../src/accounts/users.ts';
import { hashSecret } from '../../src/core/secrets.ts';
import { startServer, type RunningServer, type ServerOptions } from '../../src/server.ts';
import { Browser } from '../kit/browser.ts';
import { s256 } from '../kit/pkce.ts';
import { TEST_REDIRECT_ORIGINS } from '../kit/redirects.ts';
import { OFFLINE_FETCH_POLICY } from '../kit/offline-fetch.ts';

export const PASSWORD = 'correct horse battery staple';
export const LOOPBACK_REDIRECT = 'http://127.0.0.1:8976/callback';
export const HTTPS_REDIRECT = 'https://client.example/oauth/callback';
export const SECOND_REDIRECT = 'https://client.example/other?tenant=1';

/** Values the server knows (or knew), grouped by what they are; arrays grow as the world renews. */
export interface Pool {
  clientIds: string[];
  clientSecrets: string[];
  /** `client_id:client_secret` pairs that authenticate. */
  credentials: [string, string][];
  redirectUris: string[];
  codes: string[];
  verifiers: string[];
  challenges: string[];
  accessTokens: string[];
  refreshTokens: string[];
  requestIds: string[];
  grantIds: string[];
  noteIds: string[];
  publicIds: string[];
  setupTokens: string[];
}

/** The newest values that should still work, for requests that are valid but for one spoiled part. */
export interface Latest {
  /** A public loopback client and an unredeemed code of its, with the verifier and redirect URI. */
  clientId: string;
  redirectUri: string;
  code: string;
  verifier: string;
  accessToken: string;
  refreshToken: string;
  /** An authorization request waiting for consent. */
  requestId: string;
}

export interface World {
  server: RunningServer;
  base: string;
  pool: Pool;
  latest: Latest;
  /** The signed-in browser's cookie and CSRF values (renewed when a fuzzed request signs it out). */
  session: { cookie: string; csrf: string };
  /** A pre-session double-submit pair for the login and setup forms. */
  formCsrf: string;
  /** Creates the owner, signs in, and fills the pool with requests, codes, tokens and notes. */
  addOwner(): Promise<void>;
  /** Between batches: signs in again if the session ended, and now and then renews `latest`. */
  renew(): Promise<void>;
  close(): Promise<void>;
}

const PREDEFINED: ClientRecord[] = [
  {
    clientId: 'predefined-chatgpt',
    authMethod: 'none',
    redirectUris: [CHATGPT_CALLBACK_TEMPLATE],
    grantTypes: ['authorization_code', 'refresh_token'],
    clientName: 'ChatGPT (predefined)',
    issuedAt: 0,
    source: 'predefined',
  },
  {
    clientId: 'predefined-confidential',
    secretHash: hashSecret('predefined-secret'),
    authMethod: 'client_secret_basic',
    redirectUris: ['https://claude.ai/api/mcp/auth_callback'],
    grantTypes: ['authorization_code', 'refresh_token'],
    clientName: 'Claude (predefined)',
    issuedAt: 0,
    source: 'predefined',
  },
];

/** Batches between two renewals of the codes, tokens and pending request in `latest`. */
const RENEW_EVERY = 15;

async function register(base: string, metadata: Record<string, unknown>): Promise<{ client_id: string; client_secret?: string }> {
  const response = await fetch(`${base}/oauth/register`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(metadata) });
  if (response.status !== 201) throw new Error(`registration failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as { client_id: string; client_secret?: string };
}

function authorizeQuery(base: string, clientId: string, redirectUri: string, verifier: string): string {
  return new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    redirect_uri: redirectUri,
    code_challenge: s256(verifier),
    code_challenge_method: 'S256',
    state: 'fuzz-state',
    resource: `${base}/mcp`,
    scope: 'notes:read notes:write offline_access',
  }).toString();
}

export interface WorldOptions extends Pick<ServerOptions, 'dataDir' | 'env'> {
  /** Leave the server without an owner (the setup link stays open) until `addOwner()`. */
  withoutOwner?: boolean;
}

export async function buildWorld(options: WorldOptions = {}): Promise<World> {
  // The fuzz clients register under reserved names the redirect policy must be told to trust.
  const env = { TRUSTED_REDIRECT_ORIGINS: TEST_REDIRECT_ORIGINS.join(','), ...options.env };
  const server = await startServer({ port: 0, fetchPolicy: OFFLINE_FETCH_POLICY, ...options, env, coreOverrides: { predefinedClients: PREDEFINED } });
  const base = server.url;
  const pool: Pool = {
    clientIds: PREDEFINED.map((client) => client.clientId),
    clientSecrets: ['predefined-secret'],
    credentials: [['predefined-confidential', 'predefined-secret']],
    redirectUris: [...PREDEFINED.flatMap((client) => client.redirectUris), 'https://chatgpt.com/connector/oauth/abc123'],
    codes: [],
    verifiers: [],
    challenges: [],
    accessTokens: [],
    refreshTokens: [],
    requestIds: [],
    grantIds: [],
    noteIds: [],
    publicIds: [],
    setupTokens: [],
  };
  if (server.setupUrl !== undefined) pool.setupTokens.push(new URL(server.setupUrl).searchParams.get('token')!);

  for (const metadata of [
    { client_name: 'fuzz loopback', redirect_uris: [LOOPBACK_REDIRECT], token_endpoint_auth_method: 'none' },
    { client_name: 'fuzz web', redirect_uris: [HTTPS_REDIRECT, SECOND_REDIRECT], token_endpoint_auth_method: 'none' },
    { client_name: 'fuzz basic', redirect_uris: [HTTPS_REDIRECT], token_endpoint_auth_method: 'client_secret_basic' },
    { client_name: 'fuzz post', redirect_uris: [LOOPBACK_REDIRECT], token_endpoint_auth_method: 'client_secret_post', grant_types: ['authorization_code'] },
  ]) {
    const client = await register(base, metadata);
    pool.clientIds.push(client.client_id);
    pool.redirectUris.push(...metadata.redirect_uris);
    if (client.client_secret !== undefined) {
      pool.clientSecrets.push(client.client_secret);
      pool.credentials.push([client.client_id, client.client_secret]);
    }
  }
  const loopbackClient = pool.clientIds[PREDEFINED.length]!;
  const webClient = pool.clientIds[PREDEFINED.length + 1]!;
  // Metadata-document client_ids, on reserved names only: the server is offline (OFFLINE_FETCH_POLICY),
  // so these exercise every refusal of a document that cannot be fetched, and never leave the machine.
  pool.clientIds.push('https://client.invalid/oauth/client.json', 'https://cimd.example/meta.json', 'https://127.0.0.1/oauth/client.json');

  const formPage = new Browser(base);
  await formPage.fetch('/login');
  const formCsrf = formPage.cookies.get('agent-notes-csrf')!;

  const session = { cookie: '', csrf: '' };
  const latest: Latest = { clientId: loopbackClient, redirectUri: LOOPBACK_REDIRECT, code: '', verifier: '', accessToken: '', refreshToken: '', requestId: '' };
  let browser: Browser | undefined;
  let batches = 0;

  function newVerifier(): string {
    const verifier = randomBytes(32).toString('base64url');
    pool.verifiers.push(verifier);
    pool.challenges.push(s256(verifier));
    return verifier;
  }

  /** Authorization and consent (approved at once if consent was given before): a fresh code. */
  async function mintCode(signedIn: Browser, verifier: string): Promise<string> {
    const started = await signedIn.fetch(`/oauth/authorize?${authorizeQuery(base, loopbackClient, LOOPBACK_REDIRECT, verifier)}`);
    let response = await signedIn.fetch(new URL(started.headers.get('location')!, base).href);
    if (response.status === 200) response = await signedIn.submit(`${base}/consent`, await response.text(), { decision: 'approve' });
    const code = new URL(response.headers.get('location')!).searchParams.get('code');
    if (code === null) throw new Error(`no code: ${response.status} ${response.headers.get('location')}`);
    pool.codes.push(code);
    return code;
  }

  /** A pending request, an unredeemed code, and a token pair from another code. */
  async function renewLatest(signedIn: Browser): Promise<void> {
    const started = await signedIn.fetch(`/oauth/authorize?${authorizeQuery(base, webClient, HTTPS_REDIRECT, newVerifier())}`);
    const consent = new URL(started.headers.get('location')!, base).searchParams.get('request');
    if (consent !== null) pool.requestIds.push((latest.requestId = consent));

    const exchanged = newVerifier();
    const code = await mintCode(signedIn, exchanged);
    const tokens = await fetch(`${base}/oauth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', client_id: loopbackClient, code, code_verifier: exchanged, redirect_uri: LOOPBACK_REDIRECT }),
    });
    const issued = (await tokens.json()) as { access_token?: unknown; refresh_token?: unknown };
    // With rate limits on the exchange may be refused (429): the pools must only ever hold strings.
    if (typeof issued.access_token !== 'string' || typeof issued.refresh_token !== 'string') throw new Error(`no tokens: ${tokens.status}`);
    pool.accessTokens.push((latest.accessToken = issued.access_token));
    pool.refreshTokens.push((latest.refreshToken = issued.refresh_token));
    for (const grantId of Object.keys(server.services.queue.state.grants)) if (!pool.grantIds.includes(grantId)) pool.grantIds.push(grantId);

    latest.verifier = newVerifier();
    latest.code = await mintCode(signedIn, latest.verifier);
    if (Object.keys(server.services.queue.state.notes).length < 2) await writeNote(signedIn, 'renewed fuzz note');
  }

  async function writeNote(signedIn: Browser, title: string): Promise<void> {
    await signedIn.fetch('/notes', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf: session.csrf, title, body: '# hello\n\nworld', tags: 'fuzz, notes', public: 'on' }),
    });
    for (const note of Object.values(server.services.queue.state.notes)) {
      if (!pool.noteIds.includes(note.noteId)) pool.noteIds.push(note.noteId);
      if (!pool.publicIds.includes(note.publicId)) pool.publicIds.push(note.publicId);
    }
  }

  /**
   * A session as sign-in would start it, made directly: fuzzed sign-in failures use up the sign-in
   * rate limit, and the world must not depend on it (sign-in itself is among the fuzzed endpoints).
   */
  async function signInAgain(): Promise<void> {
    const user = findUserByName(server.services.queue.state, 'alice');
    if (!user) throw new Error('no alice');
    const cookie = randomBytes(32).toString('base64url');
    const csrf = randomBytes(32).toString('base64url');
    await server.services.queue.apply((state) => startSession(state, { userId: user.userId, sessionToken: cookie, csrf, now: server.services.now() }));
    browser = new Browser(base);
    browser.cookies.set('agent-notes-session', cookie);
    Object.assign(session, { cookie, csrf });
  }

  async function addOwner(): Promise<void> {
    await server.createUser('alice', PASSWORD);
    await signInAgain();
    for (const title of ['first fuzz note', 'second fuzz note']) await writeNote(browser!, title);
    // With rate limits on, an earlier phase may have used up this IP's authorization allowance:
    // `renew()` fills `latest` in a later batch then.
    await renewLatest(browser!).catch(() => undefined);
  }
  if (!options.withoutOwner) await addOwner();

  return {
    server,
    base,
    pool,
    latest,
    session,
    formCsrf,
    addOwner,
    async renew() {
      if (browser === undefined) return;
      batches += 1;
      // With rate limits on, fuzzed requests may have used up this IP's authorization or token
      // allowance: then the run goes on with what it has (requests are still judged, they just go less deep).
      try {
        if (!Object.hasOwn(server.services.queue.state.sessions, hashSecret(session.cookie))) await signInAgain();
        if (batches % RENEW_EVERY === 0) await renewLatest(browser);
      } catch {
        // renewed next time
      }
    },
    close: async () => void (await server.close()),
  };
}
