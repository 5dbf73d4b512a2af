// What `agent-notes fuzz` hands over: one line per divergence with its rule (MUSTs first, then
// SHOULDs and agent-notes' own decisions), each divergence's shrunk scenario as a file `explain`
// replays, a closing count, and on request the same as JUnit XML and JSON for CI.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { create } from 'xmlbuilder2';
import { stringify } from 'yaml';
import type { Finding, FuzzResult } from './run.ts';

export interface Written extends Finding {
  /** The scenario file, when one was written. */
  file?: string;
}

/** Writes each finding's scenario as `<rule>-<n>.yaml` in `dir`. */
export function writeScenarios(findings: readonly Finding[], dir: string): Written[] {
  if (findings.length === 0) return [];
  mkdirSync(dir, { recursive: true });
  return findings.map((finding, i) => {
    const file = join(dir, `${finding.divergence.rule}-${i + 1}.yaml`);
    writeFileSync(file, stringify(finding.scenario, { lineWidth: 0, aliasDuplicateObjects: false }));
    return { ...finding, file };
  });
}

export function formatFinding(finding: Written): string {
  const { divergence: d, scenario } = finding;
  const where = `${scenario.steps.length} steps${finding.file === undefined ? '' : `: ${finding.file}`}`;
  return `${d.strength.padEnd(8)} ${d.rule.padEnd(15)} ${d.label}: ${d.what} (step ${d.step} of ${where})`;
}

export function formatReport(result: FuzzResult, written: readonly Written[], requests: number, seed: number): string {
  const must = written.filter((f) => f.divergence.strength === 'MUST');
  const other = written.filter((f) => f.divergence.strength !== 'MUST');
  const lines: string[] = [];
  if (must.length > 0) lines.push('MUST divergences:', ...must.map((f) => `  ${formatFinding(f)}`));
  if (other.length > 0) lines.push('SHOULDs and agent-notes decisions (reported, not failures):', ...other.map((f) => `  ${formatFinding(f)}`));
  lines.push(summary(result, requests, seed));
  return lines.join('\n');
}

/** The agreed answers per planned step, for --verbose: what the run reached. */
export function formatOutcomes(result: FuzzResult): string {
  return [...result.outcomes].sort(([a], [b]) => a.localeCompare(b)).map(([what, n]) => `  ${what.padEnd(64)} ${n}`).join('\n');
}

export function summary(result: FuzzResult, requests: number, seed: number): string {
  const count = (strength: string) => result.findings.filter((f) => f.divergence.strength === strength).length;
  return `${result.runs} runs (+${result.shrinkRuns} shrinking), ${result.steps} steps, ${requests} requests in ${result.seconds.toFixed(1)} s, seed ${seed}: ${count('MUST')} MUST divergence(s), ${count('SHOULD')} SHOULD, ${count('decision')} decision(s)`;
}

export function jsonReport(target: string, result: FuzzResult, written: readonly Written[], requests: number, seed: number): string {
  return `${JSON.stringify({
    target, seed, runs: result.runs, shrinkRuns: result.shrinkRuns, steps: result.steps, requests, seconds: Number(result.seconds.toFixed(3)),
    divergences: written.map((f) => ({ ...f.divergence, scenario: f.file ?? null, scenarioSteps: f.scenario.steps.length })),
  }, null, 2)}\n`;
}

/** One test case per divergence (a MUST is a failure; SHOULDs and decisions pass, their finding in system-out), and one for the run. */
export function junitReport(target: string, result: FuzzResult, written: readonly Written[], requests: number, seed: number): string {
  const suite = 'agent-notes fuzz';
  const failures = written.filter((f) => f.divergence.strength === 'MUST').length;
  const attributes = { name: suite, tests: written.length + 1, failures, skipped: 0, time: result.seconds.toFixed(3) };
  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele('testsuites', attributes);
  const cases = root.ele('testsuite', attributes);
  const run = cases.ele('testcase', { classname: `${suite}.run`, name: `no MUST divergence from the reference model at ${target}` });
  run.ele('system-out').txt(summary(result, requests, seed));
  for (const finding of written) {
    const d = finding.divergence;
    const element = cases.ele('testcase', { classname: `${suite}.${d.rule}`, name: `[${d.rule}] ${d.label} (${d.strength})` });
    const text = `${formatFinding(finding)}\nwhat crossed the wire: ${d.detail}\nreplay: agent-notes explain ${finding.file ?? '(scenario not written)'}`;
    if (d.strength === 'MUST') element.ele('failure', { message: `${d.rule}: ${d.what}` }).txt(text);
    else element.ele('system-out').txt(text);
  }
  return root.end({ prettyPrint: true });
}
