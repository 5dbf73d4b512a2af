// Secrets at rest and in logs. A server with a real data directory and a captured pino log runs
// every flow that hands out a secret (setup link, password sign-in, confidential registration,
// authorization, consent, code exchange, refresh, revocation, password change, MCP calls), while
// the test collects every secret the client side saw. Afterwards no file in the data directory
// (journal, snapshot; keys.json holds the signing key by design) and no log line holds any of them,
// in plain, percent-encoded, form-encoded, base64 or hex form.
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../kit/browser.ts';
import { authorizationQuery, WireClient } from '../kit/client.ts';
import { newVerifier, s256 } from '../kit/pkce.ts';
import { PASSWORD, startTestServer, type TestServer } from '../kit/server.ts';
import { legacy, legacyInitialize, send } from '../mcp/harness.ts';

const NEW_PASSWORD = 'tr0ub4dor & 3, with spaces';
const WRONG_PASSWORD = 'not-the-password-0123';
const REDIRECT_URI = 'https://client.example/callback';

/** What the client side was handed or typed, by name, for readable failures. */
const secrets = new Map<string, string>();
/** Plaintext that is allowed at rest, in exactly one field (see the test that checks it). */
const sessionCsrfs = new Set<string>();

function keep(name: string, value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') throw new Error(`no ${name}`);
  secrets.set(name, value);
  return value;
}

/** A secret as it could leak: as is, URL- and form-encoded, JSON-escaped, base64(url) and hex. */
function variants(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  return [
    secret,
    encodeURIComponent(secret),
    new URLSearchParams({ s: secret }).toString().slice(2),
    JSON.stringify(secret).slice(1, -1),
    bytes.toString('base64'),
    bytes.toString('base64').replace(/=+$/, ''),
    bytes.toString('base64url'),
    bytes.toString('hex'),
  ];
}

/** Every (secret name, variant) found in `text`. */
function leaksIn(text: string, allow: (name: string, variant: string, text: string) => boolean = () => false): string[] {
  const found: string[] = [];
  for (const [name, secret] of secrets) {
    for (const variant of new Set(variants(secret))) {
      if (text.includes(variant) && !allow(name, variant, text)) found.push(`${name} (as ${JSON.stringify(variant.slice(0, 24))}…)`);
    }
  }
  return found;
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out.sort();
}

/** The hidden CSRF field of a signed-in page. */
function csrfOf(html: string): string {
  const match = /name="csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('no csrf field on the page');
  return match[1]!;
}

function cookie(browser: Browser, name: string): string {
  const value = browser.cookies.get(name);
  if (value === undefined) throw new Error(`no ${name} cookie`);
  return value;
}

const form = { 'Content-Type': 'application/x-www-form-urlencoded' };

let root: string;
let dataDir: string;
let server: TestServer;
const logChunks: string[] = [];
const filesWhileRunning = new Map<string, string>();
const filesAfterClose = new Map<string, string>();

async function readDataDir(into: Map<string, string>): Promise<void> {
  for (const path of await filesUnder(dataDir)) into.set(relative(dataDir, path), await readFile(path, 'utf8'));
}

/** Walks authorize → consent with a signed-in browser; returns the redirect back to the client. */
async function authorizeWith(browser: Browser, clientId: string, verifier: string): Promise<URL> {
  const params = authorizationQuery(server.url, clientId, verifier, { redirect_uri: REDIRECT_URI, state: 'state-secret-flow', scope: 'notes:read notes:write offline_access' });
  let response = await browser.fetch(`/oauth/authorize?${params}`);
  for (let hops = 0; hops < 6; hops += 1) {
    const location = response.headers.get('location');
    if (location === null) throw new Error(`unexpected ${response.status}: ${await response.text()}`);
    const next = new URL(location, server.url);
    if (next.origin !== server.url) return next;
    response = await browser.fetch(next.href);
    if (response.status === 200 && next.pathname === '/consent') {
      const html = await response.text();
      keep(`session csrf (consent page ${hops})`, csrfOf(html));
      response = await browser.submit(next.href, html, { decision: 'approve' });
    }
  }
  throw new Error('too many redirects');
}

async function token(body: Record<string, string>, headers: Record<string, string> = {}): Promise<Record<string, string>> {
  const response = await fetch(`${server.url}/oauth/token`, { method: 'POST', headers: { ...form, ...headers }, body: new URLSearchParams(body) });
  const json = (await response.json()) as Record<string, string>;
  if (response.status !== 200) throw new Error(`token endpoint: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'agent-notes-secrets-'));
  dataDir = join(root, 'data');
  const logDestination = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      logChunks.push(chunk.toString());
      callback();
    },
  });
  // `trace`: every line the code could ever write is captured, debug lines included.
  server = await startTestServer({ dataDir, env: { LOG_LEVEL: 'trace' }, logDestination });
  const base = server.url;

  // First run: the setup link creates the owner and signs them in.
  const setupToken = keep('setup token', new URL(server.setupUrl!).searchParams.get('token'));
  const owner = new Browser(base);
  const setupPage = await owner.fetch(`/setup?token=${encodeURIComponent(setupToken)}`);
  keep('pre-session csrf (setup)', cookie(owner, 'agent-notes-csrf'));
  const created = await owner.submit(`${base}/setup`, await setupPage.text(), { username: 'alice', password: keep('password', PASSWORD), password_confirm: PASSWORD });
  expect(created.status).toBe(303);
  keep('session cookie (setup)', cookie(owner, 'agent-notes-session'));

  // A wrong password, then the right one, in a second browser.
  const browser = new Browser(base);
  const loginPage = await (await browser.fetch('/login')).text();
  keep('pre-session csrf (login)', cookie(browser, 'agent-notes-csrf'));
  keep('wrong password', WRONG_PASSWORD);
  expect((await browser.submit(`${base}/login`, loginPage, { username: 'alice', password: WRONG_PASSWORD })).status).toBe(401);
  const retry = await (await browser.fetch('/login')).text();
  expect((await browser.submit(`${base}/login`, retry, { username: 'alice', password: PASSWORD })).status).toBe(303);
  keep('session cookie (login)', cookie(browser, 'agent-notes-session'));

  // Confidential clients over DCR: one authenticating with Basic, one in the body.
  const clients: { id: string; secret: string; method: string }[] = [];
  for (const method of ['client_secret_basic', 'client_secret_post']) {
    const response = await new WireClient(base).registration({ client_name: `secret flow ${method}`, redirect_uris: [REDIRECT_URI], token_endpoint_auth_method: method });
    expect(response.status).toBe(201);
    const registered = JSON.parse(response.text) as { client_id: string; client_secret: string };
    clients.push({ id: registered.client_id, secret: keep(`client_secret (${method})`, registered.client_secret), method });
  }

  for (const client of clients) {
    const auth = (body: Record<string, string>): [Record<string, string>, Record<string, string>] =>
      client.method === 'client_secret_basic'
        ? [body, { Authorization: `Basic ${keep(`basic credentials (${client.method})`, Buffer.from(`${encodeURIComponent(client.id)}:${encodeURIComponent(client.secret)}`).toString('base64'))}` }]
        : [{ ...body, client_id: client.id, client_secret: client.secret }, {}];
    const verifier = keep(`code_verifier (${client.method})`, newVerifier());
    const redirect = await authorizeWith(browser, client.id, verifier);
    const code = keep(`code (${client.method})`, redirect.searchParams.get('code'));
    const issued = await token(...auth({ grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT_URI }));
    const access = keep(`access token (${client.method})`, issued.access_token);
    keep(`access token signature (${client.method})`, access.split('.')[2]);
    keep(`refresh token (${client.method})`, issued.refresh_token);
    const refreshed = await token(...auth({ grant_type: 'refresh_token', refresh_token: issued.refresh_token! }));
    const freshAccess = keep(`refreshed access token (${client.method})`, refreshed.access_token);
    keep(`refreshed refresh token (${client.method})`, refreshed.refresh_token);

    // MCP with the bearer token: initialize, list, write, read, and one request the SDK refuses.
    const mcp = `${base}/mcp`;
    expect((await send(mcp, legacyInitialize(), freshAccess)).status).toBe(200);
    expect((await send(mcp, legacy('tools/list'), freshAccess)).status).toBe(200);
    const createdNote = await send(mcp, legacy('tools/call', { name: 'create_note', arguments: { title: `from ${client.method}`, body: 'hello' } }), freshAccess);
    expect(createdNote.status).toBe(200);
    expect((await send(mcp, legacy('tools/call', { name: 'search', arguments: { query: 'hello' } }), freshAccess)).status).toBe(200);
    expect((await send(mcp, legacy('tools/list'), freshAccess, { 'MCP-Protocol-Version': '1999-01-01' })).status).toBe(400);
    expect((await send(mcp, legacy('tools/list'), `${freshAccess}x`)).status).toBe(401);

    // Revocation: the old access token, then the live refresh token.
    for (const revoked of [access, refreshed.refresh_token!]) {
      const [body, headers] = auth({ token: revoked });
      const response = await fetch(`${base}/oauth/revoke`, { method: 'POST', headers: { ...form, ...headers }, body: new URLSearchParams(body) });
      expect(response.status).toBe(200);
    }
  }

  // The account page: its CSRF value, and a password change (old and new password in one form).
  const accountPage = await (await browser.fetch('/account')).text();
  const csrf = keep('session csrf (account page)', csrfOf(accountPage));
  keep('new password', NEW_PASSWORD);
  const changed = await browser.fetch('/account/password', {
    method: 'POST',
    headers: form,
    body: new URLSearchParams({ csrf, current_password: PASSWORD, new_password: NEW_PASSWORD, new_password_confirm: NEW_PASSWORD }),
  });
  expect(changed.status).toBe(303);

  for (const [name, value] of secrets) if (name.startsWith('session csrf')) sessionCsrfs.add(value);
  await readDataDir(filesWhileRunning);
  await server.close();
  await readDataDir(filesAfterClose);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('[secrets] nothing secret at rest or in logs', () => {
  it('[MCP-40] every secret a full flow handed out is absent from the data directory, which holds only hashes', async () => {
    const scanned: string[] = [];
    const leaks: string[] = [];
    for (const [phase, files] of [['while running', filesWhileRunning], ['after shutdown', filesAfterClose]] as const) {
      for (const [file, text] of files) {
        if (file === 'keys.json') continue; // the signing private key lives there by design
        scanned.push(`${file} (${phase}, ${text.length} bytes)`);
        // The one plaintext value allowed at rest: a session's CSRF token, in its `csrf` field. It is
        // no credential on its own (the session cookie is stored only as a hash).
        const allow = (name: string, variant: string, content: string): boolean =>
          sessionCsrfs.has(secrets.get(name)!) && content.split(variant).length === content.split(new RegExp(`"csrf":\\s*"${variant}"`)).length;
        for (const leak of leaksIn(text, allow)) leaks.push(`${file} ${phase}: ${leak}`);
      }
    }
    console.log(`[secrets] ${secrets.size} secrets × ${variants('x').length} encodings checked against ${scanned.length} files: ${scanned.join(', ')}`);
    expect(scanned.some((file) => file.startsWith('journal.jsonl'))).toBe(true);
    expect(scanned.some((file) => file.startsWith('agent-notes.json'))).toBe(true);
    expect(leaks).toEqual([]);

    // What is there instead: the hashes the store promises.
    const snapshot = filesAfterClose.get('agent-notes.json')!;
    const hash = (value: string) => s256(value); // SHA-256, base64url: the digest PKCE S256 uses too
    for (const name of ['client_secret (client_secret_basic)', 'client_secret (client_secret_post)', 'refreshed refresh token (client_secret_basic)']) {
      const expected = name.startsWith('refreshed') ? 'journal.jsonl' : 'agent-notes.json';
      const text = expected === 'agent-notes.json' ? snapshot : filesWhileRunning.get('journal.jsonl')!;
      expect(text, `${name} is stored as its SHA-256`).toContain(hash(secrets.get(name)!));
    }
  });

  it('[MCP-40] the signing key file is readable by its owner only', async () => {
    const mode = (await stat(join(dataDir, 'keys.json'))).mode & 0o777;
    expect(mode.toString(8)).toBe('600');
  });

  it('[RFC9700-07][MCP-40] the structured log of the full flow holds no token, code, secret or password, and no query string', () => {
    const text = logChunks.join('');
    const lines = text.split('\n').filter((line) => line !== '');
    const paths = new Set<string>();
    for (const line of lines) {
      const entry = JSON.parse(line) as { path?: string };
      if (entry.path !== undefined) paths.add(entry.path);
    }
    console.log(`[secrets] ${lines.length} log lines scanned for ${secrets.size} secrets; request paths logged: ${[...paths].sort().join(' ')}`);
    // The log did capture the flow (and at trace level, so debug lines count too).
    for (const path of ['/setup', '/login', '/oauth/register', '/oauth/authorize', '/consent', '/oauth/token', '/oauth/revoke', '/mcp', '/account/password']) {
      expect(paths, `a request line for ${path}`).toContain(path);
    }
    expect(leaksIn(`…${encodeURIComponent(PASSWORD)}…`), 'the scan finds what it looks for').toEqual([`password (as ${JSON.stringify('correct%20horse%20batter')}…)`]);
    if (process.env.SHOW_LOG) console.log(text);
    expect(leaksIn(text)).toEqual([]);
    for (const line of lines) {
      expect(line, 'no query string is logged').not.toMatch(/\/oauth\/authorize\?|\/consent\?|\/setup\?|[?&](code|state|token|request|client_secret)=/);
    }
  });
});
