// Just enough JSON-RPC for the gate: a peek at a parsed body to learn which tools it calls (the
// scopes must be known before dispatch). Error bodies are built in `http/middleware/json-rpc-error.ts`,
// which the middleware's refusals share.
import type { JsonRpcId } from '../http/middleware/json-rpc-error.ts';

export type { JsonRpcId } from '../http/middleware/json-rpc-error.ts';

export interface PeekedMessage {
  method: string | undefined;
  /** `params.name` of a `tools/call`, as sent (not checked). */
  toolName: unknown;
}

function peek(message: unknown): PeekedMessage {
  if (typeof message !== 'object' || message === null) return { method: undefined, toolName: undefined };
  const { method, params } = message as { method?: unknown; params?: unknown };
  const toolName = typeof params === 'object' && params !== null ? (params as { name?: unknown }).name : undefined;
  return { method: typeof method === 'string' ? method : undefined, toolName };
}

/** Every message of a body: one, or each member of a (2025-03-26) batch. */
export function messagesIn(body: unknown): PeekedMessage[] {
  return Array.isArray(body) ? body.map(peek) : [peek(body)];
}

/** The `id` of a single request, to echo in an error answer; `null` for anything else. */
export function requestIdOf(body: unknown): JsonRpcId {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const { id } = body as { id?: unknown };
  return typeof id === 'string' || typeof id === 'number' ? id : null;
}

/** Every scope the body's `tools/call` requests need, given each tool's own requirement. */
export function scopesNeeded(body: unknown, scopesFor: (toolName: unknown) => readonly string[]): string[] {
  const needed = new Set<string>();
  for (const message of messagesIn(body)) {
    if (message.method === 'tools/call') for (const scope of scopesFor(message.toolName)) needed.add(scope);
  }
  return [...needed].sort();
}
