// A failing model run hands over a scenario file and its diagram: the shrunk case, recorded command
// by command, which `agent-notes explain` replays through the model and the core.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseScenario, passed, runScenario } from '../../spec/explain/index.ts';
import { recordRun, writeCounterexample } from '../model-based/counterexample.ts';
import { operations } from '../model-based/operations.ts';
import { reportFailure } from '../model-based/replay.ts';
import { freshSetup } from '../model-based/world.ts';

describe('[explain] counterexamples as scenarios', () => {
  it('[REQ-16] a recorded model run, written as a scenario, replays with model and core agreeing on every command', () => {
    const [commands] = fc.sample(fc.commands(operations, { maxCommands: 40 }), { numRuns: 1, seed: 42 });
    const sent = recordRun(freshSetup, commands!);
    expect(sent.length).toBeGreaterThan(0);
    const dir = mkdtempSync(join(tmpdir(), 'agent-notes-cx-'));
    const written = writeCounterexample('sample', sent, dir);
    const scenario = parseScenario(readFileSync(written.scenario, 'utf8'));
    expect(scenario.steps.map((step) => ('send' in step ? step.send : undefined))).toEqual(sent);
    expect(passed(runScenario(scenario))).toBe(true);
    expect(readFileSync(written.diagram, 'utf8')).toMatch(/^sequenceDiagram\n/);
  });

  it('[REQ-16] a failing property names the scenario file and its diagram next to the replay line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'agent-notes-cx-'));
    const details = fc.check(fc.property(fc.commands(operations, { maxCommands: 20 }), (commands) => {
      const sent = recordRun(freshSetup, commands);
      if (sent.length >= 3) throw new Error('planted: three commands are too many');
    }), { numRuns: 50, seed: 7 });
    expect(details.failed).toBe(true);
    let message = '';
    try {
      reportFailure('test/x.test.ts', details, ([commands]) => {
        const written = writeCounterexample('planted', recordRun(freshSetup, commands), dir);
        return `As a scenario (agent-notes explain ${written.scenario}; diagram ${written.diagram}):\n${written.text}`;
      });
    } catch (error) {
      message = (error as Error).message;
    }
    const [, scenario, diagram] = /agent-notes explain (\S+); diagram (\S+)\)/.exec(message) ?? [];
    expect(scenario && existsSync(scenario)).toBe(true);
    expect(diagram && existsSync(diagram)).toBe(true);
    // Shrunk to the smallest failing case: exactly three commands.
    expect(parseScenario(readFileSync(scenario!, 'utf8')).steps).toHaveLength(3);
    expect(message).toContain('FC_SEED=7');
  });
});

describe('[explain] the outcome table of a model run', () => {
  it('[REQ-16] groups answers by operation and flaw, and says "always" when one answer covers every try', async () => {
    const { outcomeTable } = await import('../model-based/outcome-table.ts');
    const table = outcomeTable(new Map([
      ['refresh !wrong-resource -> invalid_target (400)', 12],
      ['refresh -> tokens', 30],
      ['refresh -> invalid_grant (400)', 2],
      ['exchange !wrong-verifier -> invalid_grant (400)', 5],
    ]));
    expect(table.split('\n')).toEqual([
      'operation  flaw             tried  answers',
      'exchange   wrong-verifier       5  always invalid_grant (400)',
      'refresh    valid               32  tokens ×30, invalid_grant (400) ×2',
      'refresh    wrong-resource      12  always invalid_target (400)',
    ]);
  });
});
