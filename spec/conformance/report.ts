// The printed report: one line per check, the detail indented below a failure or a skip, and a
// closing count.
import type { CheckResult } from './checks.ts';

const LABEL = { pass: 'PASS', fail: 'FAIL', skip: 'SKIP' } as const;

export function formatResult(result: CheckResult): string {
  const line = `${LABEL[result.status]}  [${result.rules.join(', ')}] ${result.title}`;
  return result.status === 'pass' ? line : `${line}\n      ${result.detail}`;
}

export function summary(results: readonly CheckResult[]): string {
  const count = (status: CheckResult['status']) => results.filter((r) => r.status === status).length;
  const skipped = count('skip');
  return `${count('pass')} passed, ${count('fail')} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`;
}

export function formatReport(results: readonly CheckResult[]): string {
  return [...results.map(formatResult), summary(results)].join('\n');
}
