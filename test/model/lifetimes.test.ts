// Three places state the lifetimes: the Decisions in chatgpt-apps/auth.md, the model's own table
// and the core's default configuration. The model runs compare the model with the core, so they
// would miss a default changed on both sides at once; this test pins all three to the document.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GRACE_RETRIES, LIFETIMES } from '../../model/lifetimes.ts';
import { MAX_GRACE_RETRIES } from '../../src/core/refresh.ts';
import { defaultConfig } from '../../src/core/config.ts';
import { ASSERTION_MAX_AHEAD, NOT_BEFORE_SKEW } from '../../src/core/client-assertion.ts';
import { CLOCK_TOLERANCE } from '../../src/tokens/verify.ts';

const HEADINGS: Record<keyof typeof LIFETIMES, string> = {
  pendingTtl: 'Pending authorization request lifetime',
  codeTtl: 'Code lifetime',
  accessTokenTtl: 'Access token lifetime',
  accessTokenTolerance: 'Access token clock tolerance',
  refreshTokenTtl: 'Refresh token lifetime',
  refreshGrace: 'Refresh grace window',
  reuseDetection: 'Reuse-detection memory',
  unusedClientTtl: 'Unused client lifetime',
  idleClientTtl: 'Idle client lifetime',
  assertionMaxAhead: 'Client assertion lifetime',
  assertionNotBeforeSkew: 'Client assertion not-before skew',
};

const UNIT: Record<string, number> = { second: 1, seconds: 1, minute: 60, minutes: 60, hour: 3600, hours: 3600, day: 86400, days: 86400 };

/** The number of seconds a Decisions heading such as "### Code lifetime: 300 seconds" states. */
function documented(text: string, heading: string): number {
  const decisions = text.slice(text.indexOf('\n## Decisions'));
  const match = new RegExp(`^### ${heading}: (\\d+) (\\w+)`, 'm').exec(decisions);
  if (!match) throw new Error(`auth.md has no Decisions heading "${heading}: <n> <unit>"`);
  const unit = UNIT[match[2] ?? ''];
  if (unit === undefined) throw new Error(`unknown unit in "${match[0]}"`);
  return Number(match[1]) * unit;
}

describe('lifetimes: the document, the model and the core agree', () => {
  const text = readFileSync(new URL('../../chatgpt-apps/auth.md', import.meta.url), 'utf8');
  // The tolerance belongs to the token verifier, the assertion bounds are the core's constants.
  const core = { ...defaultConfig('https://notes.example.com'), accessTokenTolerance: CLOCK_TOLERANCE, assertionMaxAhead: ASSERTION_MAX_AHEAD, assertionNotBeforeSkew: NOT_BEFORE_SKEW };

  it.each(Object.entries(HEADINGS) as [keyof typeof LIFETIMES, string][])('[MCP-40][REQ-16][RFC9700-07] %s is what the Decisions say, in the model and in the core', (key, heading) => {
    const seconds = documented(text, heading);
    expect(LIFETIMES[key], `model/lifetimes.ts ${key}`).toBe(seconds);
    expect(core[key], key === 'accessTokenTolerance' ? 'CLOCK_TOLERANCE in src/tokens/verify.ts' : key.startsWith('assertion') ? `the ${key} constant of src/core/client-assertion.ts` : `defaultConfig().${key}`).toBe(seconds);
  });

  it('[REQ-16][EC-31] the grace retry cap is what the Decisions say, in the model and in the core', () => {
    const text = readFileSync(new URL('../../chatgpt-apps/auth.md', import.meta.url), 'utf8');
    const match = /^### Grace retries: (\d+) per rotation/m.exec(text.slice(text.indexOf('\n## Decisions')));
    expect(match, 'auth.md has no Decisions heading "Grace retries: <n> per rotation"').not.toBeNull();
    expect(GRACE_RETRIES).toBe(Number(match![1]));
    expect(MAX_GRACE_RETRIES).toBe(Number(match![1]));
  });

  it('[model] a heading that states another unit or is missing is reported, not read as zero', () => {
    expect(documented('\n## Decisions\n### Code lifetime: 5 minutes\n', 'Code lifetime')).toBe(300);
    expect(() => documented('\n## Decisions\n', 'Code lifetime')).toThrow(/no Decisions heading/);
    expect(() => documented('\n## Decisions\n### Code lifetime: 5 fortnights\n', 'Code lifetime')).toThrow(/unknown unit/);
  });
});
