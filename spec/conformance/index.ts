// The black-box ChatGPT conformance client: what it checks, how it runs, how it reports.
export { CHECKS, type CheckId, type CheckInfo, type CheckResult, type CheckStatus } from './checks.ts';
export { runConformance, type ConformanceOptions } from './run.ts';
export { formatReport, formatResult, summary } from './report.ts';
export { junitReport, jsonReport } from './junit.ts';
