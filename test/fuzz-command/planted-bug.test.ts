// A planted bug is found over the wire: a scratch copy of the tree with "let a code be redeemed
// twice" (test/bugs/plant.ts) planted serves on 127.0.0.1 as the real `agent-notes serve`; the real
// `agent-notes fuzz` of this tree reports the divergence under REQ-09 as a MUST, with a shrunk
// scenario that `agent-notes explain` replays: in the copy the core disagrees with the model at the
// replayed exchange, in this tree the core agrees and the expectation holds.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bugs, plantProblem } from '../bugs/plant.ts';
import { PASSWORD } from '../kit/server.ts';
import { ServerProcess } from '../kit/child-server.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'src/bin.js');
const BUG = bugs.find((bug) => bug.name === 'let a code be redeemed twice')!;

let scratch: string;
let dataDir: string;
let server: ServerProcess;

beforeAll(async () => {
  expect(plantProblem(BUG)).toBeUndefined();
  scratch = mkdtempSync(join(tmpdir(), 'agent-notes-fuzz-bug-'));
  for (const dir of ['src', 'model', 'spec']) cpSync(join(ROOT, dir), join(scratch, dir), { recursive: true });
  for (const file of ['package.json', 'tsconfig.json']) cpSync(join(ROOT, file), join(scratch, file));
  symlinkSync(join(ROOT, 'node_modules'), join(scratch, 'node_modules'));
  const target = join(scratch, BUG.file);
  writeFileSync(target, readFileSync(target, 'utf8').replace(BUG.find, BUG.replace));
  dataDir = mkdtempSync(join(tmpdir(), 'agent-notes-fuzz-bug-data-'));
  server = await ServerProcess.on(dataDir, join(scratch, 'src/bin.js'));
  server.addUser('alice', PASSWORD);
  await server.start();
}, 60_000);

afterAll(async () => {
  if (server?.running) await server.signal('SIGTERM');
  for (const dir of [scratch, dataDir]) if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

function cli(bin: string, args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], { env: { ...process.env, AGENT_NOTES_PASSWORD: PASSWORD }, encoding: 'utf8' });
}

describe('[fuzz] a planted bug, found over the wire', () => {
  it('[REQ-09][FUZZ-02] fuzz reports the replayed code as a MUST divergence under REQ-09, shrunk to at most 8 steps that explain replays showing the disagreement', () => {
    const out = mkdtempSync(join(tmpdir(), 'agent-notes-fuzz-found-'));
    const json = join(out, 'report.json');
    const run = cli(BIN, ['fuzz', server.url, '--user', 'alice', '--seed', '1', '--budget', '100', '--rate', '1000', '--out', out, '--json', json]);
    console.log(`planted "${BUG.name}":\n${run.stdout}`);
    expect(run.status, run.stderr).toBe(1);
    const report = JSON.parse(readFileSync(json, 'utf8')) as { divergences: { rule: string; strength: string; label: string; scenario: string; scenarioSteps: number }[] };
    const replay = report.divergences.find((d) => d.rule === 'REQ-09');
    expect(replay, run.stdout).toMatchObject({ strength: 'MUST', label: 'exchange !code-replayed' });
    expect(replay!.scenarioSteps).toBeLessThanOrEqual(8);
    expect(run.stdout).toMatch(/^ {2}MUST +REQ-09 +exchange !code-replayed: the model requires error invalid_grant \(400\), the server answered tokens/m);
    // Nothing else: the planted bug is the only way this server parts from the model.
    expect(report.divergences.map((d) => d.rule)).toEqual(['REQ-09']);

    const inCopy = cli(join(scratch, 'src/bin.js'), ['explain', replay!.scenario]);
    expect(inCopy.status).toBe(1);
    expect(inCopy.stdout).toMatch(/model: {3}error invalid_grant \(400\)\n {4}core: {4}tokens: [^\n]*\n {4}rule: {4}REQ-09\n {4}!!! model and core disagree\n {4}expect: {2}error, error invalid_grant, status 400 !!! NOT MET/);
    const here = cli(BIN, ['explain', replay!.scenario]);
    expect(here.status, here.stdout).toBe(0);
    expect(here.stdout).toContain('rule:    EC-18');
  }, 60_000);
});
