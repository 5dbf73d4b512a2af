// Every redirect URI the policy builds in, registered over DCR and used for a whole flow over HTTP:
// registration, sign-in, consent, the code at exactly that URI (with state and iss), and tokens.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT_IN_REDIRECT_URIS } from '../../src/core/index.ts';
import { WireClient } from '../kit/client.ts';
import { startTestServer, type TestServer } from '../kit/server.ts';

let server: TestServer;
let person: WireClient;

beforeAll(async () => {
  // No trusted origins: only the built-in policy decides what registers.
  server = await startTestServer({ users: ['alice'], env: { TRUSTED_REDIRECT_ORIGINS: '' } });
  person = new WireClient(server.url, { username: 'alice' });
});
afterAll(() => server.close());

const REDIRECTS = [...BUILT_IN_REDIRECT_URIS, 'https://chatgpt.com/connector/oauth/cb_Xy-12', 'http://127.0.0.1/callback', 'http://localhost:6274/oauth/callback'];

describe('DCR with each built-in redirect URI', () => {
  it.each(REDIRECTS)('[REQ-10][REQ-14][CGPT-18][CLA-01][INSP-01] %s registers and completes a flow', async (redirectUri) => {
    const client = await person.register({ client_name: 'built-in redirect', redirect_uris: [redirectUri], token_endpoint_auth_method: 'none' });
    const { redirect, state } = await person.authorize(client);
    expect(`${redirect.origin}${redirect.pathname}`).toBe(redirectUri);
    expect(redirect.searchParams.get('code')).not.toBeNull();
    expect(redirect.searchParams.get('state')).toBe(state);
    expect(redirect.searchParams.get('iss')).toBe(server.url);
    const { code, verifier } = await person.code(client);
    const reply = await person.exchange(client, code, verifier);
    expect(reply.status, reply.text).toBe(200);
    expect(JSON.parse(reply.text)).toHaveProperty('access_token');
  });

  it('[REQ-10][EC-23] a lookalike of a built-in host does not register', async () => {
    const reply = await person.registration({ redirect_uris: ['https://chatgpt.com.evil.example/connector/oauth/x'] });
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.text)).toMatchObject({ error: 'invalid_redirect_uri' });
  });
});
