// Every page the UI renders, with ordinary inputs, for the checks all pages share.
import { renderConsent } from '../../../src/ui/consent.ts';
import { renderErrorPage } from '../../../src/ui/error-page.ts';
import { renderLogin } from '../../../src/ui/login.ts';
import { renderSetup } from '../../../src/ui/setup.ts';

export const CONSENT = {
  action: '/oauth/consent',
  csrf: 'csrf-token',
  requestId: 'req-1',
  clientName: 'ChatGPT',
  clientHost: 'chatgpt.com',
  redirectHost: 'chatgpt.com',
  scopes: ['notes:read', 'notes:write', 'offline_access'],
  loopbackOnly: false,
  username: 'alice',
  accessTokenTtl: 3600,
};

export const ALL_PAGES: Record<string, string> = {
  error: renderErrorPage({ title: 'Unknown app', message: 'This app is not registered here.', detail: 'invalid_client', status: 400 }),
  login: renderLogin({ action: '/login', returnTo: '/oauth/consent?request_id=r', error: 'Wrong username or password.', username: 'alice', csrf: 'c' }),
  setup: renderSetup({ action: '/setup', token: 't', error: 'Passwords differ.', csrf: 'c' }),
  consent: renderConsent(CONSENT),
  'consent (loopback)': renderConsent({ ...CONSENT, loopbackOnly: true, clientHost: '127.0.0.1', redirectHost: '127.0.0.1' }),
};
