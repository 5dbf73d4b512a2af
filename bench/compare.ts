// A side-by-side scenario: two targets loaded in turn, round by round (A B, B A, A B, ...), so
// drift on a shared machine hits both alike; the ratio is taken per round, then its median.
import { burst, type Burst } from './load.ts';
import type { Sequence } from './scenarios.ts';
import { ratio, spread, type Spread } from './stats.ts';
import type { Target } from './targets/target.ts';

export interface Contender {
  target: Target;
  /** Built once: a sequence may carry state across rounds (refresh chains). */
  sequence: Sequence;
}

export interface Side {
  name: string;
  perSecond: Spread;
  cpuMicrosPerOp: Spread;
  latencyP99Ms: Spread;
  failures: number;
  rounds: number[];
}

export interface Comparison {
  scenario: string;
  a: Side;
  b: Side;
  /** a / b, median of the per-round ratios. */
  ratio: Spread;
}

export interface CompareOptions {
  rounds: number;
  seconds: number;
  connections: number;
  warmupSeconds: number;
  log: (line: string) => void;
}

function side(name: string, bursts: Burst[]): Side {
  return {
    name,
    perSecond: spread(bursts.map((b) => b.perSecond)),
    cpuMicrosPerOp: spread(bursts.map((b) => b.cpuMicrosPerOp)),
    latencyP99Ms: spread(bursts.map((b) => b.latencyP99Ms)),
    failures: bursts.reduce((sum, b) => sum + b.failures, 0),
    rounds: bursts.map((b) => Math.round(b.perSecond)),
  };
}

export async function compare(scenario: string, a: Contender, b: Contender, options: CompareOptions): Promise<Comparison> {
  const run = (c: Contender, seconds: number) => burst(c.target, c.sequence, { seconds, connections: options.connections });
  for (const c of [a, b]) await run(c, options.warmupSeconds);
  const results = new Map<Contender, Burst[]>([[a, []], [b, []]]);
  for (let round = 0; round < options.rounds; round++) {
    for (const c of round % 2 === 0 ? [a, b] : [b, a]) {
      const result = await run(c, options.seconds);
      results.get(c)!.push(result);
      options.log(`  ${scenario} round ${round + 1} ${c.target.name}: ${Math.round(result.perSecond)}/s, ${Math.round(result.cpuMicrosPerOp)} us CPU/op, p99 ${result.latencyP99Ms} ms${result.failures ? `, ${result.failures} failures` : ''}`);
    }
  }
  const bursts = (c: Contender) => results.get(c)!;
  return {
    scenario,
    a: side(a.target.name, bursts(a)),
    b: side(b.target.name, bursts(b)),
    ratio: ratio(bursts(a).map((r) => r.perSecond), bursts(b).map((r) => r.perSecond)),
  };
}

/** One target alone (sign-ins: the peer has no password check to compare with). */
export async function alone(c: Contender, options: CompareOptions): Promise<Side> {
  const bursts: Burst[] = [];
  for (let round = 0; round < options.rounds; round++) {
    bursts.push(await burst(c.target, c.sequence, { seconds: options.seconds, connections: options.connections }));
  }
  return side(c.target.name, bursts);
}
