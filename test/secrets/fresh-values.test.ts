// Fresh values come from a pooled CSPRNG draw; the pool must never hand out the same bytes twice.
import { describe, expect, it } from 'vitest';
import { freshValues } from '../../src/fresh-values.ts';

describe('[secrets] fresh random values', () => {
  it('[secrets] values are 256-bit base64url and never repeat across pool refills', () => {
    const fresh = freshValues();
    const seen = new Set<string>();
    for (let i = 0; i < 256 * 4 + 3; i++) {
      const value = fresh();
      expect(value).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(seen.has(value), `value ${i} repeated`).toBe(false);
      seen.add(value);
    }
  });

  it('[secrets] two generators draw independently', () => {
    const a = freshValues();
    const b = freshValues();
    expect(a()).not.toBe(b());
  });
});
