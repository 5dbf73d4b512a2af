// Scenarios for spec authors: parse one, run it through the model and the core, print the run and
// its sequence diagram (see chatgpt-apps/spec-authors.md).
export { parseScenario, ScenarioError, type Scenario, type Step } from './scenario.ts';
export { runScenario, type StepReport } from './run.ts';
export { formatRun, passed, sequenceDiagram } from './report.ts';
