import { describe, expect, it } from 'vitest';
import {
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
  hashPassword,
  passwordProblem,
  verifyPassword,
} from '../../src/accounts/index.ts';

describe('[accounts] passwords', () => {
  it('[accounts] hashes are argon2id and verify the right password only', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash.startsWith('$argon2id$')).toBe(true);
    expect(hash).not.toContain('correct horse battery');
    expect(await verifyPassword(hash, 'correct horse battery')).toBe(true);
    expect(await verifyPassword(hash, 'correct horse batterY')).toBe(false);
    expect(await hashPassword('correct horse battery')).not.toBe(hash);
  });

  it.each(['', 'not-a-hash', '$argon2id$v=19$m=65536,t=3,p=4$broken', '$2b$10$abcdefghijklmnopqrstuv'])(
    '[accounts] verifying against a malformed hash %j is false, never a throw',
    async (hash) => {
      await expect(verifyPassword(hash, 'whatever password')).resolves.toBe(false);
    },
  );

  it('[accounts] an oversized password is refused before any hashing', async () => {
    const hash = await hashPassword('a'.repeat(MAX_PASSWORD_LENGTH));
    expect(await verifyPassword(hash, 'a'.repeat(MAX_PASSWORD_LENGTH + 1))).toBe(false);
    await expect(hashPassword('a'.repeat(MAX_PASSWORD_LENGTH + 1))).rejects.toThrow(RangeError);
  });

  it('[accounts] new passwords need 10 to 1024 characters and a matching confirmation', async () => {
    expect(MIN_PASSWORD_LENGTH).toBe(10);
    expect(MAX_PASSWORD_LENGTH).toBe(1024);
    expect(passwordProblem('a'.repeat(9))).toBe('password_too_short');
    expect(passwordProblem('a'.repeat(10))).toBeUndefined();
    expect(passwordProblem('a'.repeat(1025))).toBe('password_too_long');
    expect(passwordProblem('a'.repeat(10), 'a'.repeat(11))).toBe('password_mismatch');
    expect(passwordProblem('a'.repeat(10), 'a'.repeat(10))).toBeUndefined();
    expect(passwordProblem('🔑'.repeat(5))).toBeUndefined();
    await expect(hashPassword('short')).rejects.toThrow('password_too_short');
  });
});
