// Fresh random values (ids, codes, tokens): 256 bits from the operating system's CSPRNG, base64url.
// Drawn from a pool refilled 8 KB at a time: one randomFillSync per 256 values instead of one per
// value (a token request needs three), the same trick Node's own randomUUID uses.
import { randomFillSync } from 'node:crypto';

const VALUE_BYTES = 32;
const POOL_BYTES = VALUE_BYTES * 256;

export function freshValues(): () => string {
  const pool = Buffer.alloc(POOL_BYTES);
  let offset = POOL_BYTES;
  return () => {
    if (offset === POOL_BYTES) {
      randomFillSync(pool);
      offset = 0;
    }
    const value = pool.toString('base64url', offset, offset + VALUE_BYTES);
    // Each byte is handed out once: wipe what was used so no value outlives its draw in memory.
    pool.fill(0, offset, offset + VALUE_BYTES);
    offset += VALUE_BYTES;
    return value;
  };
}
