// HTTP fuzzing against the file store, with the default rate limits on: first a server without an
// owner (the setup link is open and its token is in the pool), then with an owner, aimed at the
// endpoints that write (registration, authorization, consent, token, revocation, sign-in, notes,
// /mcp). Every answer waits for its journal write, so malformed input reaches the disk; afterwards
// the data directory must load again in a fresh server. Budget as in http-fuzz.test.ts
// (FUZZ_HTTP_RUNS, default 1,000: about 15 s).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/server.ts';
import { ENDPOINTS, hostileRequest, type HostileRequest } from './hostile-requests.ts';
import { Figures, fuzzHttp, fuzzRuns } from './http-fuzzer.ts';
import { buildWorld, type World } from './http-world.ts';
import { OFFLINE_FETCH_POLICY } from '../kit/offline-fetch.ts';

const RUNS = fuzzRuns(1000);

let root: string;
let dataDir: string;
let world: World;
let closed = false;
const figures = new Figures();
const started = performance.now();

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'agent-notes-fuzz-'));
  dataDir = join(root, 'data');
  world = await buildWorld({ dataDir, withoutOwner: true });
});
afterAll(async () => {
  console.log(figures.summary('file store, rate limits on', performance.now() - started));
  if (!closed) await world.close();
  await rm(root, { recursive: true, force: true });
});

function aimedAt(routes: string[]): fc.Arbitrary<HostileRequest> {
  return fc.oneof(...ENDPOINTS.filter((endpoint) => routes.includes(endpoint.route)).map((endpoint) => hostileRequest(world, endpoint)));
}

describe('[fuzz] hostile requests against the file store', () => {
  it('[OA21-07][MCP-45] before the owner exists, the setup, sign-in and OAuth endpoints answer every hostile request in shape', async () => {
    await fuzzHttp(world, aimedAt(['/setup', '/login', '/', '/notes', '/oauth/register', '/oauth/authorize', '/oauth/token', '/mcp', '/.well-known/oauth-authorization-server']), Math.ceil(RUNS / 3), figures);
    const owners = Object.values(world.server.services.queue.state.users).map((user) => user.username);
    console.log(`[fuzz:http] setup completed by a fuzzed request: ${owners.length > 0 ? `yes (${owners.join(', ')})` : 'no'}`);
  });

  it('[OA21-07][REQ-10][RFC9700-07] with an owner, the endpoints that write answer every hostile request in shape and never redirect to an unvalidated URI', async () => {
    await world.addOwner();
    await fuzzHttp(world, aimedAt(['/oauth/register', '/oauth/authorize', '/oauth/token', '/oauth/revoke', '/consent', '/login', '/logout', '/notes', '/notes/:note', '/apps/:grant/revoke', '/mcp']), RUNS, figures);
  });

  it('[fuzz] whatever the fuzzed requests wrote, the data directory loads again', async () => {
    const before = world.server.services.queue.state;
    const counts = (state: typeof before) => ({ users: Object.keys(state.users).length, clients: Object.keys(state.clients).length, grants: Object.keys(state.grants).length, notes: Object.keys(state.notes).length });
    const expected = counts(before);
    await world.close();
    closed = true;
    const again = await startServer({ port: 0, dataDir, env: {}, fetchPolicy: OFFLINE_FETCH_POLICY });
    try {
      expect(counts(again.services.queue.state)).toEqual(expected);
      expect((await fetch(`${again.url}/.well-known/oauth-authorization-server`)).status).toBe(200);
      console.log(`[fuzz:http] reloaded from disk: ${JSON.stringify(expected)}`);
    } finally {
      await again.close();
    }
  });
});
