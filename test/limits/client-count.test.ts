// The bound on registered clients: the core and the reference model refuse the same registration,
// after every metadata check and before the id-collision check, and the server says so over HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReferenceModel } from '../../model/model.ts';
import { configFromEnv } from '../../src/config.ts';
import { defaultConfig } from '../../src/core/index.ts';
import type { ClientRecord, CoreConfig, Outcome } from '../../src/core/index.ts';
import type { RunningServer } from '../../src/server.ts';
import { CHATGPT_REDIRECT, Flow, ISSUER, errorOf } from '../core/flow.ts';
import { s256 } from '../kit/pkce.ts';
import { limitedServer, register } from './harness.ts';

const predefined: ClientRecord = { clientId: 'operator-client', authMethod: 'none', redirectUris: [CHATGPT_REDIRECT], grantTypes: ['authorization_code'], issuedAt: 0, source: 'predefined' };
const base = defaultConfig(ISSUER, { predefinedClients: [predefined] });
const config: CoreConfig = { ...base, limits: { ...base.limits, maxClients: 2 } };
const good = { client_name: 'ChatGPT', redirect_uris: [CHATGPT_REDIRECT] };

function description(outcome: Outcome): string | undefined {
  return outcome.kind === 'error' ? outcome.error.description : undefined;
}

function modelOf(): ReferenceModel {
  return new ReferenceModel({ config, s256, predefinedSecrets: {} });
}

describe('[limits] registered clients, core and model', () => {
  it('[REQ-14][RFC7591-04] the registration past limits.maxClients is 400 invalid_client_metadata; predefined clients do not count', () => {
    const flow = new Flow(config);
    const model = modelOf();
    for (let i = 1; i <= 3; i += 1) {
      const fresh = { clientId: `client-${i}`, clientSecret: `secret-${i}` };
      const core = flow.run({ type: 'register', now: flow.now, metadata: good, fresh });
      const oracle = model.apply({ type: 'register', now: flow.now, metadata: good, fresh });
      if (i <= 2) {
        expect(core.kind).toBe('registered');
        expect(oracle.kind).toBe('registered');
      } else {
        expect(core).toEqual({ kind: 'error', error: { error: 'invalid_client_metadata', description: 'this server has reached its limit of 2 registered clients', status: 400, rule: 'REQ-14' } });
        expect(oracle).toEqual({ kind: 'error', error: 'invalid_client_metadata', status: 400 });
      }
    }
    expect(Object.keys(flow.state.clients)).toEqual(['client-1', 'client-2']);
    expect(flow.last.changes).toEqual([]);
  });

  it('[REQ-14][RFC7591-04] at the limit, a malformed registration still learns what is wrong with it', () => {
    const flow = new Flow(config);
    flow.client(good);
    flow.client(good);
    expect(errorOf(flow.register({ redirect_uris: ['http://evil.example/cb'] }))).toBe('invalid_redirect_uri');
    expect(description(flow.register({ ...good, grant_types: ['implicit'] }))).toMatch(/grant_types/);
    const model = modelOf();
    for (const id of ['a', 'b']) model.apply({ type: 'register', now: 0, metadata: good, fresh: { clientId: id, clientSecret: 's' } });
    expect(model.apply({ type: 'register', now: 0, metadata: { redirect_uris: ['http://evil.example/cb'] }, fresh: { clientId: 'c', clientSecret: 's' } })).toEqual({ kind: 'error', error: 'invalid_redirect_uri', status: 400 });
  });

  it('[REQ-14] the limit is checked before the id collision', () => {
    const flow = new Flow(config);
    flow.client(good);
    flow.client(good);
    const collision = flow.run({ type: 'register', now: flow.now, metadata: good, fresh: { clientId: 'client-1', clientSecret: 's' } });
    expect(description(collision)).toMatch(/limit of 2 registered clients/);
  });

  it('[limits] the default is 10,000 clients, and MAX_CLIENTS changes it', () => {
    expect(defaultConfig(ISSUER).limits.maxClients).toBe(10_000);
    expect(configFromEnv({}).core.limits.maxClients).toBe(10_000);
    expect(configFromEnv({ MAX_CLIENTS: '50' }).core.limits.maxClients).toBe(50);
    expect(() => configFromEnv({ MAX_CLIENTS: '0' })).toThrow(/MAX_CLIENTS/);
  });
});

describe('[limits] registered clients over HTTP', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await limitedServer({ MAX_CLIENTS: '2' });
  });
  afterAll(() => server.close());

  it('[REQ-14] once the server holds MAX_CLIENTS clients, registration is 400 invalid_client_metadata saying so', async () => {
    expect((await register(server.url)).status).toBe(201);
    expect((await register(server.url)).status).toBe(201);
    const refused = await register(server.url);
    expect(refused.status).toBe(400);
    expect(refused.headers.get('cache-control')).toBe('no-store');
    expect(await refused.json()).toEqual({ error: 'invalid_client_metadata', error_description: 'this server has reached its limit of 2 registered clients' });
  });
});
