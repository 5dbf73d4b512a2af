import { describe, expect, it } from 'vitest';
import { defaultConfig, hashSecret } from '../../src/core/index.ts';
import type { ClientRecord, Outcome, Params } from '../../src/core/index.ts';
import { CHATGPT_REDIRECT, Flow, ISSUER, basic, errorOf, RESOURCE, testConfig } from './flow.ts';

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
    const flow = new Flow(testConfig({ predefinedClients: [broken] }));
    const params = { grant_type: 'authorization_code', code: 'x', code_verifier: 'v'.repeat(43) };
    expect(flow.token({ ...params, client_id: 'no-secret' })).toMatchObject({ kind: 'error', error: { error: 'invalid_client', status: 401 } });
    expect(flow.token(params, basic('no-secret', 'anything'))).toMatchObject({ kind: 'error', error: { error: 'invalid_client', status: 401 } });
  });
});

// Boundaries of client authentication (token and revocation endpoints) and of the token endpoint's generic
// parameter checks that mutation testing showed no test held. Error descriptions are never compared.
const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

function revoke(flow: Flow, params: Params, authorization?: string): Outcome {
  const command: Extract<Parameters<Flow['run']>[0], { type: 'revoke' }> = { type: 'revoke', now: flow.now, params };
  if (authorization !== undefined) command.authorization = authorization;
  return flow.run(command);
}

function expectBasicFailure(outcome: Outcome): void {
  expect(outcome).toMatchObject({ kind: 'error', error: { error: 'invalid_client', status: 401, basicChallenge: true } });
}

function confidentialClient(method: 'client_secret_basic' | 'client_secret_post' = 'client_secret_basic') {
  const flow = new Flow();
  const client = flow.client({ redirect_uris: [CHATGPT_REDIRECT], token_endpoint_auth_method: method });
  return { flow, clientId: client.clientId, secret: client.secret! };
}

function predefinedFlow(client: Partial<ClientRecord> & Pick<ClientRecord, 'clientId' | 'authMethod'>): Flow {
  const record: ClientRecord = { redirectUris: [CHATGPT_REDIRECT], grantTypes: ['authorization_code', 'refresh_token'], issuedAt: 0, source: 'predefined', ...client };
  return new Flow(testConfig({ predefinedClients: [record] }));
}

describe('client authentication: malformed Basic credentials', () => {
  it('[EC-26][OA21-07] Basic credentials that do not decode to UTF-8 are invalid_client with a Basic challenge', () => {
    const { flow } = confidentialClient();
    const header = `Basic ${Buffer.from([0xff, 0xfe, 0x3a, 0x61]).toString('base64')}`;
    expectBasicFailure(revoke(flow, { token: 'x' }, header));
  });

  it('[EC-26] a Basic client id or secret that does not form-decode is invalid_client with a Basic challenge, even for a public client', () => {
    const flow = new Flow();
    const { clientId } = flow.client();
    expectBasicFailure(revoke(flow, { token: 'x' }, `Basic ${b64(`${clientId}:%ZZ`)}`));
    expectBasicFailure(revoke(flow, { token: 'x' }, `Basic ${b64(`%ZZ:x`)}`));
    expect(flow.last.changes).toEqual([]);
    // The same public client with well-formed credentials is accepted.
    expect(revoke(flow, { token: 'x' }, basic(clientId, 'ignored')).kind).toBe('revoked');
  });

  it('[EC-26][REQ-15] Basic credentials must be strictly padded base64: the right credentials without padding are refused', () => {
    const { flow, clientId, secret } = confidentialClient();
    const header = basic(clientId, secret);
    expect(header.endsWith('=')).toBe(true);
    expect(revoke(flow, { token: 'x' }, header).kind).toBe('revoked');
    expectBasicFailure(revoke(flow, { token: 'x' }, header.replace(/=+$/, '')));
  });

  it('[EC-26] a plus sign in form-encoded Basic credentials is a space, in the client id and in the secret', () => {
    const flow = predefinedFlow({ clientId: 'acme app', authMethod: 'client_secret_basic', secretHash: hashSecret('open sesame') });
    expect(revoke(flow, { token: 'x' }, `Basic ${b64('acme+app:open+sesame')}`).kind).toBe('revoked');
    expectBasicFailure(revoke(flow, { token: 'x' }, `Basic ${b64('acme+app:open+sesam')}`));
  });

  it('[EC-26] an empty client id in Basic credentials is malformed, never looked up, even if a client with an empty id existed', () => {
    const flow = predefinedFlow({ clientId: '', authMethod: 'none' });
    expectBasicFailure(revoke(flow, { token: 'x' }, `Basic ${b64(':x')}`));
  });
});

describe('client authentication: body credentials and their combination with Basic', () => {
  it('[EC-26][OA21-07] a repeated client_id or client_secret in the body is invalid_request', () => {
    const pub = new Flow();
    const { clientId } = pub.client();
    expect(errorOf(revoke(pub, { client_id: [clientId, clientId], token: 'x' }))).toBe('invalid_request');
    const { flow, clientId: confId, secret } = confidentialClient('client_secret_post');
    expect(errorOf(revoke(flow, { client_id: confId, client_secret: [secret, secret], token: 'x' }))).toBe('invalid_request');
    expect(revoke(flow, { client_id: confId, client_secret: secret, token: 'x' }).kind).toBe('revoked');
  });

  it('[EC-26][REQ-15] Basic together with the same client_id in the body is accepted', () => {
    const { flow, clientId, secret } = confidentialClient();
    expect(revoke(flow, { client_id: clientId, token: 'x' }, basic(clientId, secret)).kind).toBe('revoked');
  });

  it('[EC-26][CLA-02] no client identification at all is a 401 invalid_client without a Basic challenge', () => {
    const { flow } = confidentialClient();
    const outcome = revoke(flow, { token: 'x' });
    expect(outcome).toMatchObject({ kind: 'error', error: { error: 'invalid_client', status: 401 } });
    expect(outcome.kind === 'error' && 'basicChallenge' in outcome.error).toBe(false);
  });

  it('[EC-26][CGPT-33] a public client is authenticated by its client_id alone, whatever secret it sends and whatever the operator stored', () => {
    const flow = predefinedFlow({ clientId: 'cli', authMethod: 'none', secretHash: hashSecret('configured') });
    expect(revoke(flow, { client_id: 'cli', client_secret: 'something else', token: 'x' }).kind).toBe('revoked');
    expect(revoke(flow, { token: 'x' }, basic('cli', 'something else')).kind).toBe('revoked');
  });

  it('[EC-26][MCP-39] a confidential client whose stored secret hash is malformed fails closed with invalid_client', () => {
    const flow = predefinedFlow({ clientId: 'ops', authMethod: 'client_secret_post', secretHash: 'not-a-sha256' });
    expect(revoke(flow, { client_id: 'ops', client_secret: 'guess', token: 'x' })).toMatchObject({ kind: 'error', error: { error: 'invalid_client', status: 401 } });
  });
});

describe('token endpoint: parameter rules', () => {
  it('[REQ-15][OA21-07] an empty grant_type is a missing grant_type (invalid_request), not an unsupported one', () => {
    const flow = new Flow();
    const { clientId } = flow.client();
    const code = flow.code(clientId);
    expect(errorOf(flow.exchange(clientId, code, { grant_type: '' }))).toBe('invalid_request');
  });

  it('[EC-06][RFC8707-01] resource may repeat at the token endpoint when every value is the resource', () => {
    const flow = new Flow();
    const { clientId } = flow.client();
    const code = flow.code(clientId);
    expect(flow.exchange(clientId, code, { resource: [RESOURCE, RESOURCE] })).toMatchObject({ kind: 'tokens', tokens: { accessToken: { aud: RESOURCE } } });
  });

  it('[OA21-07][EC-15][EC-20] any other repeated parameter at the token endpoint is invalid_request, even one the grant treats as optional', () => {
    const flow = new Flow();
    const { clientId, tokens } = flow.connect();
    expect(errorOf(flow.refresh(clientId, tokens.refreshToken!, { scope: ['notes:read', 'notes:read'] }))).toBe('invalid_request');
    expect(flow.last.changes).toEqual([]);
    const code = flow.code(clientId);
    expect(errorOf(flow.exchange(clientId, code, { redirect_uri: [CHATGPT_REDIRECT, CHATGPT_REDIRECT] }))).toBe('invalid_request');
    expect(flow.last.changes).toEqual([]);
    // Both requests still work once the parameter is sent once.
    expect(flow.exchange(clientId, code, { redirect_uri: CHATGPT_REDIRECT }).kind).toBe('tokens');
  });
});
