// The request sequences of each scenario, built from a target's own request shapes.
import { Counter } from './load.ts';
import type { BenchRequest, Chain, OAuthTarget } from './targets/target.ts';

export interface Sequence {
  requests: BenchRequest[];
  counter?: Counter;
  /** Called before each burst (a refresh sequence replaces chains cut off by the last one). */
  prepare?(): Promise<void>;
}

/**
 * Refresh grants along rotating chains. autocannon hands a connection's answer to `onResponse`
 * before it builds that connection's next request, so a stack (last in, first out) gives every
 * connection back the chain it just advanced: each chain is followed by one client at a time, as a
 * real client would. A chain that fails is replaced from the spares and counted.
 */
export function refreshSequence(target: OAuthTarget, chains: Chain[], connections: number): Sequence {
  if (chains.length <= connections) throw new Error(`refresh needs more chains (${chains.length}) than connections (${connections})`);
  const ready = chains.slice(0, connections);
  const spares = chains.slice(connections);
  const counter = new Counter();
  // Requests still in flight when a burst ends are dropped unanswered, so whether their token was
  // rotated is unknown (the peer has no grace window: presenting it again would revoke the chain).
  // Before the next burst they are replaced by fresh chains, made outside any measurement.
  const inFlight = new Set<Chain>();
  type Held = { chain?: Chain };
  const request: BenchRequest = {
    method: 'POST',
    setupRequest(request, context: Held) {
      const chain = ready.pop() ?? spares.pop();
      if (chain === undefined) throw new Error('every refresh chain failed');
      inFlight.add(chain);
      context.chain = chain;
      return { ...request, ...target.refreshRequest(chain) }; // keeps autocannon's host and port
    },
    onResponse(status, body, context: Held) {
      const successor = target.successor(status, body);
      counter.done(successor !== undefined);
      if (context.chain) inFlight.delete(context.chain);
      if (successor !== undefined && context.chain) ready.push({ ...context.chain, refreshToken: successor });
      else {
        const spare = spares.pop();
        if (spare === undefined) throw new Error('every refresh chain failed');
        ready.push(spare);
      }
    },
  };
  const prepare = async () => {
    if (inFlight.size === 0) return;
    const lost = inFlight.size;
    inFlight.clear();
    ready.push(...(await retried(() => target.chains(lost))));
  };
  return { requests: [request], counter, prepare };
}

/**
 * Retries `work` after a pause: after a burst, pooled keep-alive connections the server timed out
 * meanwhile make fetches fail with "other side closed" until the event loop has seen them close.
 */
async function retried<T>(work: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

export function flowSequence(target: OAuthTarget): Sequence {
  const counter = new Counter();
  return { requests: target.flowRequests(counter.done), counter };
}

export function registerSequence(target: OAuthTarget): Sequence {
  return { requests: [target.registration()] };
}
