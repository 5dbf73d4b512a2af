// Metadata-document clients (CIMD) and private_key_jwt in the pure core: what a fetched document
// means, and which claims of a shell-verified assertion let a client in.
import { describe, expect, it } from 'vitest';
import type { ClientAssertion, ClientDocument, Command, Outcome, Params } from '../../src/core/index.ts';
import { ASSERTION_TYPE } from '../../src/core/client-assertion.ts';
import { metadataUrlVerdict } from '../../src/core/client-document.ts';
import { chatgptDocument as shapedLikeChatgpt, claudeDocument as shapedLikeClaude } from '../kit/client-documents.ts';
import { CHALLENGE, errorOf, Flow, ISSUER, RESOURCE, testConfig, VERIFIER } from './flow.ts';

const CHATGPT_ID = 'https://chatgpt.com/oauth/abc123/client.json';
const CHATGPT_CALLBACK = 'https://chatgpt.com/connector/oauth/abc123';
const CLAUDE_ID = 'https://claude.ai/oauth/mcp-oauth-client-metadata';
const CLAUDE_CALLBACK = 'https://claude.ai/api/mcp/auth_callback';

const chatgptDocument = (overrides: Record<string, unknown> = {}) => ({ ...shapedLikeChatgpt(CHATGPT_ID, CHATGPT_CALLBACK), ...overrides });
const claudeDocument = (overrides: Record<string, unknown> = {}) => ({ ...shapedLikeClaude(CLAUDE_ID, [CLAUDE_CALLBACK]), ...overrides });

class DocumentFlow extends Flow {
  documents = new Map<string, ClientDocument>();

  serve(url: string, document: unknown): void {
    this.documents.set(url, { url, document });
  }

  failing(url: string, failure: string): void {
    this.documents.set(url, { url, failure });
  }

  #document(clientId: unknown): { clientDocument?: ClientDocument } {
    const found = typeof clientId === 'string' ? this.documents.get(clientId) : undefined;
    return found ? { clientDocument: found } : {};
  }

  authorizeWith(clientId: string, redirectUri: string, extra: Params = {}): Outcome {
    const params: Params = { client_id: clientId, response_type: 'code', redirect_uri: redirectUri, code_challenge: CHALLENGE, code_challenge_method: 'S256', resource: RESOURCE, scope: 'notes:read notes:write offline_access', ...extra };
    return this.run({ type: 'authorize', now: this.now, params, ...this.#document(clientId), fresh: { requestId: this.fresh('request') } });
  }

  codeFor(clientId: string, redirectUri: string): string {
    const consent = this.authorizeWith(clientId, redirectUri);
    expect(consent.kind, JSON.stringify(consent)).toBe('consent_required');
    if (consent.kind !== 'consent_required') throw new Error('no consent');
    const redirect = this.decide(consent.request.requestId);
    if (redirect.kind !== 'redirect') throw new Error(JSON.stringify(redirect));
    return redirect.redirect.params.code!;
  }

  tokenWith(params: Params, assertion?: ClientAssertion, documentFor?: string): Outcome {
    const command: Command = {
      type: 'token', now: this.now, params,
      ...this.#document(documentFor ?? params.client_id),
      ...(assertion === undefined ? {} : { assertion }),
      fresh: { grantId: this.fresh('grant'), jti: this.fresh('jti'), refreshToken: this.fresh('refresh') },
    };
    return this.run(command);
  }
}

const claims = (flow: Flow, overrides: Record<string, unknown> = {}) => ({
  iss: CHATGPT_ID, sub: CHATGPT_ID, aud: `${ISSUER}/oauth/token`, exp: flow.now + 60, iat: flow.now, jti: flow.fresh('jti'), ...overrides,
});

const assertionParams = (extra: Params = {}): Params => ({ client_assertion_type: ASSERTION_TYPE, client_assertion: 'a.b.c', ...extra });

function chatgptConnected() {
  const flow = new DocumentFlow();
  flow.serve(CHATGPT_ID, chatgptDocument());
  const code = flow.codeFor(CHATGPT_ID, CHATGPT_CALLBACK);
  return { flow, code };
}

describe('metadata document URLs', () => {
  it.each([
    ['http://chatgpt.com/oauth/client.json', 'is not an https URL'],
    ['https://chatgpt.com', 'has no path'],
    ['https://chatgpt.com/', 'has no path'],
    ['https://chatgpt.com/oauth/client.json#x', 'has a fragment'],
    ['https://user@chatgpt.com/oauth/client.json', 'has userinfo'],
    ['https://chatgpt.com/oauth/../client.json', 'has a dot segment'],
    ['https://chatgpt.com/oauth/%2e%2e/client.json', 'has a dot segment'],
    ['https://ChatGPT.com/oauth/client.json', 'is not in canonical form'],
    ['https://chatgpt.com:443/oauth/client.json', 'is not in canonical form'],
  ])('[REQ-13][CIMD-01][EC-41] %s is refused: it %s', (url, why) => {
    const verdict = metadataUrlVerdict(url, testConfig());
    expect(verdict.ok).toBe(false);
    expect(!verdict.ok && verdict.why).toContain(why);
  });

  it('[REQ-13][CIMD-01] a URL with a port and a path is usable', () => {
    expect(metadataUrlVerdict('https://client.example:8443/meta.json', testConfig())).toEqual({ ok: true });
  });
});

describe('authorization with a metadata document', () => {
  it('[REQ-13][CGPT-30] a ChatGPT-shaped document is a client that must use private_key_jwt', () => {
    const flow = new DocumentFlow();
    flow.serve(CHATGPT_ID, chatgptDocument());
    const outcome = flow.authorizeWith(CHATGPT_ID, CHATGPT_CALLBACK);
    expect(outcome.kind).toBe('consent_required');
    expect(flow.state.clients[CHATGPT_ID]).toMatchObject({ clientId: CHATGPT_ID, authMethod: 'private_key_jwt', clientName: 'ChatGPT', source: 'cimd', redirectUris: [CHATGPT_CALLBACK] });
  });

  it('[REQ-13][CLA-04][EC-28] a Claude-shaped document without any auth method is a public client', () => {
    const flow = new DocumentFlow();
    flow.serve(CLAUDE_ID, claudeDocument());
    expect(flow.authorizeWith(CLAUDE_ID, CLAUDE_CALLBACK).kind).toBe('consent_required');
    expect(flow.state.clients[CLAUDE_ID]?.authMethod).toBe('none');
  });

  it('[REQ-13][CIMD-03] a document that could not be fetched is an error page, never a redirect, and nothing is stored', () => {
    const flow = new DocumentFlow();
    flow.failing(CLAUDE_ID, 'the document host answered 404');
    const outcome = flow.authorizeWith(CLAUDE_ID, CLAUDE_CALLBACK);
    expect(outcome.kind).toBe('error');
    expect(outcome.kind === 'error' && outcome.error.description).toContain('answered 404');
    expect(flow.state.clients).toEqual({});
  });

  it('[REQ-13] without a fetched document a URL client_id is refused', () => {
    const flow = new DocumentFlow();
    expect(errorOf(flow.authorizeWith(CLAUDE_ID, CLAUDE_CALLBACK))).toBe('invalid_client_metadata');
  });

  it('[REQ-13] with metadata documents turned off a URL client_id is an unknown client', () => {
    const flow = new DocumentFlow(testConfig({ clientMetadataDocuments: false }));
    flow.serve(CLAUDE_ID, claudeDocument());
    expect(errorOf(flow.authorizeWith(CLAUDE_ID, CLAUDE_CALLBACK))).toBe('invalid_client');
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['client_id is another URL', { client_id: 'https://claude.ai/oauth/other' }, 'not the URL it was fetched from'],
    ['it carries a client_secret', { client_secret: 's3cret' }, 'client_secret'],
    ['it names a shared-secret method', { token_endpoint_auth_method: 'client_secret_basic' }, 'client_secret_basic'],
    ['the plural lists a shared-secret method', { token_endpoint_auth_methods_supported: ['none', 'client_secret_post'] }, 'client_secret_post'],
    ['the singular is not in the plural', { token_endpoint_auth_method: 'none', token_endpoint_auth_methods_supported: ['private_key_jwt'], jwks_uri: 'https://claude.ai/jwks.json' }, 'must be one of'],
    ['private_key_jwt comes without keys', { token_endpoint_auth_method: 'private_key_jwt' }, 'jwks or jwks_uri'],
    ['jwks and jwks_uri are both given', { token_endpoint_auth_method: 'private_key_jwt', jwks_uri: 'https://claude.ai/jwks.json', jwks: { keys: [{ kty: 'EC' }] } }, 'not both'],
    ['jwks holds a private key', { token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y', d: 'secret' }] } }, 'private key material'],
    ['a redirect URI is outside the policy', { redirect_uris: ['https://evil.example/cb'] }, 'is not a ChatGPT or Claude callback'],
    ['there are no redirect URIs', { redirect_uris: [] }, 'non-empty'],
  ])('[REQ-13][CIMD-02][EC-41] a document is refused when %s', (_, overrides, why) => {
    const flow = new DocumentFlow();
    flow.serve(CLAUDE_ID, claudeDocument(overrides));
    const outcome = flow.authorizeWith(CLAUDE_ID, CLAUDE_CALLBACK);
    expect(outcome.kind).toBe('error');
    expect(outcome.kind === 'error' && outcome.error.description).toContain(why);
    expect(flow.state.clients).toEqual({});
  });

  it('[REQ-13][CIMD-04] a document offering only methods we lack is unauthorized_client', () => {
    const flow = new DocumentFlow();
    flow.serve(CLAUDE_ID, claudeDocument({ token_endpoint_auth_methods_supported: ['tls_client_auth'] }));
    expect(errorOf(flow.authorizeWith(CLAUDE_ID, CLAUDE_CALLBACK))).toBe('unauthorized_client');
  });

  it('[REQ-13][CIMD-03] the redirect URI must be one the document lists', () => {
    const flow = new DocumentFlow();
    flow.serve(CLAUDE_ID, claudeDocument());
    expect(errorOf(flow.authorizeWith(CLAUDE_ID, 'https://claude.com/api/mcp/auth_callback'))).toBe('invalid_request');
  });

  it('[REQ-10][REQ-13] an operator-trusted publisher may list redirect URIs outside the built-in policy', () => {
    const url = 'https://tools.internal.example/client.json';
    const flow = new DocumentFlow(testConfig({ trustedClientOrigins: ['https://tools.internal.example'] }));
    flow.serve(url, { client_id: url, redirect_uris: ['https://tools.internal.example/cb'] });
    expect(flow.authorizeWith(url, 'https://tools.internal.example/cb').kind).toBe('consent_required');
  });

  it('[REQ-13] a changed document updates the stored client; an unchanged one writes nothing', () => {
    const flow = new DocumentFlow();
    flow.serve(CLAUDE_ID, claudeDocument());
    flow.authorizeWith(CLAUDE_ID, CLAUDE_CALLBACK);
    flow.authorizeWith(CLAUDE_ID, CLAUDE_CALLBACK);
    expect(flow.last.changes.map((c) => c.collection)).toEqual(['pending']);
    flow.serve(CLAUDE_ID, claudeDocument({ client_name: 'Claude (new)' }));
    flow.authorizeWith(CLAUDE_ID, CLAUDE_CALLBACK);
    expect(flow.state.clients[CLAUDE_ID]?.clientName).toBe('Claude (new)');
  });

  it('[REQ-13] new metadata-document clients count against the client cap', () => {
    const flow = new DocumentFlow(testConfig({ limits: { ...testConfig().limits, maxClients: 1 } }));
    flow.client();
    flow.serve(CLAUDE_ID, claudeDocument());
    const outcome = flow.authorizeWith(CLAUDE_ID, CLAUDE_CALLBACK);
    expect(outcome.kind === 'error' && outcome.error.description).toContain('limit of 1 clients');
  });
});

describe('the token endpoint for metadata-document clients', () => {
  it('[REQ-13][EC-29][RFC7523-01] a ChatGPT code exchange with a valid assertion gets tokens', () => {
    const { flow, code } = chatgptConnected();
    const outcome = flow.tokenWith({ grant_type: 'authorization_code', code, code_verifier: VERIFIER, ...assertionParams() }, { claims: claims(flow) }, CHATGPT_ID);
    expect(outcome.kind, JSON.stringify(outcome)).toBe('tokens');
    expect(outcome.kind === 'tokens' && outcome.tokens.accessToken.client_id).toBe(CHATGPT_ID);
  });

  it('[EC-29] the issuer itself is an accepted audience, as a string or inside an array', () => {
    for (const aud of [ISSUER, ['https://other.example', ISSUER]]) {
      const { flow, code } = chatgptConnected();
      const outcome = flow.tokenWith({ grant_type: 'authorization_code', code, code_verifier: VERIFIER, ...assertionParams() }, { claims: claims(flow, { aud }) }, CHATGPT_ID);
      expect(outcome.kind, JSON.stringify(aud)).toBe('tokens');
    }
  });

  it('[EC-29] a replayed jti is refused, and a restart (state replayed from the journal) does not reopen it', () => {
    const { flow, code } = chatgptConnected();
    const used = claims(flow);
    expect(flow.tokenWith({ grant_type: 'authorization_code', code, code_verifier: VERIFIER, ...assertionParams() }, { claims: used }, CHATGPT_ID).kind).toBe('tokens');
    flow.state = flow.journal; // what a restart would load
    const replay = flow.tokenWith({ grant_type: 'refresh_token', refresh_token: 'x', ...assertionParams() }, { claims: used }, CHATGPT_ID);
    expect(replay.kind === 'error' && replay.error).toMatchObject({ error: 'invalid_client', status: 401 });
    expect(replay.kind === 'error' && replay.error.description).toContain('jti replay');
  });

  it('[EC-29] a used jti is forgotten by the tick once the assertion has expired', () => {
    const { flow, code } = chatgptConnected();
    flow.tokenWith({ grant_type: 'authorization_code', code, code_verifier: VERIFIER, ...assertionParams() }, { claims: claims(flow) }, CHATGPT_ID);
    expect(Object.keys(flow.state.usedAssertions)).toHaveLength(1);
    flow.now += 61;
    flow.run({ type: 'tick', now: flow.now });
    expect(flow.state.usedAssertions).toEqual({});
  });

  it.each<[string, (flow: Flow) => Record<string, unknown>, string]>([
    ['aud names someone else', (f) => claims(f, { aud: 'https://evil.example' }), 'aud'],
    ['aud is missing', (f) => claims(f, { aud: undefined }), 'aud'],
    ['it has expired', (f) => claims(f, { exp: f.now }), 'expired'],
    ['it has no exp', (f) => claims(f, { exp: undefined }), 'no exp'],
    ['exp is more than five minutes ahead', (f) => claims(f, { exp: f.now + 400 }), 'too long'],
    ['nbf is in the future', (f) => claims(f, { nbf: f.now + 120 }), 'nbf'],
    ['iss is not sub', (f) => claims(f, { iss: 'https://evil.example/client.json' }), 'iss and sub'],
    ['it has no jti', (f) => claims(f, { jti: undefined }), 'jti'],
    ['its jti is too long', (f) => claims(f, { jti: 'j'.repeat(257) }), 'jti'],
  ])('[EC-29][RFC7523-01] an assertion is refused (401 invalid_client) when %s', (_, make, why) => {
    const { flow, code } = chatgptConnected();
    const outcome = flow.tokenWith({ grant_type: 'authorization_code', code, code_verifier: VERIFIER, ...assertionParams() }, { claims: make(flow) }, CHATGPT_ID);
    expect(outcome.kind === 'error' && outcome.error).toMatchObject({ error: 'invalid_client', status: 401 });
    expect(outcome.kind === 'error' && outcome.error.description).toContain(why);
  });

  it('[EC-29] a signature the shell could not verify (wrong key) is invalid_client with its reason', () => {
    const { flow, code } = chatgptConnected();
    const outcome = flow.tokenWith({ grant_type: 'authorization_code', code, code_verifier: VERIFIER, ...assertionParams() }, { failure: 'the client assertion is not signed by a key of the client' }, CHATGPT_ID);
    expect(outcome.kind === 'error' && outcome.error).toMatchObject({ error: 'invalid_client', description: 'the client assertion is not signed by a key of the client' });
  });

  it('[CIMD-04][EC-28] a client whose document offers private_key_jwt may not fall back to none', () => {
    const { flow, code } = chatgptConnected();
    const outcome = flow.tokenWith({ grant_type: 'authorization_code', client_id: CHATGPT_ID, code, code_verifier: VERIFIER });
    expect(outcome.kind === 'error' && outcome.error).toMatchObject({ error: 'invalid_client', status: 401 });
  });

  it('[EC-29] a public metadata-document client may not present an assertion', () => {
    const flow = new DocumentFlow();
    flow.serve(CLAUDE_ID, claudeDocument());
    const code = flow.codeFor(CLAUDE_ID, CLAUDE_CALLBACK);
    const outcome = flow.tokenWith({ grant_type: 'authorization_code', code, code_verifier: VERIFIER, ...assertionParams() }, { claims: { ...claims(flow), iss: CLAUDE_ID, sub: CLAUDE_ID } }, CLAUDE_ID);
    expect(outcome.kind === 'error' && outcome.error.description).toContain('does not authenticate with private_key_jwt');
  });

  it('[REQ-13][CLA-04] Claude-shaped: a public document client exchanges its code with PKCE alone', () => {
    const flow = new DocumentFlow();
    flow.serve(CLAUDE_ID, claudeDocument());
    const code = flow.codeFor(CLAUDE_ID, CLAUDE_CALLBACK);
    const outcome = flow.tokenWith({ grant_type: 'authorization_code', client_id: CLAUDE_ID, code, code_verifier: VERIFIER });
    expect(outcome.kind).toBe('tokens');
    expect(flow.state.clients[CLAUDE_ID]?.connectedAt).toBe(flow.now);
  });

  it('[EC-26] an assertion together with a client secret is two methods at once', () => {
    const { flow, code } = chatgptConnected();
    const outcome = flow.tokenWith({ grant_type: 'authorization_code', code, code_verifier: VERIFIER, client_secret: 'x', ...assertionParams() }, { claims: claims(flow) }, CHATGPT_ID);
    expect(errorOf(outcome)).toBe('invalid_request');
  });

  it('[RFC7523-01] the assertion type must be exactly jwt-bearer', () => {
    const { flow, code } = chatgptConnected();
    const outcome = flow.tokenWith({ grant_type: 'authorization_code', code, code_verifier: VERIFIER, ...assertionParams({ client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:saml2-bearer' }) }, { claims: claims(flow) }, CHATGPT_ID);
    expect(errorOf(outcome)).toBe('invalid_request');
  });

  it('[EC-29] a jti survives a failed grant: the assertion is spent even when the code is wrong', () => {
    const { flow } = chatgptConnected();
    const used = claims(flow);
    expect(errorOf(flow.tokenWith({ grant_type: 'authorization_code', code: 'wrong', code_verifier: VERIFIER, ...assertionParams() }, { claims: used }, CHATGPT_ID))).toBe('invalid_grant');
    const again = flow.tokenWith({ grant_type: 'authorization_code', code: 'wrong', code_verifier: VERIFIER, ...assertionParams() }, { claims: used }, CHATGPT_ID);
    expect(again.kind === 'error' && again.error.description).toContain('jti replay');
  });

  it('[EC-29] revocation accepts the same assertion checks', () => {
    const { flow, code } = chatgptConnected();
    const tokens = flow.tokenWith({ grant_type: 'authorization_code', code, code_verifier: VERIFIER, ...assertionParams() }, { claims: claims(flow) }, CHATGPT_ID);
    if (tokens.kind !== 'tokens') throw new Error('no tokens');
    const revoke = (claimSet: Record<string, unknown>) => flow.run({ type: 'revoke', now: flow.now, params: { token: tokens.tokens.refreshToken!, ...assertionParams() }, clientDocument: flow.documents.get(CHATGPT_ID)!, assertion: { claims: claimSet } });
    expect(revoke(claims(flow, { aud: 'https://evil.example' })).kind).toBe('error');
    expect(Object.keys(flow.state.grants)).toHaveLength(1);
    expect(revoke(claims(flow)).kind).toBe('revoked');
    expect(flow.state.grants).toEqual({});
  });
});
