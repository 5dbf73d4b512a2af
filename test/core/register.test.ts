import { describe, expect, it } from 'vitest';
import { hashSecret } from '../../src/core/index.ts';
import { CHATGPT_REDIRECT, Flow, errorOf } from './flow.ts';

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
    const allowed = new Flow({ ...flow.config, extraRedirectUris: ['cursor://anysphere.cursor-retrieval/oauth/callback'] });
    expect(allowed.register({ redirect_uris: ['cursor://anysphere.cursor-retrieval/oauth/callback'] }).kind).toBe('registered');
    expect(errorOf(allowed.register({ redirect_uris: ['cursor://anysphere.cursor-retrieval/oauth/other'] }))).toBe('invalid_redirect_uri');
  });
});
