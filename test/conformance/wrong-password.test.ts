// The conformance client with a wrong password: the first refused sign-in stops the run, so a
// mistyped AGENT_NOTES_PASSWORD costs the account one failed sign-in, not one per check (three
// runs of every check used to be enough to lock the owner out).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConformance, type CheckResult } from '../../spec/conformance/index.ts';
import { Browser } from '../kit/browser.ts';
import { signIn } from '../kit/client.ts';
import { PASSWORD, startTestServer, type TestServer } from '../kit/server.ts';

let server: TestServer;
let results: CheckResult[];

beforeAll(async () => {
  // The per-user sign-in limit at 3 failures: a run that tried once per check would trip it.
  server = await startTestServer({ users: ['alice'], env: { RATE_LIMITS: 'on', RATE_LIMIT_LOGIN_PER_USER: '3/15m' } });
  server.services.log.level = 'silent';
  results = await runConformance({ baseUrl: server.url, username: 'alice', password: 'not the password' });
}, 60_000);
afterAll(() => server?.close());

describe('[conformance] a wrong password', () => {
  it('[OPS-CONF-01] stops at the first refused sign-in with "wrong password for alice", and skips the rest', () => {
    const failed = results.filter((result) => result.status === 'fail');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.detail).toBe('wrong password for alice; stopped here, before any other sign-in');
    const after = results.slice(results.indexOf(failed[0]!) + 1);
    expect(after.length).toBeGreaterThan(5);
    for (const result of after) expect(result).toMatchObject({ status: 'skip', detail: 'not run: wrong password for alice' });
  });

  it('[OPS-CONF-01] the owner is not locked out: the right password still signs in at once', async () => {
    expect((await signIn(new Browser(server.url), 'alice', PASSWORD)).status).toBe(303);
  });
});
