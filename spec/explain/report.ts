// What `agent-notes explain` prints: each step with its request, the model's and the core's answer,
// the rule that decided it and the expectation; and the run as a Mermaid sequence diagram (client,
// authorization server, resource server), refusals and their rule IDs on the arrows.
import type { Answer, StepReport } from './run.ts';
import type { Scenario } from './scenario.ts';

export function describeAnswer(answer: Answer): string {
  switch (answer.kind) {
    case 'registered':
      return `registered ${answer.clientId} (${answer.authMethod})`;
    case 'consent_required':
      return `consent page for ${answer.requestId} (scopes ${answer.scopes.join(' ')})`;
    case 'redirect':
      return answer.params.error !== undefined ? `redirect with error=${answer.params.error}` : `redirect with code=${answer.params.code ?? '?'}`;
    case 'tokens':
      return `tokens: access ${answer.jti} (scope "${answer.scope}", exp +${answer.exp - answer.iat} s)${answer.refreshToken === undefined ? ', no refresh token' : `, refresh ${answer.refreshToken}`}`;
    case 'error':
      return `error ${answer.error} (${answer.status})`;
    case 'live':
      return 'access token accepted';
    case 'dead':
      return 'access token refused (401)';
    default:
      return answer.kind;
  }
}

/** True when every expectation held and model and core agreed on every step. */
export function passed(reports: readonly StepReport[]): boolean {
  return reports.every((report) => report.agree && (report.expectation?.held ?? true));
}

export function formatRun(scenario: Scenario, reports: readonly StepReport[]): string {
  const lines = [`${scenario.title}${scenario.rules.length === 0 ? '' : `   [${scenario.rules.join(' ')}]`}`, ''];
  for (const report of reports) {
    lines.push(`${String(report.index).padStart(2)}. ${report.op}${report.actor === undefined ? '' : ` (${report.actor})`}   t=+${report.at} s${report.note === undefined ? '' : `   # ${report.note}`}`);
    lines.push(`    request: ${report.request}`);
    if (report.op !== 'wait') {
      lines.push(`    model:   ${describeAnswer(report.model)}`);
      lines.push(`    core:    ${describeAnswer(report.core)}${report.description === undefined ? '' : ` — ${report.description}`}`);
      if (report.rule !== undefined) lines.push(`    rule:    ${report.rule}`);
      if (!report.agree) lines.push('    !!! model and core disagree');
    }
    if (report.expectation !== undefined) lines.push(`    expect:  ${report.expectation.wanted} ${report.expectation.held ? '(held)' : '!!! NOT MET'}`);
  }
  const disagreements = reports.filter((report) => !report.agree).length;
  const unmet = reports.filter((report) => report.expectation?.held === false).length;
  lines.push('', passed(reports) ? `ok: ${reports.length} steps, model and core agree, every expectation held` : `FAILED: ${disagreements} disagreement(s), ${unmet} unmet expectation(s)`);
  return lines.join('\n');
}

const AS = 'AS';
const RS = 'RS';

/** Mermaid text: one message per step, answers dashed, refusals crossed with their rule. */
export function sequenceDiagram(scenario: Scenario, reports: readonly StepReport[]): string {
  const actors = [...new Set(reports.map((report) => report.actor).filter((actor): actor is string => actor !== undefined))];
  const id = (actor: string | undefined) => (actor === undefined ? AS : `C_${actor.replace(/[^A-Za-z0-9_]/g, '_')}`);
  const text = (value: string) => value.replace(/[;#\n]/g, ' ').slice(0, 120);
  const lines = ['sequenceDiagram', `  title ${text(scenario.title)}`];
  for (const actor of actors) lines.push(`  participant ${id(actor)} as Client ${actor}`);
  lines.push(`  participant ${AS} as Authorization server`, `  participant ${RS} as Resource server /mcp`);
  for (const report of reports) {
    const from = id(report.actor);
    const refused = report.core.kind === 'error' || report.core.kind === 'dead' || (report.core.kind === 'redirect' && report.core.params.error !== undefined);
    const arrow = refused ? '--x' : '-->>';
    const rule = report.rule === undefined ? '' : ` [${report.rule}]`;
    const mark = report.agree ? '' : ' (model and core disagree)';
    const answer = `${text(describeAnswer(report.core))}${rule}${mark}`;
    switch (report.op) {
      case 'wait':
        lines.push(`  Note over ${from === AS ? AS : `${from},${AS}`}: ${report.request}`);
        break;
      case 'tick':
        lines.push(`  Note over ${AS}: tick: ${answer}`);
        break;
      case 'decide':
      case 'disconnect':
        lines.push(`  Note over ${AS}: ${text(report.request)}`, `  ${AS}${arrow}${from}: ${answer}`);
        break;
      case 'use':
        lines.push(`  ${from}->>${RS}: ${text(report.request)}`, `  ${RS}${arrow}${from}: ${answer}`);
        break;
      case 'send':
        lines.push(`  ${from}->>${AS}: ${text(report.request.split(' ')[0]!)} (${report.index})`, `  ${AS}${arrow}${from}: ${answer}`);
        break;
      default:
        lines.push(`  ${from}->>${AS}: ${text(report.request.split(' ').slice(0, 2).join(' '))} (${report.index})`, `  ${AS}${arrow}${from}: ${answer}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
