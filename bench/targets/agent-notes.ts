// agent-notes as users run it: `agent-notes serve` (the real CLI) on a data directory, durable
// journal writes, default logging. Rate limits are off and the client cap is raised, since a load
// test is exactly the traffic they exist to refuse.
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CompactionStats } from '../../src/store/types.ts';
import { Browser } from '../../test/kit/browser.ts';
import { freePort, readMemory, readUsage, startChild, stopChild } from './child.ts';
import { BENCH_REDIRECT, flowFailed, headerValues, mcpResource, PKCE, refreshGrant, registrationStep, rotatedRefreshToken, type BenchRequest, type Chain, type OAuthTarget } from './target.ts';

const BIN = fileURLToPath(new URL('../../src/bin.js', import.meta.url));
export const BENCH_USER = 'bench';
export const BENCH_PASSWORD = 'bench password, long enough';
// offline_access: a refresh token comes only when the person approved staying connected (REQ-16).
const SCOPES = ['notes:read', 'notes:write', 'offline_access'];

export interface AgentNotesTarget extends OAuthTarget {
  readonly dataDir: string;
  readonly startupMs: number;
  /** The session cookie and its CSRF token, from the one sign-in at start. */
  readonly session: { cookie: string; csrf: string };
  /** One sign-in through the form (argon2id on purpose), for sign-ins per second. */
  signInRequests(done: (ok: boolean) => void): BenchRequest[];
  /** Compactions the server logged so far (`journal compacted`), oldest first. */
  readonly compactions: CompactionStats[];
  /** A `tools/list` call on the 2026-07-28 era with `token`. */
  toolsList(token: string): BenchRequest;
  /** Access tokens from `chains` (in the same order), for the MCP scenario. */
  readonly accessTokens: string[];
}

export interface AgentNotesOptions {
  /** An existing data directory (growth runs); a fresh one otherwise. */
  dataDir?: string;
  /** Create the bench user first (skip when the data directory was seeded with one). */
  createUser?: boolean;
  /** The port the data was seeded for (tokens name the server's URL). */
  port?: number;
  /** Extra Node options for the server (profiling: `--cpu-prof`). */
  nodeArgs?: string[];
}

function addUser(dataDir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'user', 'add', BENCH_USER], { env: { ...process.env, DATA_DIR: dataDir }, stdio: ['pipe', 'ignore', 'inherit'] });
    child.stdin.end(`${BENCH_PASSWORD}\n`);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`user add exited ${code}`))));
  });
}

const form = (fields: Record<string, string | string[]>): string => {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) body.append(name, v);
  return body.toString();
};

export function registrationMetadata(): string {
  return JSON.stringify({ client_name: 'bench', redirect_uris: [BENCH_REDIRECT], token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'] });
}

export async function startAgentNotes(options: AgentNotesOptions = {}): Promise<AgentNotesTarget> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'agent-notes-bench-')));
  if (options.createUser ?? true) await addUser(dataDir);
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const env = { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: url, RATE_LIMITS: 'off', MAX_CLIENTS: '1000000' };
  const compactions: CompactionStats[] = [];
  const watch = { marker: 'journal compacted', onLine: (line: string) => compactions.push(JSON.parse(line) as CompactionStats) };
  // BENCH_NODE_ARGS: V8 or Node flags for agent-notes only, to compare settings (e.g. --heap-growing-percent=0).
  const extra = (process.env.BENCH_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const { child, startupMs } = await startChild([...(options.nodeArgs ?? []), ...extra, BIN, 'serve'], env, /agent-notes is running at/, 60_000, watch);
  const resource = mcpResource(url);

  const browser = new Browser(url);
  const login = await browser.fetch('/login');
  const signedIn = await browser.submit('/login', await login.text(), { username: BENCH_USER, password: BENCH_PASSWORD });
  if (signedIn.status !== 303) throw new Error(`bench sign-in failed: ${signedIn.status}`);
  const csrf = /name="csrf" value="([^"]+)"/.exec(await (await browser.fetch('/account')).text())?.[1];
  if (csrf === undefined) throw new Error('no CSRF token on /account');
  const cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const accessTokens: string[] = [];

  const authorizePath = (clientId: string) =>
    `/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: BENCH_REDIRECT, scope: SCOPES.join(' '), state: 'bench-state', code_challenge: PKCE.challenge, code_challenge_method: 'S256', resource })}`;
  const exchangeBody = (clientId: string, code: string) => form({ grant_type: 'authorization_code', client_id: clientId, code, code_verifier: PKCE.verifier, redirect_uri: BENCH_REDIRECT, resource });
  const formHeaders = { 'content-type': 'application/x-www-form-urlencoded' };
  const codeIn = (location: string | undefined) => (location === undefined ? undefined : new URL(location, url).searchParams.get('code') ?? undefined);

  const target: AgentNotesTarget = {
    name: 'agent-notes',
    url,
    pid: child.pid!,
    dataDir,
    startupMs,
    session: { cookie, csrf },
    accessTokens,
    compactions,
    usage: () => readUsage(child.pid!),
    memory: () => readMemory(child),
    stop: () => stopChild(child),

    registration: () => ({ method: 'POST', path: '/oauth/register', headers: { 'content-type': 'application/json' }, body: registrationMetadata() }),

    async chains(count) {
      const chains: Chain[] = [];
      for (let i = 0; i < count; i++) {
        const registered = await fetch(`${url}/oauth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: registrationMetadata() });
        const { client_id: clientId } = (await registered.json()) as { client_id: string };
        const toConsent = await browser.fetch(authorizePath(clientId));
        const consentPath = toConsent.headers.get('location') ?? '';
        const page = await browser.fetch(consentPath);
        const approved = await browser.submit(consentPath, await page.text(), { decision: 'approve' });
        const code = codeIn(approved.headers.get('location') ?? undefined);
        if (code === undefined) throw new Error(`no code after consent: ${approved.status}`);
        const tokens = await fetch(`${url}/oauth/token`, { method: 'POST', headers: { ...formHeaders }, body: exchangeBody(clientId, code) });
        const body = (await tokens.json()) as { access_token?: string; refresh_token?: string };
        if (body.refresh_token === undefined || body.access_token === undefined) throw new Error(`no tokens: ${JSON.stringify(body)}`);
        accessTokens.push(body.access_token);
        chains.push({ clientId, refreshToken: body.refresh_token });
      }
      return chains;
    },

    refreshRequest: (chain) => refreshGrant('/oauth/token', chain, resource),
    successor: rotatedRefreshToken,

    flowRequests(done) {
      type Flow = { clientId?: string; consent?: string; code?: string | undefined };
      const failed = flowFailed(done);
      return [
        registrationStep(target.registration()),
        {
          method: 'GET',
          setupRequest: (request, context: Flow) => (context.clientId === undefined ? failed() : { ...request, path: authorizePath(context.clientId), headers: { cookie } }),
          onResponse: (status, _body, context: Flow, headers) => {
            if (status === 303) context.consent = (headerValues(headers, 'location')[0] ?? '');
          },
        },
        {
          method: 'GET',
          setupRequest: (request, context: Flow) => (context.consent === undefined ? failed() : { ...request, path: context.consent, headers: { cookie } }),
        },
        {
          method: 'POST',
          setupRequest: (request, context: Flow) => {
            const requestId = context.consent === undefined ? null : new URL(context.consent, url).searchParams.get('request');
            if (requestId === null) return failed();
            return { ...request, path: '/consent', headers: { cookie, ...formHeaders }, body: form({ csrf, request_id: requestId, decision: 'approve', scope: SCOPES }) };
          },
          onResponse: (status, _body, context: Flow, headers) => {
            if (status === 303) context.code = codeIn((headerValues(headers, 'location')[0] ?? ''));
          },
        },
        {
          method: 'POST',
          setupRequest: (request, context: Flow) =>
            context.clientId === undefined || context.code === undefined ? failed() : { ...request, path: '/oauth/token', headers: { ...formHeaders }, body: exchangeBody(context.clientId, context.code) },
          onResponse: (status, body) => done(status === 200 && body.includes('"access_token"')),
        },
      ];
    },

    signInRequests(done) {
      type SignIn = { cookie?: string; csrf?: string | undefined };
      return [
        {
          method: 'GET',
          path: '/login',
          onResponse: (_status, body, context: SignIn, headers) => {
            context.csrf = /name="csrf" value="([^"]+)"/.exec(body)?.[1];
            const setCookie = headerValues(headers, 'set-cookie');
            context.cookie = setCookie.map((line) => line.split(';')[0]).join('; ');
          },
        },
        {
          method: 'POST',
          setupRequest: (request, context: SignIn) => {
            if (context.csrf === undefined) {
              done(false);
              return undefined;
            }
            return { ...request, path: '/login', headers: { cookie: context.cookie ?? '', ...formHeaders }, body: form({ csrf: context.csrf, username: BENCH_USER, password: BENCH_PASSWORD }) };
          },
          onResponse: (status) => done(status === 303),
        },
      ];
    },

    toolsList: (token) => ({
      method: 'POST',
      path: '/mcp',
      headers: toolsListHeaders(token),
      body: toolsListBody(),
    }),
  };
  return target;
}

/** The 2026-07-28 `tools/list` headers ChatGPT sends (with a token when there is one). */
export function toolsListHeaders(token?: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': '2026-07-28',
    'mcp-method': 'tools/list',
    ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
  };
}

export function toolsListBody(): string {
  return JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'tools/list',
    params: {
      _meta: {
        'io.modelcontextprotocol/protocolVersion': '2026-07-28',
        'io.modelcontextprotocol/clientCapabilities': {},
        'io.modelcontextprotocol/clientInfo': { name: 'bench', version: '1.0.0' },
      },
    },
  });
}
