// Reading request parameters the way the rules want: a repeated parameter is an error (RFC 6749
// §3.1), except where a rule allows repetition (`resource`, RFC 8707). Empty means absent.
import type { Params } from './types.ts';

/** Names of parameters that arrived more than once, except those allowed to repeat. */
export function repeatedParams(params: Params, allowed: readonly string[] = []): string[] {
  return Object.keys(params).filter((name) => Array.isArray(params[name]) && !allowed.includes(name));
}

/** A single-valued parameter; `undefined` when absent or empty. Call after `repeatedParams`. */
export function single(params: Params, name: string): string | undefined {
  const value = params[name];
  if (typeof value !== 'string' || value === '') return undefined;
  return value;
}

/** Every non-empty value of a parameter that may repeat. */
export function all(params: Params, name: string): string[] {
  const value = params[name];
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return values.filter((v) => v !== '');
}

export function isRepeated(params: Params, name: string): boolean {
  return Array.isArray(params[name]);
}
