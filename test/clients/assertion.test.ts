// The signature half of private_key_jwt on its own: which headers are refused before any key is
// looked at, where keys come from (inline jwks or a jwks_uri through the cache), and the one
// refetch on an unknown kid, at most once a minute. Claims are the core's (test/core).
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { checkAssertion, type AssertionContext } from '../../src/clients/assertion.ts';
import { DocumentCache } from '../../src/clients/document-cache.ts';
import type { FetchResult } from '../../src/clients/fetch-json.ts';
import { ClientKey } from '../kit/document-host.ts';

const ID = 'https://client.example/meta.json';
const JWKS_URI = 'https://client.example/jwks.json';
const AUD = 'https://notes.example.com/oauth/token';

function keySets(answers: FetchResult[], clock: { now: number }) {
  const calls: string[] = [];
  const cache = new DocumentCache({
    fetch: async (url) => {
      calls.push(url);
      return answers.length > 1 ? answers.shift()! : answers[0]!;
    },
    isGood: () => undefined,
    now: () => clock.now,
  });
  return { cache, calls };
}

const now = () => Math.floor(Date.now() / 1000);

describe('client assertion signatures', () => {
  it('[EC-29] an assertion signed by a key of the inline jwks verifies, and its claims come back as they are', async () => {
    const key = await ClientKey.generate('k1', 'ES256');
    const clock = { now: now() };
    const { cache } = keySets([{ ok: false, why: 'unused' }], clock);
    const result = await checkAssertion(await key.sign(ID, AUD, { jti: 'j-1' }), { document: { jwks: key.jwks() }, keySets: cache, now: () => clock.now });
    expect(result).toMatchObject({ claims: { iss: ID, sub: ID, aud: AUD, jti: 'j-1' } });
  });

  it.each([
    ['alg none', { alg: 'none' }, 'alg is not allowed'],
    ['HS256', { alg: 'HS256' }, 'alg is not allowed'],
    ['typ at+jwt', { alg: 'ES256', typ: 'at+jwt' }, 'typ "at+jwt" is not a client authentication JWT'],
  ])('[EC-29] a header with %s is refused before any key is looked at', async (_, header, why) => {
    const token = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from('{}').toString('base64url')}.sig`;
    const clock = { now: now() };
    const { cache, calls } = keySets([{ ok: true, body: { keys: [] } }], clock);
    const result = await checkAssertion(token, { document: { jwks_uri: JWKS_URI }, keySets: cache, now: () => clock.now });
    expect('failure' in result && result.failure).toContain(why);
    expect(calls).toEqual([]);
  });

  it('[EC-29] typ JWT and oauth-client-auth+jwt are accepted, in any case', async () => {
    const key = await ClientKey.generate('k1', 'ES256');
    const clock = { now: now() };
    const { cache } = keySets([{ ok: false, why: 'unused' }], clock);
    for (const typ of ['JWT', 'jwt', 'oauth-client-auth+jwt', 'OAUTH-CLIENT-AUTH+JWT']) {
      const result = await checkAssertion(await key.sign(ID, AUD, {}, { typ }), { document: { jwks: key.jwks() }, keySets: cache, now: () => clock.now });
      expect('claims' in result, typ).toBe(true);
    }
  });

  it('[EC-29] a key set that cannot be fetched is the failure, with its reason', async () => {
    const key = await ClientKey.generate('k1', 'ES256');
    const clock = { now: now() };
    const { cache } = keySets([{ ok: false, why: 'answered HTTP 500' }], clock);
    const result = await checkAssertion(await key.sign(ID, AUD), { document: { jwks_uri: JWKS_URI }, keySets: cache, now: () => clock.now });
    expect(result).toEqual({ failure: "the client's jwks_uri answered HTTP 500" });
  });

  it('[EC-29] a document with neither jwks nor jwks_uri has no keys to check against', async () => {
    const key = await ClientKey.generate('k1', 'ES256');
    const clock = { now: now() };
    const { cache } = keySets([{ ok: false, why: 'unused' }], clock);
    expect(await checkAssertion(await key.sign(ID, AUD), { document: {}, keySets: cache, now: () => clock.now })).toEqual({ failure: 'the client publishes no keys' });
  });

  it('[EC-29] an unknown kid refetches the key set once; a second unknown kid within a minute does not', async () => {
    const old = await ClientKey.generate('old', 'ES256');
    const rotated = await ClientKey.generate('new', 'ES256');
    const clock = { now: now() };
    const { cache, calls } = keySets([{ ok: true, body: old.jwks() }, { ok: true, body: rotated.jwks() }], clock);
    const context: AssertionContext = { document: { jwks_uri: JWKS_URI }, keySets: cache, now: () => clock.now };
    expect('claims' in (await checkAssertion(await old.sign(ID, AUD), context))).toBe(true);
    clock.now += 61;
    // The cached set is fresh (5 minutes), but lacks "new": one refetch finds it.
    expect('claims' in (await checkAssertion(await rotated.sign(ID, AUD, { iat: clock.now, exp: clock.now + 60 }), context))).toBe(true);
    expect(calls).toHaveLength(2);
    const stranger = await ClientKey.generate('stranger', 'ES256');
    const refused = await checkAssertion(await stranger.sign(ID, AUD, { iat: clock.now, exp: clock.now + 60 }), context);
    expect(refused).toEqual({ failure: "no key the client publishes matches the client assertion's kid and alg" });
    expect(calls).toHaveLength(2);
  });

  it('[EC-29] an assertion past its exp (beyond the 30 s tolerance) is refused by the signature check already', async () => {
    const key = await ClientKey.generate('k1', 'ES256');
    const clock = { now: now() };
    const { cache } = keySets([{ ok: false, why: 'unused' }], clock);
    const token = await key.sign(ID, AUD, { iat: clock.now - 200, exp: clock.now - 100 });
    expect(await checkAssertion(token, { document: { jwks: key.jwks() }, keySets: cache, now: () => clock.now })).toEqual({ failure: 'the client assertion has expired' });
  });

  it('[EC-29] the time claims are judged at the server\'s clock, not the wall clock', async () => {
    const key = await ClientKey.generate('k1', 'ES256');
    const clock = { now: now() + 10_000 };
    const { cache } = keySets([{ ok: false, why: 'unused' }], clock);
    const token = await new SignJWT({ iss: ID, sub: ID, aud: AUD, jti: 'x', exp: clock.now + 60 }).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).sign(key.privateKey);
    expect('claims' in (await checkAssertion(token, { document: { jwks: key.jwks() }, keySets: cache, now: () => clock.now }))).toBe(true);
  });
});
