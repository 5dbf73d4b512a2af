// Predefined clients as an operator makes them: `agent-notes client add` prints an ID and a secret
// once and keeps only the secret's hash; `serve` reads the file at start-up, and the client then
// completes the whole flow with its secret. `list` and `remove` say what they did in one line.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WireClient } from '../kit/client.ts';
import { PASSWORD, ServerProcess } from '../kit/server.ts';

const CHATGPT = 'https://chatgpt.com/connector_platform_oauth_redirect';
let dataDir: string;
let server: ServerProcess;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'agent-notes-clients-'));
  server = await ServerProcess.on(dataDir);
  server.addUser('alice', PASSWORD);
});
afterAll(async () => {
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function added(output: string): { clientId: string; secret: string } {
  const clientId = /client ID:\s+(\S+)/.exec(output)?.[1];
  const secret = /client secret:\s+(\S+)/.exec(output)?.[1];
  if (clientId === undefined || secret === undefined) throw new Error(`no client ID and secret in:\n${output}`);
  return { clientId, secret };
}

describe('predefined clients from the clients file', () => {
  it('[CGPT-19][REQ-14] client add prints the ID and secret once, stores only the hash, and the client completes a flow with client_secret_post', async () => {
    const run = server.cli(['client', 'add', 'My ChatGPT']);
    expect(run.status, run.stderr).toBe(0);
    const { clientId, secret } = added(run.stdout);
    const file = readFileSync(join(dataDir, 'clients.json'), 'utf8');
    expect(file).toContain(clientId);
    expect(file).not.toContain(secret);
    expect(statSync(join(dataDir, 'clients.json')).mode & 0o777).toBe(0o600);

    await server.start();
    const person = new WireClient(server.url, { username: 'alice' });
    const client = { clientId, redirectUri: CHATGPT, clientSecret: secret };
    const { code, verifier } = await person.code(client);
    const answer = await fetch(`${server.url}/oauth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', client_id: clientId, client_secret: secret, code, code_verifier: verifier, redirect_uri: CHATGPT, resource: `${server.url}/mcp` }),
    });
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { access_token?: string }).access_token).toBeTruthy();
    // The wrong secret is a 401 invalid_client, not a token.
    const wrong = await fetch(`${server.url}/oauth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', client_id: clientId, client_secret: `${secret}x`, code: 'x', code_verifier: verifier }),
    });
    expect([wrong.status, ((await wrong.json()) as { error: string }).error]).toEqual([401, 'invalid_client']);
    await server.close();
  });

  it('[REQ-14] list shows each client on one line; remove takes one out and refuses an unknown ID in one line', () => {
    const second = added(server.cli(['client', 'add', 'Claude', '--redirect-uri', 'https://claude.ai/api/mcp/auth_callback', '--auth-method', 'client_secret_basic']).stdout);
    const listed = server.cli(['client', 'list']);
    expect(listed.status).toBe(0);
    expect(listed.stdout.trim().split('\n')).toHaveLength(2);
    expect(listed.stdout).toContain(`${second.clientId}  "Claude"  client_secret_basic  https://claude.ai/api/mcp/auth_callback`);
    expect(listed.stdout).not.toContain(second.secret);
    const removed = server.cli(['client', 'remove', second.clientId]);
    expect(removed.status, removed.stderr).toBe(0);
    expect(server.cli(['client', 'list']).stdout).not.toContain(second.clientId);
    const unknown = server.cli(['client', 'remove', 'nobody']);
    expect([unknown.status, unknown.stderr.trim().split('\n').length]).toEqual([1, 1]);
    expect(unknown.stderr).toMatch(/no predefined client "nobody"/);
  });

  it('[REQ-14] bad input is one clear line and changes nothing', () => {
    const before = readFileSync(join(dataDir, 'clients.json'), 'utf8');
    for (const args of [['client', 'add', 'x', '--auth-method', 'private_key_jwt'], ['client', 'add', 'x', '--redirect-uri', 'not a url'], ['client', 'add', 'x', '--colour']]) {
      const run = server.cli(args);
      expect(run.status, args.join(' ')).not.toBe(0);
      expect(run.stderr, args.join(' ')).not.toMatch(/at .*\.ts:\d+/); // no stack trace
    }
    expect(server.cli(['client']).status).toBe(2);
    expect(readFileSync(join(dataDir, 'clients.json'), 'utf8')).toBe(before);
  });

  it('[REQ-14] a malformed clients file stops serve with one line naming the file and the problem', async () => {
    const path = join(dataDir, 'broken-clients.json');
    writeFileSync(path, JSON.stringify({ clients: [{ client_id: 'x', token_endpoint_auth_method: 'client_secret_post', redirect_uris: [CHATGPT] }] }));
    const run = server.cli(['serve'], { CLIENTS_FILE: path });
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe(`agent-notes: ${path}: client 1 (x): a confidential client needs client_secret_sha256`);
    const listed = server.cli(['client', 'list'], { CLIENTS_FILE: path });
    expect(listed.status).toBe(2); // a configuration error, like serve's
    expect(listed.stderr).toMatch(/needs client_secret_sha256/);
  });
});
