// Idle DCR clients are forgotten by the tick (auth.md "Unused client lifetime", "Idle client
// lifetime"): one that never connected after 24 hours, one whose grants are all gone 90 days after
// its last code exchange; anything that still names a client keeps it.
import { describe, expect, it } from 'vitest';
import { Flow } from './flow.ts';

const HOUR = 3600;
const DAY = 24 * HOUR;

function tick(flow: Flow): void {
  expect(flow.run({ type: 'tick', now: flow.now })).toMatchObject({ kind: 'ticked' });
}

const known = (flow: Flow, clientId: string) => Object.hasOwn(flow.state.clients, clientId);

describe('client lifecycle', () => {
  it('[REQ-14][MCP-40] a client that never exchanged a code is kept for 24 hours, then forgotten', () => {
    const flow = new Flow();
    const { clientId } = flow.client();
    flow.now += DAY - 1;
    tick(flow);
    expect(known(flow, clientId)).toBe(true);
    flow.now += 1;
    tick(flow);
    expect(known(flow, clientId)).toBe(false);
    // Forgotten means unknown: its next authorization request is an error page, never a redirect.
    expect(flow.authorize(flow.authorizeParams(clientId))).toMatchObject({ kind: 'error', error: { error: 'invalid_client' } });
  });

  it('[REQ-14] a pending request keeps a client that has not connected yet', () => {
    const flow = new Flow();
    const { clientId } = flow.client();
    flow.now += DAY - 60;
    expect(flow.authorize(flow.authorizeParams(clientId)).kind).toBe('consent_required');
    flow.now += 120; // past 24 h, the request (30 min) still waiting
    tick(flow);
    expect(known(flow, clientId)).toBe(true);
    flow.now += 1800; // the request has expired too
    tick(flow);
    expect(known(flow, clientId)).toBe(false);
  });

  it('[REQ-14][REQ-16] a live grant keeps its client however long ago it connected', () => {
    const flow = new Flow();
    const { clientId, tokens } = flow.connect();
    let refreshToken = tokens.refreshToken!;
    for (let month = 0; month < 4; month++) {
      flow.now += 29 * DAY;
      const refreshed = flow.refresh(clientId, refreshToken);
      expect(refreshed.kind).toBe('tokens');
      refreshToken = (refreshed as Extract<typeof refreshed, { kind: 'tokens' }>).tokens.refreshToken!;
      tick(flow);
    }
    expect(known(flow, clientId)).toBe(true); // 116 days after its only code exchange
  });

  it('[REQ-14][REQ-19] once its grants are gone a client is forgotten 90 days after its last code exchange', () => {
    const flow = new Flow();
    const { clientId } = flow.connect();
    const connectedAt = flow.now;
    expect(flow.state.clients[clientId]?.connectedAt).toBe(connectedAt);
    const grantId = Object.keys(flow.state.grants)[0]!;
    expect(flow.run({ type: 'revokeGrant', now: flow.now, grantId, userId: 'alice' }).kind).toBe('grant_revoked');
    flow.now = connectedAt + 90 * DAY - 1;
    tick(flow);
    expect(known(flow, clientId)).toBe(true);
    flow.now += 1;
    tick(flow);
    expect(known(flow, clientId)).toBe(false);
  });

  it('[REQ-14] a new code exchange moves the idle date on', () => {
    const flow = new Flow();
    const { clientId } = flow.connect();
    flow.now += 80 * DAY;
    const again = flow.exchange(clientId, flow.code(clientId));
    expect(again.kind).toBe('tokens');
    expect(flow.state.clients[clientId]?.connectedAt).toBe(flow.now);
  });
});
