// Remembered consent over HTTP, as a browser meets it: a returning client asking for no more than
// a live grant of the same person holds skips the consent page; anything else shows it again.
// The model-based runs cover the same rule on random sequences; these are the named cases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WireClient, authorizationQuery, type Client } from '../kit/client.ts';
import { newPkce } from '../kit/pkce.ts';
import { startTestServer, type TestServer } from '../kit/server.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ users: ['alice', 'bob'] });
});
afterAll(() => server.close());

/** A signed-in person whose client already holds a grant for `scope`. */
async function connected(username: string, scope: string): Promise<{ person: WireClient; client: Client; grantId: string }> {
  const person = new WireClient(server.url, { username });
  const client = await person.register();
  const tokens = await person.tokens(client, { scope });
  const verified = await server.services.verifyAccessToken(tokens.access_token);
  if (!verified.ok) throw new Error(verified.description);
  return { person, client, grantId: verified.claims.gid };
}

/** What `person`'s browser meets after a new authorization request of `client`: the page (200), or a redirect. */
async function consentFor(person: WireClient, client: Client, extra: Record<string, string>): Promise<{ status: number; location: string | null }> {
  const query = authorizationQuery(server.url, client.clientId, newPkce().verifier, { redirect_uri: client.redirectUri, state: 'st-again', ...extra });
  const authorize = await person.browser.fetch(`/oauth/authorize?${query}`);
  const next = authorize.headers.get('location');
  await authorize.body?.cancel();
  if (authorize.status !== 303 || next === null || !next.startsWith('/consent?')) return { status: authorize.status, location: next };
  const consent = await person.browser.fetch(next);
  await consent.body?.cancel();
  return { status: consent.status, location: consent.headers.get('location') };
}

describe('remembered consent over HTTP', () => {
  it('[REQ-17] a returning client asking for the scopes it holds, or fewer, goes straight back with a code', async () => {
    const { person, client } = await connected('alice', 'notes:read notes:write');
    for (const scope of ['notes:read notes:write', 'notes:read']) {
      const seen = await consentFor(person, client, { scope });
      expect(seen.status, scope).toBe(303);
      expect(new URL(seen.location!).searchParams.get('code'), scope).toBeTruthy();
      expect(new URL(seen.location!).searchParams.get('state')).toBe('st-again');
    }
  });

  it('[REQ-17] a returning client asking for a scope it does not hold sees the consent page again', async () => {
    const { person, client } = await connected('alice', 'notes:read');
    expect((await consentFor(person, client, { scope: 'notes:read notes:write' })).status).toBe(200);
    expect((await consentFor(person, client, { scope: 'notes:read offline_access' })).status).toBe(200);
  });

  it('[REQ-17][EC-48] another person signed in on the same client is asked, not approved on the first person\'s grant', async () => {
    const { client } = await connected('alice', 'notes:read');
    const bob = new WireClient(server.url, { username: 'bob' });
    expect((await bob.signIn()).status).toBe(303);
    expect((await consentFor(bob, client, { scope: 'notes:read' })).status).toBe(200);
  });

  it('[REQ-17][REQ-19] after the grant is revoked (the app disconnected), the page is shown again', async () => {
    const { person, client, grantId } = await connected('alice', 'notes:read');
    // Reconnecting on remembered consent made a second grant; the person disconnects both.
    const again = await server.services.verifyAccessToken((await person.tokens(client, { scope: 'notes:read' })).access_token);
    if (!again.ok) throw new Error(again.description);
    for (const gid of [grantId, again.claims.gid]) {
      const outcome = await server.services.queue.run({ type: 'revokeGrant', now: server.services.now(), grantId: gid, userId: again.claims.sub });
      expect(outcome.kind).toBe('grant_revoked');
    }
    expect((await consentFor(person, client, { scope: 'notes:read' })).status).toBe(200);
  });

  it('[REQ-11][REQ-17] a request for another resource never reaches consent: it goes back with invalid_target', async () => {
    const { person, client } = await connected('alice', 'notes:read');
    const seen = await consentFor(person, client, { scope: 'notes:read', resource: 'https://other.example/mcp' });
    expect(seen.status).toBe(303);
    expect(new URL(seen.location!).searchParams.get('error')).toBe('invalid_target');
  });
});
