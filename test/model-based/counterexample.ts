// A failing model run handed over as something a person can replay: the shrunk case is run once
// more while every command it sends is recorded, and written as a scenario file (each command a
// `send` step, the model's answer its expectation) plus its Mermaid diagram, for `agent-notes explain`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import type { Command } from '../../src/core/index.ts';
import { parseScenario, runScenario, sequenceDiagram } from '../../spec/explain/index.ts';
import { config, PREDEFINED_SECRETS } from './world.ts';

let recording: Command[] | undefined;

/** Called by `execute` for every command sent to the core and the model. */
export function record(command: Command): void {
  recording?.push(structuredClone(command));
}

/** The commands of one more run of `commands` (which is expected to fail again). */
export function recordRun<M extends object, R>(setup: () => { model: M; real: R }, commands: Iterable<fc.Command<M, R>>): Command[] {
  recording = [];
  try {
    fc.modelRun(setup, commands);
  } catch {
    // the failure being recorded
  } finally {
    // keep what was sent up to the failing command
  }
  const sent = recording;
  recording = undefined;
  return sent;
}

/** Where counterexamples go: COUNTEREXAMPLE_DIR, or a folder in the system's temp directory. */
export function counterexampleDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.COUNTEREXAMPLE_DIR ?? join(tmpdir(), 'agent-notes-counterexamples');
}

/** Writes the scenario and its diagram; returns both paths and the scenario's text. */
export function writeCounterexample(name: string, commands: readonly Command[], dir = counterexampleDir()): { scenario: string; diagram: string; text: string } {
  const { predefinedClients, trustedRedirectOrigins } = config;
  const text = stringify({
    title: `counterexample of ${name}: ${commands.length} command(s); the last is where it failed`,
    rules: [],
    config: { predefinedClients, trustedRedirectOrigins },
    secrets: PREDEFINED_SECRETS,
    steps: commands.map((command) => ({ send: command })),
  }, { lineWidth: 0 });
  mkdirSync(dir, { recursive: true });
  const base = join(dir, `${name.replace(/[^A-Za-z0-9._-]/g, '_')}-${Date.now()}`);
  const scenario = `${base}.yaml`;
  const diagram = `${base}.mmd`;
  writeFileSync(scenario, text);
  const parsed = parseScenario(text, scenario);
  writeFileSync(diagram, sequenceDiagram(parsed, runScenario(parsed)));
  return { scenario, diagram, text };
}
