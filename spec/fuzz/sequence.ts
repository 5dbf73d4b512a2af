// One fuzz run: a list of planned steps turned into scenario steps one at a time, each sent to the
// server under test and, through `explain`'s own runner, to the reference model (and the core, for
// the rule it cites), until the first answer that differs. The scenario built on the way is the
// run's record: written out, `agent-notes explain` replays exactly what the model was asked.
import type { Observation } from '../../model/observation.ts';
import { runScenario, type Scenario, type Step, type StepReport } from '../explain/index.ts';
import type { Expectation } from '../explain/scenario.ts';
import { compare, describeObservation, strengthOf, type Strength } from './compare.ts';
import { Names, OPERATION_RULES, type Plan } from './plan.ts';
import { sendCommand, Translation, type WireOptions } from './wire.ts';

export interface FuzzTarget {
  wire: WireOptions;
  /** The resource scopes to ask for, and the resource (RFC 8707) the server issues tokens for. */
  scopes: readonly string[];
  resource: string;
  /** Parameters every authorization request carries besides the model's (a server's own needs, such as prompt=consent). */
  authorizeParams?: Readonly<Record<string, string>>;
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
  /** Divergences with one signature are the same finding: the rule and the operation. */
  signature: string;
}

export interface Found {
  divergence: Divergence;
  /** The run up to the step that showed it, that step annotated with the server's answer and the model's as its expectation. */
  scenario: Scenario;
}

export interface SequenceResult {
  scenario: Scenario;
  /** In the order they showed; a run stops at the first that leaves model and server holding different things. */
  found: Found[];
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
  const names = new Names(target.scopes, target.resource, target.wire.server.revocationEndpoint !== undefined, target.authorizeParams);
  const t = new Translation();
  const found: Found[] = [];
  // Macros expand when they are reached, against the names known by then.
  const queue = [...plans];
  while (queue.length > 0) {
    const plan = queue.shift()!;
    if (plan.op === 'connect' || plan.op === 'retry' || plan.op === 'deny') {
      queue.unshift(...names.expand(plan));
      continue;
    }
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
      rules: [refused(model) ? planned.probe : (planned.accepted ?? planned.probe), report.rule, OPERATION_RULES[report.op]],
      issuer: target.wire.server.issuer,
      issAdvertised: target.wire.server.issAdvertised,
      ...(retry === undefined ? {} : { expectedRefresh: retry }),
    });
    if (difference !== undefined) {
      const note = `the server under test: ${answer.detail}; ${difference.what} [${difference.rule}]`;
      // The model's answer becomes the step's expectation, so `explain` says whether a core meets it.
      const annotated = { ...planned.step, note, expect: expectationOf(model) } as Step;
      const divergence: Divergence = { rule: difference.rule, what: difference.what, strength: strengthOf(difference.rule), step: report.index, label: planned.label, detail: answer.detail, signature: `${difference.rule} ${report.op}` };
      found.push({ divergence, scenario: { ...scenario, steps: [...scenario.steps.slice(0, -1), annotated] } });
      if (!difference.soft) return { scenario, found };
    }
    tally(`${planned.label} -> ${describeObservation(model)}`);
    learn(t, report, answer);
    names.learn(planned.step, model as { kind: string }, planned.probe);
  }
  return { scenario, found };
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

/** The model's answer as a scenario expectation: its outcome and what the wire shows of it. */
function expectationOf(model: Observation): Expectation {
  switch (model.kind) {
    case 'error': return { outcome: 'error', error: model.error, status: model.status };
    case 'redirect': return model.params.error === undefined ? { outcome: 'redirect' } : { outcome: 'redirect', error: model.params.error };
    case 'tokens': return { outcome: 'tokens', refresh_token: model.refreshToken !== undefined, scope: model.scope };
    case 'registered': case 'consent_required': case 'revoked': case 'grant_revoked': case 'ticked': return model.kind;
  }
}

function refused(model: Observation): boolean {
  return model.kind === 'error' || (model.kind === 'redirect' && model.params.error !== undefined);
}
