import { parse } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { describeScope } from '../../../src/core/scopes.ts';
import { renderConsent } from '../../../src/ui/consent.ts';
import { CONSENT } from './pages.ts';

const XSS = '<script>alert(1)</script>';

describe('[REQ-17] consent page', () => {
  it('[REQ-17] lists each requested scope in plain words, with a checked checkbox per scope', () => {
    const doc = parse(renderConsent(CONSENT));
    const boxes = doc.querySelectorAll('input[type="checkbox"][name="scope"]');
    expect(boxes.map((box) => box.getAttribute('value'))).toEqual(['notes:read', 'notes:write', 'offline_access']);
    expect(boxes.every((box) => box.hasAttribute('checked'))).toBe(true);
    const labels = boxes.map((box) => doc.querySelector(`label[for="${box.getAttribute('id')}"]`)?.text ?? '');
    expect(labels[0]).toContain('Read your notes');
    expect(labels[1]).toContain('Create, change and delete your notes');
    expect(labels[2]).toContain('Stay connected when you are not using it (refresh tokens)');
  });

  it('[REQ-16][REQ-17] the page says what staying connected means, with and without offline_access', () => {
    expect(parse(renderConsent(CONSENT)).text).toContain('and the app is connected for 1 hour only');
    const without = parse(renderConsent({ ...CONSENT, scopes: ['notes:read'], accessTokenTtl: 900 })).text;
    expect(without).toContain('This app did not ask to stay connected: its access ends after 15 minutes');
  });

  it('[REQ-17] describeScope puts known scopes in plain words and shows unknown ones as they are', () => {
    expect(describeScope('notes:read')).toBe('Read your notes');
    expect(describeScope('notes:write')).toBe('Create, change and delete your notes');
    expect(describeScope('offline_access')).toBe('Stay connected when you are not using it (refresh tokens)');
    expect(describeScope('calendar:read')).toBe('calendar:read');
    expect(describeScope('constructor')).toBe('constructor');
    expect(describeScope('toString')).toBe('toString');
  });

  it('[REQ-17] offers approve and deny as two submit buttons of one decision field', () => {
    const doc = parse(renderConsent(CONSENT));
    const buttons = doc.querySelectorAll('form button[type="submit"][name="decision"]');
    expect(buttons.map((b) => b.getAttribute('value'))).toEqual(['approve', 'deny']);
    expect(doc.querySelector('form')?.getAttribute('action')).toBe('/oauth/consent');
  });

  it('[REQ-17][MCP-44] shows the client host prominently and the self-asserted name only as a claim', () => {
    const doc = parse(renderConsent({ ...CONSENT, clientName: 'Claude', clientHost: 'evil.example', redirectHost: 'cb.evil.example' }));
    expect(doc.querySelector('.client-host')?.text).toBe('evil.example');
    expect(doc.querySelector('.client-name')?.text).toContain('claims to be Claude');
    expect(doc.text).toContain('cb.evil.example');
    expect(doc.querySelector('h1')?.text).not.toContain('Claude');
  });

  it('[REQ-17] without a client name the page still names the host', () => {
    const { clientName: _omit, ...rest } = CONSENT;
    const doc = parse(renderConsent(rest));
    expect(doc.querySelector('.client-name')).toBeNull();
    expect(doc.querySelector('.client-host')?.text).toBe('chatgpt.com');
  });

  it('[REQ-17][MCP-44] warns when the app can only redirect to a loopback address, and only then', () => {
    const loopback = parse(renderConsent({ ...CONSENT, loopbackOnly: true }));
    expect(loopback.querySelector('.warning')?.text).toContain('This app runs on your own computer');
    expect(parse(renderConsent(CONSENT)).querySelector('.warning')).toBeNull();
  });

  it('[REQ-17][MCP-45] carries the session CSRF token and the request id as hidden fields', () => {
    const form = parse(renderConsent(CONSENT)).querySelector('form');
    expect(form?.querySelector('input[type="hidden"][name="csrf"]')?.getAttribute('value')).toBe('csrf-token');
    expect(form?.querySelector('input[type="hidden"][name="request_id"]')?.getAttribute('value')).toBe('req-1');
  });

  it('[REQ-17] names the signed-in user', () => {
    expect(parse(renderConsent(CONSENT)).text).toContain('Signed in as alice');
  });

  it('[REQ-17][ui] a hostile client name, host, scope, state-like value and username are escaped', () => {
    const stateLike = `"><img src=x onerror=alert(1)>&state=abc'`;
    const page = renderConsent({
      ...CONSENT,
      clientName: XSS,
      clientHost: XSS,
      redirectHost: stateLike,
      scopes: [XSS, stateLike],
      requestId: stateLike,
      csrf: stateLike,
      username: XSS,
      action: `/oauth/consent?x=${stateLike}`,
    });
    expect(page).not.toContain('<script');
    expect(page).not.toContain('<img');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&amp;state=abc&#39;');
    const doc = parse(page);
    expect(doc.querySelector('.client-name strong')?.text).toBe(XSS);
    expect(doc.querySelector('input[name="request_id"]')?.getAttribute('value')).toBe(stateLike);
    expect(doc.querySelectorAll('input[name="scope"]').map((box) => box.getAttribute('value'))).toEqual([XSS, stateLike]);
  });
});
