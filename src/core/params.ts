// Reading request parameters the way the rules want: a repeated parameter is an error (RFC 6749
// §3.1), except where a rule allows repetition (`resource`, RFC 8707). An empty value counts as
// absent, and a one-element list as its single value.
import type { Params } from './types.ts';

export function isRepeated(params: Params, name: string): boolean {
  const value = params[name];
  return Array.isArray(value) && value.length > 1;
}

/** Names of parameters that arrived more than once, except those allowed to repeat. */
export function repeatedParams(params: Params, allowed: readonly string[] = []): string[] {
  return Object.keys(params).filter((name) => isRepeated(params, name) && !allowed.includes(name));
}

/** A single-valued parameter; `undefined` when absent, empty or repeated. */
export function single(params: Params, name: string): string | undefined {
  const raw = params[name];
  const value = Array.isArray(raw) ? (raw.length === 1 ? raw[0] : undefined) : raw;
  return value === '' ? undefined : value;
}

/** Every non-empty value of a parameter that may repeat. */
export function all(params: Params, name: string): string[] {
  const value = params[name];
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return values.filter((v) => v !== '');
}
