// `agent-notes fuzz` against a second, independent authorization server: panva's oidc-provider 9,
// set up as the benchmark sets it up (bench/targets/oidc-provider-server.ts: DCR, PKCE, resource
// indicators, rotating refresh tokens) with its password sign-in and consent forms, on 127.0.0.1.
// What it reports there is recorded in chatgpt-apps/test.md ("Fuzzing another server").
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChild, stopChild } from '../../bench/targets/child.ts';
import { parseScenario, passed, runScenario } from '../../spec/explain/index.ts';
import { formatFinding, fuzz, prepareTarget, summary } from '../../spec/fuzz/index.ts';
import { stringify } from 'yaml';

const SERVER = fileURLToPath(new URL('../../bench/targets/oidc-provider-server.ts', import.meta.url));
const PASSWORD = 'bench-password';
let child: ChildProcess;
let url: string;

beforeAll(async () => {
  const started = await startChild(['--import', 'tsx', SERVER], { ...process.env, PORT: '0', OIDC_PASSWORD: PASSWORD }, /READY (http:\/\/127\.0\.0\.1:\d+)/);
  child = started.child;
  url = started.match[1]!;
}, 60_000);
afterAll(() => (child === undefined ? undefined : stopChild(child, 5_000)));

describe('[fuzz] agent-notes fuzz against oidc-provider 9', () => {
  it('[FUZZ-02][MCP-41] a bounded run completes, agrees on the deep flows, and reports what oidc-provider does otherwise, each as a scenario the model and our core replay', async () => {
    // oidc-provider grants offline_access only on a consent prompt (OpenID Connect Core §11).
    const { target, pace } = await prepareTarget({ url, username: 'bench', password: PASSWORD, rate: 1000, authorizeParams: { prompt: 'consent' } });
    const result = await fuzz(target, { seed: 1, budget: 300, shrinkBudget: 60, maxSteps: 10 });
    console.log(`oidc-provider 9 at ${url}:\n${result.findings.map((f) => `  ${formatFinding(f)}`).join('\n')}\n${summary(result, pace.sent, 1)}`);
    expect(result.runs).toBe(300);
    const reached = [...result.outcomes.keys()];
    for (const answer of ['exchange -> tokens with a refresh token', 'refresh -> tokens with a refresh token', 'authorize !no-pkce -> redirect with error=invalid_request', 'decide !deny -> redirect with error=access_denied']) {
      expect(reached, answer).toContain(answer);
    }
    // It registers an http redirect URI on a host that is not loopback, which MCP forbids.
    const rules = result.findings.map((f) => `${f.divergence.strength} ${f.divergence.rule}`);
    expect(rules).toContain('MUST MCP-41');
    expect(rules).toContain('decision POL-REDIRECT-01');
    // Every scenario handed over is what the model requires: our core meets every expectation in it.
    for (const finding of result.findings) {
      const scenario = parseScenario(stringify(finding.scenario), finding.divergence.rule);
      expect(passed(runScenario(scenario)), `${finding.divergence.rule}: explain fails on its own scenario`).toBe(true);
      expect(finding.scenario.steps.length, finding.divergence.rule).toBeLessThanOrEqual(10);
    }
  }, 60_000);
});
