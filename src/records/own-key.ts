// Writing a record under any key, `__proto__` included: plain assignment of that key would set the
// object's prototype instead of storing a record (and JSON.parse at restart would then disagree).

/** Stores `value` as an own, enumerable property `key` of `records`. */
export function setOwn<T>(records: Record<string, unknown>, key: string, value: T): T {
  if (key === '__proto__') Object.defineProperty(records, key, { value, writable: true, enumerable: true, configurable: true });
  else records[key] = value;
  return value;
}
