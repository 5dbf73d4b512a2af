// A tiny driver for example-based tests of the core: keeps state and a clock, and walks the
// usual flow (register, authorize, consent, exchange, refresh) with overridable parameters.
import { expect } from 'vitest';
import { applyChanges, defaultConfig, emptyState, step } from '../../src/core/index.ts';
import type { Command, CoreConfig, CoreState, Outcome, Params, StepResult, TokenResponse } from '../../src/core/index.ts';
import { s256 } from '../kit/pkce.ts';
import { TEST_REDIRECT_ORIGINS } from '../kit/redirects.ts';

export const ISSUER = 'https://notes.example.com';
export const RESOURCE = `${ISSUER}/mcp`;
export const VERIFIER = 'dBjftJeZ4CVP-mJ92K9tqYk9vYv7Qn3xZ9yk2R8mXa0';
export const CHALLENGE = s256(VERIFIER);
export const CHATGPT_REDIRECT = 'https://chatgpt.com/connector_platform_oauth_redirect';

/** The default configuration, trusting the tests' redirect origins (test/kit/redirects.ts). */
export function testConfig(overrides: Partial<CoreConfig> = {}, issuer = ISSUER): CoreConfig {
  return defaultConfig(issuer, { trustedRedirectOrigins: TEST_REDIRECT_ORIGINS, ...overrides });
}

type Outcomes = { [K in Outcome['kind']]: Extract<Outcome, { kind: K }> };

export class Flow {
  state: CoreState = emptyState();
  journal: CoreState = emptyState();
  now = 1_700_000_000;
  #n = 0;
  last!: StepResult;

  constructor(readonly config: CoreConfig = testConfig()) {}

  fresh(prefix: string): string {
    this.#n += 1;
    return `${prefix}-${this.#n}`;
  }

  run(command: Command): Outcome {
    this.last = step(this.state, this.config, command);
    this.state = this.last.state;
    this.journal = applyChanges(this.journal, this.last.changes);
    return this.last.outcome;
  }

  /** Runs and insists on an outcome kind, returning it typed. */
  expect<K extends Outcome['kind']>(kind: K, command: Command): Outcomes[K] {
    const outcome = this.run(command);
    expect(outcome.kind, JSON.stringify(outcome)).toBe(kind);
    return outcome as Outcomes[K];
  }

  register(metadata: unknown = { client_name: 'ChatGPT', redirect_uris: [CHATGPT_REDIRECT] }): Outcome {
    return this.run({ type: 'register', now: this.now, metadata, fresh: { clientId: this.fresh('client'), clientSecret: this.fresh('secret') } });
  }

  client(metadata?: unknown): { clientId: string; secret?: string } {
    const outcome = this.register(metadata);
    expect(outcome.kind, JSON.stringify(outcome)).toBe('registered');
    const client = (outcome as Outcomes['registered']).client;
    return client.client_secret === undefined ? { clientId: client.client_id } : { clientId: client.client_id, secret: client.client_secret };
  }

  authorizeParams(clientId: string, extra: Params = {}): Params {
    return {
      client_id: clientId,
      response_type: 'code',
      redirect_uri: CHATGPT_REDIRECT,
      code_challenge: CHALLENGE,
      code_challenge_method: 'S256',
      state: 'st-123',
      resource: RESOURCE,
      scope: 'notes:read notes:write offline_access',
      ...extra,
    };
  }

  authorize(params: Params): Outcome {
    return this.run({ type: 'authorize', now: this.now, params: dropUndefined(params), fresh: { requestId: this.fresh('request') } });
  }

  decide(requestId: string, decision: Extract<Command, { type: 'decide' }>['decision'] = { approve: true }, userId = 'alice'): Outcome {
    return this.run({ type: 'decide', now: this.now, requestId, userId, decision, fresh: { code: this.fresh('code') } });
  }

  /** Authorize and approve; returns the code. */
  code(clientId: string, extra: Params = {}, scopes?: string[]): string {
    const consent = this.expect('consent_required', { type: 'authorize', now: this.now, params: dropUndefined(this.authorizeParams(clientId, extra)), fresh: { requestId: this.fresh('request') } });
    const decision = scopes ? { approve: true as const, scopes } : { approve: true as const };
    const redirect = this.expect('redirect', { type: 'decide', now: this.now, requestId: consent.request.requestId, userId: 'alice', decision, fresh: { code: this.fresh('code') } });
    const code = redirect.redirect.params.code;
    expect(code).toBeDefined();
    return code!;
  }

  token(params: Params, authorization?: string): Outcome {
    const command: Command = { type: 'token', now: this.now, params: dropUndefined(params), fresh: { grantId: this.fresh('grant'), jti: this.fresh('jti'), refreshToken: this.fresh('refresh') } };
    if (authorization !== undefined) command.authorization = authorization;
    return this.run(command);
  }

  exchange(clientId: string, code: string, extra: Params = {}): Outcome {
    return this.token({ grant_type: 'authorization_code', client_id: clientId, code, code_verifier: VERIFIER, resource: RESOURCE, ...extra });
  }

  refresh(clientId: string, refreshToken: string, extra: Params = {}): Outcome {
    return this.token({ grant_type: 'refresh_token', client_id: clientId, refresh_token: refreshToken, ...extra });
  }

  /** Runs the whole flow for a new public client and returns its tokens. */
  connect(): { clientId: string; tokens: TokenResponse } {
    const { clientId } = this.client();
    const code = this.code(clientId);
    const outcome = this.exchange(clientId, code);
    expect(outcome.kind, JSON.stringify(outcome)).toBe('tokens');
    return { clientId, tokens: (outcome as Outcomes['tokens']).tokens };
  }
}

export function dropUndefined(params: Params): Params {
  return Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined));
}

export function errorOf(outcome: Outcome): string | undefined {
  if (outcome.kind === 'error') return outcome.error.error;
  if (outcome.kind === 'redirect') return outcome.redirect.params.error;
  return undefined;
}

export function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}
