// Races through the commit queue: fast-check's scheduler decides in which order concurrent
// requests start and when each write becomes durable. Whatever the order, one code yields at most
// one token set, and concurrent refreshes of one token all get the same successor.
import fc from 'fast-check';
import { MAX_GRACE_RETRIES } from '../../src/core/refresh.ts';
import { describe, expect, it } from 'vitest';
import { hashSecret, isAccessTokenLive } from '../../src/core/index.ts';
import type { Command, Outcome } from '../../src/core/index.ts';
import { CommitQueue } from '../../src/app/commit-queue.ts';
import { Flow } from '../core/flow.ts';

const numRuns = Number(process.env.FC_NUM_RUNS ?? 1000);
const seed = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);
const options = { numRuns: Math.max(20, Math.floor(numRuns / 4)), ...(seed === undefined ? {} : { seed }) };

/** Starts every command under the scheduler's control and waits until all have answered. */
async function race(s: fc.Scheduler, queue: CommitQueue, commands: Command[]): Promise<Outcome[]> {
  const answers = commands.map((command) => s.schedule(Promise.resolve(command)).then((c) => queue.run(c)));
  await s.waitFor(Promise.all(answers));
  return Promise.all(answers);
}

describe('[races] concurrent requests through the commit queue', () => {
  it('[EC-18][REQ-09] parallel redemptions of one code yield at most one token set', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.integer({ min: 2, max: 5 }), async (s, parallel) => {
        const flow = new Flow();
        const { clientId } = flow.client();
        const code = flow.code(clientId);
        const queue = new CommitQueue(flow.state, flow.config, s.scheduleFunction(async () => {}));
        const commands: Command[] = Array.from({ length: parallel }, (_, i) => ({
          type: 'token', now: flow.now, params: { grant_type: 'authorization_code', client_id: clientId, code, code_verifier: 'dBjftJeZ4CVP-mJ92K9tqYk9vYv7Qn3xZ9yk2R8mXa0' },
          fresh: { grantId: `g${i}`, jti: `j${i}`, refreshToken: `r${i}` },
        }));
        const outcomes = await race(s, queue, commands);
        const issued = outcomes.filter((o) => o.kind === 'tokens');
        expect(issued.length).toBe(1);
        // The replays that lost the race revoked what the winner got.
        const winner = issued[0]!.kind === 'tokens' ? issued[0]!.tokens : undefined;
        expect(isAccessTokenLive(queue.state, winner!.accessToken, flow.now)).toBe(false);
      }),
      options,
    );
  });

  it('[EC-31][INSP-05][REQ-16] parallel refreshes of one token get the same successor (up to the grace-retry cap), and one live token remains', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.integer({ min: 2, max: 5 }), async (s, parallel) => {
        const flow = new Flow();
        const { clientId, tokens } = flow.connect();
        const queue = new CommitQueue(flow.state, flow.config, s.scheduleFunction(async () => {}));
        const commands: Command[] = Array.from({ length: parallel }, (_, i) => ({
          type: 'token', now: flow.now + 1, params: { grant_type: 'refresh_token', client_id: clientId, refresh_token: tokens.refreshToken! },
          fresh: { grantId: `g${i}`, jti: `j${i}`, refreshToken: `successor-${i}` },
        }));
        const outcomes = await race(s, queue, commands);
        // One rotation and at most MAX_GRACE_RETRIES retries succeed; any further one is refused.
        expect(outcomes.filter((o) => o.kind === 'tokens')).toHaveLength(Math.min(parallel, 1 + MAX_GRACE_RETRIES));
        const successors = new Set(outcomes.filter((o) => o.kind === 'tokens').map((o) => o.tokens.refreshToken));
        expect([...successors]).toHaveLength(1);
        const [successor] = successors;
        expect(successor?.startsWith('successor-')).toBe(true);
        const live = Object.values(queue.state.refreshTokens).filter((r) => r.rotation === undefined);
        expect(live.map((r) => r.tokenHash)).toEqual([hashSecret(successor!)]);
      }),
      options,
    );
  });

  it('[races] an answer is given only after its write is durable, and a failed write stops the queue', async () => {
    const flow = new Flow();
    const { clientId } = flow.client();
    let release!: () => void;
    const durable = new Promise<void>((resolve) => (release = resolve));
    let writes = 0;
    const queue = new CommitQueue(flow.state, flow.config, async () => {
      writes += 1;
      if (writes === 1) await durable;
      else throw new Error('disk full');
    });
    let answered = false;
    const first = queue.run({ type: 'authorize', now: flow.now, params: flow.authorizeParams(clientId), fresh: { requestId: 'r1' } }).then((o) => ((answered = true), o));
    await new Promise((r) => setImmediate(r));
    expect(answered).toBe(false);
    release();
    expect((await first).kind).toBe('consent_required');
    await expect(queue.run({ type: 'authorize', now: flow.now, params: flow.authorizeParams(clientId), fresh: { requestId: 'r2' } })).rejects.toThrow('disk full');
    await expect(queue.run({ type: 'tick', now: flow.now })).rejects.toThrow(/restart/);
  });
});
