import { describe, expect, it } from 'vitest';
import { defaultConfig, redirectLocation } from '../../src/core/index.ts';
import type { ClientRecord, Outcome } from '../../src/core/index.ts';
import { CHALLENGE, CHATGPT_REDIRECT, Flow, ISSUER, RESOURCE, errorOf, testConfig } from './flow.ts';

function setup() {
  const flow = new Flow();
  const { clientId } = flow.client();
  return { flow, clientId };
}

describe('authorization request, phase 1: client and redirect URI (never redirected)', () => {
  it.each([
    ['an unknown client_id', { client_id: 'nobody' }, 'invalid_client'],
    ['no client_id', { client_id: undefined }, 'invalid_request'],
    ['a repeated client_id', { client_id: ['a', 'b'] }, 'invalid_request'],
    ['a redirect_uri that is not registered', { redirect_uri: 'https://attacker.example/cb' }, 'invalid_request'],
    ['a registered redirect_uri plus a trailing slash', { redirect_uri: `${CHATGPT_REDIRECT}/` }, 'invalid_request'],
    ['a registered redirect_uri with a fragment', { redirect_uri: `${CHATGPT_REDIRECT}#x` }, 'invalid_request'],
    ['a repeated redirect_uri', { redirect_uri: [CHATGPT_REDIRECT, CHATGPT_REDIRECT] }, 'invalid_request'],
  ])('[REQ-10][OA21-07][MCP-43][RFC9700-01] %s is shown as an error page and never redirected', (_name, extra, error) => {
    const { flow, clientId } = setup();
    const outcome = flow.authorize(flow.authorizeParams(clientId, extra));
    expect(outcome.kind).toBe('error');
    expect(errorOf(outcome)).toBe(error);
    expect(flow.last.changes).toEqual([]);
  });

  it('[OA21-03][EC-21] redirect_uri may be omitted when exactly one is registered, and is required otherwise', () => {
    const { flow, clientId } = setup();
    const single = flow.authorize(flow.authorizeParams(clientId, { redirect_uri: undefined }));
    expect(single).toMatchObject({ kind: 'consent_required', request: { redirectUri: CHATGPT_REDIRECT } });
    const two = flow.client({ redirect_uris: ['https://claude.ai/api/mcp/auth_callback', 'https://claude.com/api/mcp/auth_callback'] });
    expect(errorOf(flow.authorize(flow.authorizeParams(two.clientId, { redirect_uri: undefined })))).toBe('invalid_request');
  });

  it('[REQ-10][EC-22] a loopback redirect matches on any port, but not another loopback host', () => {
    const flow = new Flow();
    const { clientId } = flow.client({ redirect_uris: ['http://127.0.0.1/callback'] });
    const ok = flow.authorize(flow.authorizeParams(clientId, { redirect_uri: 'http://127.0.0.1:49152/callback' }));
    expect(ok).toMatchObject({ kind: 'consent_required', request: { redirectUri: 'http://127.0.0.1:49152/callback' } });
    expect(errorOf(flow.authorize(flow.authorizeParams(clientId, { redirect_uri: 'http://localhost:49152/callback' })))).toBe('invalid_request');
    expect(errorOf(flow.authorize(flow.authorizeParams(clientId, { redirect_uri: 'http://127.0.0.1:49152/other' })))).toBe('invalid_request');
  });

  it('[REQ-10][EC-23] a predefined ChatGPT client with the callback template matches callback ids only on chatgpt.com', () => {
    const chatgpt: ClientRecord = { clientId: 'chatgpt', authMethod: 'none', redirectUris: ['https://chatgpt.com/connector/oauth/{callback_id}'], grantTypes: ['authorization_code', 'refresh_token'], issuedAt: 0, source: 'predefined' };
    const flow = new Flow(testConfig({ predefinedClients: [chatgpt] }));
    const ok = flow.authorize(flow.authorizeParams('chatgpt', { redirect_uri: 'https://chatgpt.com/connector/oauth/AbC_12-x' }));
    expect(ok.kind).toBe('consent_required');
    for (const bad of ['https://chatgpt.com/connector/oauth/', 'https://chatgpt.com/connector/oauth/a/../../evil', 'https://chatgpt.com/connector/oauth/a?x=1', 'https://chatgpt.com.evil.example/connector/oauth/a', 'https://chatgpt.com:8443/connector/oauth/a', 'https://chatgpt.com/connector/oauth/a#f', 'https://chatgpt.com/connector/oauth/{callback_id}x']) {
      expect(errorOf(flow.authorize(flow.authorizeParams('chatgpt', { redirect_uri: bad }))), bad).toBe('invalid_request');
    }
    // The template is a pattern only for operator-defined clients: over DCR it is not even a URI the policy allows.
    expect(flow.register({ redirect_uris: ['https://chatgpt.com/connector/oauth/{callback_id}'] })).toMatchObject({ kind: 'error', error: { error: 'invalid_redirect_uri' } });
  });
});

describe('authorization request, phase 2: redirected errors carry state and iss', () => {
  it.each([
    ['no code_challenge', { code_challenge: undefined }, 'invalid_request'],
    ['code_challenge_method=plain', { code_challenge_method: 'plain' }, 'invalid_request'],
    ['no code_challenge_method (which means plain)', { code_challenge_method: undefined }, 'invalid_request'],
    ['a malformed code_challenge', { code_challenge: 'abc' }, 'invalid_request'],
    ['response_type=token', { response_type: 'token' }, 'unsupported_response_type'],
    ['no response_type', { response_type: undefined }, 'invalid_request'],
    ['an unknown scope', { scope: 'notes:read admin' }, 'invalid_scope'],
    ['another resource', { resource: 'https://other.example/mcp' }, 'invalid_target'],
    ['a resource with a fragment', { resource: `${RESOURCE}#x` }, 'invalid_target'],
    ['a resource that is only the origin', { resource: ISSUER }, 'invalid_target'],
    ['a resource with two slashes after the path', { resource: `${RESOURCE}//` }, 'invalid_target'],
    ['a second, different resource', { resource: [RESOURCE, 'https://other.example/mcp'] }, 'invalid_target'],
    ['a repeated scope', { scope: ['notes:read', 'notes:write'] }, 'invalid_request'],
  ])('[REQ-09][REQ-11][REQ-12][RFC9207-01][MCP-28][CGPT-22][OA21-02][RFC7636-02][RFC8707-01][RFC9700-03] %s is redirected with error, state and iss', (_name, extra, error) => {
    const { flow, clientId } = setup();
    const outcome = flow.authorize(flow.authorizeParams(clientId, extra));
    expect(outcome).toMatchObject({ kind: 'redirect', redirect: { redirectUri: CHATGPT_REDIRECT, params: { error, state: 'st-123', iss: ISSUER } } });
    expect(flow.last.changes).toEqual([]);
  });

  it('[EC-24] a 2 KB state is kept unchanged; a state past the limit is refused without being echoed', () => {
    const { flow, clientId } = setup();
    const state = `${'é'.repeat(10)}${'x'.repeat(2038)}`;
    expect(flow.authorize(flow.authorizeParams(clientId, { state }))).toMatchObject({ kind: 'consent_required', request: { state } });
    const tooLong = flow.authorize(flow.authorizeParams(clientId, { state: 'x'.repeat(5000) }));
    expect(tooLong).toMatchObject({ kind: 'redirect', redirect: { params: { error: 'invalid_request', iss: ISSUER } } });
    expect(tooLong.kind === 'redirect' && 'state' in tooLong.redirect.params).toBe(false);
  });

  it('[EC-24] a request without state works and its responses carry no state', () => {
    const { flow, clientId } = setup();
    const consent = flow.expect('consent_required', { type: 'authorize', now: flow.now, params: flow.authorizeParams(clientId, { state: undefined }), fresh: { requestId: 'r' } });
    expect(consent.request.state).toBeUndefined();
  });
});

describe('authorization request: what is accepted', () => {
  it('[REQ-09][CGPT-27] a ChatGPT-shaped S256 request is accepted and awaits consent', () => {
    const { flow, clientId } = setup();
    const outcome = flow.authorize(flow.authorizeParams(clientId));
    expect(outcome).toMatchObject({ kind: 'consent_required', request: { clientId, redirectUri: CHATGPT_REDIRECT, scopes: ['notes:read', 'notes:write', 'offline_access'], resource: RESOURCE, codeChallenge: CHALLENGE, state: 'st-123' } });
  });

  it.each([
    ['omitted', undefined],
    ['in upper case', 'HTTPS://NOTES.EXAMPLE.COM/mcp'],
    ['with the default port', 'https://notes.example.com:443/mcp'],
    ['twice', [RESOURCE, RESOURCE]],
  ])('[REQ-11][EC-03][EC-07][MCP-31] a resource %s is read as the canonical resource', (_name, resource) => {
    const { flow, clientId } = setup();
    expect(flow.authorize(flow.authorizeParams(clientId, { resource }))).toMatchObject({ kind: 'consent_required', request: { resource: RESOURCE } });
  });

  it('[EC-01][CLA-06] one trailing slash after /mcp, as Claude Code has sent it, is the same resource and aud stays canonical', () => {
    const { flow, clientId } = setup();
    expect(flow.authorize(flow.authorizeParams(clientId, { resource: `${RESOURCE}/` }))).toMatchObject({ kind: 'consent_required', request: { resource: RESOURCE } });
  });

  it('[EC-01] a lone trailing slash is canonicalised away when the resource is an origin', () => {
    const flow = new Flow(testConfig({ resource: ISSUER }));
    const { clientId } = flow.client();
    expect(flow.authorize(flow.authorizeParams(clientId, { resource: `${ISSUER}/` }))).toMatchObject({ kind: 'consent_required', request: { resource: ISSUER } });
  });

  it.each([
    ['empty', '', ['notes:read', 'notes:write']],
    ['absent', undefined, ['notes:read', 'notes:write']],
    ['only OpenID scopes (OIDC on: granted, with the default resource scopes)', 'openid email profile', ['email', 'notes:read', 'notes:write', 'openid', 'profile']],
    ['offline_access alone', 'offline_access', ['notes:read', 'notes:write', 'offline_access']],
    ['one resource scope', 'notes:read', ['notes:read']],
    ['extra spaces', '  notes:write   notes:read ', ['notes:read', 'notes:write']],
  ])('[EC-11][EC-12][EC-13] scope %s is read as the right set', (_name, scope, scopes) => {
    const { flow, clientId } = setup();
    expect(flow.authorize(flow.authorizeParams(clientId, { scope }))).toMatchObject({ kind: 'consent_required', request: { scopes } });
  });
});

describe('consent', () => {
  it('[REQ-12][RFC9207-01][MCP-28] approval redirects with code, state and iss; the code is stored only hashed', () => {
    const { flow, clientId } = setup();
    const consent = flow.expect('consent_required', { type: 'authorize', now: flow.now, params: flow.authorizeParams(clientId), fresh: { requestId: 'req' } });
    const outcome = flow.decide(consent.request.requestId);
    expect(outcome).toMatchObject({ kind: 'redirect', redirect: { redirectUri: CHATGPT_REDIRECT, params: { code: expect.any(String), state: 'st-123', iss: ISSUER } } });
    const code = outcome.kind === 'redirect' ? outcome.redirect.params.code! : '';
    expect(JSON.stringify(flow.state)).not.toContain(`"${code}"`);
    expect(flow.state.pending).toEqual({});
  });

  it('[EC-25][EC-43] denial redirects with access_denied, the original state and iss', () => {
    const { flow, clientId } = setup();
    const consent = flow.expect('consent_required', { type: 'authorize', now: flow.now, params: flow.authorizeParams(clientId), fresh: { requestId: 'req' } });
    expect(flow.decide(consent.request.requestId, { approve: false })).toMatchObject({ kind: 'redirect', redirect: { params: { error: 'access_denied', state: 'st-123', iss: ISSUER } } });
    expect(flow.state.pending).toEqual({});
  });

  it('[REQ-17] the user may approve a subset of the requested scopes, never more', () => {
    const { flow, clientId } = setup();
    const consent = flow.expect('consent_required', { type: 'authorize', now: flow.now, params: flow.authorizeParams(clientId), fresh: { requestId: 'req' } });
    expect(errorOf(flow.decide('req', { approve: true, scopes: ['notes:admin'] }))).toBe('invalid_request');
    expect(errorOf(flow.decide('req', { approve: true, scopes: [] }))).toBe('invalid_request');
    expect(flow.decide(consent.request.requestId, { approve: true, scopes: ['notes:read'] }).kind).toBe('redirect');
    expect(Object.values(flow.state.codes)[0]?.scopes).toEqual(['notes:read']);
  });

  it('[REQ-17] a request left waiting past its lifetime can no longer be approved', () => {
    const { flow, clientId } = setup();
    const consent = flow.expect('consent_required', { type: 'authorize', now: flow.now, params: flow.authorizeParams(clientId), fresh: { requestId: 'req' } });
    flow.now += flow.config.pendingTtl;
    expect(flow.decide(consent.request.requestId)).toMatchObject({ kind: 'error', error: { error: 'invalid_request' } });
    expect(flow.state.pending).toEqual({});
  });
});

// Boundaries of the authorization request, the consent decision and the shape of authorization
// responses that mutation testing showed no test held. Error descriptions are never compared, only codes and effects.
const TEMPLATE = 'https://chatgpt.com/connector/oauth/{callback_id}';

function predefined(clientId: string, redirectUris: string[], grantTypes: ClientRecord['grantTypes'] = ['authorization_code', 'refresh_token']): ClientRecord {
  return { clientId, authMethod: 'none', redirectUris, grantTypes, issuedAt: 0, source: 'predefined' };
}

function withClients(...clients: ClientRecord[]): Flow {
  return new Flow(testConfig({ predefinedClients: clients }));
}

function expectErrorPage(flow: Flow, outcome: Outcome, error: string): void {
  expect(outcome.kind, JSON.stringify(outcome)).toBe('error');
  expect(errorOf(outcome)).toBe(error);
  expect(flow.last.changes).toEqual([]);
}

describe('authorization request: phase 1 gaps (client and redirect URI)', () => {
  it('[OA21-07][EC-21] an empty client_id counts as a missing one (invalid_request), not as an unknown client', () => {
    const { flow, clientId } = setup();
    expectErrorPage(flow, flow.authorize(flow.authorizeParams(clientId, { client_id: '' })), 'invalid_request');
  });

  it('[OA21-03][EC-21] a client with no registered redirect URI is never answered when redirect_uri is omitted', () => {
    const flow = withClients(predefined('bare', []));
    expectErrorPage(flow, flow.authorize(flow.authorizeParams('bare', { redirect_uri: undefined })), 'invalid_request');
  });

  it('[EC-21][EC-23] redirect_uri may not be omitted when the single registered URI is a predefined ChatGPT template', () => {
    const flow = withClients(predefined('chatgpt', [TEMPLATE]));
    expectErrorPage(flow, flow.authorize(flow.authorizeParams('chatgpt', { redirect_uri: undefined })), 'invalid_request');
  });

  it('[EC-21][EC-23] a DCR client whose single URI is the callback id it was given may omit redirect_uri and gets that URI', () => {
    const flow = new Flow();
    expect(flow.register({ redirect_uris: [TEMPLATE] })).toMatchObject({ kind: 'error', error: { error: 'invalid_redirect_uri' } });
    const { clientId } = flow.client({ redirect_uris: ['https://chatgpt.com/connector/oauth/AbC_12-x'] });
    expect(flow.authorize(flow.authorizeParams(clientId, { redirect_uri: undefined }))).toMatchObject({ kind: 'consent_required', request: { redirectUri: 'https://chatgpt.com/connector/oauth/AbC_12-x' } });
  });

  it('[EC-23][CGPT-19] only the ChatGPT template is a pattern: an ordinary URI of a predefined client does not match callback ids', () => {
    const flow = withClients(predefined('acme', ['https://app.example.net/cb']));
    expectErrorPage(flow, flow.authorize(flow.authorizeParams('acme', { redirect_uri: 'https://chatgpt.com/connector/oauth/abc' })), 'invalid_request');
  });

  it('[REQ-10][RFC9700-01] an https redirect URI matches only exactly: the same URI on another port is refused', () => {
    const flow = new Flow();
    const { clientId } = flow.client({ redirect_uris: ['https://app.example.net/cb'] });
    expectErrorPage(flow, flow.authorize(flow.authorizeParams(clientId, { redirect_uri: 'https://app.example.net:8443/cb' })), 'invalid_request');
  });

  it('[EC-22][REQ-10] the loopback port exemption needs plain http on both sides; a changed scheme never matches on another port', () => {
    // https on localhost is not loopback under the policy; the operator trusts it here to test matching.
    const flow = new Flow(testConfig({ trustedRedirectOrigins: ['https://localhost'] }));
    const { clientId } = flow.client({ redirect_uris: ['http://127.0.0.1/callback', 'https://localhost/cb'] });
    for (const bad of ['https://127.0.0.1:8443/callback', 'http://localhost:8080/cb', 'https://localhost:8443/cb']) {
      expect(errorOf(flow.authorize(flow.authorizeParams(clientId, { redirect_uri: bad }))), bad).toBe('invalid_request');
      expect(flow.last.outcome.kind, bad).toBe('error');
    }
    // The registered URIs themselves, and the loopback one on another port, still match.
    expect(flow.authorize(flow.authorizeParams(clientId, { redirect_uri: 'https://localhost/cb' })).kind).toBe('consent_required');
    expect(flow.authorize(flow.authorizeParams(clientId, { redirect_uri: 'http://127.0.0.1:5000/callback' })).kind).toBe('consent_required');
  });

  it('[EC-22][RFC9700-01] a loopback redirect on another port still needs no fragment, no userinfo and the same query', () => {
    const flow = new Flow();
    const { clientId } = flow.client({ redirect_uris: ['http://127.0.0.1/callback?app=1'] });
    for (const bad of [
      'http://127.0.0.1:5000/callback?app=1#frag',
      'http://user@127.0.0.1:5000/callback?app=1',
      'http://:pw@127.0.0.1:5000/callback?app=1',
      'http://127.0.0.1:5000/callback?app=2',
      'http://127.0.0.1:5000/callback',
    ]) {
      expectErrorPage(flow, flow.authorize(flow.authorizeParams(clientId, { redirect_uri: bad })), 'invalid_request');
    }
    expect(flow.authorize(flow.authorizeParams(clientId, { redirect_uri: 'http://127.0.0.1:5000/callback?app=1' })).kind).toBe('consent_required');
  });

  it('[REQ-10][MCP-43] a requested redirect URI that is not a URL is an error page, also for a client with loopback registrations', () => {
    const flow = new Flow();
    const { clientId } = flow.client({ redirect_uris: ['http://127.0.0.1/callback'] });
    expectErrorPage(flow, flow.authorize(flow.authorizeParams(clientId, { redirect_uri: 'http://[oops/callback' })), 'invalid_request');
  });
});

describe('authorization request: phase 2 gaps', () => {
  it('[OA21-07][RFC9207-01] a predefined client registered without the authorization_code grant gets unauthorized_client, redirected with state and iss', () => {
    const flow = withClients(predefined('refresher', [CHATGPT_REDIRECT], ['refresh_token']));
    const outcome = flow.authorize(flow.authorizeParams('refresher'));
    expect(outcome).toMatchObject({ kind: 'redirect', redirect: { redirectUri: CHATGPT_REDIRECT, params: { error: 'unauthorized_client', state: 'st-123', iss: ISSUER } } });
    expect(flow.last.changes).toEqual([]);
  });

  it('[EC-24][OA21-08] a state of exactly 4096 characters is accepted and echoed, on success and on errors; 4097 is refused and not echoed', () => {
    const { flow, clientId } = setup();
    const max = 's'.repeat(4096);
    expect(flow.authorize(flow.authorizeParams(clientId, { state: max }))).toMatchObject({ kind: 'consent_required', request: { state: max } });
    expect(flow.authorize(flow.authorizeParams(clientId, { state: max, code_challenge_method: 'plain' }))).toMatchObject({ kind: 'redirect', redirect: { params: { error: 'invalid_request', state: max } } });
    const over = flow.authorize(flow.authorizeParams(clientId, { state: `${max}s` }));
    expect(over).toMatchObject({ kind: 'redirect', redirect: { params: { error: 'invalid_request', iss: ISSUER } } });
    expect(over.kind === 'redirect' && 'state' in over.redirect.params).toBe(false);
  });

  it('[EC-24][OA21-08] without state, neither the pending request nor the code redirect nor its Location carries a state member', () => {
    const { flow, clientId } = setup();
    const consent = flow.authorize(flow.authorizeParams(clientId, { state: undefined }));
    expect(consent.kind).toBe('consent_required');
    if (consent.kind !== 'consent_required') return;
    expect(Object.keys(consent.request)).not.toContain('state');
    const redirect = flow.decide(consent.request.requestId);
    expect(redirect.kind).toBe('redirect');
    if (redirect.kind !== 'redirect') return;
    expect(Object.keys(redirect.redirect.params).sort()).toEqual(['code', 'iss']);
    expect(new URL(redirectLocation(redirect.redirect)).searchParams.has('state')).toBe(false);
  });

  it('[OA21-08][REQ-10] a parameter sent as a one-element list is read as that single value', () => {
    const { flow, clientId } = setup();
    const outcome = flow.authorize(flow.authorizeParams(clientId, { client_id: [clientId], redirect_uri: [CHATGPT_REDIRECT], response_type: ['code'], state: ['st-1'], scope: ['notes:read'] }));
    expect(outcome).toMatchObject({ kind: 'consent_required', request: { clientId, redirectUri: CHATGPT_REDIRECT, state: 'st-1', scopes: ['notes:read'] } });
  });

  it('[EC-03][RFC8707-01] an empty resource value counts as absent, alone or beside the right resource', () => {
    const { flow, clientId } = setup();
    expect(flow.authorize(flow.authorizeParams(clientId, { resource: '' }))).toMatchObject({ kind: 'consent_required', request: { resource: RESOURCE } });
    expect(flow.authorize(flow.authorizeParams(clientId, { resource: ['', RESOURCE] }))).toMatchObject({ kind: 'consent_required', request: { resource: RESOURCE } });
  });
});

describe('authorization responses and consent gaps', () => {
  it('[REQ-12][RFC9207-01] the Location of an authorization response keeps the redirect URI query and adds code, state and iss', () => {
    const flow = new Flow();
    const { clientId } = flow.client({ redirect_uris: ['https://app.example.net/cb?tenant=7'] });
    const consent = flow.authorize(flow.authorizeParams(clientId, { redirect_uri: 'https://app.example.net/cb?tenant=7' }));
    if (consent.kind !== 'consent_required') throw new Error(JSON.stringify(consent));
    const outcome = flow.decide(consent.request.requestId);
    if (outcome.kind !== 'redirect') throw new Error(JSON.stringify(outcome));
    const location = new URL(redirectLocation(outcome.redirect));
    expect(`${location.origin}${location.pathname}`).toBe('https://app.example.net/cb');
    expect(location.searchParams.get('tenant')).toBe('7');
    expect(location.searchParams.get('code')).toBe(outcome.redirect.params.code);
    expect(location.searchParams.get('state')).toBe('st-123');
    expect(location.searchParams.get('iss')).toBe(ISSUER);
  });

  it('[REQ-17] approving a list that mixes a requested scope with an unrequested one is refused and the request stays pending', () => {
    const { flow, clientId } = setup();
    const consent = flow.authorize(flow.authorizeParams(clientId, { scope: 'notes:read' }));
    if (consent.kind !== 'consent_required') throw new Error(JSON.stringify(consent));
    const outcome = flow.decide(consent.request.requestId, { approve: true, scopes: ['notes:read', 'notes:write'] });
    expect(outcome).toMatchObject({ kind: 'error', error: { error: 'invalid_request' } });
    expect(flow.last.changes).toEqual([]);
    expect(Object.keys(flow.state.pending)).toEqual([consent.request.requestId]);
  });

  it('[REQ-09][RFC9700-05] approved scopes are bound to the code sorted and deduplicated, whatever order the user sent them in', () => {
    const { flow, clientId } = setup();
    const code = flow.code(clientId, {}, ['notes:write', 'notes:read', 'notes:write']);
    expect(Object.values(flow.state.codes)[0]?.scopes).toEqual(['notes:read', 'notes:write']);
    expect(flow.exchange(clientId, code)).toMatchObject({ kind: 'tokens', tokens: { scope: 'notes:read notes:write' } });
  });
});
