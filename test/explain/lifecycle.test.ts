// The token lifecycle: the diagram in auth.md is the one the core's table draws, and every
// transition of the table is shown by the scenario step it names, with the answer it names.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario, runScenario } from '../../spec/explain/index.ts';
import { lifecycleBlock } from '../../spec/explain/lifecycle.ts';
import { LIFECYCLE } from '../../src/core/lifecycle.ts';

const authMd = readFileSync(new URL('../../chatgpt-apps/auth.md', import.meta.url), 'utf8');
const reportsOf = new Map<string, ReturnType<typeof runScenario>>();
function reports(file: string): ReturnType<typeof runScenario> {
  if (!reportsOf.has(file)) reportsOf.set(file, runScenario(parseScenario(readFileSync(new URL(`../../spec/scenarios/${file}`, import.meta.url), 'utf8'), file)));
  return reportsOf.get(file)!;
}

describe('[explain] the token lifecycle', () => {
  it('[REQ-16] the state diagram in chatgpt-apps/auth.md is the one src/core/lifecycle.ts draws (npm run lifecycle rewrites it)', () => {
    expect(authMd).toContain(lifecycleBlock());
  });

  for (const t of LIFECYCLE) {
    it(`[${t.rule}] ${t.from} -> ${t.to} (${t.on}) is what the core does at step ${t.shown.step} of ${t.shown.scenario}`, () => {
      const report = reports(t.shown.scenario).find((candidate) => candidate.index === t.shown.step);
      expect(report, `${t.shown.scenario} has no step ${t.shown.step}`).toBeDefined();
      expect(report!.core.kind === 'redirect' ? 'redirect' : report!.core.kind).toBe(t.shown.answer);
      expect(report!.agree).toBe(true);
    });
  }
});
