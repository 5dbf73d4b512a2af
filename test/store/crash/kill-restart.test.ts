// Crash safety of the whole server: `agent-notes serve` as a child process, several OAuth clients
// driving it at once, SIGKILL at a random moment, a restart on the same data directory, and then
// proof that everything a 200 promised still holds. The moments and the flows come from a seed
// printed with the figures; CRASH_SEED=<seed> replays the same plan (the timing of the kill
// within the traffic still varies from run to run).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { Browser } from '../../kit/browser.ts';
import { checkFamily, Checks } from './after-restart.ts';
import { driveClient, Ledger, type FlowPlan } from './client-loop.ts';
import { redeemCode, signIn } from './oauth-wire.ts';
import { ServerProcess } from '../../kit/child-server.ts';

const ROUNDS = 24;
const CLIENTS = 6;
const FLOWS_PER_CLIENT = 12;
const USER = 'alice';
const PASSWORD = 'correct horse battery staple';

const seed = Number(process.env.CRASH_SEED ?? Date.now() % 2 ** 31);

const flowPlan: fc.Arbitrary<FlowPlan> = fc.record({
  refreshes: fc.integer({ min: 0, max: 25 }),
  duplicateRedemption: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
});
const roundPlan = fc.record({
  /** From the moment the clients start; short delays kill mid-registration, long ones mid-refresh. */
  killAfterMs: fc.integer({ min: 20, max: 1500 }),
  clients: fc.array(fc.array(flowPlan, { minLength: FLOWS_PER_CLIENT, maxLength: FLOWS_PER_CLIENT }), { minLength: CLIENTS, maxLength: CLIENTS }),
});

const dataDir = mkdtempSync(join(tmpdir(), 'agent-notes-crash-'));
let server: ServerProcess | undefined;

afterAll(async () => {
  await server?.kill();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('[store] the real server, killed with SIGKILL mid-flow and restarted', () => {
  it('[REQ-16][REQ-09] after every kill the data loads, the last acknowledged refresh token of every family works, and no code is redeemed twice', async () => {
    const started = performance.now();
    const plans = fc.sample(roundPlan, { seed, numRuns: ROUNDS });
    const replayHint = `seed ${seed}; replay with CRASH_SEED=${seed}`;
    console.log(`crash safety: ${replayHint}`); // printed first, so a failed check can be replayed
    const process_ = (server = await ServerProcess.on(dataDir));
    process_.addUser(USER, PASSWORD);
    await process_.start();
    // One sign-in per client for the whole test: sessions are data too, and must survive the kills.
    const browsers = Array.from({ length: CLIENTS }, () => new Browser(process_.base));
    await Promise.all(browsers.map((browser) => signIn(browser, USER, PASSWORD)));

    const ledger = new Ledger();
    const checks = new Checks();
    let killsSurvived = 0;
    for (const [index, plan] of plans.entries()) {
      const round = index + 1;
      // Each client ends when the kill drops its connection; any other ending is a surprise.
      const clients = browsers.map((browser, i) =>
        driveClient({ base: process_.base, browser, ledger, round, label: `round ${round} client ${i}`, flows: plan.clients[i]! }).then(
          () => [],
          (error: unknown) => [String(error)],
        ),
      );
      await delay(plan.killAfterMs);
      await process_.kill();
      const surprises = (await Promise.all(clients)).flat();
      expect(surprises, `round ${round} (${replayHint}): answers before the kill`).toEqual([]);

      await process_.start(); // the data directory loads after the kill
      killsSurvived++;
      await Promise.all(ledger.families.filter((f) => f.round === round).map((family) => checkFamily(process_.base, family, checks)));
    }

    // After the last restart, every code ever redeemed with a 200 is still spent.
    for (let i = 0; i < ledger.families.length; i += 16) {
      await Promise.all(
        ledger.families.slice(i, i + 16).map(async ({ label, clientId, code, verifier }) =>
          checks.refused(await redeemCode(process_.base, clientId, code, verifier), `${label}: a code redeemed with a 200 was redeemed again ${ROUNDS} restarts later`),
        ),
      );
    }
    const twice = [...ledger.redemptions].filter(([, wins]) => wins > 1);
    checks.holds(twice.length === 0, `${twice.length} code(s) got two 200s (${replayHint})`);

    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      [
        `crash safety (${replayHint}):`,
        `  rounds                  ${ROUNDS} (${CLIENTS} concurrent clients each)`,
        `  kills survived          ${killsSurvived} (server starts: ${process_.starts})`,
        `  refreshes acknowledged  ${ledger.refreshesAcknowledged}`,
        `  codes exchanged         ${ledger.codesExchanged} (${ledger.duplicateRedemptions} redeemed twice at once, never two 200s)`,
        `  families checked        ${ledger.families.length}`,
        `  checks passed           ${checks.passed}`,
        `  time                    ${seconds} s`,
      ].join('\n'),
    );
    expect(killsSurvived).toBe(ROUNDS);
    expect(ledger.refreshesAcknowledged).toBeGreaterThan(0);
  });
});
