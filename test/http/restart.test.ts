// The real command line, as an operator runs it: `agent-notes user add`, then `agent-notes serve`
// in a child process, killed with SIGKILL right after a 200 and started again on the same data
// directory. Whatever a 2xx promised must still hold after the restart.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../kit/browser.ts';

const BIN = fileURLToPath(new URL('../../src/bin.js', import.meta.url));
const PASSWORD = 'correct horse battery staple';
const REDIRECT = 'https://chatgpt.com/connector_platform_oauth_redirect';
const VERIFIER = 'dBjftJeZ4CVP-mJ92K9tqYk9vYv7Qn3xZ9yk2R8mXa0';

let dataDir: string;
let port: number;
let base: string;
let child: ChildProcess | undefined;

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port: free } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return free;
}

function env(): NodeJS.ProcessEnv {
  return { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: base, LOG_LEVEL: 'warn' };
}

/** Starts `agent-notes serve` and resolves once it says it is running. */
async function serve(): Promise<ChildProcess> {
  const process_ = spawn(process.execPath, [BIN, 'serve'], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('agent-notes is running at')) {
        clearTimeout(timer);
        resolve();
      }
    };
    process_.stderr!.on('data', onData);
    process_.stdout!.on('data', onData);
    process_.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  return process_;
}

async function kill(process_: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => process_.once('exit', resolve));
  process_.kill('SIGKILL');
  await exited;
}

function userAdd(name: string, password: string): { status: number | null; stderr: string; stdout: string } {
  const run = spawnSync(process.execPath, [BIN, 'user', 'add', name], { env: env(), input: `${password}\n`, encoding: 'utf8' });
  return { status: run.status, stderr: run.stderr, stdout: run.stdout };
}

async function form(path: string, body: Record<string, string>): Promise<Response> {
  return fetch(base + path, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body) });
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'agent-notes-restart-'));
  port = await freePort();
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  if (child && child.exitCode === null) await kill(child);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('[store] the server process, killed and restarted', () => {
  it('[store] user add creates an account, and refuses while the server holds the data directory', async () => {
    const added = userAdd('alice', PASSWORD);
    expect(added.status, added.stderr).toBe(0);
    expect(userAdd('alice', PASSWORD).status).toBe(1); // the name is taken
    expect(userAdd('bob', 'short').status).toBe(1);
    child = await serve();
    const refused = userAdd('carol', PASSWORD);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/server is running/);
  });

  it('[REQ-16][REQ-09] nothing a 2xx acknowledged is lost when the process is killed right after it', async () => {
    const registered = await fetch(`${base}/oauth/register`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ client_name: 'ChatGPT', redirect_uris: [REDIRECT] }) });
    expect(registered.status).toBe(201);
    const { client_id: clientId } = (await registered.json()) as { client_id: string };

    // Sign in and approve through the real forms.
    const browser = new Browser(base);
    const challenge = createHash('sha256').update(VERIFIER).digest('base64url');
    const start = await browser.fetch(`/oauth/authorize?${new URLSearchParams({ client_id: clientId, response_type: 'code', redirect_uri: REDIRECT, code_challenge: challenge, code_challenge_method: 'S256', state: 's' })}`);
    const consentUrl = new URL(start.headers.get('location')!, base).href;
    const loginUrl = new URL((await browser.fetch(consentUrl)).headers.get('location')!, base).href;
    await browser.submit(loginUrl, await (await browser.fetch(loginUrl)).text(), { username: 'alice', password: PASSWORD });
    const approved = await browser.submit(consentUrl, await (await browser.fetch(consentUrl)).text(), { decision: 'approve' });
    const code = new URL(approved.headers.get('location')!).searchParams.get('code')!;

    const exchanged = await form('/oauth/token', { grant_type: 'authorization_code', client_id: clientId, code, code_verifier: VERIFIER });
    expect(exchanged.status).toBe(200);
    const first = (await exchanged.json()) as { refresh_token: string };
    const rotated = await form('/oauth/token', { grant_type: 'refresh_token', client_id: clientId, refresh_token: first.refresh_token });
    expect(rotated.status).toBe(200);
    const second = (await rotated.json()) as { refresh_token: string; access_token: string };
    await kill(child!); // the instant after the 200

    child = await serve();
    // The rotation happened: the successor works, the replayed code is still spent.
    const after = await form('/oauth/token', { grant_type: 'refresh_token', client_id: clientId, refresh_token: second.refresh_token });
    expect(after.status, await after.clone().text()).toBe(200);
    const replay = await form('/oauth/token', { grant_type: 'authorization_code', client_id: clientId, code, code_verifier: VERIFIER });
    expect(await replay.json()).toMatchObject({ error: 'invalid_grant' });
    // The signing key survived too: the JWKS still verifies tokens issued before the kill.
    const jwks = (await (await fetch(`${base}/oauth/jwks.json`)).json()) as { keys: { kid: string }[] };
    const kid = JSON.parse(Buffer.from(second.access_token.split('.')[0]!, 'base64url').toString()).kid as string;
    expect(jwks.keys.map((k) => k.kid)).toContain(kid);
  });
});
