// One fuzz run: a list of planned steps turned into scenario steps one at a time, each sent to the
// server under test and, through `explain`'s own runner, to the reference model (and the core, for
// the rule it cites), until the first answer that differs. The scenario built on the way is the
// run's record: written out, `agent-notes explain` replays exactly what the model was asked.
import { runScenario, type Scenario, type StepReport } from '../explain/index.ts';
import { compare, describeObservation, strengthOf, type Strength } from './compare.ts';
import { Names, OPERATION_RULES, type Plan } from './plan.ts';
import { sendCommand, Translation, type WireOptions } from './wire.ts';

export interface FuzzTarget {
  wire: WireOptions;
  /** The resource scopes to ask for, and the resource (RFC 8707) the server issues tokens for. */
  scopes: readonly string[];
  resource: string;
}

export interface Divergence {
  rule: string;
  strength: Strength;
  what: string;
  /** The scenario step (1-based) where it showed. */
  step: number;
  /** The planned step, with its flaw: `exchange !code-replayed`. */
  label: string;
  /** What crossed the wire on that step. */
  detail: string;
  /** Divergences with one signature are the same finding: rule, operation and flaw. */
  signature: string;
}

export interface SequenceResult {
  scenario: Scenario;
  divergence?: Divergence;
}

export function emptyScenario(target: FuzzTarget, title: string): Scenario {
  const { issuer } = target.wire.server;
  const scopes = [...target.scopes];
  return { title, rules: [], config: { issuer, resource: target.resource, scopes, defaultScopes: scopes }, secrets: {}, steps: [] };
}

/** Counts each planned step's agreed answer: `exchange !wrong-verifier -> error invalid_grant (400)`. */
export type Tally = (key: string) => void;

export async function runSequence(plans: readonly Plan[], target: FuzzTarget, tally: Tally = () => {}, title = 'agent-notes fuzz run'): Promise<SequenceResult> {
  const scenario = emptyScenario(target, title);
  const names = new Names(target.scopes, target.resource, target.wire.server.revocationEndpoint !== undefined);
  const t = new Translation();
  for (const plan of plans.flatMap((p) => names.expand(p))) {
    if (plan.op === 'connect') continue;
    const planned = names.concretize(plan);
    if (planned === undefined) continue;
    scenario.steps.push(planned.step);
    const report = runScenario(scenario).at(-1)!;
    const command = report.command!;
    const model = report.model;
    if (model.kind === 'live' || model.kind === 'dead') continue;
    const answer = await sendCommand(command, t, target.wire);
    const retry = model.kind === 'tokens' && model.refreshToken !== undefined ? t.known(model.refreshToken) : undefined;
    const difference = compare(model, answer, {
      op: report.op,
      rules: [planned.probe, report.rule, OPERATION_RULES[report.op]],
      issuer: target.wire.server.issuer,
      issAdvertised: target.wire.server.issAdvertised,
      ...(retry === undefined ? {} : { expectedRefresh: retry }),
    });
    if (difference !== undefined) {
      const note = `the server under test: ${answer.detail}; ${difference.what} [${difference.rule}]`;
      scenario.steps[scenario.steps.length - 1] = { ...planned.step, note };
      return { scenario, divergence: { ...difference, strength: strengthOf(difference.rule), step: report.index, label: planned.label, detail: answer.detail, signature: `${difference.rule} ${planned.label}` } };
    }
    tally(`${planned.label} -> ${describeObservation(model)}`);
    learn(t, report, answer);
    names.learn(planned.step, model as { kind: string });
  }
  return { scenario };
}

/** The server's values for the ones the model named in its answer. */
function learn(t: Translation, report: StepReport, answer: Awaited<ReturnType<typeof sendCommand>>): void {
  const model = report.model;
  const server = answer.observation;
  if (model.kind === 'registered' && server.kind === 'registered') {
    t.learn(model.clientId, server.clientId);
    t.learn(model.clientSecret, server.clientSecret);
  }
  if (model.kind === 'redirect' && server.kind === 'redirect') t.learn(model.params.code, server.params.code);
  if (model.kind === 'tokens' && server.kind === 'tokens') {
    t.learn(model.refreshToken, server.refreshToken);
    t.learn(`access-${model.jti}`, answer.accessToken);
  }
}
