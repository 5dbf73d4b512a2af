// Runs a scenario through the reference model and the pure core side by side: each step becomes one
// command (with deterministic fresh values), both answer it, and the report says what each said,
// which rule decided it, whether they agree, and whether the scenario's expectation held.
import { createHash } from 'node:crypto';
import { ReferenceModel } from '../../model/model.ts';
import type { Observation } from '../../model/observation.ts';
import { defaultConfig, emptyState, isAccessTokenLive, step as coreStep } from '../../src/core/index.ts';
import type { Command, CoreConfig, CoreState, Outcome, Params } from '../../src/core/index.ts';
import { observeOutcome } from './observe.ts';
import { operationOf, ScenarioError, type Expectation, type Scenario, type Step } from './scenario.ts';

export const ISSUER = 'https://notes.example.com';
export const START = 1_700_000_000;
const DEFAULT_SCOPE = 'notes:read notes:write offline_access';

const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');

/** What the resource server answers for an access token (the `use` step). */
export type Answer = Observation | { kind: 'live' } | { kind: 'dead' };

export interface StepReport {
  index: number;
  op: ReturnType<typeof operationOf>;
  /** Seconds since the scenario started. */
  at: number;
  /** The request as the step sent it (secrets shown as their names). */
  request: string;
  model: Answer;
  core: Answer;
  /** The rule the core cites for its answer, when it names one. */
  rule?: string;
  description?: string;
  agree: boolean;
  expectation?: { wanted: string; held: boolean };
  /** The client the step acts for, by the scenario's name (the diagram's participant). */
  actor?: string;
  /** The core command the step sent (absent for `wait` and `use`), so another system can be asked the same. */
  command?: Command;
  /** For `use`: the access token's claims the resource server was shown. */
  accessToken?: { jti: string; gid: string; exp: number; clientId: string };
  note?: string;
}

interface Bound {
  clients: Map<string, { clientId: string; secret?: string; redirectUri: string; authMethod: string }>;
  requests: Map<string, { requestId: string; client: string; verifier: string; redirectUri: string }>;
  codes: Map<string, { code: string; client: string; verifier: string; redirectUri: string }>;
  tokens: Map<string, { client: string; access?: { jti: string; gid: string; exp: number; clientId: string }; refresh?: string; grantId?: string }>;
}

export function scenarioConfig(scenario: Scenario): CoreConfig {
  return defaultConfig(ISSUER, scenario.config as Partial<CoreConfig>);
}

export function runScenario(scenario: Scenario): StepReport[] {
  const config = scenarioConfig(scenario);
  const model = new ReferenceModel({ config, s256, predefinedSecrets: scenario.secrets });
  let state: CoreState = emptyState();
  let now = START;
  const bound: Bound = { clients: new Map(), requests: new Map(), codes: new Map(), tokens: new Map() };
  const reports: StepReport[] = [];

  for (const [i, step] of scenario.steps.entries()) {
    const index = i + 1;
    const op = operationOf(step);
    const base = { index, op, at: now - START, ...(step.note === undefined ? {} : { note: step.note }) };
    if ('wait' in step) {
      now += step.wait;
      reports.push({ ...base, request: `${step.wait} s pass`, model: { kind: 'ticked' }, core: { kind: 'ticked' }, agree: true });
      continue;
    }
    if ('use' in step) {
      const tokens = lookup(bound.tokens, step.use, index, 'tokens');
      if (tokens.access === undefined) throw new ScenarioError(`step ${index}: ${step.use} holds no access token`);
      const ref = tokens.access;
      const modelLive = model.isAccessTokenLive(ref, now);
      const coreLive = isAccessTokenLive(state, { ...ref, client_id: ref.clientId } as never, now);
      const report: StepReport = { ...base, actor: tokens.client, accessToken: ref, request: `MCP request with ${step.use}'s access token`, model: { kind: modelLive ? 'live' : 'dead' }, core: { kind: coreLive ? 'live' : 'dead' }, agree: modelLive === coreLive };
      reports.push(withExpectation(report, step.expect));
      continue;
    }
    const { command, actor, request } = 'send' in step ? sent(step.send as unknown as Command) : commandFor(step, index, now, config, bound);
    if ('send' in step) now = command.now;
    const expected = model.apply(command);
    const result = coreStep(state, config, command);
    state = result.state;
    const observed = observeOutcome(result.outcome);
    learn(step, index, bound, result.outcome, command);
    const error = errorOf(result.outcome);
    const rule = ruleOf(result.outcome);
    const report: StepReport = {
      ...base,
      ...(actor === undefined ? {} : { actor }),
      command,
      request,
      model: expected,
      core: observed,
      agree: JSON.stringify(expected) === JSON.stringify(observed),
      ...(rule === undefined ? {} : { rule }),
      ...(error?.description === undefined ? {} : { description: error.description }),
    };
    reports.push(withExpectation(report, step.expect));
  }
  return reports;
}

/** The rule the core cites: a refusal's, or the one a successful answer names (a tick names none). */
function ruleOf(outcome: Outcome): string | undefined {
  if (outcome.kind === 'error') return outcome.error.rule;
  if (outcome.kind === 'redirect') return outcome.redirect.rule;
  return 'rule' in outcome ? outcome.rule : undefined;
}

function errorOf(outcome: Outcome): { rule?: string; description?: string } | undefined {
  if (outcome.kind === 'error') return outcome.error as { rule?: string; description: string };
  if (outcome.kind === 'redirect' && outcome.redirect.params.error !== undefined) {
    const rule = (outcome.redirect as { rule?: string }).rule;
    return { ...(rule === undefined ? {} : { rule }), ...(outcome.redirect.params.error_description === undefined ? {} : { description: outcome.redirect.params.error_description }) };
  }
  return undefined;
}

function lookup<T>(map: Map<string, T>, key: string, index: number, what: string): T {
  const found = map.get(key);
  if (found === undefined) throw new ScenarioError(`step ${index}: no ${what} named ${JSON.stringify(key)} yet`);
  return found;
}

/** `${resource}`, `${issuer}` and `${name.field}` in a parameter value. */
function expand(value: string, config: CoreConfig, bound: Bound, index: number): string {
  return value.replace(/\$\{([A-Za-z][A-Za-z0-9_-]*)(?:\.([a-z_]+))?\}/g, (_, key: string, field: string | undefined) => {
    if (key === 'resource' && field === undefined) return config.resource;
    if (key === 'issuer' && field === undefined) return config.issuer;
    const client = bound.clients.get(key);
    if (client && (field === 'client_id' || field === undefined)) return client.clientId;
    if (client && field === 'client_secret' && client.secret !== undefined) return client.secret;
    if (client && field === 'redirect_uri') return client.redirectUri;
    const tokens = bound.tokens.get(key);
    if (tokens && field === 'refresh_token' && tokens.refresh !== undefined) return tokens.refresh;
    if (tokens && field === 'access_token' && tokens.access !== undefined) return `access-${tokens.access.jti}`;
    const code = bound.codes.get(key);
    if (code && (field === 'code' || field === undefined)) return code.code;
    if (code && field === 'code_verifier') return code.verifier;
    const request = bound.requests.get(key);
    if (request && field === 'code_verifier') return request.verifier;
    throw new ScenarioError(`step ${index}: \${${key}${field === undefined ? '' : `.${field}`}} names nothing known at this step`);
  });
}

function withParams(defaults: Record<string, string>, overrides: Record<string, string | string[] | null> | undefined, config: CoreConfig, bound: Bound, index: number): Params {
  const params: Params = { ...defaults };
  for (const [key, value] of Object.entries(overrides ?? {})) {
    if (value === null) delete params[key];
    else params[key] = Array.isArray(value) ? value.map((v) => expand(v, config, bound, index)) : expand(value, config, bound, index);
  }
  return params;
}

/** Client authentication as the registered method wants it: Basic header, form secret, or none. */
function authenticated(client: { clientId: string; secret?: string; authMethod: string }, params: Params): { params: Params; authorization?: string } {
  if (client.authMethod === 'client_secret_basic' && client.secret !== undefined) {
    return { params, authorization: `Basic ${Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.secret)}`).toString('base64')}` };
  }
  if (client.authMethod === 'client_secret_post' && client.secret !== undefined) return { params: { client_secret: client.secret, ...params } };
  return { params };
}

function shown(params: Params): string {
  return Object.entries(params).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${Array.isArray(v) ? `[${v.join(',')}]` : v}`).join(' ');
}

/** A raw command: shown by its type and what it carries. */
function sent(command: Command): { command: Command; actor?: string; request: string } {
  const { type, now: _now, ...rest } = command;
  return { command, request: `${type} ${JSON.stringify(rest)}` };
}

function commandFor(step: Step, index: number, now: number, config: CoreConfig, bound: Bound): { command: Command; actor?: string; request: string } {
  const fresh = (what: string) => `${what}-${index}`;
  if ('register' in step) {
    return { command: { type: 'register', now, metadata: step.metadata, fresh: { clientId: fresh('client'), clientSecret: fresh('secret') } }, ...(step.register === null ? {} : { actor: step.register }), request: `POST /oauth/register ${JSON.stringify(step.metadata)}` };
  }
  if ('authorize' in step) {
    const client = lookup(bound.clients, step.client, index, 'client');
    const verifier = `verifier-${index}`.padEnd(43, '0');
    const params = withParams({ response_type: 'code', client_id: client.clientId, redirect_uri: client.redirectUri, code_challenge: s256(verifier), code_challenge_method: 'S256', state: `state-${index}`, scope: DEFAULT_SCOPE, resource: config.resource }, step.params, config, bound, index);
    return { command: { type: 'authorize', now, params, fresh: { requestId: fresh('request') } }, actor: step.client, request: `GET /oauth/authorize ${shown(params)}` };
  }
  if ('decide' in step) {
    const request = lookup(bound.requests, step.request, index, 'authorization request');
    const decision = step.approve ? { approve: true as const, ...(step.scopes === undefined ? {} : { scopes: step.scopes }) } : { approve: false as const };
    return { command: { type: 'decide', now, requestId: request.requestId, userId: step.user, decision, fresh: { code: fresh('code') } }, actor: request.client, request: `${step.user} ${step.approve ? `approves${step.scopes === undefined ? '' : ` ${step.scopes.join(' ')}`}` : 'denies'} ${step.request}` };
  }
  if ('exchange' in step) {
    const code = lookup(bound.codes, step.code, index, 'code');
    const client = lookup(bound.clients, code.client, index, 'client');
    const auth = authenticated(client, withParams({ grant_type: 'authorization_code', client_id: client.clientId, code: code.code, code_verifier: code.verifier, redirect_uri: code.redirectUri, resource: config.resource }, step.params, config, bound, index));
    return { command: { type: 'token', now, params: auth.params, ...(auth.authorization === undefined ? {} : { authorization: auth.authorization }), fresh: { grantId: fresh('grant'), jti: fresh('jti'), refreshToken: fresh('refresh') } }, actor: code.client, request: `POST /oauth/token ${shown(auth.params)}` };
  }
  if ('refresh' in step) {
    const tokens = lookup(bound.tokens, step.from, index, 'tokens');
    const client = lookup(bound.clients, tokens.client, index, 'client');
    const auth = authenticated(client, withParams({ grant_type: 'refresh_token', client_id: client.clientId, refresh_token: tokens.refresh ?? '', resource: config.resource }, step.params, config, bound, index));
    return { command: { type: 'token', now, params: auth.params, ...(auth.authorization === undefined ? {} : { authorization: auth.authorization }), fresh: { grantId: fresh('grant'), jti: fresh('jti'), refreshToken: fresh('refresh') } }, actor: tokens.client, request: `POST /oauth/token ${shown(auth.params)}` };
  }
  if ('revoke' in step) {
    const tokens = lookup(bound.tokens, step.revoke, index, 'tokens');
    const client = lookup(bound.clients, tokens.client, index, 'client');
    const access = step.token === 'access' ? tokens.access : undefined;
    const token = step.token === 'access' ? `access-${access?.jti ?? ''}` : tokens.refresh ?? '';
    const auth = authenticated(client, withParams({ token, client_id: client.clientId }, step.params, config, bound, index));
    const command: Command = { type: 'revoke', now, params: auth.params, ...(auth.authorization === undefined ? {} : { authorization: auth.authorization }), ...(access === undefined ? {} : { accessToken: access }) };
    return { command, actor: tokens.client, request: `POST /oauth/revoke ${shown(auth.params)}` };
  }
  if ('disconnect' in step) {
    const tokens = lookup(bound.tokens, step.disconnect, index, 'tokens');
    return { command: { type: 'revokeGrant', now, grantId: tokens.grantId ?? '', userId: step.user }, actor: tokens.client, request: `${step.user} disconnects the app holding ${step.disconnect}` };
  }
  return { command: { type: 'tick', now }, request: 'the server expires what is due' };
}

/** What later steps may refer to: the client, the pending request, the code, the tokens. */
function learn(step: Step, index: number, bound: Bound, outcome: Outcome, command: Command): void {
  if ('register' in step && step.register !== null && outcome.kind === 'registered') {
    const c = outcome.client;
    bound.clients.set(step.register, { clientId: c.client_id, ...(c.client_secret === undefined ? {} : { secret: c.client_secret }), redirectUri: c.redirect_uris[0]!, authMethod: c.token_endpoint_auth_method });
  }
  if ('authorize' in step && step.authorize !== null && outcome.kind === 'consent_required' && command.type === 'authorize') {
    bound.requests.set(step.authorize, { requestId: outcome.request.requestId, client: step.client, verifier: `verifier-${index}`.padEnd(43, '0'), redirectUri: outcome.request.redirectUri });
  }
  if ('decide' in step && step.decide !== null && outcome.kind === 'redirect' && outcome.redirect.params.code !== undefined) {
    const request = bound.requests.get(step.request)!;
    bound.codes.set(step.decide, { code: outcome.redirect.params.code, client: request.client, verifier: request.verifier, redirectUri: request.redirectUri });
  }
  const tokenStep = 'exchange' in step ? { name: step.exchange, client: bound.codes.get(step.code)?.client } : 'refresh' in step ? { name: step.refresh, client: bound.tokens.get(step.from)?.client } : undefined;
  if (tokenStep?.name != null && tokenStep.client !== undefined && outcome.kind === 'tokens') {
    const t = outcome.tokens.accessToken;
    bound.tokens.set(tokenStep.name, { client: tokenStep.client, access: { jti: t.jti, gid: t.gid, exp: t.exp, clientId: t.client_id }, grantId: t.gid, ...(outcome.tokens.refreshToken === undefined ? {} : { refresh: outcome.tokens.refreshToken }) });
  }
}

/** The expectation as one phrase, and whether the core's answer meets it. */
function withExpectation(report: StepReport, expectation: Expectation | undefined): StepReport {
  if (expectation === undefined) return report;
  const wanted = typeof expectation === 'string' ? { outcome: expectation } : expectation;
  const answer = report.core;
  const checks: [string, boolean][] = [];
  const outcome = 'outcome' in wanted ? wanted.outcome : undefined;
  if (outcome === 'live' || outcome === 'dead') checks.push([outcome, answer.kind === outcome]);
  else if (outcome !== undefined) checks.push([outcome, answer.kind === outcome]);
  const code = answer.kind === 'error' ? answer.error : answer.kind === 'redirect' ? answer.params.error : undefined;
  if ('error' in wanted && wanted.error !== undefined) checks.push([`error ${wanted.error}`, code === wanted.error]);
  if ('status' in wanted && wanted.status !== undefined) checks.push([`status ${wanted.status}`, answer.kind === 'error' && answer.status === wanted.status]);
  if ('refresh_token' in wanted && wanted.refresh_token !== undefined) checks.push([wanted.refresh_token ? 'with a refresh token' : 'without a refresh token', answer.kind === 'tokens' && (answer.refreshToken !== undefined) === wanted.refresh_token]);
  if ('scope' in wanted && wanted.scope !== undefined) checks.push([`scope "${wanted.scope}"`, answer.kind === 'tokens' && answer.scope === wanted.scope]);
  if ('live' in wanted && wanted.live !== undefined) checks.push([wanted.live ? 'live' : 'dead', answer.kind === (wanted.live ? 'live' : 'dead')]);
  if ('rule' in wanted && wanted.rule !== undefined) checks.push([`rule ${wanted.rule}`, report.rule === wanted.rule]);
  return { ...report, expectation: { wanted: checks.map(([phrase]) => phrase).join(', '), held: checks.every(([, held]) => held) } };
}
