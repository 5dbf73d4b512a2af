// Summaries of repeated measurements: median with min and max, and ratios taken round by round.

export interface Spread {
  median: number;
  min: number;
  max: number;
}

export function spread(values: readonly number[]): Spread {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN };
  const middle = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { median, min: sorted[0]!, max: sorted.at(-1)! };
}

/** The median of per-round ratios a[i] / b[i]: each ratio compares two runs made back to back. */
export function ratio(a: readonly number[], b: readonly number[]): Spread {
  return spread(a.map((value, i) => value / (b[i] ?? Number.NaN)));
}

export function figure(value: number, digits = 0): string {
  if (!Number.isFinite(value)) return 'n/a';
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export function spreadText(s: Spread, digits = 0): string {
  return `${figure(s.median, digits)} (${figure(s.min, digits)}-${figure(s.max, digits)})`;
}
