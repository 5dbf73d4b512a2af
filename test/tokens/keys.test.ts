import { mkdtemp, readFile, rm, stat, chmod, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { calculateJwkThumbprint, decodeProtectedHeader } from 'jose';
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

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'agent-notes-keys-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the key ring on disk', () => {
  it('[tokens] first start creates keys.json with mode 0600 and one ES256 key named by its thumbprint', async () => {
    const ring = await loadOrCreateKeyRing(dir, { now: () => NOW });
    expect(await modeOf(keyFilePath(dir))).toBe(0o600);
    const file = await keyFile(dir);
    expect(file.version).toBe(1);
    expect(file.keys).toHaveLength(1);
    const [key] = file.keys;
    expect(key).toMatchObject({ alg: 'ES256', createdAt: NOW, privateJwk: { kty: 'EC', crv: 'P-256' } });
    expect(typeof key?.privateJwk.d).toBe('string');
    expect(key?.kid).toBe(await calculateJwkThumbprint(key!.privateJwk));
    expect(ring.jwks().keys.map((k) => k.kid)).toEqual([key?.kid]);
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

  it('[tokens] rotation signs new tokens with the new key and keeps old tokens verifiable', async () => {
    const before = await loadOrCreateKeyRing(dir);
    const oldToken = await before.sign(claims('old'));
    const after = await rotateKeys(dir);
    const newToken = await after.sign(claims('new'));
    const oldKid = decodeProtectedHeader(oldToken).kid;
    const newKid = decodeProtectedHeader(newToken).kid;
    expect(newKid).not.toBe(oldKid);
    expect(after.jwks().keys.map((k) => k.kid)).toEqual([oldKid, newKid]);
    const verify = verifierFor(after);
    expect((await verify(oldToken)).ok).toBe(true);
    expect((await verify(newToken)).ok).toBe(true);
    const reloaded = await loadOrCreateKeyRing(dir);
    expect(decodeProtectedHeader(await reloaded.sign(claims('later'))).kid).toBe(newKid);
    expect(await modeOf(keyFilePath(dir))).toBe(0o600);
  });
});

describe('the public key set', () => {
  function expectPublicOnly(ring: KeyRing) {
    const { keys } = ring.jwks();
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      expect(Object.keys(key).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
      expect(key).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    }
    expect(JSON.stringify(ring.jwks())).not.toMatch(/"d"/);
  }

  it('[tokens] the JWKS never contains the private member d (memory, file and rotated rings)', async () => {
    expectPublicOnly(await memoryKeyRing());
    expectPublicOnly(await loadOrCreateKeyRing(dir));
    expectPublicOnly(await rotateKeys(dir));
  });

  it('[tokens] the JWKS document cannot be altered by its callers', async () => {
    const ring = await memoryKeyRing();
    expect(() => ring.jwks().keys.push({ kty: 'oct' })).toThrow();
    expect(ring.jwks().keys).toHaveLength(1);
  });
});
