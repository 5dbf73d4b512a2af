// The replay line a model-run failure prints must rebuild exactly the shrunk case. A property that
// fails as soon as an authorization code exists stands in for a real bug: it fails on the real
// operations, shrinks to a short sequence, and the printed FC_* values must lead back to it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { operations } from './operations.ts';
import { replayCommand, replayFromEnv, type Replay } from './replay.ts';
import { freshSetup } from './world.ts';

function failsOnceACodeExists(replay: Replay) {
  return fc.check(
    fc.property(fc.commands(operations, { maxCommands: 40, size: '+1', ...replay.commands }), (commands) => {
      const setup = freshSetup();
      fc.modelRun(() => setup, commands);
      if (setup.model.world.codes.length > 0) throw new Error('a code was issued');
    }),
    { numRuns: 200, ...replay.parameters },
  );
}

/** The FC_* variables of a printed replay line, as the shell would pass them. */
function envOf(line: string): NodeJS.ProcessEnv {
  return Object.fromEntries([...line.matchAll(/(FC_[A-Z_]+)=(\S*)/g)].map((m) => [m[1], m[2]]));
}

describe('[model] replaying a counterexample', () => {
  it('[model] the printed replay line reruns exactly the shrunk sequence, straight away', () => {
    const first = failsOnceACodeExists({ parameters: { seed: 42 }, commands: {} });
    expect(first.failed).toBe(true);
    const line = replayCommand('test/model-based/core-vs-model.test.ts', first);
    expect(line).toMatch(/^FC_SEED=42 FC_PATH=\S+ FC_REPLAY_PATH=\S+ npx vitest run /);

    const again = failsOnceACodeExists(replayFromEnv(envOf(line)));
    expect(again.failed).toBe(true);
    expect(again.numRuns).toBe(1);
    expect(String(again.counterexample?.[0])).toBe(String(first.counterexample?.[0]));
  });

  it('[model] seed and path without the replay path do not rebuild the case (why FC_REPLAY_PATH exists)', () => {
    const first = failsOnceACodeExists({ parameters: { seed: 42 }, commands: {} });
    const { FC_REPLAY_PATH: _dropped, ...partial } = envOf(replayCommand('x', first));
    expect(() => failsOnceACodeExists(replayFromEnv(partial))).toThrow(/Unable to replay, got wrong path/);
  });
});
