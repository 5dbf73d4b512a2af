// Turns a query string or a form body into the core's `Params`: a repeated name becomes a list, so
// the core can refuse it where the rules say so.
import type { Params } from '../../core/index.ts';

export function paramsFrom(search: URLSearchParams): Params {
  const params: Params = {};
  for (const name of new Set(search.keys())) {
    const values = search.getAll(name);
    params[name] = values.length === 1 ? values[0] : values;
  }
  return params;
}
