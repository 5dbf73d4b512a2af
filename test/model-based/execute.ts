// Runs one command against the core and the reference model, compares what each answers, and
// checks the architecture's invariants on the result.
import { expect } from 'vitest';
import type { Observation } from '../../model/observation.ts';
import { applyChanges, hashSecret, isAccessTokenLive, step } from '../../src/core/index.ts';
import type { Command, Outcome, StepResult } from '../../src/core/index.ts';
import { config, ISSUER, RESOURCE, type Ctx, type Real } from './world.ts';
import { observeOutcome } from '../../spec/explain/observe.ts';
import { record } from './counterexample.ts';
import { byId } from '../../spec/catalogue.ts';

/** The core's outcome as the model predicts it; the ID token must also name our issuer and its access token's time. */
export function observe(outcome: Outcome): Observation {
  if (outcome.kind === 'tokens' && outcome.tokens.idToken !== undefined) {
    expect(outcome.tokens.idToken.iss, 'an ID token names another issuer').toBe(ISSUER);
    expect(outcome.tokens.idToken.iat, 'an ID token was issued at another time than its access token').toBe(outcome.tokens.accessToken.iat);
  }
  return observeOutcome(outcome);
}

export interface Executed {
  observation: Observation;
  result: StepResult;
}

/** Core and model must agree on every command; the journal must rebuild the same state. */
export function execute(ctx: Ctx, real: Real, command: Command): Executed {
  record(command);
  const expected = ctx.model.apply(command);
  const result = step(real.state, config, command);
  const observation = observe(result.outcome);
  expect(observation, 'core and reference model disagree').toEqual(expected);

  real.state = result.state;
  // The commit queue's in-place mode must be indistinguishable from copy-on-write.
  const inPlace = step(real.inPlace, config, command);
  expect(inPlace.outcome, 'in-place and copy-on-write answers differ').toEqual(result.outcome);
  expect(inPlace.changes, 'in-place and copy-on-write changes differ').toEqual(result.changes);
  real.inPlace = inPlace.state;
  expect(real.inPlace, 'in-place state differs from copy-on-write').toEqual(real.state);
  // Invariant 6: the changes the core reports are exactly what a restart replays.
  real.replayed = applyChanges(real.replayed, result.changes);
  expect(real.replayed, 'replaying the journal gives a different state').toEqual(real.state);

  checkRedirectCarriesIss(observation);
  checkRuleCited(result.outcome);
  checkTokens(observation);
  checkStoredRecords(ctx, real);
  return { observation, result };
}

/** What is kept, not only what is answered: every collection holds as many records as the model's. */
function checkStoredRecords(ctx: Ctx, real: Real): void {
  const { clients, pending, codes, grants, refreshTokens, revokedAccessTokens, usedAssertions } = real.state;
  const stored = { clients, pending, codes, grants, refreshTokens, revokedAccessTokens, usedAssertions };
  const counts = Object.fromEntries(Object.entries(stored).map(([name, records]) => [name, Object.keys(records).length]));
  expect(counts, 'the core keeps other records than the model').toEqual(ctx.model.storedCounts());
}

/** Checks that need what the operation just learned (tokens it was handed). */
export function checkLearned(ctx: Ctx, real: Real): void {
  checkAccessTokens(ctx, real);
  checkRefreshFamilies(ctx, real);
}

/** Every answer but a tick names the rule that decided it, and that rule is in the catalogue (what `explain` shows). */
function checkRuleCited(outcome: Outcome): void {
  if (outcome.kind === 'ticked') return;
  const rule = outcome.kind === 'error' ? outcome.error.rule : outcome.kind === 'redirect' ? outcome.redirect.rule : outcome.rule;
  expect(rule, `the answer ${JSON.stringify(outcome).slice(0, 300)} names no rule`).toBeDefined();
  expect(byId(rule!), `the answer cites ${rule}, which the catalogue does not have`).toBeDefined();
}

/** Invariant 5 (first half): every authorization response names its issuer. */
function checkRedirectCarriesIss(observation: Observation): void {
  if (observation.kind === 'redirect') expect(observation.params.iss, 'authorization response without iss').toBe(ISSUER);
}

/** Invariant 3: every access token is for the canonical resource. */
function checkTokens(observation: Observation): void {
  if (observation.kind === 'tokens') expect(observation.aud).toBe(RESOURCE);
}

/** Invariant 4: the core honours exactly the access tokens the model says are live. */
function checkAccessTokens(ctx: Ctx, real: Real): void {
  const { world } = ctx;
  for (const token of world.accessTokens) {
    const live = isAccessTokenLive(real.state, token, world.now);
    expect(live, `access token ${token.jti} liveness`).toBe(ctx.model.isAccessTokenLive(token, world.now));
    if (!Object.hasOwn(real.state.grants, token.gid)) expect(live).toBe(false);
  }
}

/** Invariant 2: at most one live refresh token per family, plus at most one grace predecessor. */
function checkRefreshFamilies(ctx: Ctx, real: Real): void {
  const { world } = ctx;
  for (const grantId of Object.keys(real.state.grants)) {
    const family = world.refreshTokens.filter((t) => t.grantId === grantId);
    const live = family
      .filter((t) => {
        const record = real.state.refreshTokens[hashSecret(t.token)];
        return record !== undefined && record.rotation === undefined && world.now < record.expiresAt;
      })
      .map((t) => t.token);
    expect(live.length, `grant ${grantId} has several live refresh tokens`).toBeLessThanOrEqual(1);
    expect(live.sort()).toEqual(ctx.model.liveRefreshTokens(grantId, world.now).sort());
    expect(ctx.model.graceTokens(grantId, world.now).length).toBeLessThanOrEqual(1);
  }
}
