import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { loadOrCreateKeyRing, memoryKeyRing, rotateKeys, type KeyRing } from '../../src/tokens/index.ts';

const NOW = 1_800_000_000;
const CLAIMS = {
  iss: 'https://notes.example.com',
  sub: 'user-1',
  aud: 'client-1',
  iat: NOW,
  exp: NOW + 300,
  auth_time: NOW - 60,
  nonce: 'n-0S6_WzA2Mj',
  email: 'alice@example.com',
  email_verified: false,
};

/** What a relying party does: verify against our published JWKS, accepting RS256 only. */
function verifyAsRelyingParty(ring: KeyRing, token: string) {
  return jwtVerify(token, createLocalJWKSet(ring.jwks()), {
    algorithms: ['RS256'],
    issuer: CLAIMS.iss,
    audience: CLAIMS.aud,
    currentDate: new Date(NOW * 1000),
  });
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'agent-notes-id-token-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('signing ID tokens', () => {
  it.each([
    ['memory', () => memoryKeyRing()],
    ['file', () => loadOrCreateKeyRing(dir)],
  ])('[REQ-18] an ID token from a %s ring verifies with RS256 against the ring\'s JWKS, its kid naming the RSA key', async (_kind, makeRing) => {
    const ring = await makeRing();
    const token = await ring.signIdToken(CLAIMS);
    const { payload, protectedHeader } = await verifyAsRelyingParty(ring, token);
    expect(payload).toEqual(CLAIMS);
    const rsaKeys = ring.jwks().keys.filter((key) => key.kty === 'RSA');
    expect(rsaKeys).toHaveLength(1);
    expect(protectedHeader).toEqual({ alg: 'RS256', kid: rsaKeys[0]?.kid, typ: 'JWT' });
    expect(rsaKeys[0]).toMatchObject({ alg: 'RS256', use: 'sig' });
  });

  it('[REQ-18] the payload is exactly the claims given, with no iat added by the library', async () => {
    const ring = await memoryKeyRing();
    const claims = { ...CLAIMS, iat: 1_000, exp: 2_000 }; // far from the wall clock on purpose
    expect(decodeJwt(await ring.signIdToken(claims))).toEqual(claims);
    const { iat: _iat, ...withoutIat } = claims;
    expect(decodeJwt(await ring.signIdToken(withoutIat))).toEqual(withoutIat);
  });

  it('[REQ-18] after rotation ID tokens carry the new RSA kid, and those signed before still verify', async () => {
    const before = await loadOrCreateKeyRing(dir);
    const old = await before.signIdToken(CLAIMS);
    const after = await rotateKeys(dir);
    const fresh = await after.signIdToken(CLAIMS);
    expect(decodeProtectedHeader(fresh).kid).not.toBe(decodeProtectedHeader(old).kid);
    expect(decodeProtectedHeader(fresh).kid).toBe(after.jwks().keys.filter((key) => key.kty === 'RSA').at(-1)?.kid);
    for (const token of [old, fresh]) expect((await verifyAsRelyingParty(after, token)).payload).toEqual(CLAIMS);
  });

  it('[REQ-18] an ID token does not verify when only ES256 is accepted', async () => {
    const ring = await memoryKeyRing();
    const token = await ring.signIdToken(CLAIMS);
    await expect(jwtVerify(token, createLocalJWKSet(ring.jwks()), { algorithms: ['ES256'], currentDate: new Date(NOW * 1000) })).rejects.toMatchObject({ code: 'ERR_JOSE_ALG_NOT_ALLOWED' });
  });
});
