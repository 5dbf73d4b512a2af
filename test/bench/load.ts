// One measured burst of load: autocannon against a target for a fixed time, with the target's CPU
// time read before and after, so every figure comes with its server-side cost per operation.
import autocannon from 'autocannon';
import type { BenchRequest, Target } from './targets/target.ts';

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
  /** Counts operations instead of answers (a flow is several requests). */
  counter?: { ok: () => number; failed: () => number };
}

export async function burst(target: Target, requests: BenchRequest[], options: BurstOptions): Promise<Burst> {
  const before = await target.usage();
  const okBefore = options.counter?.ok() ?? 0;
  const failedBefore = options.counter?.failed() ?? 0;
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
  const operations = options.counter ? options.counter.ok() - okBefore : answered;
  const failures = (options.counter ? options.counter.failed() - failedBefore : 0) + result.non2xx - result['3xx'] + result.errors + result.timeouts;
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
