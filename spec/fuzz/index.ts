// `agent-notes fuzz`: the model's operation sequences sent over HTTP to any authorization server
// with RFC 8414 metadata, every answer compared with the reference model's (see
// chatgpt-apps/spec-authors.md, "Fuzz another server").
export { discover, metadataUrl, NotFuzzable, type ServerUnderTest } from './discover.ts';
export { guardedFetch, HostRefused, isLoopback, Pace, RateLimited, refusal } from './guard.ts';
export { SignInRefused } from '../conformance/context.ts';
export { fuzz, type Finding, type FuzzOptions, type FuzzResult } from './run.ts';
export { runSequence, type Divergence, type FuzzTarget } from './sequence.ts';
export { formatFinding, formatOutcomes, formatReport, jsonReport, junitReport, summary, writeScenarios, type Written } from './report.ts';
export { strengthOf } from './compare.ts';
export { prepareTarget, type TargetOptions } from './target.ts';
