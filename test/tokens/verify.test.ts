import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { SignJWT, base64url, generateKeyPair, importJWK, type CryptoKey, type JWTPayload } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import type { AccessTokenClaims } from '../../src/core/types.ts';
import {
  createVerifier,
  keyFilePath,
  loadOrCreateKeyRing,
  memoryKeyRing,
  type KeyFile,
  type KeyRing,
  type StoredKey,
  type Verification,
} from '../../src/tokens/index.ts';

const ISSUER = 'https://notes.example.com';
const RESOURCE = 'https://notes.example.com/mcp';
const T0 = 1_800_000_000;

function claimsAt(now: number, overrides: Partial<AccessTokenClaims> = {}): AccessTokenClaims {
  return {
    iss: ISSUER,
    sub: 'user-1',
    aud: RESOURCE,
    client_id: 'client-1',
    scope: 'notes:read notes:write',
    iat: now,
    exp: now + 3600,
    jti: 'jti-1',
    gid: 'grant-1',
    ...overrides,
  };
}

// One file-backed ring for the whole file, so tests can also forge tokens with its private key.
let dir: string;
let ring: KeyRing;
let kid: string;
let privateKey: CryptoKey;
/** The ring's RS256 ID-token key, as keys.json holds it. */
let idTokenKey: StoredKey;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'agent-notes-verify-'));
  ring = await loadOrCreateKeyRing(dir);
  const file = JSON.parse(await readFile(keyFilePath(dir), 'utf8')) as KeyFile;
  const stored = file.keys.find((key) => key.alg === 'ES256')!;
  idTokenKey = file.keys.find((key) => key.alg === 'RS256')!;
  kid = stored.kid;
  privateKey = (await importJWK(stored.privateJwk, 'ES256')) as CryptoKey;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Signs any payload with our real key, under any header. */
function forge(payload: object, header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT({ ...payload } as JWTPayload).setProtectedHeader({ alg: 'ES256', kid, typ: 'at+jwt', ...header }).sign(privateKey);
}

let clock: number;
let live: boolean;
let liveCalls: { claims: AccessTokenClaims; now: number }[];
let verify: (token: string) => Promise<Verification>;

beforeEach(() => {
  clock = T0;
  live = true;
  liveCalls = [];
  verify = createVerifier({
    keys: ring,
    issuer: ISSUER,
    resource: RESOURCE,
    isLive: (claims, now) => {
      liveCalls.push({ claims, now });
      return live;
    },
    now: () => clock,
  });
});

async function expectInvalid(token: string, description?: RegExp): Promise<void> {
  const result = await verify(token);
  expect(result).toMatchObject({ ok: false, error: 'invalid_token' });
  if (!result.ok) {
    if (description) expect(result.description).toMatch(description);
    expect(result.description.length).toBeLessThan(80);
    if (typeof token === 'string' && token.length > 8) expect(result.description).not.toContain(token.slice(0, 20));
  }
}

describe('verifying access tokens', () => {
  it('[REQ-03][CGPT-41] a token we signed verifies and yields exactly its claims', async () => {
    const claims = claimsAt(T0);
    const result = await verify(await ring.sign(claims));
    expect(result).toEqual({ ok: true, claims });
    expect(liveCalls).toEqual([{ claims, now: T0 }]);
  });

  it('[REQ-03][CGPT-41] a token from another issuer, or a trailing-slash variant of ours, is refused', async () => {
    await expectInvalid(await ring.sign(claimsAt(T0, { iss: 'https://evil.example.com' })), /issuer/);
    await expectInvalid(await ring.sign(claimsAt(T0, { iss: `${ISSUER}/` })), /issuer/);
  });

  it('[MCP-33][MCP-34] a token for another resource, or a trailing-slash variant of ours, is refused', async () => {
    await expectInvalid(await ring.sign(claimsAt(T0, { aud: 'https://other.example.com/mcp' })), /audience/);
    await expectInvalid(await ring.sign(claimsAt(T0, { aud: `${RESOURCE}/` })), /audience/);
    await expectInvalid(await ring.sign(claimsAt(T0, { aud: 'https://notes.example.com' })), /audience/);
  });

  it('[EC-33] an array audience is refused even when it holds only our resource', async () => {
    await expectInvalid(await forge({ ...claimsAt(T0), aud: [RESOURCE] }), /audience/);
    await expectInvalid(await forge({ ...claimsAt(T0), aud: [RESOURCE, 'https://other.example.com/mcp'] }), /audience/);
  });

  it('[REQ-03][MCP-33] a token is accepted until the second before its exp and refused from exp on, cached or not', async () => {
    const token = await ring.sign(claimsAt(T0 - 3600, { exp: T0 + 1 }));
    expect((await verify(token)).ok).toBe(true); // verified and cached at exp - 1
    clock = T0 + 1; // exp
    await expectInvalid(token, /expired/);
    await expectInvalid(await ring.sign(claimsAt(T0 - 3600, { exp: T0 })), /expired/);
  });

  it('[REQ-03] a token not valid before a future time is refused', async () => {
    await expectInvalid(await forge({ ...claimsAt(T0), nbf: T0 + 120 }), /not yet valid/);
    await expectInvalid(await forge({ ...claimsAt(T0), nbf: T0 + 1 }), /not yet valid/);
    expect((await verify(await forge({ ...claimsAt(T0), nbf: T0 }))).ok).toBe(true);
  });

  it('[REQ-03][CGPT-41] a token signed by a foreign key is refused, with or without our kid', async () => {
    const foreign = await memoryKeyRing();
    await expectInvalid(await foreign.sign(claimsAt(T0)), /unknown key/);
    const { privateKey: key } = await generateKeyPair('ES256');
    const posing = await new SignJWT({ ...claimsAt(T0) }).setProtectedHeader({ alg: 'ES256', kid, typ: 'at+jwt' }).sign(key);
    await expectInvalid(posing, /signature/);
  });

  it('[REQ-03] a tampered payload breaks the signature', async () => {
    const [header, , signature] = (await ring.sign(claimsAt(T0))).split('.');
    const payload = base64url.encode(JSON.stringify(claimsAt(T0, { scope: 'notes:read notes:write admin' })));
    await expectInvalid(`${header}.${payload}.${signature}`, /signature/);
  });

  it('[REQ-03] unsigned (alg none) tokens are refused', async () => {
    const segment = (value: object) => base64url.encode(JSON.stringify(value));
    const unsigned = `${segment({ alg: 'none', typ: 'at+jwt', kid })}.${segment(claimsAt(T0))}.`;
    await expectInvalid(unsigned, /algorithm/);
    await expectInvalid(`${segment({ alg: 'none', typ: 'at+jwt' })}.${segment(claimsAt(T0))}.`);
  });

  it('[REQ-03] an HS256 token keyed with our public key is refused', async () => {
    const publicJwk = ring.jwks().keys[0]!;
    for (const secret of [JSON.stringify(publicJwk), publicJwk.x!]) {
      const token = await new SignJWT({ ...claimsAt(T0) })
        .setProtectedHeader({ alg: 'HS256', kid, typ: 'at+jwt' })
        .sign(new TextEncoder().encode(secret));
      await expectInvalid(token, /algorithm/);
    }
  });

  it('[REQ-03][REQ-18] a token signed with our own published RS256 ID-token key is refused as an access token', async () => {
    expect(ring.jwks().keys.map((key) => key.kid)).toContain(idTokenKey.kid); // only the algorithm check stands in the way
    const rsa = (await importJWK(idTokenKey.privateJwk, 'RS256')) as CryptoKey;
    const posing = await new SignJWT({ ...claimsAt(T0) }).setProtectedHeader({ alg: 'RS256', kid: idTokenKey.kid, typ: 'at+jwt' }).sign(rsa);
    await expectInvalid(posing, /algorithm not allowed/);
    await expectInvalid(await ring.signIdToken({ ...claimsAt(T0) }), /algorithm not allowed/);
    // ES256 in the header but the RSA key's kid: no ES256 key of ours has that name.
    await expectInvalid(await forge(claimsAt(T0), { kid: idTokenKey.kid }), /unknown key/);
  });

  it('[tokens] a JWT that is not typed as an access token is refused', async () => {
    await expectInvalid(await forge(claimsAt(T0), { typ: 'JWT' }), /type/);
    await expectInvalid(await forge(claimsAt(T0), { typ: undefined }), /type/);
    expect((await verify(await forge(claimsAt(T0), { typ: 'application/at+jwt' }))).ok).toBe(true);
  });

  it('[REQ-03] a token lacking any required claim, or with a claim of the wrong type, is refused', async () => {
    for (const name of ['iss', 'aud', 'sub', 'client_id', 'scope', 'jti', 'gid', 'exp', 'iat'] as const) {
      const payload: Record<string, unknown> = { ...claimsAt(T0) };
      delete payload[name];
      await expectInvalid(await forge(payload), new RegExp(`"${name}"`));
    }
    for (const [name, value] of [['sub', 42], ['client_id', null], ['scope', ['notes:read']], ['jti', ''], ['gid', {}], ['exp', `${T0 + 60}`], ['iat', true]] as const) {
      await expectInvalid(await forge({ ...claimsAt(T0), [name]: value }));
    }
  });

  it('[tokens] garbage, empty, oversized and non-JWT input is refused without throwing', async () => {
    const valid = await ring.sign(claimsAt(T0));
    const inputs: unknown[] = [
      '',
      'garbage',
      'a.b.c',
      '..',
      '...',
      `Bearer ${valid}`,
      `${valid}.`,
      valid.split('.').slice(0, 2).join('.'),
      'eyJhbGciOiJFUzI1NiJ9.eyJ.x',
      '\u0000\uffff.\ud800.%%%',
      'x'.repeat(9000),
      `${valid}${'A'.repeat(8192)}`,
      undefined,
      null,
      42,
    ];
    for (const input of inputs) await expectInvalid(input as string);
    expect(liveCalls).toEqual([]);
  });

  it('[tokens] even a correctly signed token over 8 KB is refused', async () => {
    await expectInvalid(await forge({ ...claimsAt(T0), padding: 'p'.repeat(8 * 1024) }), /too long/);
  });

  it('[tokens] the length limit is 8 KB exactly, and an empty token is "no token"', async () => {
    await expectInvalid('x'.repeat(8 * 1024), /malformed/);
    await expectInvalid('x'.repeat(8 * 1024 + 1), /too long/);
    await expectInvalid('', /no token/);
    const valid = await ring.sign(claimsAt(T0));
    // base64url makes 4 characters of every 3 bytes: pad to just under the limit.
    const padded = await forge({ ...claimsAt(T0), padding: 'p'.repeat(Math.floor(((8 * 1024 - valid.length) * 3) / 4) - 20) });
    expect(padded.length, 'the padded token stays under the limit').toBeLessThanOrEqual(8 * 1024);
    expect((await verify(padded)).ok, 'a long token under the limit still verifies').toBe(true);
  });

  it('[REQ-03] each refused claim is named in the description', async () => {
    for (const [name, value, description] of [
      ['sub', 42, /"sub" claim invalid/],
      ['client_id', '', /"client_id" claim invalid/],
      ['jti', null, /"jti" claim invalid/],
      ['gid', {}, /"gid" claim invalid/],
      ['scope', ['notes:read'], /"scope" claim invalid/],
      // jose checks the types of the time claims itself (our own check behind it never sees one).
      ['iat', 'yesterday', /"iat" claim invalid/],
      ['exp', `${T0 + 60}`, /"exp" claim invalid/],
    ] as const) {
      await expectInvalid(await forge({ ...claimsAt(T0), [name]: value }), description);
    }
  });
});

describe('revocation and the verified-token cache', () => {
  it('[MCP-33] isLive false refuses the token, even when it was verified and cached before', async () => {
    const token = await ring.sign(claimsAt(T0));
    expect((await verify(token)).ok).toBe(true);
    live = false;
    await expectInvalid(token, /revoked/);
    live = true;
    expect((await verify(token)).ok).toBe(true);
    expect(liveCalls).toHaveLength(3);
  });

  it('[MCP-33] a cached token still expires on time', async () => {
    const token = await ring.sign(claimsAt(T0, { exp: T0 + 60 }));
    expect((await verify(token)).ok).toBe(true);
    clock = T0 + 59;
    expect((await verify(token)).ok).toBe(true); // from the cache
    clock = T0 + 60;
    await expectInvalid(token, /expired/);
  });

  it('[tokens] a repeated token skips the signature check; a new one does not', async () => {
    let keys = ring.jwks();
    const swappable: KeyRing = { sign: (claims) => ring.sign(claims), signIdToken: (claims) => ring.signIdToken(claims), jwks: () => keys };
    const cached = createVerifier({ keys: swappable, issuer: ISSUER, resource: RESOURCE, isLive: () => true, now: () => T0 });
    const first = await ring.sign(claimsAt(T0, { jti: 'first' }));
    expect((await cached(first)).ok).toBe(true);
    keys = { keys: [] }; // from now on no signature can verify
    expect((await cached(first)).ok).toBe(true);
    expect(await cached(await ring.sign(claimsAt(T0, { jti: 'second' })))).toMatchObject({ ok: false, error: 'invalid_token' });
  });

  it('[tokens] a full cache first drops expired entries, then the oldest; dropped tokens are verified again', async () => {
    let keys = ring.jwks();
    const swappable: KeyRing = { sign: (claims) => ring.sign(claims), signIdToken: (claims) => ring.signIdToken(claims), jwks: () => keys };
    const small = createVerifier({ keys: swappable, issuer: ISSUER, resource: RESOURCE, isLive: () => true, now: () => clock, cacheLimit: 2 });
    const [a, b, c, d] = await Promise.all(['a', 'b', 'c', 'd'].map((jti, i) => ring.sign(claimsAt(T0, { jti, exp: i === 0 ? T0 + 10 : T0 + 3600 }))));
    for (const token of [a!, b!]) expect((await small(token)).ok).toBe(true);
    clock = T0 + 10; // a has expired
    expect((await small(c!)).ok).toBe(true); // makes room by sweeping a, keeps b
    keys = { keys: [] }; // from now on only cached tokens verify
    expect((await small(b!)).ok, 'b survived the sweep').toBe(true);
    keys = ring.jwks();
    expect((await small(d!)).ok).toBe(true); // full with b and c, nothing expired: b, the oldest, goes
    keys = { keys: [] };
    expect((await small(c!)).ok, 'c is still cached').toBe(true);
    expect((await small(b!)).ok, 'b was dropped, so it needs the signature again').toBe(false);
  });

  it('[tokens] the claims handed out cannot be altered to change what the cache returns', async () => {
    const token = await ring.sign(claimsAt(T0));
    const result = await verify(token);
    if (!result.ok) throw new Error(result.description);
    expect(() => {
      result.claims.scope = 'admin';
    }).toThrow();
    expect(await verify(token)).toEqual({ ok: true, claims: claimsAt(T0) });
  });
});
