// One measured burst of load: autocannon against a target for a fixed time, with the target's CPU
// time read before and after, so every figure comes with its server-side cost per operation.
import autocannon from 'autocannon';
import type { Sequence } from './scenarios.ts';
import type { Target } from './targets/target.ts';

export interface Burst {
  /** Successful operations per second (2xx answers, or completed sequences when counted). */
  perSecond: number;
  operations: number;
  /** Answers that were not 2xx/3xx, connection errors and timeouts, failed sequences. */
  failures: number;
  /** Server CPU time (user + system) per successful operation, in microseconds. */
  cpuMicrosPerOp: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMaxMs: number;
}

export interface BurstOptions {
  connections?: number;
  seconds: number;
}

/** Loads `target` with `sequence` for `seconds`; a sequence with a counter counts its operations instead of answers. */
export async function burst(target: Target, sequence: Sequence, options: BurstOptions): Promise<Burst> {
  const { requests } = sequence;
  const counter = sequence.counter;
  await sequence.prepare?.();
  const before = await target.usage();
  const okBefore = counter?.ok() ?? 0;
  const failedBefore = counter?.failed() ?? 0;
  const result = await autocannon({
    url: target.url,
    connections: options.connections ?? 10,
    duration: options.seconds,
    // autocannon's typings leave out the undefined a setupRequest may return to restart a sequence.
    requests: requests as unknown as autocannon.Request[],
    timeout: 30,
  });
  const after = await target.usage();
  const answered = result['2xx'] + result['3xx'];
  const operations = counter ? counter.ok() - okBefore : answered;
  const failures = (counter ? counter.failed() - failedBefore : 0) + result.non2xx - result['3xx'] + result.errors + result.timeouts;
  return {
    perSecond: operations / options.seconds,
    operations,
    failures,
    cpuMicrosPerOp: operations === 0 ? Number.NaN : (after.cpuMicros - before.cpuMicros) / operations,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    latencyMaxMs: result.latency.max,
  };
}

/** Counts completed sequences (flows, sign-ins) reported through `done(ok)`. */
export class Counter {
  #ok = 0;
  #failed = 0;
  readonly done = (ok: boolean): void => {
    if (ok) this.#ok++;
    else this.#failed++;
  };
  readonly ok = (): number => this.#ok;
  readonly failed = (): number => this.#failed;
}
