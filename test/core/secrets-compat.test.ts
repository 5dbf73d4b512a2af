// Hashes and seals are kept on disk: a faster way of computing them must give the same bytes, or
// every stored client secret, code and refresh token would stop matching after an upgrade. The
// vectors were made with the first implementation (createHash, two updates for the seal key).
import { describe, expect, it } from 'vitest';
import { hashSecret, openSuccessor, sealSuccessor } from '../../src/core/secrets.ts';

describe('[secrets] stored hashes and seals survive an upgrade', () => {
  it('[REQ-16] hashSecret gives the SHA-256 (UTF-8, base64url) that earlier versions stored', () => {
    expect(hashSecret('refresh-token-é')).toBe('zh72KqFlViiYc9k0hM8PSvMbpxD9hBvWTxBFC0lCCiY');
    expect(hashSecret('abc')).toBe('ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
  });

  it('[REQ-16][EC-31] a successor sealed by an earlier version still opens, and seals the same way', () => {
    const sealed = 'RWlpTllU8vJnE7HKj7pUrazYRxpmSQm0nP2mRwBDPA';
    expect(openSuccessor('predecessor-token', sealed)).toBe('successor-token');
    expect(sealSuccessor('predecessor-token', 'successor-token')).toBe(sealed);
    expect(openSuccessor('another-token', sealed)).toBeUndefined();
  });
});
