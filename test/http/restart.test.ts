// The real command line, as an operator runs it: `agent-notes user add`, then `agent-notes serve`
// in a child process, killed with SIGKILL right after a 200 and started again on the same data
// directory. Whatever a 2xx promised must still hold after the restart.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WireClient } from '../kit/client.ts';
import { PASSWORD, ServerProcess } from '../kit/server.ts';

const REDIRECT = 'https://chatgpt.com/connector_platform_oauth_redirect';

let dataDir: string;
let server: ServerProcess;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'agent-notes-restart-'));
  server = await ServerProcess.on(dataDir);
});

afterAll(async () => {
  await server.kill();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('[store] the server process, killed and restarted', () => {
  it('[store][OPS-PEOPLE-01] user add creates an account, and reaches the running server while it holds the data directory', async () => {
    const added = server.userAdd('alice', PASSWORD);
    expect(added.status, added.stderr).toBe(0);
    expect(server.userAdd('alice', PASSWORD).status).toBe(1); // the name is taken
    expect(server.userAdd('bob', 'short').status).toBe(1);
    await server.start();
    const whileRunning = server.userAdd('carol', PASSWORD);
    expect(whileRunning.status, whileRunning.stderr).toBe(0);
    expect(whileRunning.stdout).toMatch(/added user carol on the running server/);
  });

  it('[REQ-16][REQ-09] nothing a 2xx acknowledged is lost when the process is killed right after it', async () => {
    const alice = new WireClient(server.url, { username: 'alice' });
    const registered = await alice.registration({ client_name: 'ChatGPT', redirect_uris: [REDIRECT] });
    expect(registered.status).toBe(201);
    const client = { clientId: (JSON.parse(registered.text) as { client_id: string }).client_id, redirectUri: REDIRECT };

    // Sign in and approve through the real forms.
    const { code, verifier } = await alice.code(client, { state: 's' });

    const exchanged = await alice.exchange(client, code, verifier);
    expect(exchanged.status).toBe(200);
    const first = JSON.parse(exchanged.text) as { refresh_token: string };
    const rotated = await alice.refresh(client, first.refresh_token);
    expect(rotated.status).toBe(200);
    const second = JSON.parse(rotated.text) as { refresh_token: string; access_token: string };
    await server.kill(); // the instant after the 200

    await server.start();
    // The rotation happened: the successor works, the replayed code is still spent.
    const after = await alice.refresh(client, second.refresh_token);
    expect(after.status, after.text).toBe(200);
    const replay = await alice.exchange(client, code, verifier);
    expect(JSON.parse(replay.text)).toMatchObject({ error: 'invalid_grant' });
    // The signing key survived too: the JWKS still verifies tokens issued before the kill.
    const jwks = (await (await fetch(`${server.url}/oauth/jwks.json`)).json()) as { keys: { kid: string }[] };
    const kid = JSON.parse(Buffer.from(second.access_token.split('.')[0]!, 'base64url').toString()).kid as string;
    expect(jwks.keys.map((k) => k.kid)).toContain(kid);
  });
});
