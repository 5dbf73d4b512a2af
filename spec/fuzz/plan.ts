// What a fuzz run sends, as abstract steps fast-check generates and shrinks: register a client
// (valid or with a hostile flaw), authorize, decide, exchange, refresh, revoke, `connect` (an
// authorization, its consent and the code exchange), `retry` (a refresh, then its old token again)
// and `deny` (a new client's first authorization, refused). Each becomes a step of the scenario format
// (spec/explain) from the names known so far, so a shrunk run is a scenario `explain` replays.
// Every flaw names the rule it probes: the rule a divergence on that step is reported under.
import fc from 'fast-check';
import type { Step } from '../explain/scenario.ts';

const LOOPBACK = 'http://127.0.0.1/callback';
const CHATGPT = 'https://chatgpt.com/connector_platform_oauth_redirect';
const CLAUDE = 'https://claude.ai/api/mcp/auth_callback';

export const REGISTRATIONS = {
  'public-loopback': { client_name: 'Fuzz native app', redirect_uris: [LOOPBACK], token_endpoint_auth_method: 'none', application_type: 'native' },
  'public-chatgpt': { client_name: 'ChatGPT', redirect_uris: [CHATGPT], grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], token_endpoint_auth_method: 'none' },
  'public-claude': { client_name: 'Claude', redirect_uris: [CLAUDE], token_endpoint_auth_method: 'none' },
  'confidential-basic': { client_name: 'Fuzz server app', redirect_uris: [LOOPBACK], token_endpoint_auth_method: 'client_secret_basic', application_type: 'native' },
  'confidential-post': { client_name: 'Fuzz server app', redirect_uris: [LOOPBACK], token_endpoint_auth_method: 'client_secret_post', application_type: 'native' },
} as const;

/** Hostile registrations: the metadata sent, and the rule a different answer is reported under. */
export const BAD_REGISTRATIONS = {
  'no-redirect-uris': { metadata: { client_name: 'Fuzz', token_endpoint_auth_method: 'none' }, rule: 'RFC7591-04' },
  'fragment-in-redirect': { metadata: { redirect_uris: [`${CHATGPT}#fragment`], token_endpoint_auth_method: 'none' }, rule: 'REQ-10' },
  'http-not-loopback': { metadata: { redirect_uris: ['http://untrusted.example/cb'], token_endpoint_auth_method: 'none' }, rule: 'MCP-41' },
  'untrusted-https-origin': { metadata: { redirect_uris: ['https://untrusted.example/cb'], token_endpoint_auth_method: 'none' }, rule: 'POL-REDIRECT-01' },
  'implicit-response-type': { metadata: { redirect_uris: [LOOPBACK], response_types: ['token'], token_endpoint_auth_method: 'none', application_type: 'native' }, rule: 'OA21-01' },
} as const;

type Params = Record<string, string | null>;

/** Flaws of an authorization request: the parameters changed, and the rule probed. */
export const AUTHORIZE_FLAWS: Record<string, { params: (resource: string) => Params; rule: string }> = {
  'no-pkce': { params: () => ({ code_challenge: null, code_challenge_method: null }), rule: 'REQ-09' },
  'plain-pkce': { params: () => ({ code_challenge_method: 'plain' }), rule: 'EC-17' },
  'unregistered-redirect': { params: () => ({ redirect_uri: 'https://evil.example/cb' }), rule: 'REQ-10' },
  'unknown-client': { params: () => ({ client_id: 'no-such-client' }), rule: 'OA21-07' },
  'implicit-response-type': { params: () => ({ response_type: 'token' }), rule: 'OA21-01' },
  'foreign-resource': { params: () => ({ resource: 'https://evil.example/mcp' }), rule: 'RFC8707-02' },
  'resource-trailing-slash': { params: (resource) => ({ resource: `${resource}/` }), rule: 'EC-01' },
  'no-resource': { params: () => ({ resource: null }), rule: 'EC-03' },
  'empty-scope': { params: () => ({ scope: '' }), rule: 'EC-11' },
  'no-state': { params: () => ({ state: null }), rule: 'EC-24' },
};

export const EXCHANGE_FLAWS: Record<string, { params: Params; rule: string }> = {
  'code-replayed': { params: {}, rule: 'REQ-09' },
  'wrong-verifier': { params: { code_verifier: 'w'.repeat(43) }, rule: 'REQ-09' },
  'no-verifier': { params: { code_verifier: null }, rule: 'REQ-09' },
  'other-redirect-uri': { params: { redirect_uri: 'http://127.0.0.1/other-callback' }, rule: 'OA21-04' },
  'foreign-resource': { params: { resource: 'https://evil.example/mcp' }, rule: 'RFC8707-02' },
  'password-grant': { params: { grant_type: 'password', username: 'alice', password: 'guess' }, rule: 'RFC9700-03' },
};

/** `accepted`: the rule when the model grants what the flaw asks (a scope that was not wider after all) and the server refuses. */
export const REFRESH_FLAWS: Record<string, { params: (scopes: readonly string[]) => Params; rule: string; accepted?: string }> = {
  'rotated-token-again': { params: () => ({}), rule: 'EC-31' },
  'wider-scope': { params: (scopes) => ({ scope: [...scopes, 'offline_access'].join(' ') }), rule: 'OA21-06', accepted: 'EC-15' },
  'narrower-scope': { params: (scopes) => ({ scope: scopes[0] ?? '' }), rule: 'EC-15' },
  'foreign-resource': { params: () => ({ resource: 'https://evil.example/mcp' }), rule: 'RFC8707-02' },
  'forged-token': { params: () => ({ refresh_token: 'forged-refresh-token' }), rule: 'REQ-16' },
  'no-resource': { params: () => ({ resource: null }), rule: 'EC-05' },
};

export const REVOKE_FLAWS: Record<string, { params: Params; rule: string }> = {
  'unknown-token': { params: { token: 'garbage-token' }, rule: 'RFC7009-02' },
};

/** The rule a valid step of each operation is reported under when the answers part. */
export const OPERATION_RULES: Record<string, string> = {
  register: 'RFC7591-01', authorize: 'REQ-09', decide: 'EC-25', exchange: 'REQ-09', refresh: 'REQ-16', revoke: 'RFC7009-02',
};

type ScopeChoice = 'all' | 'narrow' | 'no-offline';

export type Plan =
  | { op: 'register'; variant: keyof typeof REGISTRATIONS; flaw: keyof typeof BAD_REGISTRATIONS | null }
  | { op: 'authorize'; pick: number; scope: ScopeChoice; flaw: string | null }
  | { op: 'decide'; pick: number; approve: boolean }
  | { op: 'exchange'; pick: number; flaw: string | null }
  | { op: 'refresh'; pick: number; flaw: string | null }
  | { op: 'revoke'; pick: number; token: 'refresh' | 'access'; flaw: string | null }
  | { op: 'connect'; pick: number; scope: ScopeChoice }
  /** A refresh, then the same (now rotated) refresh token again: a client retrying a lost answer (EC-31). */
  | { op: 'retry'; pick: number }
  /** A new client's first authorization, refused by the person (EC-25). */
  | { op: 'deny' };

const pick = fc.nat({ max: 20 });
const orNull = <T>(values: readonly T[]) => fc.oneof(fc.constant(null), fc.constantFrom(...values));
const scope = fc.constantFrom<ScopeChoice>('all', 'all', 'narrow', 'no-offline');

const register = fc.record({ op: fc.constant('register' as const), variant: fc.constantFrom(...(Object.keys(REGISTRATIONS) as (keyof typeof REGISTRATIONS)[])), flaw: fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom(...(Object.keys(BAD_REGISTRATIONS) as (keyof typeof BAD_REGISTRATIONS)[])) }) });
const authorize = fc.record({ op: fc.constant('authorize' as const), pick, scope, flaw: orNull(Object.keys(AUTHORIZE_FLAWS)) });
const decide = fc.record({ op: fc.constant('decide' as const), pick, approve: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }) });
const exchange = fc.record({ op: fc.constant('exchange' as const), pick, flaw: orNull(Object.keys(EXCHANGE_FLAWS)) });
const refresh = fc.record({ op: fc.constant('refresh' as const), pick, flaw: orNull(Object.keys(REFRESH_FLAWS)) });
const revoke = fc.record({ op: fc.constant('revoke' as const), pick, token: fc.constantFrom<'refresh' | 'access'>('refresh', 'access'), flaw: orNull(Object.keys(REVOKE_FLAWS)) });
const connect = fc.record({ op: fc.constant('connect' as const), pick, scope });
const retry = fc.record({ op: fc.constant('retry' as const), pick });
const deny = fc.record({ op: fc.constant('deny' as const) });

/** One step, weighted towards the ones that reach deep states (tokens, rotations, replays). */
export const planStep: fc.Arbitrary<Plan> = fc.oneof(
  { weight: 2, arbitrary: register },
  { weight: 3, arbitrary: authorize },
  { weight: 3, arbitrary: decide },
  { weight: 2, arbitrary: exchange },
  { weight: 4, arbitrary: refresh },
  { weight: 1, arbitrary: revoke },
  { weight: 4, arbitrary: connect },
  { weight: 1, arbitrary: retry },
  { weight: 1, arbitrary: deny },
);

export function describePlan(plan: Plan): string {
  const flaw = 'flaw' in plan && plan.flaw !== null ? ` !${plan.flaw}` : '';
  return `${plan.op}${flaw}`;
}

/** A scenario step to send, and the rule a divergence on it is reported under (a flaw's, when it has one). */
export interface Planned {
  step: Step;
  /** The rule the step's flaw probes (when the model refuses it). */
  probe?: string;
  /** The rule when the model accepts the flawed step after all. */
  accepted?: string;
  label: string;
}

interface Known {
  clients: { name: string; approved: boolean }[];
  /** `flaw`: the rule the authorization's flaw probes, which its consent is answered under too. */
  requests: { name: string; client: string; flaw?: string }[];
  codes: { name: string; client: string; used: boolean }[];
  tokens: { name: string; client: string; refresh: boolean; rotated: boolean; refused?: boolean }[];
  /** Clients one of whose connections was revoked (or its code replayed) in this run. */
  revoked: Set<string>;
}

/** The names a run has bound so far, learned from the reference model's answers. */
export class Names {
  readonly known: Known = { clients: [], requests: [], codes: [], tokens: [], revoked: new Set() };
  #counter = 0;

  /** `extra`: parameters every authorization request carries (`--authorize-param`, e.g. prompt=consent). */
  constructor(readonly scopes: readonly string[], readonly resource: string, readonly canRevoke: boolean, readonly extra: Readonly<Record<string, string>> = {}) {}

  #fresh(prefix: string): string {
    this.#counter += 1;
    return `${prefix}${this.#counter}`;
  }

  /** The plans a `connect` stands for: register when no client is known, then authorize, decide, exchange. */
  expand(plan: Plan): Plan[] {
    if (plan.op === 'deny') return [{ op: 'register', variant: 'public-loopback', flaw: null }, { op: 'authorize', pick: -1, scope: 'all', flaw: null }, { op: 'decide', pick: -1, approve: false }];
    if (plan.op === 'retry') return [{ op: 'refresh', pick: plan.pick, flaw: null }, { op: 'refresh', pick: -1, flaw: 'rotated-token-again' }];
    if (plan.op !== 'connect') return [plan];
    const first: Plan[] = this.known.clients.length === 0 ? [{ op: 'register', variant: 'public-chatgpt', flaw: null }] : [];
    return [...first, { op: 'authorize', pick: plan.pick, scope: plan.scope, flaw: null }, { op: 'decide', pick: -1, approve: true }, { op: 'exchange', pick: -1, flaw: null }];
  }

  /** The scenario step for `plan` now, or undefined when nothing it needs is known yet. */
  concretize(plan: Exclude<Plan, { op: 'connect' | 'retry' | 'deny' }>): Planned | undefined {
    const choose = <T>(list: readonly T[], index: number): T | undefined => (list.length === 0 ? undefined : index < 0 ? list.at(-1) : list[index % list.length]);
    const label = describePlan(plan);
    switch (plan.op) {
      case 'register': {
        const bad = plan.flaw === null ? undefined : BAD_REGISTRATIONS[plan.flaw];
        return { step: { register: this.#fresh('client'), metadata: structuredClone(bad?.metadata ?? REGISTRATIONS[plan.variant]) }, ...(bad === undefined ? {} : { probe: bad.rule }), label };
      }
      case 'authorize': {
        const client = choose(this.known.clients, plan.pick);
        if (client === undefined) return undefined;
        const scopes = plan.scope === 'narrow' ? [this.scopes[0]!, 'offline_access'] : plan.scope === 'no-offline' ? [...this.scopes] : [...this.scopes, 'offline_access'];
        const flaw = plan.flaw === null ? undefined : AUTHORIZE_FLAWS[plan.flaw];
        return { step: { authorize: this.#fresh('request'), client: client.name, params: { scope: scopes.join(' '), ...this.extra, ...flaw?.params(this.resource) } }, ...(flaw === undefined ? {} : { probe: flaw.rule }), label };
      }
      case 'decide': {
        const request = choose(this.known.requests, plan.pick);
        if (request === undefined) return undefined;
        // Remembered consent: once a client was approved, a later consent may be skipped, so no denial is asked of it.
        const approve = plan.approve || this.known.clients.some((c) => c.name === request.client && c.approved);
        return { step: { decide: this.#fresh('code'), request: request.name, approve, user: 'alice' }, ...(request.flaw === undefined ? {} : { accepted: request.flaw }), label: approve ? 'decide' : 'decide !deny' };
      }
      case 'exchange': {
        const replay = plan.flaw === 'code-replayed';
        const code = choose(this.known.codes.filter((c) => c.used === replay), plan.pick);
        if (code === undefined) return undefined;
        const flaw = plan.flaw === null ? undefined : EXCHANGE_FLAWS[plan.flaw];
        return { step: { exchange: this.#fresh('tokens'), code: code.name, ...(flaw === undefined || Object.keys(flaw.params).length === 0 ? {} : { params: { ...flaw.params } }) }, ...(flaw === undefined ? {} : { probe: flaw.rule }), label };
      }
      case 'refresh': {
        const again = plan.flaw === 'rotated-token-again';
        const tokens = choose(this.known.tokens.filter((t) => t.refresh && t.rotated === again), plan.pick);
        if (tokens === undefined) return undefined;
        const flaw = plan.flaw === null ? undefined : REFRESH_FLAWS[plan.flaw];
        const params = flaw?.params(this.scopes) ?? {};
        const step: Step = { refresh: this.#fresh('tokens'), from: tokens.name, ...(Object.keys(params).length === 0 ? {} : { params }) };
        // A token refused before, or a client with another connection revoked: where another server
        // answers otherwise, it is about what a refusal or a grant covers, not about refresh itself.
        if (tokens.refused) return { step, probe: 'POL-REFUSAL-01', accepted: 'POL-REFUSAL-01', label };
        if (this.known.revoked.has(tokens.client) && flaw === undefined) return { step, accepted: 'POL-GRANT-01', label };
        return { step, ...(flaw === undefined ? {} : { probe: flaw.rule }), ...(flaw?.accepted === undefined ? {} : { accepted: flaw.accepted }), label };
      }
      case 'revoke': {
        if (!this.canRevoke) return undefined;
        const tokens = choose(this.known.tokens.filter((t) => plan.token === 'access' || t.refresh), plan.pick);
        if (tokens === undefined) return undefined;
        const flaw = plan.flaw === null ? undefined : REVOKE_FLAWS[plan.flaw];
        return { step: { revoke: tokens.name, token: plan.token, ...(flaw === undefined ? {} : { params: { ...flaw.params } }) }, ...(flaw === undefined ? {} : { probe: flaw.rule }), label: `${label} ${plan.token}` };
      }
    }
  }

  /** What the model's answer to `step` binds for later steps. */
  learn(step: Step, answer: { kind: string; params?: Record<string, string>; refreshToken?: string }, probe?: string): void {
    const { known } = this;
    if ('register' in step && step.register !== null && answer.kind === 'registered') known.clients.push({ name: step.register, approved: false });
    if ('authorize' in step && step.authorize !== null && answer.kind === 'consent_required') known.requests.push({ name: step.authorize, client: step.client, ...(probe === undefined ? {} : { flaw: probe }) });
    if ('decide' in step) {
      const request = known.requests.find((r) => r.name === step.request);
      known.requests = known.requests.filter((r) => r.name !== step.request);
      if (request !== undefined && step.decide !== null && answer.kind === 'redirect' && answer.params?.code !== undefined) {
        known.codes.push({ name: step.decide, client: request.client, used: false });
        for (const client of known.clients) if (client.name === request.client) client.approved = true;
      }
    }
    if ('exchange' in step && answer.kind === 'tokens') {
      const code = known.codes.find((c) => c.name === step.code);
      if (code !== undefined) {
        code.used = true;
        if (step.exchange !== null) known.tokens.push({ name: step.exchange, client: code.client, refresh: answer.refreshToken !== undefined, rotated: false });
      }
    }
    if ('revoke' in step && answer.kind === 'revoked') {
      const tokens = known.tokens.find((t) => t.name === step.revoke);
      if (tokens !== undefined) known.revoked.add(tokens.client);
    }
    if ('exchange' in step && answer.kind === 'error') {
      const code = known.codes.find((c) => c.name === step.code);
      if (code?.used) known.revoked.add(code.client);
    }
    if ('refresh' in step && answer.kind === 'error') {
      const from = known.tokens.find((t) => t.name === step.from);
      if (from !== undefined) from.refused = true;
    }
    if ('refresh' in step && answer.kind === 'tokens') {
      const from = known.tokens.find((t) => t.name === step.from);
      if (from !== undefined) {
        from.rotated = true;
        if (step.refresh !== null) known.tokens.push({ name: step.refresh, client: from.client, refresh: answer.refreshToken !== undefined, rotated: false });
      }
    }
  }
}
