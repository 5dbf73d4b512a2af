// Reports for other projects' CI: the conformance results as JUnit XML (one test case per check,
// a failure or a skip with its detail) and as JSON, the shapes CI systems read without a plugin.
import { create } from 'xmlbuilder2';
import type { CheckResult } from './checks.ts';

export function junitReport(suite: string, results: readonly CheckResult[], seconds = 0): string {
  const count = (status: CheckResult['status']) => results.filter((r) => r.status === status).length;
  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele('testsuites', { name: suite, tests: results.length, failures: count('fail'), skipped: count('skip'), time: seconds.toFixed(3) });
  const cases = root.ele('testsuite', { name: suite, tests: results.length, failures: count('fail'), skipped: count('skip'), time: seconds.toFixed(3) });
  for (const result of results) {
    const element = cases.ele('testcase', { classname: `${suite}.${result.id}`, name: `[${result.rules.join('][')}] ${result.title}` });
    if (result.status === 'fail') element.ele('failure', { message: result.detail.split('\n')[0] }).txt(result.detail);
    if (result.status === 'skip') element.ele('skipped', { message: result.detail.split('\n')[0] });
  }
  return root.end({ prettyPrint: true });
}

export function jsonReport(target: string, results: readonly CheckResult[]): string {
  const count = (status: CheckResult['status']) => results.filter((r) => r.status === status).length;
  return `${JSON.stringify({ target, passed: count('pass'), failed: count('fail'), skipped: count('skip'), checks: results }, null, 2)}\n`;
}
