// The named queries the pages and tools read the core through.
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/core/config.ts';
import { connectedApps, findClient, pendingRequest } from '../../src/core/queries.ts';
import type { ClientRecord } from '../../src/core/types.ts';
import { Flow, ISSUER, testConfig } from './flow.ts';

const predefined: ClientRecord = { clientId: 'chatgpt', authMethod: 'none', redirectUris: ['https://chatgpt.com/connector_platform_oauth_redirect'], grantTypes: ['authorization_code', 'refresh_token'], issuedAt: 0, source: 'predefined' };

describe('core queries', () => {
  it('[REQ-14][EC-23] findClient finds operator-defined clients first, then registered ones, and nothing for inherited names', () => {
    const flow = new Flow(testConfig({ predefinedClients: [predefined] }));
    const { clientId } = flow.client();
    expect(findClient(flow.state, flow.config, 'chatgpt')).toBe(predefined);
    expect(findClient(flow.state, flow.config, clientId)?.clientId).toBe(clientId);
    expect(findClient(flow.state, flow.config, 'no-such-client')).toBeUndefined();
    expect(findClient(flow.state, flow.config, 'constructor')).toBeUndefined();
    expect(findClient(flow.state, flow.config, '__proto__')).toBeUndefined();
  });

  it('[EC-19] pendingRequest is the waiting request until the second it expires, and nothing for unknown ids', () => {
    const flow = new Flow();
    const { clientId } = flow.client();
    const outcome = flow.authorize(flow.authorizeParams(clientId));
    if (outcome.kind !== 'consent_required') throw new Error(outcome.kind);
    const { requestId, expiresAt } = outcome.request;
    expect(pendingRequest(flow.state, requestId, expiresAt - 1)?.requestId).toBe(requestId);
    expect(pendingRequest(flow.state, requestId, expiresAt)).toBeUndefined();
    expect(pendingRequest(flow.state, undefined, flow.now)).toBeUndefined();
    expect(pendingRequest(flow.state, 'toString', flow.now)).toBeUndefined();
  });

  it('[EC-48][REQ-19] connectedApps lists only this user\'s grants, newest first, each with its client', () => {
    const flow = new Flow();
    const first = flow.connect();
    flow.now += 10;
    const second = flow.connect();
    flow.now += 10;
    // bob's grant must not appear among alice's
    const { clientId } = flow.client();
    const consent = flow.authorize(flow.authorizeParams(clientId));
    if (consent.kind !== 'consent_required') throw new Error(consent.kind);
    const redirect = flow.decide(consent.request.requestId, { approve: true }, 'bob');
    if (redirect.kind !== 'redirect') throw new Error(redirect.kind);
    expect(flow.exchange(clientId, redirect.redirect.params.code!).kind).toBe('tokens');

    const apps = connectedApps(flow.state, flow.config, 'alice');
    expect(apps.map((app) => app.grant.clientId)).toEqual([second.clientId, first.clientId]);
    expect(apps.every((app) => app.client?.clientId === app.grant.clientId)).toBe(true);
    expect(connectedApps(flow.state, flow.config, 'bob').map((app) => app.grant.clientId)).toEqual([clientId]);
    expect(connectedApps(flow.state, flow.config, 'carol')).toEqual([]);
  });

  it('[EC-48] grants made in the same second are ordered by grant id, so the page never reshuffles', () => {
    const flow = new Flow();
    const a = flow.connect();
    const b = flow.connect();
    const ids = connectedApps(flow.state, flow.config, 'alice').map((app) => app.grant.grantId);
    expect(ids).toEqual([a.tokens.accessToken.gid, b.tokens.accessToken.gid].sort());
  });
});
