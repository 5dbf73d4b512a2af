// `agent-notes fuzz`: fast-check generates planned step lists, each is run against the server under
// test (sequence.ts), and a run whose answers part from the reference model's is shrunk to a
// smallest one that still shows the same divergence. Then the search goes on, with that divergence
// known, until the budget is spent: every distinct divergence (by rule, operation and flaw) is
// reported once, with its shrunk scenario.
import fc from 'fast-check';
import type { Scenario } from '../explain/index.ts';
import { planStep, type Plan } from './plan.ts';
import { runSequence, type Divergence, type FuzzTarget } from './sequence.ts';

export interface FuzzOptions {
  seed: number;
  /** Generated runs (sequences), shrinking not included. */
  budget: number;
  /** At most this many runs spent shrinking each divergence. */
  shrinkBudget: number;
  /** Planned steps per run at most (a `connect` is several scenario steps). */
  maxSteps: number;
  /** Called after every run, shrinking included. */
  onRun?: (runs: number) => void;
}

export interface Finding {
  divergence: Divergence;
  scenario: Scenario;
  /** How many runs it took to find, and to shrink. */
  foundAfter: number;
  shrinkRuns: number;
}

export interface FuzzResult {
  findings: Finding[];
  runs: number;
  shrinkRuns: number;
  /** Scenario steps sent across every run. */
  steps: number;
  seconds: number;
  /** How often each planned step (with its flaw) got each answer the server and the model agreed on. */
  outcomes: Map<string, number>;
}

export async function fuzz(target: FuzzTarget, options: FuzzOptions): Promise<FuzzResult> {
  const started = performance.now();
  const findings: Finding[] = [];
  const known = new Set<string>();
  let runs = 0;
  let shrinkRuns = 0;
  let steps = 0;
  const outcomes = new Map<string, number>();
  const tally = (key: string) => outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
  let seed = options.seed;
  let abort: unknown;
  while (runs < options.budget) {
    let generated = 0;
    let shrinking = 0;
    let failure: { divergence: Divergence; scenario: Scenario } | undefined;
    const property = fc.asyncProperty(fc.array(planStep, { minLength: 1, maxLength: options.maxSteps }), async (plans: Plan[]) => {
      // The first failure starts shrinking; past its allowance every further candidate passes untried.
      if (failure === undefined) {
        if (runs + generated >= options.budget) return true;
        generated += 1;
      } else {
        if (shrinking >= options.shrinkBudget) return true;
        shrinking += 1;
      }
      if (abort !== undefined) return true;
      options.onRun?.(runs + generated + shrinkRuns + shrinking);
      let result;
      try {
        result = await runSequence(plans, target, tally);
      } catch (error) {
        // Not a divergence (a refused host, a rate limit, a refused sign-in, a dead server): the
        // search ends and the error is the caller's, never a counterexample to shrink.
        abort = error;
        return true;
      }
      steps += result.scenario.steps.length;
      // While shrinking, only the divergence being shrunk counts: a smaller run must show what was found.
      const hit = failure === undefined ? result.found.find((f) => !known.has(f.divergence.signature)) : result.found.find((f) => f.divergence.signature === failure!.divergence.signature);
      if (hit === undefined) return true;
      failure = { divergence: hit.divergence, scenario: hit.scenario };
      return false;
    });
    const details = await fc.check(property, { seed, numRuns: options.budget - runs, endOnFailure: false });
    if (abort !== undefined) throw abort;
    runs += generated;
    shrinkRuns += shrinking;
    const found = failure as { divergence: Divergence; scenario: Scenario } | undefined;
    if (!details.failed || found === undefined) break;
    known.add(found.divergence.signature);
    findings.push({ divergence: found.divergence, scenario: { ...found.scenario, title: `${found.divergence.rule} (${found.divergence.strength}): ${found.divergence.label} — found by agent-notes fuzz, seed ${options.seed}`, rules: [found.divergence.rule] }, foundAfter: runs, shrinkRuns: shrinking });
    seed += 1; // the search goes on elsewhere, the finding known
  }
  return { findings, runs, shrinkRuns, steps, seconds: (performance.now() - started) / 1000, outcomes };
}
