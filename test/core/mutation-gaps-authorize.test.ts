// Gaps found by mutation testing in the authorization request, the consent decision and the shape
// of authorization responses. Error descriptions are never compared, only codes and effects.
import { describe, expect, it } from 'vitest';
import { defaultConfig, redirectLocation } from '../../src/core/index.ts';
import type { ClientRecord, Outcome } from '../../src/core/index.ts';
import { CHATGPT_REDIRECT, Flow, ISSUER, RESOURCE, errorOf } from './flow.ts';

const TEMPLATE = 'https://chatgpt.com/connector/oauth/{callback_id}';

function predefined(clientId: string, redirectUris: string[], grantTypes: ClientRecord['grantTypes'] = ['authorization_code', 'refresh_token']): ClientRecord {
  return { clientId, authMethod: 'none', redirectUris, grantTypes, issuedAt: 0, source: 'predefined' };
}

function withClients(...clients: ClientRecord[]): Flow {
  return new Flow(defaultConfig(ISSUER, { predefinedClients: clients }));
}

function setup() {
  const flow = new Flow();
  const { clientId } = flow.client();
  return { flow, clientId };
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

  it('[EC-21][EC-23] a DCR client whose single URI is a literal copy of the template may omit redirect_uri and gets that literal URI', () => {
    const flow = new Flow();
    const { clientId } = flow.client({ redirect_uris: [TEMPLATE] });
    expect(flow.authorize(flow.authorizeParams(clientId, { redirect_uri: undefined }))).toMatchObject({ kind: 'consent_required', request: { redirectUri: TEMPLATE } });
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
    const flow = new Flow();
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
