// The core is a pure function: no clock, no randomness, no I/O, and it never mutates its input.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { step } from '../../src/core/index.ts';
import type { CoreState } from '../../src/core/index.ts';
import { Flow } from './flow.ts';

const coreDir = fileURLToPath(new URL('../../src/core/', import.meta.url));

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

describe('[core] purity', () => {
  // What src/core may import (src/records, itself, node:crypto; no other built-in, no package) is a
  // dependency-cruiser rule, checked in test/layers/layers.test.ts. This scan is for what an import
  // rule cannot see: globals, and the random half of node:crypto.
  it('[core] no module of src/core reads a clock, draws randomness or does I/O', () => {
    const forbidden = [/Date\.now|new Date\(/, /Math\.random|randomBytes|randomUUID|getRandomValues/, /process\.(env|hrtime)|performance\.now|setTimeout|setInterval/, /\bfetch\(/];
    for (const file of readdirSync(coreDir).filter((f) => f.endsWith('.ts'))) {
      const source = readFileSync(coreDir + file, 'utf8');
      if (source.includes('stryMutAct_')) continue; // instrumented by the mutation run, which adds its own hooks
      for (const pattern of forbidden) expect(source, `${file} matches ${pattern}`).not.toMatch(pattern);
    }
  });

  it('[core] the same command on the same state gives the same result, and the state given is never mutated', () => {
    const flow = new Flow();
    const { clientId, tokens } = flow.connect();
    const frozen: CoreState = deepFreeze(structuredClone(flow.state));
    const command = { type: 'token' as const, now: flow.now + 5, params: { grant_type: 'refresh_token', client_id: clientId, refresh_token: tokens.refreshToken! }, fresh: { grantId: 'g', jti: 'j', refreshToken: 'r' } };
    const a = step(frozen, flow.config, command);
    const b = step(frozen, flow.config, command);
    expect(a).toEqual(b);
    expect(a.changes.length).toBeGreaterThan(0);
    expect(frozen).toEqual(flow.state);
  });
});
