// `agent-notes user set-email` as an operator runs it: the real command in a child process on a
// temporary data directory, then the stored user record read back by opening the store.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserRecord } from '../../src/accounts/types.ts';
import { openFileStore } from '../../src/store/index.ts';
import { ServerProcess } from '../kit/child-server.ts';
import { PASSWORD } from '../kit/server.ts';

let dataDir: string;
let server: ServerProcess;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'agent-notes-set-email-'));
  server = await ServerProcess.on(dataDir);
  server.addUser('alice', PASSWORD);
});
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

/** Alice's record as the data directory holds it once the command has exited. */
async function storedAlice(): Promise<UserRecord> {
  const store = await openFileStore(dataDir);
  try {
    const users = Object.values((store.loaded['users'] ?? {}) as Record<string, UserRecord>);
    const alice = users.find((user) => user.username === 'alice');
    if (!alice) throw new Error('alice is not in the data directory');
    return alice;
  } finally {
    await store.close();
  }
}

function oneLine(text: string): string[] {
  return text.trim().split('\n');
}

describe('[accounts] agent-notes user set-email', () => {
  it('[REQ-18] without --verified the address is stored as unverified', async () => {
    const run = server.cli(['user', 'set-email', 'alice', 'alice@example.com']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/alice@example\.com \(not verified\)/);
    expect(await storedAlice()).toMatchObject({ email: 'alice@example.com', emailVerified: false });
  });

  it('[REQ-18] --verified stores the operator\'s assertion, and --clear removes address and flag', async () => {
    const verified = server.cli(['user', 'set-email', 'ALICE', 'a@example.org', '--verified']);
    expect(verified.status, verified.stderr).toBe(0);
    expect(await storedAlice()).toMatchObject({ email: 'a@example.org', emailVerified: true });

    const cleared = server.cli(['user', 'set-email', 'alice', '--clear']);
    expect(cleared.status, cleared.stderr).toBe(0);
    const alice = await storedAlice();
    expect(alice).not.toHaveProperty('email');
    expect(alice).not.toHaveProperty('emailVerified');
  });

  it('[REQ-18] bad input is one clear line, exit code 1 or 2, and changes nothing', async () => {
    expect(server.cli(['user', 'set-email', 'alice', 'kept@example.com', '--verified']).status).toBe(0);
    const cases: [string[], number, RegExp][] = [
      [['user', 'set-email', 'alice', 'not-an-email'], 1, /"not-an-email" is not a usable email address/],
      [['user', 'set-email', 'bob', 'bob@example.com'], 1, /no user "bob"/],
      [['user', 'set-email', 'alice', 'a@example.com', '--colour'], 2, /unknown option '--colour'/],
      [['user', 'set-email', 'alice', 'a@example.com', '--clear'], 2, /--clear takes no email/],
      [['user', 'set-email', 'alice'], 2, /give the email address, or --clear/],
    ];
    for (const [args, status, message] of cases) {
      const run = server.cli(args);
      expect([run.status, oneLine(run.stderr).length], `${args.join(' ')}:\n${run.stderr}`).toEqual([status, 1]);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    }
    expect(await storedAlice()).toMatchObject({ email: 'kept@example.com', emailVerified: true });
  });

  it('[REQ-18] a process that holds the data directory but does not answer on the control socket gets a one-line refusal', async () => {
    const held = await openFileStore(dataDir); // this process takes the lock, as a server would, without a control socket
    try {
      const run = server.cli(['user', 'set-email', 'alice', 'other@example.com']);
      expect([run.status, oneLine(run.stderr).length]).toEqual([1, 1]);
      expect(run.stderr).toMatch(/the server \(process \d+\) holds .* but does not answer on .*control\.sock .*stop it, run this again, then start it/);
    } finally {
      await held.close();
    }
    expect(await storedAlice()).toMatchObject({ email: 'kept@example.com' });
  });
});
