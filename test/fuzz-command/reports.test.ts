// How a divergence is judged and handed over, without a server: the level comes from the rule's
// catalogue entry, `iss` is a MUST only where the metadata advertises it, a refusal where the
// model issues tokens stops the run while a detail apart does not, and the JUnit report makes only
// MUSTs failures.
import { describe, expect, it } from 'vitest';
import type { Observation } from '../../model/observation.ts';
import { compare } from '../../spec/fuzz/compare.ts';
import { junitReport, strengthOf, type FuzzResult, type Written } from '../../spec/fuzz/index.ts';

const ISSUER = 'http://127.0.0.1:3000';
const ctx = { op: 'decide', rules: [undefined, undefined, 'EC-25'], issuer: ISSUER, issAdvertised: false };
const redirect = (params: Record<string, string>): Observation => ({ kind: 'redirect', redirectUri: 'http://127.0.0.1/callback', params });
const tokens = (refreshToken?: string): Observation => ({ kind: 'tokens', sub: '', aud: '', clientId: '', scope: 'notes:read', iat: 0, exp: 0, jti: 'jti-4', gid: '', ...(refreshToken === undefined ? {} : { refreshToken }) });

describe('[fuzz] judging a divergence', () => {
  it('[FUZZ-02] the level is the catalogue level of the rule: MUST, SHOULD, or a decision for EC, POL and MAY rules', () => {
    expect(strengthOf('REQ-09')).toBe('MUST');
    expect(strengthOf('RFC9700-03')).toBe('MUST');
    expect(strengthOf('RFC8707-02')).toBe('SHOULD');
    expect(strengthOf('EC-31')).toBe('decision');
    expect(strengthOf('POL-REDIRECT-01')).toBe('decision');
    expect(strengthOf('REQ-14')).toBe('decision');
  });

  it('[FUZZ-02][RFC9207-01][REQ-12] a redirect without iss is a SHOULD (REQ-12), and a MUST (RFC9207-01) where the metadata advertises iss; either way the run goes on', () => {
    const model = redirect({ code: 'code-3', state: 'state-2', iss: ISSUER });
    const wire = { observation: redirect({ code: 'abc', state: 'state-2' }), detail: '' };
    expect(compare(model, wire, ctx)).toMatchObject({ rule: 'REQ-12', soft: true });
    expect(compare(model, wire, { ...ctx, issAdvertised: true })).toMatchObject({ rule: 'RFC9207-01', soft: true });
    expect(compare(model, { observation: redirect({ code: 'abc', state: 'state-2', iss: ISSUER }), detail: '' }, ctx)).toBeUndefined();
  });

  it('[FUZZ-02][REQ-09] tokens where the model refuses stop the run under the flaw\'s rule; a refresh token the model does not expect is a soft EC-13', () => {
    const refused: Observation = { kind: 'error', error: 'invalid_grant', status: 400 };
    expect(compare(refused, { observation: tokens('r'), detail: '' }, { ...ctx, op: 'exchange', rules: ['REQ-09', 'EC-18', 'REQ-09'] })).toMatchObject({ rule: 'REQ-09', soft: false });
    expect(compare(tokens(), { observation: tokens('r'), detail: '' }, { ...ctx, op: 'exchange' })).toMatchObject({ rule: 'EC-13', soft: true });
    expect(compare(tokens('refresh-4'), { observation: tokens(), detail: '' }, { ...ctx, op: 'exchange' })).toMatchObject({ rule: 'EC-13', soft: false });
  });

  it('[FUZZ-02][EC-21] two error pages at the authorization endpoint with other codes differ only as a decision: neither redirects', () => {
    const model: Observation = { kind: 'error', error: 'invalid_request', status: 400 };
    const wire = { observation: { kind: 'error', error: 'invalid_redirect_uri', status: 400 } as Observation, detail: '' };
    expect(compare(model, wire, { ...ctx, op: 'authorize', rules: ['REQ-10'] })).toMatchObject({ rule: 'EC-21', soft: true });
    expect(compare(model, wire, { ...ctx, op: 'exchange', rules: ['REQ-09'] })).toMatchObject({ rule: 'REQ-09', soft: false });
  });

  it('[FUZZ-02] JUnit: a MUST divergence is a failure, a decision is a passing case with its finding in system-out', () => {
    const finding = (rule: string, strength: 'MUST' | 'decision'): Written => ({
      divergence: { rule, strength, what: 'the model requires x, the server answered y', step: 2, label: 'register', detail: 'POST registration → 201', signature: rule },
      scenario: { title: 't', rules: [rule], config: {}, secrets: {}, steps: [{ tick: null }] }, foundAfter: 1, shrinkRuns: 0, file: `/tmp/${rule}.yaml`,
    });
    const result: FuzzResult = { findings: [], runs: 10, shrinkRuns: 0, steps: 40, seconds: 1, outcomes: new Map() };
    const xml = junitReport(ISSUER, result, [finding('MCP-41', 'MUST'), finding('POL-REDIRECT-01', 'decision')], 60, 7);
    expect(xml).toMatch(/<testsuites name="agent-notes fuzz" tests="3" failures="1"/);
    expect(xml).toMatch(/<testcase classname="agent-notes fuzz.MCP-41" name="\[MCP-41\] register \(MUST\)">\s*<failure message="MCP-41: the model requires x, the server answered y">/);
    expect(xml).toMatch(/<testcase classname="agent-notes fuzz.POL-REDIRECT-01" name="\[POL-REDIRECT-01\] register \(decision\)">\s*<system-out>/);
  });
});
