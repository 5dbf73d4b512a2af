// Runs every check in order against one server. Checks share what earlier steps discovered, and a
// failure does not stop the run (a check that cannot start is skipped with the reason, one that
// throws unexpectedly fails with the message), except a refused sign-in: every check after it is
// skipped, so a wrong password is tried once and never locks the account.
import { chatgptSteps } from './chatgpt-steps.ts';
import { CHECKS, type CheckId, type CheckResult } from './checks.ts';
import { clientVariants } from './client-variants.ts';
import { Conformance, Failure, SignInRefused, Skip, Unmet, type CheckRun, type Target } from './context.ts';
import { metadataDocumentChecks } from './metadata-documents.ts';
import { negativeCases } from './negative-cases.ts';

const RUNS: Record<CheckId, CheckRun> = { ...chatgptSteps, ...negativeCases, ...clientVariants, ...metadataDocumentChecks };

export type ConformanceOptions = Target;

export async function runConformance(options: ConformanceOptions): Promise<CheckResult[]> {
  const run = new Conformance(options);
  const results: CheckResult[] = [];
  let refused: string | undefined;
  for (const check of CHECKS) {
    const base = { id: check.id, rules: check.rules, title: check.title };
    if (refused !== undefined) {
      results.push({ ...base, status: 'skip', detail: `not run: ${refused}` });
      continue;
    }
    try {
      results.push({ ...base, status: 'pass', detail: await RUNS[check.id](run) });
    } catch (error) {
      if (error instanceof SignInRefused) {
        refused = error.message;
        results.push({ ...base, status: 'fail', detail: `${error.message}; stopped here, before any other sign-in` });
        continue;
      }
      const message = error instanceof Error ? error.message : String(error);
      const expected = error instanceof Failure || error instanceof Skip || error instanceof Unmet;
      const status = error instanceof Skip || error instanceof Unmet ? 'skip' : 'fail';
      results.push({ ...base, status, detail: expected || !(error instanceof Error) ? message : `${error.name}: ${message}` });
    }
  }
  return results;
}
