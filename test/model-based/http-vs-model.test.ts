// Model-based test of the real server: the same operation list as the pure run, sent over a socket
// on 127.0.0.1 to a server with a fresh data directory per run (see http-executor.ts), every answer
// compared with the reference model. A run costs a server start, so the budget is a tenth of
// FC_NUM_RUNS (100 runs of at most 25 commands by default, a few seconds). A failure prints the
// shrunk command sequence and the command line that replays it exactly (see replay.ts).
import fc from 'fast-check';
import { afterAll, describe, it } from 'vitest';
import { executeOverHttp, HttpSystem, openConsentOverHttp } from './http-executor.ts';
import { asyncOperations, outcomes, stats } from './operations.ts';
import { replayFromEnv, reportFailure } from './replay.ts';
import { freshSetup } from './world.ts';

const numRuns = Math.max(1, Math.floor(Number(process.env.FC_NUM_RUNS ?? 1000) / 10));
const replay = replayFromEnv();

describe('[model] the server over HTTP agrees with the reference model', () => {
  it('[REQ-09][REQ-10][REQ-11][REQ-12][REQ-16] the server over HTTP agrees with the reference model on random sequences', async () => {
    const details = await fc.check(
      // size 'max': sequence lengths spread evenly up to the cap, so more runs get deep enough for tokens.
      fc.asyncProperty(fc.commands(asyncOperations(executeOverHttp, openConsentOverHttp), { maxCommands: 25, size: 'max', ...replay.commands }), async (commands) => {
        const { model } = freshSetup();
        const system = await HttpSystem.start(model.world);
        try {
          await fc.asyncModelRun(() => ({ model, real: system }), commands);
        } finally {
          await system.close();
        }
      }),
      { numRuns, ...replay.parameters },
    );
    reportFailure('test/model-based/http-vs-model.test.ts', details);
  });

  afterAll(() => {
    const rows = [...stats.entries()].map(([kind, { valid, hostile }]) => `${kind.padEnd(12)} valid ${String(valid).padStart(6)}  hostile ${String(hostile).padStart(6)}`);
    const ends = [...outcomes.entries()].filter(([what]) => process.env.FC_VERBOSE !== undefined || !what.includes(' !')).sort(([a], [b]) => a.localeCompare(b)).map(([what, n]) => `${what.padEnd(48)} ${n}`);
    console.log(`HTTP model run, ${numRuns} sequences:\n  ${rows.join('\n  ')}\noutcomes:\n  ${ends.join('\n  ')}`);
  });
});
