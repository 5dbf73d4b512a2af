// `agent-notes user …` and `agent-notes keys …` as an operator runs them: against a running server
// in a child process (through its control socket, no restart) and against a stopped server's data
// directory, with the result checked over HTTP as a person and a client would see it.
import { decodeProtectedHeader, createRemoteJWKSet, jwtVerify } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { Browser } from '../kit/browser.ts';
import { ServerProcess } from '../kit/child-server.ts';
import { obtainTokens, signIn } from '../kit/client.ts';
import { PASSWORD } from '../kit/server.ts';
import { tempDataDir } from '../kit/temp-dir.ts';

const running: ServerProcess[] = [];
afterEach(async () => {
  for (const server of running.splice(0)) await server.kill();
});

async function serverWith(users: string[]): Promise<ServerProcess> {
  const server = await ServerProcess.on(await tempDataDir());
  running.push(server);
  for (const user of users) server.addUser(user, PASSWORD);
  return server;
}

async function signsIn(server: ServerProcess, username: string, password: string): Promise<boolean> {
  return (await signIn(new Browser(server.base), username, password)).status === 303;
}

async function kids(server: ServerProcess): Promise<string[]> {
  const jwks = (await (await fetch(`${server.base}/oauth/jwks.json`)).json()) as { keys: { kid: string; alg: string }[] };
  return jwks.keys.filter((key) => key.alg === 'ES256').map((key) => key.kid);
}

describe('[cli] people, on a running server and on a stopped one', () => {
  it('[OPS-PEOPLE-01] user add, list and passwd reach the running server, which needs no restart', async () => {
    const server = await serverWith(['alice']);
    await server.start();
    const added = server.cli(['user', 'add', 'bob'], {}, 'bob password 123\n');
    expect(added.status, added.stderr).toBe(0);
    expect(added.stdout.trim()).toBe('agent-notes: added user bob on the running server.');
    expect(await signsIn(server, 'bob', 'bob password 123')).toBe(true);

    const listed = server.cli(['user', 'list']);
    expect(listed.status, listed.stderr).toBe(0);
    expect(listed.stdout.split('\n')[0]).toMatch(/^user\s+since\s+email\s+notes\s+apps\s+sessions$/);
    expect(listed.stdout).toMatch(/^alice\s+\d{4}-\d\d-\d\d\s+-\s+0\s+0\s+0$/m);
    expect(listed.stdout).toMatch(/^bob\s+\d{4}-\d\d-\d\d\s+-\s+0\s+0\s+1$/m); // the sign-in above

    // The forgotten password: a new one from the CLI; the old one stops, every session ends.
    const tokens = await obtainTokens(server.base, 'alice');
    const changed = server.cli(['user', 'passwd', 'alice'], {}, 'a brand new password\n');
    expect(changed.status, changed.stderr).toBe(0);
    expect(changed.stdout.trim()).toMatch(/^agent-notes: alice has a new password on the running server; 1 session\(s\) ended, 1 app\(s\) disconnected\.$/);
    expect(await signsIn(server, 'alice', PASSWORD)).toBe(false);
    expect(await signsIn(server, 'alice', 'a brand new password')).toBe(true);
    const refreshed = await fetch(`${server.base}/oauth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token!, client_id: tokens.clientId }),
    });
    expect(refreshed.status).toBe(400); // the app was disconnected with the old password
  });

  it('[OPS-PEOPLE-01] user remove takes the account, its sessions and apps; notes need --delete-notes', async () => {
    const server = await serverWith(['alice', 'bob']);
    await server.start();
    const tokens = await obtainTokens(server.base, 'bob');
    const note = await fetch(`${server.base}/mcp`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${tokens.access_token}`, 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', 'MCP-Protocol-Version': '2025-06-18' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'create_note', arguments: { title: 'bob note', body: 'hello' } } }),
    });
    expect(note.status).toBe(200);

    const refused = server.cli(['user', 'remove', 'bob']);
    expect(refused.status).toBe(1);
    expect(refused.stderr.trim()).toBe('agent-notes: bob has 1 note(s); to delete them with the account run this again with --delete-notes (agent-notes backup keeps a copy); nothing was changed');
    expect(await signsIn(server, 'bob', PASSWORD)).toBe(true);

    const removed = server.cli(['user', 'remove', 'bob', '--delete-notes']);
    expect(removed.status, removed.stderr).toBe(0);
    expect(removed.stdout.trim()).toMatch(/^agent-notes: removed bob on the running server: 1 note\(s\) deleted, 1 app\(s\) disconnected, 2 session\(s\) ended\.$/); // obtainTokens and signsIn each signed in
    expect(await signsIn(server, 'bob', PASSWORD)).toBe(false);
    const mcp = await fetch(`${server.base}/mcp`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${tokens.access_token}`, 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', 'MCP-Protocol-Version': '2025-06-18' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    });
    expect(mcp.status).toBe(401);
    expect(server.cli(['user', 'list']).stdout).not.toMatch(/^bob\b/m);
  });

  it('[OPS-PEOPLE-01] on a stopped server the same verbs change the data directory, and the next start sees it', async () => {
    const server = await serverWith(['alice']);
    const unknown = server.cli(['user', 'passwd', 'nobody'], {}, 'long enough password\n');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr.trim()).toBe('agent-notes: there is no user "nobody" (agent-notes user list shows who there is); nothing was changed');
    const short = server.cli(['user', 'passwd', 'alice'], {}, 'short\n');
    expect(short.stderr.trim()).toBe('agent-notes: the password must be 10 to 1024 characters long; nothing was changed');
    const changed = server.cli(['user', 'passwd', 'alice'], {}, 'offline new password\n');
    expect(changed.stdout.trim()).toBe('agent-notes: alice has a new password in the data directory; 0 session(s) ended, 0 app(s) disconnected.');
    const taken = server.cli(['user', 'add', 'ALICE'], {}, 'another password 1\n');
    expect(taken.stderr.trim()).toBe('agent-notes: there is already a user "ALICE"; nothing was changed');
    await server.start();
    expect(await signsIn(server, 'alice', 'offline new password')).toBe(true);
  });
});

describe('[cli] keys, on a running server', () => {
  it('[OPS-KEYS-01][OPS-KEYS-02] keys rotate: the next token is signed by the new key, the old token still verifies, and keys list says why each is kept', async () => {
    const server = await serverWith(['alice']);
    await server.start();
    const [before] = await kids(server);
    const old = await obtainTokens(server.base, 'alice');
    expect(decodeProtectedHeader(old.access_token).kid).toBe(before);

    const rotated = server.cli(['keys', 'rotate']);
    expect(rotated.status, rotated.stderr).toBe(0);
    expect(rotated.stdout).toContain('agent-notes: keys rotated on the running server; new tokens are signed with the new keys from now on.');
    const after = await kids(server);
    expect(after).toHaveLength(2);
    expect(after[0]).toBe(before);
    const fresh = await obtainTokens(server.base, 'alice');
    expect(decodeProtectedHeader(fresh.access_token).kid).toBe(after[1]);

    // Both verify against the published JWKS (jose), and both open /mcp.
    const jwks = createRemoteJWKSet(new URL(`${server.base}/oauth/jwks.json`));
    for (const token of [old.access_token, fresh.access_token]) {
      await expect(jwtVerify(token, jwks, { issuer: server.base, audience: `${server.base}/mcp` })).resolves.toBeDefined();
      const mcp = await fetch(`${server.base}/mcp`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', 'MCP-Protocol-Version': '2025-06-18' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      });
      expect(mcp.status).toBe(200);
    }

    const listed = server.cli(['keys', 'list']);
    expect(listed.status, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`^${before}\\s+ES256\\s+.*retired .* UTC; published until .* UTC, when the last token it signed has expired$`, 'm'));
    expect(listed.stdout).toMatch(new RegExp(`^${after[1]}\\s+ES256\\s+.*signs new access tokens$`, 'm'));
    expect(listed.stdout).toMatch(/^\S+\s+RS256\s+.*signs new ID tokens$/m);

    // Restarted, the server keeps both, and the old token still works.
    await server.kill();
    await server.start();
    expect(await kids(server)).toEqual(after);
  });
});

describe('[cli] agent-notes token', () => {
  it('[REQ-16][REQ-03] mints a working token pair for a person without a browser, on a running server, one CLI client for every call', async () => {
    const server = await serverWith(['alice']);
    await server.start();
    const first = server.cli(['token', '--user', 'alice']);
    expect(first.status, first.stderr).toBe(0);
    const tokens = JSON.parse(first.stdout) as { access_token: string; refresh_token: string; scope: string; client_id: string };
    expect(tokens.scope).toBe('notes:read notes:write offline_access');
    const jwks = createRemoteJWKSet(new URL(`${server.base}/oauth/jwks.json`));
    await expect(jwtVerify(tokens.access_token, jwks, { issuer: server.base, audience: `${server.base}/mcp` })).resolves.toBeDefined();
    const mcp = await fetch(`${server.base}/mcp`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${tokens.access_token}`, 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', 'MCP-Protocol-Version': '2025-06-18' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(mcp.status).toBe(200);
    const refreshed = await fetch(`${server.base}/oauth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: tokens.client_id }),
    });
    expect(refreshed.status).toBe(200);
    const again = JSON.parse(server.cli(['token', '--user', 'alice', '--scope', 'notes:read']).stdout) as { client_id: string; scope: string; refresh_token?: string };
    expect(again).toMatchObject({ client_id: tokens.client_id, scope: 'notes:read' });
    expect(again.refresh_token).toBeUndefined(); // no offline_access asked for, none given
    const nobody = server.cli(['token', '--user', 'nobody']);
    expect(nobody.status).toBe(1);
    expect(nobody.stderr.trim()).toBe('agent-notes: there is no user "nobody" (agent-notes user list shows who there is)');
  });
});
