// The refresh-token box on the consent page means what it says (issue 14 item 1): ticked, the app
// gets a refresh token and keeps rotating it; unticked, or never asked for, it gets an access token
// only. Through the real forms, as a person clicks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WireClient } from '../kit/client.ts';
import { startTestServer, type TestServer } from '../kit/server.ts';

let server: TestServer;
let person: WireClient;

beforeAll(async () => {
  server = await startTestServer({ users: ['alice'] });
  person = new WireClient(server.url, { username: 'alice' });
});
afterAll(() => server.close());

async function exchange(scopes: string[] | undefined, scope = 'notes:read notes:write offline_access') {
  const client = await person.register();
  const { code, verifier } = await person.code(client, { scope, ...(scopes ? { scopes } : {}) });
  const reply = await person.exchange(client, code, verifier);
  expect(reply.status).toBe(200);
  return { client, body: JSON.parse(reply.text) as { scope: string; refresh_token?: string } };
}

describe('staying connected', () => {
  it('[REQ-16][REQ-17] the box left ticked gives a refresh token, and every rotation keeps giving one', async () => {
    const { client, body } = await exchange(undefined);
    expect(body.scope).toBe('notes:read notes:write offline_access');
    const refreshed = JSON.parse((await person.refresh(client, body.refresh_token!)).text) as { refresh_token?: string };
    expect(refreshed.refresh_token).toEqual(expect.any(String));
  });

  it('[REQ-16][REQ-17] the box unticked gives an access token only', async () => {
    const { body } = await exchange(['notes:read']);
    expect(body.scope).toBe('notes:read');
    expect(body).not.toHaveProperty('refresh_token');
  });

  it('[REQ-16] an app that never asked for offline_access gets no refresh token', async () => {
    const { body } = await exchange(undefined, 'notes:read notes:write');
    expect(body).not.toHaveProperty('refresh_token');
  });
});
