import { decodeJwt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';

import type { AccessTokenClaims } from '../../src/core/types.ts';
import { memoryKeyRing } from '../../src/tokens/index.ts';

const NOW = 1_800_000_000;
const CLAIMS: AccessTokenClaims = {
  iss: 'https://notes.example.com',
  sub: 'user-1',
  aud: 'https://notes.example.com/mcp',
  client_id: 'client-1',
  scope: 'notes:read notes:write',
  iat: NOW,
  exp: NOW + 3600,
  jti: 'jti-1',
  gid: 'grant-1',
};

describe('signing access tokens', () => {
  it('[tokens] the header is ES256 with the key id and typ at+jwt (RFC 9068)', async () => {
    const ring = await memoryKeyRing();
    const token = await ring.sign(CLAIMS);
    const kid = ring.jwks().keys[0]?.kid;
    expect(kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'ES256', kid, typ: 'at+jwt' });
  });

  it('[CGPT-25] the payload is exactly the claims, audience included, with no iat added by the library', async () => {
    const ring = await memoryKeyRing();
    const claims = { ...CLAIMS, iat: 1_000, exp: 2_000 }; // far from the wall clock on purpose
    expect(decodeJwt(await ring.sign(claims))).toEqual(claims);
  });
});
