// Runs every check in order against one server. Checks share what earlier steps discovered, but a
// failure never stops the run: a check that cannot start is skipped with the reason, one that
// throws unexpectedly fails with the message.
import { chatgptSteps } from './chatgpt-steps.ts';
import { CHECKS, type CheckId, type CheckResult } from './checks.ts';
import { clientVariants } from './client-variants.ts';
import { Conformance, Failure, Skip, Unmet, type CheckRun, type Target } from './context.ts';
import { metadataDocumentChecks } from './metadata-documents.ts';
import { negativeCases } from './negative-cases.ts';

const RUNS: Record<CheckId, CheckRun> = { ...chatgptSteps, ...negativeCases, ...clientVariants, ...metadataDocumentChecks };

export type ConformanceOptions = Target;

export async function runConformance(options: ConformanceOptions): Promise<CheckResult[]> {
  const run = new Conformance(options);
  const results: CheckResult[] = [];
  for (const check of CHECKS) {
    const base = { id: check.id, rules: check.rules, title: check.title };
    try {
      results.push({ ...base, status: 'pass', detail: await RUNS[check.id](run) });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const expected = error instanceof Failure || error instanceof Skip || error instanceof Unmet;
      const status = error instanceof Skip || error instanceof Unmet ? 'skip' : 'fail';
      results.push({ ...base, status, detail: expected || !(error instanceof Error) ? message : `${error.name}: ${message}` });
    }
  }
  return results;
}
