import { describe, expect, it } from 'vitest';
import { hashSecret, defaultConfig, NOTES_SCOPES } from '../../src/core/index.ts';
import { CHATGPT_REDIRECT, Flow, errorOf, ISSUER, RESOURCE, testConfig } from './flow.ts';
import type { ClientRecord, Outcome, RegisteredClient } from '../../src/core/index.ts';

describe('dynamic client registration (RFC 7591)', () => {
  it('[REQ-14][RFC7591-03] registers a ChatGPT-shaped public client and echoes the effective metadata', () => {
    const flow = new Flow();
    const outcome = flow.register({ client_name: 'ChatGPT', redirect_uris: [CHATGPT_REDIRECT], grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], token_endpoint_auth_method: 'none' });
    expect(outcome).toMatchObject({ kind: 'registered', client: { client_id: 'client-1', client_id_issued_at: flow.now, token_endpoint_auth_method: 'none', redirect_uris: [CHATGPT_REDIRECT], grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], client_name: 'ChatGPT' } });
    expect(outcome.kind === 'registered' && 'client_secret' in outcome.client).toBe(false);
  });

  it('[EC-27][RFC7591-02] a registration without token_endpoint_auth_method becomes a public client, and says so', () => {
    const outcome = new Flow().register({ redirect_uris: ['https://claude.ai/api/mcp/auth_callback'] });
    expect(outcome).toMatchObject({ kind: 'registered', client: { token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'] } });
  });

  it('[RFC7591-03][EC-30] a confidential client gets a secret that never expires, stored only as a hash', () => {
    const flow = new Flow();
    const outcome = flow.register({ redirect_uris: ['https://app.example.net/cb'], token_endpoint_auth_method: 'client_secret_basic' });
    expect(outcome).toMatchObject({ kind: 'registered', client: { client_secret: 'secret-2', client_secret_expires_at: 0 } });
    const stored = flow.state.clients['client-1'];
    expect(stored?.secretHash).toBe(hashSecret('secret-2'));
    expect(JSON.stringify(flow.state)).not.toContain('secret-2');
  });

  it('[MCP-20][RFC7591-01] unknown members are ignored and application_type is tolerated', () => {
    const outcome = new Flow().register({ redirect_uris: ['http://127.0.0.1/callback'], application_type: 'native', software_statement_x: { a: 1 }, contacts: 5 });
    expect(outcome).toMatchObject({ kind: 'registered', client: { application_type: 'native' } });
    expect(JSON.stringify(outcome)).not.toContain('software_statement_x');
  });

  it.each([
    ['not an object', ['https://a.example/cb'], 'invalid_client_metadata'],
    ['null', null, 'invalid_client_metadata'],
    ['no redirect_uris', { client_name: 'x' }, 'invalid_redirect_uri'],
    ['empty redirect_uris', { redirect_uris: [] }, 'invalid_redirect_uri'],
    ['plain http off loopback', { redirect_uris: ['http://evil.example/cb'] }, 'invalid_redirect_uri'],
    ['a fragment', { redirect_uris: ['https://a.example/cb#x'] }, 'invalid_redirect_uri'],
    ['userinfo', { redirect_uris: ['https://u:p@a.example/cb'] }, 'invalid_redirect_uri'],
    ['a private-use scheme nobody allowed', { redirect_uris: ['cursor://x/cb'] }, 'invalid_redirect_uri'],
    ['javascript:', { redirect_uris: ['javascript:alert(1)'] }, 'invalid_redirect_uri'],
    ['eleven redirect URIs', { redirect_uris: Array.from({ length: 11 }, (_, i) => `https://a.example/${i}`) }, 'invalid_redirect_uri'],
    ['private_key_jwt (not implemented)', { redirect_uris: ['https://a.example/cb'], token_endpoint_auth_method: 'private_key_jwt' }, 'invalid_client_metadata'],
    ['the client_credentials grant', { redirect_uris: ['https://a.example/cb'], grant_types: ['client_credentials'] }, 'invalid_client_metadata'],
    ['refresh_token without authorization_code', { redirect_uris: ['https://a.example/cb'], grant_types: ['refresh_token'] }, 'invalid_client_metadata'],
    ['the implicit response type', { redirect_uris: ['https://a.example/cb'], response_types: ['token'] }, 'invalid_client_metadata'],
    ['a 500-character client_name', { redirect_uris: ['https://a.example/cb'], client_name: 'n'.repeat(500) }, 'invalid_client_metadata'],
    ['an http logo_uri', { redirect_uris: ['https://a.example/cb'], logo_uri: 'http://a.example/l.png' }, 'invalid_client_metadata'],
  ])('[RFC7591-04][MCP-41] refuses a registration with %s', (_name, metadata, error) => {
    const flow = new Flow();
    const outcome = flow.register(metadata);
    expect(errorOf(outcome)).toBe(error);
    expect(outcome.kind === 'error' && outcome.error.status).toBe(400);
    expect(flow.last.changes).toEqual([]);
  });

  it('[REQ-10][EC-22] loopback redirects on localhost, 127.0.0.1 and [::1] may be registered over plain http', () => {
    const outcome = new Flow().register({ redirect_uris: ['http://localhost:6274/oauth/callback', 'http://127.0.0.1:6276/oauth/callback', 'http://[::1]/cb'] });
    expect(outcome.kind).toBe('registered');
  });

  it('[REQ-10] an operator may allow an exact private-use redirect URI', () => {
    const flow = new Flow();
    const allowed = new Flow({ ...flow.config, allowedRedirectUris: ['cursor://anysphere.cursor-retrieval/oauth/callback'] });
    expect(allowed.register({ redirect_uris: ['cursor://anysphere.cursor-retrieval/oauth/callback'] }).kind).toBe('registered');
    expect(errorOf(allowed.register({ redirect_uris: ['cursor://anysphere.cursor-retrieval/oauth/other'] }))).toBe('invalid_redirect_uri');
  });
});

// Boundaries of dynamic client registration, the redirect URI policy and the documented defaults
// that mutation testing showed no test held. Error descriptions are never compared, only codes and effects.
const CB = 'https://app.example.net/cb';

/** An https URI of exactly `length` characters. */
function uriOfLength(length: number): string {
  const base = 'https://app.example.net/';
  return base + 'x'.repeat(length - base.length);
}

function registered(outcome: Outcome): RegisteredClient {
  expect(outcome.kind, JSON.stringify(outcome)).toBe('registered');
  if (outcome.kind !== 'registered') throw new Error('not registered');
  return outcome.client;
}

function refused(flow: Flow, metadata: unknown, error: string): void {
  const outcome = flow.register(metadata);
  expect(errorOf(outcome), JSON.stringify(metadata).slice(0, 120)).toBe(error);
  expect(outcome.kind === 'error' && outcome.error.status).toBe(400);
  expect(flow.last.changes).toEqual([]);
}

describe('registration: redirect URI policy boundaries', () => {
  it('[RFC7591-04][MCP-41] exactly ten redirect URIs may be registered', () => {
    const uris = Array.from({ length: 10 }, (_, i) => `https://app.example.net/${i}`);
    expect(registered(new Flow().register({ redirect_uris: uris })).redirect_uris).toEqual(uris);
  });

  it('[MCP-41][RFC7591-04] a redirect URI of 2000 characters may be registered, one of 2001 may not', () => {
    const flow = new Flow();
    expect(registered(flow.register({ redirect_uris: [uriOfLength(2000)] })).redirect_uris).toEqual([uriOfLength(2000)]);
    refused(flow, { redirect_uris: [uriOfLength(2001)] }, 'invalid_redirect_uri');
  });

  it('[MCP-41][RFC7591-04] a redirect URI with only a user name, or only a password, is refused', () => {
    const flow = new Flow();
    refused(flow, { redirect_uris: ['https://user@app.example.net/cb'] }, 'invalid_redirect_uri');
    refused(flow, { redirect_uris: ['https://:pw@app.example.net/cb'] }, 'invalid_redirect_uri');
    refused(flow, { redirect_uris: ['http://user@127.0.0.1/cb'] }, 'invalid_redirect_uri');
  });

  it('[MCP-41][RFC7591-04] a redirect URI that is not an absolute URL is refused', () => {
    const flow = new Flow();
    refused(flow, { redirect_uris: ['not a url'] }, 'invalid_redirect_uri');
    refused(flow, { redirect_uris: ['/relative/cb'] }, 'invalid_redirect_uri');
  });

  it('[RFC7591-04] redirect_uris holding a non-string member is refused', () => {
    refused(new Flow(), { redirect_uris: [CB, 42] }, 'invalid_redirect_uri');
  });
});

describe('registration: grant and response types', () => {
  it('[RFC7591-04][RFC7591-01] grant_types must list only supported grants: an extra unsupported grant or a bare string is refused', () => {
    const flow = new Flow();
    refused(flow, { redirect_uris: [CB], grant_types: ['authorization_code', 'client_credentials'] }, 'invalid_client_metadata');
    refused(flow, { redirect_uris: [CB], grant_types: 'authorization_code' }, 'invalid_client_metadata');
    refused(flow, { redirect_uris: [CB], grant_types: ['authorization_code', 7] }, 'invalid_client_metadata');
    expect(registered(flow.register({ redirect_uris: [CB], grant_types: ['authorization_code'] })).grant_types).toEqual(['authorization_code']);
  });

  it('[RFC7591-04] response_types may contain only code', () => {
    const flow = new Flow();
    refused(flow, { redirect_uris: [CB], response_types: ['code', 'token'] }, 'invalid_client_metadata');
    refused(flow, { redirect_uris: [CB], response_types: 'code' }, 'invalid_client_metadata');
    expect(registered(flow.register({ redirect_uris: [CB], response_types: ['code'] })).response_types).toEqual(['code']);
  });
});

describe('registration: descriptive metadata', () => {
  it('[RFC7591-04] client_name must be a non-empty string of at most 200 characters', () => {
    const flow = new Flow();
    refused(flow, { redirect_uris: [CB], client_name: '' }, 'invalid_client_metadata');
    refused(flow, { redirect_uris: [CB], client_name: 42 }, 'invalid_client_metadata');
    refused(flow, { redirect_uris: [CB], client_name: 'n'.repeat(201) }, 'invalid_client_metadata');
    expect(registered(flow.register({ redirect_uris: [CB], client_name: 'n'.repeat(200) })).client_name).toBe('n'.repeat(200));
  });

  it('[RFC7591-02][RFC7591-03] https client_uri and logo_uri of up to 2000 characters are kept and echoed', () => {
    const flow = new Flow();
    const client = registered(flow.register({ redirect_uris: [CB], client_uri: 'https://app.example.net/', logo_uri: uriOfLength(2000) }));
    expect(client).toMatchObject({ client_uri: 'https://app.example.net/', logo_uri: uriOfLength(2000) });
    expect(flow.state.clients[client.client_id]).toMatchObject({ clientUri: 'https://app.example.net/', logoUri: uriOfLength(2000) });
  });

  it('[RFC7591-04] client_uri and logo_uri must be https URL strings of at most 2000 characters', () => {
    const flow = new Flow();
    for (const member of ['client_uri', 'logo_uri']) {
      refused(flow, { redirect_uris: [CB], [member]: 'not a url' }, 'invalid_client_metadata');
      refused(flow, { redirect_uris: [CB], [member]: ['https://app.example.net/'] }, 'invalid_client_metadata');
      refused(flow, { redirect_uris: [CB], [member]: uriOfLength(2001) }, 'invalid_client_metadata');
      refused(flow, { redirect_uris: [CB], [member]: 42 }, 'invalid_client_metadata');
    }
  });

  it('[EC-11][RFC7591-01] a registered scope string is stored and echoed, never enforced; a scope that is not a string is refused', () => {
    const flow = new Flow();
    refused(flow, { redirect_uris: [CB], scope: ['notes:read'] }, 'invalid_client_metadata');
    // Bounded like every other member, so registrations cannot inflate the stored state.
    refused(flow, { redirect_uris: [CB], scope: 's'.repeat(1001) }, 'invalid_client_metadata');
    expect(registered(flow.register({ redirect_uris: [CB], scope: 's'.repeat(1000) })).scope).toHaveLength(1000);
    const client = registered(flow.register({ redirect_uris: [CB], scope: 'notes:read' }));
    expect(client.scope).toBe('notes:read');
    expect(flow.state.clients[client.client_id]?.scope).toBe('notes:read');
    const consent = flow.authorize(flow.authorizeParams(client.client_id, { redirect_uri: CB, scope: 'notes:write' }));
    expect(consent).toMatchObject({ kind: 'consent_required', request: { scopes: ['notes:write'] } });
  });

  it('[MCP-20] application_type web or native is kept; any other value is ignored without refusing the registration', () => {
    const flow = new Flow();
    expect(registered(flow.register({ redirect_uris: [CB], application_type: 'web' })).application_type).toBe('web');
    const other = registered(flow.register({ redirect_uris: [CB], application_type: 'desktop' }));
    expect('application_type' in other).toBe(false);
    expect(flow.state.clients[other.client_id]).not.toHaveProperty('applicationType');
  });
});

describe('registration: body, identity and echo', () => {
  it('[RFC7591-04] a JSON string or number as the body is invalid_client_metadata', () => {
    const flow = new Flow();
    refused(flow, 'redirect_uris', 'invalid_client_metadata');
    refused(flow, 42, 'invalid_client_metadata');
  });

  it('[REQ-14][RFC7591-04] a fresh client id colliding with a registered or a predefined client is refused, never overwritten', () => {
    const chatgpt: ClientRecord = { clientId: 'chatgpt', authMethod: 'none', redirectUris: [CB], grantTypes: ['authorization_code'], issuedAt: 0, source: 'predefined' };
    const flow = new Flow(testConfig({ predefinedClients: [chatgpt] }));
    const register = (clientId: string): Outcome => flow.run({ type: 'register', now: flow.now, metadata: { redirect_uris: [CB], token_endpoint_auth_method: 'client_secret_post' }, fresh: { clientId, clientSecret: `secret-of-${clientId}` } });
    expect(register('first').kind).toBe('registered');
    const before = flow.state.clients.first;
    for (const id of ['first', 'chatgpt']) {
      const outcome = register(id);
      expect(errorOf(outcome), id).toBe('invalid_client_metadata');
      expect(flow.last.changes).toEqual([]);
    }
    expect(flow.state.clients.first).toBe(before);
    expect(Object.keys(flow.state.clients)).toEqual(['first']);
  });

  it('[RFC7591-02][RFC7591-03][EC-27] a minimal public registration echoes exactly the registered members and stores a matching DCR record without secret', () => {
    const flow = new Flow();
    const client = registered(flow.register({ redirect_uris: [CB] }));
    expect(client).toStrictEqual({
      client_id: 'client-1',
      client_id_issued_at: flow.now,
      redirect_uris: [CB],
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    });
    expect(flow.state.clients['client-1']).toStrictEqual({
      clientId: 'client-1',
      authMethod: 'none',
      redirectUris: [CB],
      grantTypes: ['authorization_code', 'refresh_token'],
      issuedAt: flow.now,
      source: 'dcr',
    });
  });
});

describe('documented defaults', () => {
  it('[REQ-16][EC-31][RFC9700-07][MCP-40] the default configuration carries the lifetimes and limits of the Decisions', () => {
    expect(defaultConfig(ISSUER)).toStrictEqual({
      issuer: ISSUER,
      resource: RESOURCE,
      scopes: NOTES_SCOPES,
      defaultScopes: NOTES_SCOPES,
      identityScopes: ['openid', 'email', 'profile'],
      ignoredScopes: [],
      codeTtl: 300,
      accessTokenTtl: 3600,
      refreshTokenTtl: 2_592_000,
      refreshGrace: 60,
      reuseDetection: 604_800,
      pendingTtl: 1800,
      unusedClientTtl: 86_400,
      idleClientTtl: 7_776_000,
      predefinedClients: [],
      allowedRedirectUris: [],
      trustedRedirectOrigins: [],
      clientMetadataDocuments: true,
      trustedClientOrigins: [],
      limits: { maxRedirectUris: 10, maxUriLength: 2000, maxStateLength: 4096, maxClientNameLength: 200, maxScopeLength: 1000, maxClients: 10_000 },
    });
  });
});
