// Remembered consent (`priorConsentCovers`), the core helper the consent page uses to skip asking
// again: it must only ever answer for the same user and client, within the scopes a live grant
// already holds. (These cases were first found missing by mutation testing.)
import { describe, expect, it } from 'vitest';
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
