// Is the server's answer the one the reference model requires? Compared on what crosses the wire
// only: the kind of answer, the OAuth error code and status, and for redirects `code` or `error`,
// `state` and `iss`; for tokens whether a refresh token came and its scope. The first difference
// is the divergence, reported under a catalogue rule and classified by that rule's level: a MUST,
// a SHOULD, or one of agent-notes' own decisions (EC-*, POL-*, MAY).
import type { Observation } from '../../model/observation.ts';
import { byId } from '../catalogue.ts';
import type { WireAnswer } from './wire.ts';

export type Strength = 'MUST' | 'SHOULD' | 'decision';

export interface Difference {
  rule: string;
  /** What differs, in a phrase: "the model requires error invalid_grant (400), the server answered tokens". */
  what: string;
  /**
   * The same kind of answer with a detail apart (a status, `state`, `iss`, an extra refresh
   * token): the run can go on, as both still hold the same things (a scope apart is not soft:
   * later refreshes would be judged against another grant).
   */
  soft: boolean;
}

export function strengthOf(rule: string): Strength {
  const level = byId(rule)?.level;
  if (level === 'MUST' || level === 'MUST NOT') return 'MUST';
  if (level === 'SHOULD' || level === 'SHOULD NOT') return 'SHOULD';
  return 'decision';
}

export function describeObservation(o: Observation): string {
  switch (o.kind) {
    case 'error': return `error ${o.error} (${o.status})`;
    case 'redirect': return o.params.error !== undefined ? `redirect with error=${o.params.error}` : 'redirect with a code';
    case 'tokens': return `tokens${o.refreshToken === undefined ? ' without a refresh token' : ' with a refresh token'}`;
    case 'consent_required': return 'the sign-in and consent pages';
    default: return o.kind;
  }
}

export interface CompareContext {
  op: string;
  /** The rule the step's flaw probes, the core's cited rule, and the operation's own rule, in that order of preference. */
  rules: (string | undefined)[];
  issuer: string;
  issAdvertised: boolean;
  /** For a grace retry: the server's value for the successor the model says is returned again. */
  expectedRefresh?: string;
}

function symmetricDifference(a: string, b: string): string[] {
  const left = new Set(a.split(' ').filter(Boolean));
  const right = new Set(b.split(' ').filter(Boolean));
  return [...[...left].filter((s) => !right.has(s)), ...[...right].filter((s) => !left.has(s))];
}

export function compare(model: Observation, wire: WireAnswer, ctx: CompareContext): Difference | undefined {
  const server = wire.observation;
  const rule = ctx.rules.find((r) => r !== undefined) ?? 'REQ-09';
  const differs = (what: string, at = rule, soft = false): Difference => ({ rule: at, what, soft });
  const answers = `the model requires ${describeObservation(model)}, the server answered ${describeObservation(server)}`;
  if (model.kind !== server.kind) return differs(answers);
  if (model.kind === 'error' && server.kind === 'error') {
    if (wire.codeUnread) return model.status === server.status || (model.status >= 400 && server.status >= 400 && server.status < 500) ? undefined : differs(answers);
    // An error page at the authorization endpoint may show any code (RFC 6749 §4.1.2.1 asks only that nothing is redirected).
    if (model.error !== server.error) return ctx.op === 'authorize' ? differs(`${answers}: both refuse without redirecting, with other codes`, 'EC-21', true) : differs(answers);
    if (model.status !== server.status) return differs(`${answers}: same code, other status`, model.error === 'invalid_client' ? 'EC-26' : rule, true);
    return undefined;
  }
  if (model.kind === 'redirect' && server.kind === 'redirect') {
    if ((model.params.code === undefined) !== (server.params.code === undefined) || model.params.error !== server.params.error) return differs(answers);
    if (model.params.state !== server.params.state) return differs(`state: the model requires ${model.params.state === undefined ? 'none' : JSON.stringify(model.params.state)}, the server sent ${server.params.state === undefined ? 'none' : JSON.stringify(server.params.state)}`, 'EC-24', true);
    if (server.params.iss !== ctx.issuer) return differs(`iss: the model requires ${JSON.stringify(ctx.issuer)} on every authorization response, the server sent ${server.params.iss === undefined ? 'none' : JSON.stringify(server.params.iss)}`, ctx.issAdvertised ? 'RFC9207-01' : 'REQ-12', true);
    return undefined;
  }
  if (model.kind === 'tokens' && server.kind === 'tokens') {
    // A refresh token the model does not expect changes nothing later steps rely on; a missing one does.
    if ((model.refreshToken === undefined) !== (server.refreshToken === undefined)) return differs(answers, 'EC-13', model.refreshToken === undefined);
    // offline_access is about the refresh token, which came: an access token's scope without it changes nothing later.
    const apart = server.scope === '(absent)' ? [] : symmetricDifference(model.scope, server.scope);
    if (apart.length > 0) return differs(`scope: the model requires "${model.scope}", the server granted "${server.scope}"`, ctx.op === 'refresh' ? 'EC-15' : 'EC-11', apart.every((scope) => scope === 'offline_access') && server.refreshToken !== undefined);
    if (ctx.expectedRefresh !== undefined && server.refreshToken !== ctx.expectedRefresh) return differs('a retry inside the grace window must get the same successor refresh token; the server issued another', 'EC-31');
    return undefined;
  }
  if (model.kind === 'registered' && server.kind === 'registered') {
    if (model.authMethod !== server.authMethod) return differs(`token_endpoint_auth_method: the model requires ${model.authMethod}, the server registered ${server.authMethod}`, 'EC-27');
    if ((model.clientSecret === undefined) !== (server.clientSecret === undefined)) return differs(`client_secret: the model requires ${model.clientSecret === undefined ? 'none' : 'one'}, the server ${server.clientSecret === undefined ? 'issued none' : 'issued one'}`, 'RFC7591-03', model.clientSecret !== undefined);
  }
  return undefined;
}
