// Remembered consent (`priorConsentCovers`), the core helper the consent page uses to skip asking
// again: it must only ever answer for the same user and client, within the scopes a live grant
// already holds. (These cases were first found missing by mutation testing.)
import { describe, expect, it } from 'vitest';
import { consentStep } from '../../src/core/consent.ts';
import { emptyState, priorConsentCovers } from '../../src/core/index.ts';
import { Flow, errorOf } from './flow.ts';

const BOTH = ['notes:read', 'notes:write'];

describe('remembered consent', () => {
  it('[REQ-17] nothing is remembered when no grant exists', () => {
    expect(priorConsentCovers(emptyState(), 'alice', 'client-1', ['notes:read'])).toBe(false);
  });

  it('[REQ-17] a live grant covers the same user and client for any subset of its scopes', () => {
    const flow = new Flow();
    const { clientId } = flow.connect();
    flow.connect(); // a second client of the same user, so the answer rests on the right grant
    expect(priorConsentCovers(flow.state, 'alice', clientId, BOTH)).toBe(true);
    expect(priorConsentCovers(flow.state, 'alice', clientId, ['notes:write'])).toBe(true);
  });

  it('[REQ-17] another user, another client, or a scope the grant lacks is never covered', () => {
    const flow = new Flow();
    const { clientId } = flow.client();
    flow.exchange(clientId, flow.code(clientId, { scope: 'notes:read' }));
    const stranger = flow.client();
    expect(priorConsentCovers(flow.state, 'alice', clientId, ['notes:read'])).toBe(true);
    expect(priorConsentCovers(flow.state, 'bob', clientId, ['notes:read'])).toBe(false);
    expect(priorConsentCovers(flow.state, 'alice', stranger.clientId, ['notes:read'])).toBe(false);
    expect(priorConsentCovers(flow.state, 'alice', clientId, ['notes:write'])).toBe(false);
    expect(priorConsentCovers(flow.state, 'alice', clientId, ['notes:read', 'offline_access'])).toBe(false);
  });

  it('[REQ-17][REQ-19] a revoked grant no longer counts as consent', () => {
    const flow = new Flow();
    const { clientId, tokens } = flow.connect();
    flow.run({ type: 'revokeGrant', now: flow.now, grantId: tokens.accessToken.gid, userId: 'alice' });
    expect(errorOf(flow.refresh(clientId, tokens.refreshToken!))).toBe('invalid_grant');
    expect(priorConsentCovers(flow.state, 'alice', clientId, ['notes:read'])).toBe(false);
  });
});

describe('the consent step (what GET /consent does for a signed-in user)', () => {
  function pending(flow: Flow, clientId: string, extra: Record<string, string> = {}): string {
    const outcome = flow.authorize(flow.authorizeParams(clientId, extra));
    expect(outcome.kind, JSON.stringify(outcome)).toBe('consent_required');
    return outcome.kind === 'consent_required' ? outcome.request.requestId : '';
  }

  it('[REQ-17] a first request asks, naming the client and the request', () => {
    const flow = new Flow();
    const { clientId } = flow.client({ client_name: 'Notes helper', redirect_uris: ['https://chatgpt.com/connector_platform_oauth_redirect'] });
    const requestId = pending(flow, clientId);
    const step = consentStep(flow.state, flow.config, requestId, 'alice', flow.now);
    expect(step.kind).toBe('ask');
    if (step.kind !== 'ask') return;
    expect(step.request.requestId).toBe(requestId);
    expect(step.client?.clientName).toBe('Notes helper');
    expect(step.loopbackOnly).toBe(false);
  });

  it('[REQ-17] a returning client within the scopes it holds skips the page; more scopes, another user or a revoked grant ask again', () => {
    const flow = new Flow();
    const { clientId } = flow.client();
    const tokens = flow.exchange(clientId, flow.code(clientId, { scope: 'notes:read' }));
    // The request is made first: consentStep must see the state that holds it.
    const stepFor = (scope: string, userId = 'alice') => {
      const requestId = pending(flow, clientId, { scope });
      return consentStep(flow.state, flow.config, requestId, userId, flow.now).kind;
    };
    expect(stepFor('notes:read')).toBe('remembered');
    expect(stepFor('notes:read notes:write')).toBe('ask');
    expect(stepFor('notes:read', 'bob')).toBe('ask');
    if (tokens.kind !== 'tokens') throw new Error('no tokens');
    flow.run({ type: 'revokeGrant', now: flow.now, grantId: tokens.tokens.accessToken.gid, userId: 'alice' });
    expect(stepFor('notes:read')).toBe('ask');
  });

  it('[REQ-17][EC-19] an unknown, expired or missing request has nothing to approve, down to the second', () => {
    const flow = new Flow();
    const { clientId } = flow.client();
    const requestId = pending(flow, clientId);
    const expiresAt = flow.state.pending[requestId]!.expiresAt;
    expect(consentStep(flow.state, flow.config, requestId, 'alice', expiresAt - 1).kind).toBe('ask');
    expect(consentStep(flow.state, flow.config, requestId, 'alice', expiresAt).kind).toBe('expired');
    expect(consentStep(flow.state, flow.config, 'no-such-request', 'alice', flow.now).kind).toBe('expired');
    expect(consentStep(flow.state, flow.config, undefined, 'alice', flow.now).kind).toBe('expired');
  });

  it('[MCP-44][REQ-17] a client that can only redirect to this computer is flagged; one https redirect is enough to not be', () => {
    const flow = new Flow();
    const local = flow.client({ client_name: 'Desktop', redirect_uris: ['http://127.0.0.1/callback', 'http://localhost/cb'] });
    const mixed = flow.client({ client_name: 'Mixed', redirect_uris: ['http://127.0.0.1/callback', 'https://app.example.org/cb'] });
    const step = (clientId: string, redirect: string) => {
      const requestId = pending(flow, clientId, { redirect_uri: redirect });
      return consentStep(flow.state, flow.config, requestId, 'alice', flow.now);
    };
    const a = step(local.clientId, 'http://127.0.0.1/callback');
    const b = step(mixed.clientId, 'http://127.0.0.1/callback');
    expect(a.kind === 'ask' && a.loopbackOnly).toBe(true);
    expect(b.kind === 'ask' && b.loopbackOnly).toBe(false);
  });
});
