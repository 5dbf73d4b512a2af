// The request sequences of each scenario, built from a target's own request shapes.
import { Counter } from './load.ts';
import type { BenchRequest, Chain, OAuthTarget } from './targets/target.ts';

export interface Sequence {
  requests: BenchRequest[];
  counter?: Counter;
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
  type Held = { chain?: Chain };
  const request: BenchRequest = {
    method: 'POST',
    setupRequest(request, context: Held) {
      const chain = ready.pop() ?? spares.pop();
      if (chain === undefined) throw new Error('every refresh chain failed');
      context.chain = chain;
      return { ...request, ...target.refreshRequest(chain) }; // keeps autocannon's host and port
    },
    onResponse(status, body, context: Held) {
      const successor = target.successor(status, body);
      counter.done(successor !== undefined);
      if (successor !== undefined && context.chain) ready.push({ ...context.chain, refreshToken: successor });
      else ready.push(spares.pop() ?? failedAll());
    },
  };
  return { requests: [request], counter };
}

function failedAll(): never {
  throw new Error('every refresh chain failed');
}

export function flowSequence(target: OAuthTarget): Sequence {
  const counter = new Counter();
  return { requests: target.flowRequests(counter.done), counter };
}

export function registerSequence(target: OAuthTarget): Sequence {
  return { requests: [target.registration()] };
}
