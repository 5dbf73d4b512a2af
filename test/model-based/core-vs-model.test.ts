// Model-based test of the pure core: random sequences of valid and hostile operations run against
// the core and the reference model side by side (see operations.ts). FC_NUM_RUNS and FC_SEED
// set the budget; a failure prints the shrunk command sequence, one readable step per command, and
// the command line that replays exactly that case (FC_SEED, FC_PATH and FC_REPLAY_PATH, replay.ts).
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { operations, outcomes, stats } from './operations.ts';
import { recordRun, writeCounterexample } from './counterexample.ts';
import { outcomeTable } from './outcome-table.ts';
import { replayFromEnv, reportFailure } from './replay.ts';
import { freshSetup } from './world.ts';

const numRuns = Number(process.env.FC_NUM_RUNS ?? 1000);
const replay = replayFromEnv();
/** Set once every sequence ran: the coverage check means nothing after a property stopped early. */
let completed = false;

describe('[model] the core agrees with the reference model on every command sequence', () => {
  it('[MCP-03][MCP-39][OA21-01][REQ-09][REQ-10][REQ-11][REQ-12][REQ-16][REQ-19] random valid and hostile sequences: same answers, invariants hold, journal replays', () => {
    const details = fc.check(
      fc.property(fc.commands(operations, { maxCommands: 80, size: '+1', ...replay.commands }), (commands) => {
        fc.modelRun(freshSetup, commands);
      }),
      { numRuns, ...replay.parameters },
    );
    reportFailure('test/model-based/core-vs-model.test.ts', details, ([commands]) => {
      const written = writeCounterexample('core-vs-model', recordRun(freshSetup, commands));
      return `As a scenario (agent-notes explain ${written.scenario}; diagram ${written.diagram}):\n${written.text}`;
    });
    completed = true;
  });

  afterAll(() => {
    const rows = [...stats.entries()].map(([kind, { valid, hostile }]) => `${kind.padEnd(12)} valid ${String(valid).padStart(6)}  hostile ${String(hostile).padStart(6)}`);
    console.log(`model run, ${numRuns} sequences:\n  ${rows.join('\n  ')}\noutcomes per operation and flaw:\n${outcomeTable(outcomes)}`);
  });

  it('[model] every core command ran, valid and hostile, with hostile inputs at least one time in six', (context) => {
    if (!completed) return context.skip('the model run stopped early, so its counts say nothing');
    for (const kind of ['register', 'authorize', 'decide', 'exchange', 'refresh', 'revoke', 'revokeGrant']) {
      const entry = stats.get(kind);
      expect(entry, `${kind} never ran`).toBeDefined();
      const { valid, hostile } = entry!;
      expect(valid, `${kind} never ran with valid input`).toBeGreaterThan(0);
      expect(hostile, `${kind} never ran with hostile input`).toBeGreaterThan(0);
      // Connect and reconnect steps add valid flows on purpose, so valid input outweighs hostile.
      expect(hostile / (valid + hostile), `${kind}: too few hostile inputs`).toBeGreaterThan(1 / 6);
    }
    expect(stats.get('tick')?.valid ?? 0).toBeGreaterThan(0);
    // REQ-13: metadata documents, valid and hostile, and both kinds of document client reached tokens.
    expect(stats.get('publishDocument')?.hostile ?? 0, 'no hostile document was published').toBeGreaterThan(0);
    expect(outcomes.get('tokens with an ID token') ?? 0, 'no code exchange ever returned an ID token').toBeGreaterThan(0);
    for (const method of ['none', 'private_key_jwt']) expect(outcomes.get(`tokens for a ${method} document client`) ?? 0, `a ${method} document client never got tokens`).toBeGreaterThan(0);
    // The consent page took each of its three ways, remembered consent included.
    for (const way of ['ask', 'remembered', 'expired']) expect(outcomes.get(`consent page -> ${way}`) ?? 0, `the consent page never answered ${way}`).toBeGreaterThan(0);
  });
});
