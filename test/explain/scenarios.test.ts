// The scenario library (spec/scenarios/) through the reference model and the core side by side,
// and `agent-notes explain` as a spec author runs it: the printed run, the exit code, the diagram.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatRun, parseScenario, passed, runScenario, sequenceDiagram } from '../../spec/explain/index.ts';

const LIBRARY = fileURLToPath(new URL('../../spec/scenarios/', import.meta.url));
const BIN = fileURLToPath(new URL('../../src/bin.js', import.meta.url));
const files = readdirSync(LIBRARY).filter((file) => /\.ya?ml$/.test(file)).sort();

describe('[explain] the scenario library', () => {
  it('[EC-31] the library is not empty', () => {
    expect(files.length).toBeGreaterThanOrEqual(2);
  });

  for (const file of files) {
    const scenario = parseScenario(readFileSync(join(LIBRARY, file), 'utf8'), file);
    it(`[${scenario.rules.join('][')}] ${file}: model and core agree on every step and every expectation holds`, () => {
      const reports = runScenario(scenario);
      expect(passed(reports), formatRun(scenario, reports)).toBe(true);
      expect(reports.filter((report) => report.expectation !== undefined).length, 'a scenario without expectations checks nothing').toBeGreaterThan(0);
    });
  }
});

describe('[explain] agent-notes explain', () => {
  const dir = mkdtempSync(join(tmpdir(), 'agent-notes-explain-'));

  it('[EC-31] prints each step with both answers and writes the diagram; exit 0', () => {
    const diagram = join(dir, 'run.mmd');
    const run = spawnSync(process.execPath, [BIN, 'explain', join(LIBRARY, 'ec-31-grace-then-reuse.yaml'), '--diagram', diagram], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/ 8\. refresh \(chatgpt\)   t=\+90 s/);
    expect(run.stdout).toMatch(/model: {3}error invalid_grant \(400\)\n {4}core: {4}error invalid_grant \(400\)/);
    expect(run.stdout).toContain('ok: 10 steps, model and core agree, every expectation held');
    const text = readFileSync(diagram, 'utf8');
    expect(text.startsWith('sequenceDiagram\n')).toBe(true);
    expect(text).toContain('AS--xC_chatgpt: error invalid_grant (400)');
    expect(text).toContain('RS--xC_chatgpt: access token refused (401)');
  });

  it('[EC-18] an expectation that does not hold is marked and the exit code is 1', () => {
    const wrong = join(dir, 'wrong.yaml');
    writeFileSync(wrong, readFileSync(join(LIBRARY, 'ec-18-code-reuse.yaml'), 'utf8').replace('expect: dead', 'expect: live'));
    const run = spawnSync(process.execPath, [BIN, 'explain', wrong], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('expect:  live !!! NOT MET');
    expect(run.stdout).toContain('FAILED: 0 disagreement(s), 1 unmet expectation(s)');
  });

  it('[EC-18] a file that is not a scenario gets one line and exit code 2', () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'title: x\nsteps:\n  - exchange: t\n    code: nowhere\n');
    const run = spawnSync(process.execPath, [BIN, 'explain', bad], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe('agent-notes: step 1: no code named "nowhere" yet');
    writeFileSync(bad, 'title: x\nsteps:\n  - teleport: now\n');
    const unknown = spawnSync(process.execPath, [BIN, 'explain', bad], { encoding: 'utf8' });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
    expect(unknown.stderr).toMatch(/^agent-notes: .*bad\.yaml: steps\.0: /);
  });

  it('[EC-31] the diagram names every client as a participant and marks a disagreement', () => {
    const scenario = parseScenario(readFileSync(join(LIBRARY, 'ec-31-grace-then-reuse.yaml'), 'utf8'));
    const reports = runScenario(scenario);
    const disagreeing = reports.map((report, i) => (i === 7 ? { ...report, agree: false } : report));
    expect(sequenceDiagram(scenario, disagreeing)).toContain('(model and core disagree)');
    expect(formatRun(scenario, disagreeing)).toContain('!!! model and core disagree');
    expect(passed(disagreeing)).toBe(false);
  });
});

describe('[explain] the worked examples of chatgpt-apps/spec-authors.md', () => {
  const page = readFileSync(new URL('../../chatgpt-apps/spec-authors.md', import.meta.url), 'utf8');
  const examples = [...page.matchAll(/<!-- explain: (\S+) -->\n```text\n([\s\S]*?)```/g)].map(([, file, text]) => ({ file: file!, lines: text!.split('\n').filter((line) => line.trim() !== '') }));

  it('[EC-11][EC-23][EC-32] the page has its three worked examples', () => {
    expect(examples.map((example) => example.file)).toEqual(['spec/scenarios/rw-02-empty-scope.yaml', 'spec/scenarios/rw-14-callback-id.yaml', 'spec/scenarios/rw-21-refresh-details.yaml']);
  });

  for (const example of examples) {
    it(`[EC-11][EC-23][EC-32] agent-notes explain ${example.file} prints what the page says`, () => {
      const run = spawnSync(process.execPath, [BIN, 'explain', fileURLToPath(new URL(`../../${example.file}`, import.meta.url))], { encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      const printed = run.stdout.split('\n');
      for (const line of example.lines) expect(printed, `the page quotes a line explain does not print:\n${line}`).toContain(line);
    });
  }
});
