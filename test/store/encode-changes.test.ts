// The journal's line format is fixed: encodeChanges writes it by hand for speed, and must produce
// exactly what JSON.stringify of the change objects would, for any collection, key and value.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeChanges } from '../../src/store/memory-store.ts';
import type { Change } from '../../src/records/index.ts';

const change: fc.Arbitrary<Change> = fc.oneof(
  fc.record({ op: fc.constant('put' as const), collection: fc.string(), key: fc.string(), value: fc.jsonValue().filter((v) => v !== undefined) }),
  fc.record({ op: fc.constant('delete' as const), collection: fc.string(), key: fc.string() }),
);

describe('[store] journal line encoding', () => {
  it('[store] encodeChanges is byte for byte JSON.stringify of { op, collection, key, value } and parses back', () => {
    fc.assert(
      fc.property(fc.array(change, { maxLength: 6 }), (changes) => {
        const expected = JSON.stringify(changes.map((c) => (c.op === 'put' ? { op: c.op, collection: c.collection, key: c.key, value: c.value } : { op: c.op, collection: c.collection, key: c.key })));
        const encoded = encodeChanges(changes);
        expect(encoded).toBe(expected);
        expect(JSON.parse(encoded)).toEqual(JSON.parse(expected));
      }),
      { numRuns: 500 },
    );
  });

  it('[store] a put without a value is refused rather than written', () => {
    expect(() => encodeChanges([{ op: 'put', collection: 'grants', key: 'g', value: undefined }])).toThrow(/no value/);
  });
});
