// OpenID Connect in the pure core: which scopes are granted with it on and off, the nonce's way from
// the authorization request to the ID token, and when an ID token is part of the answer at all.
import { describe, expect, it } from 'vitest';
import { openIdScopes } from '../../src/core/index.ts';
import { errorOf, Flow, testConfig } from './flow.ts';

function tokensFor(flow: Flow, extra: Record<string, string>) {
  const { clientId } = flow.client();
  const code = flow.code(clientId, extra);
  const outcome = flow.exchange(clientId, code);
  if (outcome.kind !== 'tokens') throw new Error(JSON.stringify(outcome));
  return { clientId, tokens: outcome.tokens };
}

describe('OpenID Connect in the core', () => {
  it('[REQ-18][EC-12] openid email with no resource scope gets the default resource scopes as well', () => {
    const flow = new Flow();
    const { clientId } = flow.client();
    const outcome = flow.authorize(flow.authorizeParams(clientId, { scope: 'openid email offline_access' }));
    expect(outcome.kind === 'consent_required' && outcome.request.scopes).toEqual(['email', 'notes:read', 'notes:write', 'offline_access', 'openid']);
  });

  it('[REQ-18] an ID token names the client as audience, the user as subject, and carries the nonce', () => {
    const flow = new Flow();
    const { clientId, tokens } = tokensFor(flow, { scope: 'openid notes:read', nonce: 'abc-123' });
    expect(tokens.idToken).toEqual({ iss: flow.config.issuer, sub: 'alice', aud: clientId, iat: flow.now, exp: flow.now + 3600, nonce: 'abc-123' });
  });

  it('[REQ-18] no openid, no ID token (and a nonce is not kept)', () => {
    const flow = new Flow();
    const { tokens } = tokensFor(flow, { scope: 'notes:read', nonce: 'abc-123' });
    expect(tokens.idToken).toBeUndefined();
    expect(Object.values(flow.state.codes)[0]?.nonce).toBeUndefined();
  });

  it('[REQ-18] a refresh narrowed to openid still gets an ID token, without the nonce', () => {
    const flow = new Flow();
    const { clientId, tokens } = tokensFor(flow, { scope: 'openid notes:read offline_access', nonce: 'abc-123' });
    const refreshed = flow.refresh(clientId, tokens.refreshToken!, { scope: 'openid' });
    expect(refreshed.kind === 'tokens' && refreshed.tokens.idToken).toMatchObject({ aud: clientId, sub: 'alice' });
    expect(refreshed.kind === 'tokens' && refreshed.tokens.idToken?.nonce).toBeUndefined();
  });

  it('[REQ-18][EC-24] a nonce longer than state may be is refused with a redirect', () => {
    const flow = new Flow();
    const { clientId } = flow.client();
    expect(errorOf(flow.authorize(flow.authorizeParams(clientId, { scope: 'openid', nonce: 'n'.repeat(5000) })))).toBe('invalid_request');
  });

  it('[REQ-18][EC-12] with OIDC off the OpenID scopes are accepted and dropped, and no ID token comes', () => {
    const flow = new Flow(testConfig(openIdScopes(false)));
    const { tokens } = tokensFor(flow, { scope: 'openid email notes:read' });
    expect(tokens.scope).toBe('notes:read');
    expect(tokens.idToken).toBeUndefined();
  });

  it('[REQ-18] an unknown scope next to openid is still invalid_scope', () => {
    const flow = new Flow();
    const { clientId } = flow.client();
    expect(errorOf(flow.authorize(flow.authorizeParams(clientId, { scope: 'openid phone' })))).toBe('invalid_scope');
  });
});
