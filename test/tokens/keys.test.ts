import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, chmod, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { calculateJwkThumbprint, decodeProtectedHeader, type JWK } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { AccessTokenClaims } from '../../src/core/types.ts';
import {
  createVerifier,
  keyFilePath,
  loadOrCreateKeyRing,
  memoryKeyRing,
  rotateKeys,
  type KeyFile,
  type KeyRing,
  type StoredKey,
} from '../../src/tokens/index.ts';

const ISSUER = 'https://notes.example.com';
const RESOURCE = 'https://notes.example.com/mcp';
const NOW = 1_800_000_000;

function claims(jti: string): AccessTokenClaims {
  return { iss: ISSUER, sub: 'user-1', aud: RESOURCE, client_id: 'client-1', scope: 'notes:read', iat: NOW, exp: NOW + 3600, jti, gid: 'grant-1' };
}

function verifierFor(keys: KeyRing) {
  return createVerifier({ keys, issuer: ISSUER, resource: RESOURCE, isLive: () => true, now: () => NOW });
}

async function modeOf(path: string): Promise<number> {
  return (await stat(path)).mode & 0o777;
}

async function keyFile(dir: string): Promise<KeyFile> {
  return JSON.parse(await readFile(keyFilePath(dir), 'utf8')) as KeyFile;
}

async function writeKeys(dir: string, keys: StoredKey[]): Promise<void> {
  await writeFile(keyFilePath(dir), JSON.stringify({ version: 1, keys }), { mode: 0o600 });
}

const kidOf = async (token: Promise<string>) => decodeProtectedHeader(await token).kid;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'agent-notes-keys-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the key ring on disk', () => {
  it('[tokens][REQ-18] first start creates keys.json with mode 0600, one ES256 and one 2048-bit RS256 key, each named by its thumbprint', async () => {
    const ring = await loadOrCreateKeyRing(dir, { now: () => NOW });
    expect(await modeOf(keyFilePath(dir))).toBe(0o600);
    const file = await keyFile(dir);
    expect(file.version).toBe(1);
    expect(file.keys).toHaveLength(2);
    const [ec, rsa] = file.keys;
    expect(ec).toMatchObject({ alg: 'ES256', createdAt: NOW, privateJwk: { kty: 'EC', crv: 'P-256' } });
    expect(rsa).toMatchObject({ alg: 'RS256', createdAt: NOW, privateJwk: { kty: 'RSA', e: 'AQAB' } });
    expect(Buffer.from(rsa!.privateJwk.n!, 'base64url').length * 8).toBe(2048);
    for (const key of file.keys) {
      expect(typeof key.privateJwk.d).toBe('string');
      expect(key.kid).toBe(await calculateJwkThumbprint(key.privateJwk));
    }
    expect(ring.jwks().keys.map((k) => k.kid)).toEqual([ec?.kid, rsa?.kid]);
    expect(await kidOf(ring.sign(claims('a')))).toBe(ec?.kid);
    expect(await kidOf(ring.signIdToken({ sub: 'user-1' }))).toBe(rsa?.kid);
  });

  it('[tokens] a second start reloads the same key, and tokens from the first start still verify', async () => {
    const first = await loadOrCreateKeyRing(dir);
    const token = await first.sign(claims('before-restart'));
    const second = await loadOrCreateKeyRing(dir);
    expect(second.jwks()).toEqual(first.jwks());
    expect(decodeProtectedHeader(await second.sign(claims('after'))).kid).toBe(decodeProtectedHeader(token).kid);
    expect((await verifierFor(second)(token)).ok).toBe(true);
  });

  it('[tokens] a key file readable by others is narrowed back to 0600', async () => {
    await loadOrCreateKeyRing(dir);
    await chmod(keyFilePath(dir), 0o644);
    await loadOrCreateKeyRing(dir);
    expect(await modeOf(keyFilePath(dir))).toBe(0o600);
  });

  it('[tokens] a missing data directory is created', async () => {
    const nested = join(dir, 'data');
    await loadOrCreateKeyRing(nested);
    expect(await modeOf(keyFilePath(nested))).toBe(0o600);
  });

  it('[tokens] a damaged key file stops the start, is left untouched, and the error quotes no key material', async () => {
    await loadOrCreateKeyRing(dir);
    const original = await readFile(keyFilePath(dir), 'utf8');
    const damaged = original.slice(0, original.length - 20);
    await writeFile(keyFilePath(dir), damaged);
    const error = await loadOrCreateKeyRing(dir).then(() => undefined, (e: unknown) => e as Error);
    expect(error?.message).toMatch(/not valid JSON/);
    const d = (JSON.parse(original) as KeyFile).keys[0]?.privateJwk.d ?? '';
    expect(error?.message).not.toContain(d.slice(0, 8));
    expect(await readFile(keyFilePath(dir), 'utf8')).toBe(damaged);
  });

  it('[tokens] a key whose kid is not its thumbprint is refused', async () => {
    await loadOrCreateKeyRing(dir);
    const file = await keyFile(dir);
    file.keys[0]!.kid = 'someone-else';
    await writeFile(keyFilePath(dir), JSON.stringify(file));
    await expect(loadOrCreateKeyRing(dir)).rejects.toThrow(/thumbprint/);
  });

  it('[tokens][REQ-18] rotation adds a key of each algorithm, signs with the new ones and keeps the old ones published', async () => {
    const before = await loadOrCreateKeyRing(dir);
    const oldToken = await before.sign(claims('old'));
    const oldKid = decodeProtectedHeader(oldToken).kid;
    const oldIdKid = await kidOf(before.signIdToken({ sub: 'user-1' }));
    const after = await rotateKeys(dir, { now: () => NOW });
    const newToken = await after.sign(claims('new'));
    const newKid = decodeProtectedHeader(newToken).kid;
    const newIdKid = await kidOf(after.signIdToken({ sub: 'user-1' }));
    expect(newKid).not.toBe(oldKid);
    expect(newIdKid).not.toBe(oldIdKid);
    expect(after.jwks().keys.map((k) => [k.alg, k.kid])).toEqual([['ES256', oldKid], ['RS256', oldIdKid], ['ES256', newKid], ['RS256', newIdKid]]);
    expect((await keyFile(dir)).keys.slice(2).map((k) => [k.alg, k.createdAt])).toEqual([['ES256', NOW], ['RS256', NOW]]);
    const verify = verifierFor(after);
    expect((await verify(oldToken)).ok).toBe(true);
    expect((await verify(newToken)).ok).toBe(true);
    const reloaded = await loadOrCreateKeyRing(dir);
    expect(await kidOf(reloaded.sign(claims('later')))).toBe(newKid);
    expect(await kidOf(reloaded.signIdToken({ sub: 'user-1' }))).toBe(newIdKid);
    expect(await modeOf(keyFilePath(dir))).toBe(0o600);
  });

  it('[tokens][REQ-18] a keys.json from before ID tokens (ES256 only) gains an RS256 key at load, written back; the ES256 key is kept', async () => {
    await loadOrCreateKeyRing(dir);
    const [ec] = (await keyFile(dir)).keys;
    await writeKeys(dir, [ec!]);
    const old = await loadOrCreateKeyRing(dir, { now: () => NOW });
    const upgraded = await keyFile(dir);
    expect(upgraded.keys.map((k) => k.alg)).toEqual(['ES256', 'RS256']);
    expect(upgraded.keys[0]).toEqual(ec);
    expect(upgraded.keys[1]).toMatchObject({ createdAt: NOW, privateJwk: { kty: 'RSA' } });
    expect(await modeOf(keyFilePath(dir))).toBe(0o600);
    expect(await kidOf(old.sign(claims('a')))).toBe(ec?.kid);
    expect(await kidOf(old.signIdToken({ sub: 'user-1' }))).toBe(upgraded.keys[1]?.kid);
    // The next start finds both and writes nothing.
    const again = await loadOrCreateKeyRing(dir);
    expect(await keyFile(dir)).toEqual(upgraded);
    expect(again.jwks()).toEqual(old.jwks());
  });

  it('[tokens] a damaged ES256-only file is refused before any RS256 key is added to it', async () => {
    await loadOrCreateKeyRing(dir);
    const [ec] = (await keyFile(dir)).keys;
    await writeKeys(dir, [{ ...ec!, kid: 'someone-else' }]);
    const before = await readFile(keyFilePath(dir), 'utf8');
    await expect(loadOrCreateKeyRing(dir)).rejects.toThrow(/thumbprint/);
    expect(await readFile(keyFilePath(dir), 'utf8')).toBe(before);
  });

  it('[tokens] an RS256 key shorter than 2048 bits, or an EC key filed as RS256, is refused', async () => {
    await loadOrCreateKeyRing(dir);
    const [ec] = (await keyFile(dir)).keys;
    // jose will not make a key this small, so node:crypto makes the fixture.
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'jwk' }) as JWK;
    await writeKeys(dir, [ec!, { kid: await calculateJwkThumbprint(weak), alg: 'RS256', createdAt: NOW, privateJwk: weak }]);
    await expect(loadOrCreateKeyRing(dir)).rejects.toThrow(/shorter than 2048 bits/);
    await writeKeys(dir, [ec!, { ...ec!, alg: 'RS256' }]);
    await expect(loadOrCreateKeyRing(dir)).rejects.toThrow(/not an RSA key/);
  });

  it('[tokens] a key file entry with an algorithm we do not sign with is refused', async () => {
    await loadOrCreateKeyRing(dir);
    const [ec] = (await keyFile(dir)).keys;
    await writeKeys(dir, [{ ...ec!, alg: 'PS256' as 'RS256' }]);
    await expect(loadOrCreateKeyRing(dir)).rejects.toThrow(/key 0 is not \{ kid, alg: 'ES256' or 'RS256'/);
  });
});

describe('the public key set', () => {
  /** The members RFC 7517/7518 define as private: `d` for EC, and `d`, the primes and CRT values for RSA. */
  const PRIVATE = /"(d|p|q|dp|dq|qi|oth|k)"/;

  function expectPublicOnly(ring: KeyRing) {
    const { keys } = ring.jwks();
    expect(keys.map((key) => key.alg).sort()).toEqual(expect.arrayContaining(['ES256', 'RS256']));
    for (const key of keys) {
      if (key.kty === 'EC') {
        expect(Object.keys(key).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
        expect(key).toMatchObject({ crv: 'P-256', alg: 'ES256', use: 'sig' });
      } else {
        expect(Object.keys(key).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
        expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
      }
    }
    expect(JSON.stringify(ring.jwks())).not.toMatch(PRIVATE);
  }

  it('[tokens][REQ-18] the JWKS publishes ES256 and RS256 keys with public members only, never d, p, q, dp, dq or qi (memory, file and rotated rings)', async () => {
    expectPublicOnly(await memoryKeyRing());
    expectPublicOnly(await loadOrCreateKeyRing(dir));
    expectPublicOnly(await rotateKeys(dir));
  });

  it('[tokens] memory rings in one process share their RS256 key (slow to make) but never their ES256 key', async () => {
    const [one, two] = [await memoryKeyRing(), await memoryKeyRing()];
    const kids = (ring: KeyRing, kty: string) => ring.jwks().keys.filter((key) => key.kty === kty).map((key) => key.kid);
    expect(kids(one, 'RSA')).toEqual(kids(two, 'RSA'));
    expect(kids(one, 'EC')).not.toEqual(kids(two, 'EC'));
    expect((await verifierFor(two)(await one.sign(claims('foreign')))).ok).toBe(false);
  });

  it('[tokens] the JWKS document cannot be altered by its callers', async () => {
    const ring = await memoryKeyRing();
    expect(() => ring.jwks().keys.push({ kty: 'oct' })).toThrow();
    expect(ring.jwks().keys).toHaveLength(2);
  });
});
