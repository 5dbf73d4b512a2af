// The scenario file: a written-down sequence of OAuth steps in the vocabulary of the model's
// operations (register, authorize, decide, exchange, refresh, revoke, disconnect, use, tick, wait),
// with optional expectations. YAML or JSON; see chatgpt-apps/spec-authors.md for the format.
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/** A step's parameters beyond the defaults: a string, a list (a repeated parameter), or null to leave it out. */
const params = z.record(z.string(), z.union([z.string(), z.array(z.string()), z.null()]));

const expectation = z.union([
  z.enum(['registered', 'consent_required', 'redirect', 'tokens', 'revoked', 'grant_revoked', 'ticked', 'error', 'live', 'dead']),
  z.strictObject({
    outcome: z.enum(['registered', 'consent_required', 'redirect', 'tokens', 'revoked', 'grant_revoked', 'ticked', 'error']).optional(),
    /** The OAuth error code, directly or in the redirect's `error` parameter. */
    error: z.string().optional(),
    status: z.number().int().optional(),
    /** Whether a refresh token came with the tokens. */
    refresh_token: z.boolean().optional(),
    scope: z.string().optional(),
    /** For `use`: whether the resource server accepts the access token. */
    live: z.boolean().optional(),
    /** The rule the answer must cite. */
    rule: z.string().optional(),
  }),
]);

const common = { expect: expectation.optional(), note: z.string().optional() };
/** The name a step's result is known by later (`${name.field}` in parameters). */
const name = z.union([z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/), z.null()]);

const step = z.union([
  z.strictObject({ register: name, metadata: z.unknown(), ...common }),
  z.strictObject({ authorize: name, client: z.string(), params: params.optional(), ...common }),
  z.strictObject({ decide: name, request: z.string(), approve: z.boolean().default(true), scopes: z.array(z.string()).optional(), user: z.string().default('alice'), ...common }),
  z.strictObject({ exchange: name, code: z.string(), params: params.optional(), ...common }),
  z.strictObject({ refresh: name, from: z.string(), params: params.optional(), ...common }),
  z.strictObject({ revoke: z.string(), token: z.enum(['refresh', 'access']).default('refresh'), params: params.optional(), ...common }),
  z.strictObject({ disconnect: z.string(), user: z.string().default('alice'), ...common }),
  z.strictObject({ use: z.string(), ...common }),
  z.strictObject({ tick: z.null().optional(), ...common }),
  z.strictObject({ wait: z.number().int().min(0), ...common }),
  /** A core command exactly as written (its `now` included): what a model run's counterexample replays. */
  z.strictObject({ send: z.looseObject({ type: z.enum(['register', 'authorize', 'decide', 'token', 'revoke', 'revokeGrant', 'tick']), now: z.number() }), ...common }),
]);

export const scenarioSchema = z.strictObject({
  title: z.string(),
  /** The rules the scenario is about (catalogue IDs). */
  rules: z.array(z.string()).default([]),
  /** Core settings over the defaults (`refreshGrace: 30`, `clientMetadataDocuments: false`, ...). */
  config: z.record(z.string(), z.unknown()).default({}),
  /** Plaintext secrets of predefined clients in `config`, which the model checks against. */
  secrets: z.record(z.string(), z.string()).default({}),
  steps: z.array(step).min(1),
});

export type Scenario = z.infer<typeof scenarioSchema>;
export type Step = Scenario['steps'][number];
export type Expectation = z.infer<typeof expectation>;

/** A scenario from YAML or JSON text, or a one-line reason it is not one. */
export function parseScenario(text: string, source = 'scenario'): Scenario {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    throw new ScenarioError(`${source} is not valid YAML or JSON: ${(error as Error).message.split('\n')[0]}`);
  }
  const parsed = scenarioSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ScenarioError(`${source}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  return parsed.data;
}

export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
}

/** The operation a step performs: the key that names it. */
export function operationOf(step: Step): 'register' | 'authorize' | 'decide' | 'exchange' | 'refresh' | 'revoke' | 'disconnect' | 'use' | 'tick' | 'wait' | 'send' {
  for (const op of ['register', 'authorize', 'decide', 'exchange', 'refresh', 'revoke', 'disconnect', 'use', 'wait', 'send'] as const) if (op in step) return op;
  return 'tick';
}
