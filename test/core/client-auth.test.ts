import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/core/index.ts';
import type { ClientRecord } from '../../src/core/index.ts';
import { CHATGPT_REDIRECT, Flow, ISSUER, basic, errorOf } from './flow.ts';

function confidential(method: 'client_secret_basic' | 'client_secret_post' = 'client_secret_basic') {
  const flow = new Flow();
  const client = flow.client({ redirect_uris: [CHATGPT_REDIRECT], token_endpoint_auth_method: method });
  const code = flow.code(client.clientId);
  const params = (extra: Record<string, string | undefined> = {}) => ({ grant_type: 'authorization_code', code, code_verifier: 'dBjftJeZ4CVP-mJ92K9tqYk9vYv7Qn3xZ9yk2R8mXa0', ...extra });
  return { flow, clientId: client.clientId, secret: client.secret!, params };
}

describe('client authentication at the token endpoint', () => {
  it('[REQ-15][EC-26] client_secret_basic works, with URL-encoded credentials', () => {
    const { flow, clientId, secret, params } = confidential();
    expect(flow.token(params(), basic(clientId, secret)).kind).toBe('tokens');
  });

  it('[REQ-15][EC-26] a confidential client may also send its secret in the body', () => {
    const { flow, clientId, secret, params } = confidential('client_secret_basic');
    expect(flow.token(params({ client_id: clientId, client_secret: secret })).kind).toBe('tokens');
  });

  it('[REQ-15][OA21-07][EC-26] a wrong secret over Basic is a 401 invalid_client with a Basic challenge', () => {
    const { flow, clientId, params } = confidential();
    expect(flow.token(params(), basic(clientId, 'wrong'))).toMatchObject({ kind: 'error', error: { error: 'invalid_client', status: 401, basicChallenge: true } });
  });

  it('[REQ-15][EC-26] a wrong or missing secret in the body is a 401 invalid_client without a Basic challenge', () => {
    const { flow, clientId, params } = confidential('client_secret_post');
    const wrong = flow.token(params({ client_id: clientId, client_secret: 'wrong' }));
    expect(wrong).toMatchObject({ kind: 'error', error: { error: 'invalid_client', status: 401 } });
    expect(wrong.kind === 'error' && wrong.error.basicChallenge).toBeFalsy();
    expect(errorOf(flow.token(params({ client_id: clientId })))).toBe('invalid_client');
  });

  it('[EC-26] two authentication methods at once, or mismatched ids, are invalid_request', () => {
    const { flow, clientId, secret, params } = confidential();
    expect(errorOf(flow.token(params({ client_secret: secret }), basic(clientId, secret)))).toBe('invalid_request');
    expect(errorOf(flow.token(params({ client_id: 'someone-else' }), basic(clientId, secret)))).toBe('invalid_request');
    expect(errorOf(flow.token(params(), `Bearer ${secret}`))).toBe('invalid_request');
  });

  it.each(['Basic !!!', 'Basic bm9jb2xvbg==', 'Basic'])('[EC-26] malformed Basic credentials (%s) are invalid_client', (header) => {
    const { flow, params } = confidential();
    expect(flow.token(params(), header)).toMatchObject({ kind: 'error', error: { error: 'invalid_client', status: 401, basicChallenge: true } });
  });

  it('[EC-26] no client identification at all is invalid_client; an unknown client too', () => {
    const { flow, params } = confidential();
    expect(errorOf(flow.token(params()))).toBe('invalid_client');
    expect(errorOf(flow.token(params({ client_id: 'nobody' })))).toBe('invalid_client');
  });

  it('[CGPT-33][EC-32] a public client authenticates with its client_id alone; a stray secret is ignored', () => {
    const flow = new Flow();
    const { clientId, tokens } = flow.connect();
    expect(flow.refresh(clientId, tokens.refreshToken!, { client_secret: 'whatever' }).kind).toBe('tokens');
  });
});

describe('client authentication: misconfigured clients', () => {
  it('[REQ-15][EC-26] a confidential predefined client without a stored secret can never authenticate', () => {
    const broken: ClientRecord = { clientId: 'no-secret', authMethod: 'client_secret_basic', redirectUris: [CHATGPT_REDIRECT], grantTypes: ['authorization_code'], issuedAt: 0, source: 'predefined' };
    const flow = new Flow(defaultConfig(ISSUER, { predefinedClients: [broken] }));
    const params = { grant_type: 'authorization_code', code: 'x', code_verifier: 'v'.repeat(43) };
    expect(flow.token({ ...params, client_id: 'no-secret' })).toMatchObject({ kind: 'error', error: { error: 'invalid_client', status: 401 } });
    expect(flow.token(params, basic('no-secret', 'anything'))).toMatchObject({ kind: 'error', error: { error: 'invalid_client', status: 401 } });
  });
});
