// The node:crypto signer (src/tokens/compact-jws.ts) checked by jose: every token it signs, for any
// claims, verifies against the published JWKS with the exact header and payload it was given.
import fc from 'fast-check';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import type { AccessTokenClaims } from '../../src/core/types.ts';
import { memoryKeyRing } from '../../src/tokens/index.ts';

const text = fc.string({ unit: 'grapheme', maxLength: 40 });
const claims = fc.record({
  iss: fc.constant('https://notes.example.com'),
  sub: text,
  aud: fc.constant('https://notes.example.com/mcp'),
  client_id: text,
  scope: fc.constantFrom('notes:read', 'notes:read notes:write', 'notes:read notes:write offline_access'),
  iat: fc.integer({ min: 1_700_000_000, max: 1_800_000_000 }),
  jti: text,
  gid: text,
}).map((c) => ({ ...c, exp: c.iat + 3600 }) as AccessTokenClaims);

describe('[REQ-03] the node:crypto signer, verified by jose', () => {
  it('[REQ-03] every access token verifies against the JWKS (ES256, at+jwt, its kid) and carries exactly its claims', async () => {
    const ring = await memoryKeyRing();
    const jwks = createLocalJWKSet(ring.jwks());
    await fc.assert(
      fc.asyncProperty(claims, async (given) => {
        const token = await ring.sign(given);
        const { payload, protectedHeader } = await jwtVerify(token, jwks, { algorithms: ['ES256'], typ: 'at+jwt', issuer: given.iss, audience: given.aud, currentDate: new Date(given.iat * 1000) });
        expect(payload).toEqual(given);
        expect(protectedHeader).toEqual({ alg: 'ES256', kid: decodeProtectedHeader(token).kid, typ: 'at+jwt' });
        expect(ring.jwks().keys.map((key) => key.kid)).toContain(protectedHeader.kid);
      }),
      { numRuns: 200 },
    );
  });

  it('[REQ-18] every ID token verifies against the JWKS with RS256 and carries exactly its claims', async () => {
    const ring = await memoryKeyRing();
    const jwks = createLocalJWKSet(ring.jwks());
    await fc.assert(
      fc.asyncProperty(claims, text, async (given, nonce) => {
        const idClaims = { iss: given.iss, sub: given.sub, aud: given.client_id, iat: given.iat, exp: given.exp, nonce, email: 'a@example.com', email_verified: false };
        const token = await ring.signIdToken(idClaims);
        const { payload, protectedHeader } = await jwtVerify(token, jwks, { algorithms: ['RS256'], currentDate: new Date(given.iat * 1000) });
        expect(payload).toEqual(idClaims);
        expect(protectedHeader.alg).toBe('RS256');
        expect(protectedHeader.typ).toBe('JWT');
      }),
      { numRuns: 30 },
    );
  });

  it('[REQ-03] a token whose payload was changed after signing does not verify', async () => {
    const ring = await memoryKeyRing();
    const token = await ring.sign({ iss: 'https://n.example', sub: 'u', aud: 'https://n.example/mcp', client_id: 'c', scope: 'notes:read', iat: 1_750_000_000, exp: 1_750_003_600, jti: 'j', gid: 'g' });
    const [header, , signature] = token.split('.');
    const forged = `${header}.${Buffer.from(JSON.stringify({ sub: 'someone else' })).toString('base64url')}.${signature}`;
    await expect(jwtVerify(forged, createLocalJWKSet(ring.jwks()), { currentDate: new Date(1_750_000_000_000) })).rejects.toThrow('signature verification failed');
  });
});
