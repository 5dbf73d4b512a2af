import { parse } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { RECONNECT_ADVICE, renderErrorPage } from '../../../src/ui/error-page.ts';
import { renderLogin } from '../../../src/ui/login.ts';
import { renderSetup } from '../../../src/ui/setup.ts';

const XSS = '<script>alert(1)</script>';

describe('[ui] login page', () => {
  it('[ui] posts username and password, labelled, with hidden csrf and return_to', () => {
    const doc = parse(renderLogin({ action: '/login', returnTo: '/oauth/consent?request_id=r1', csrf: 'c1' }));
    const form = doc.querySelector('form');
    expect(form?.getAttribute('method')).toBe('post');
    expect(form?.getAttribute('action')).toBe('/login');
    expect(doc.querySelector('label[for="username"]')?.text).toBe('Username');
    expect(doc.querySelector('label[for="password"]')?.text).toBe('Password');
    expect(doc.querySelector('#username')?.getAttribute('name')).toBe('username');
    expect(doc.querySelector('#password')?.getAttribute('name')).toBe('password');
    expect(doc.querySelector('#password')?.getAttribute('type')).toBe('password');
    expect(doc.querySelector('input[name="csrf"]')?.getAttribute('value')).toBe('c1');
    expect(doc.querySelector('input[name="return_to"]')?.getAttribute('value')).toBe('/oauth/consent?request_id=r1');
    expect(doc.querySelector('[role="alert"]')).toBeNull();
  });

  it('[ui] omits return_to when there is nowhere to return to', () => {
    expect(parse(renderLogin({ action: '/login', csrf: 'c' })).querySelector('input[name="return_to"]')).toBeNull();
  });

  it('[ui] shows an error and refills the username, escaped, but never the password', () => {
    const page = renderLogin({ action: '/login', csrf: 'c', error: XSS, username: `"><b>`, returnTo: `"><script>` });
    expect(page).not.toContain('<script');
    expect(page).not.toContain('<b>');
    const doc = parse(page);
    expect(doc.querySelector('[role="alert"]')?.text).toBe(XSS);
    expect(doc.querySelector('#username')?.getAttribute('value')).toBe('"><b>');
    expect(doc.querySelector('#password')?.hasAttribute('value')).toBe(false);
  });
});

describe('[ui] setup page', () => {
  it('[ui] asks for username, password and its confirmation, carrying the setup token and csrf', () => {
    const doc = parse(renderSetup({ action: '/setup', token: 'tok', csrf: 'c' }));
    const names = doc.querySelectorAll('form input').map((input) => input.getAttribute('name'));
    expect(names).toEqual(['csrf', 'token', 'username', 'password', 'password_confirm']);
    expect(doc.querySelector('input[name="token"]')?.getAttribute('value')).toBe('tok');
    expect(doc.querySelector('#password')?.getAttribute('minlength')).toBe('10');
    expect(doc.querySelector('#password_confirm')?.getAttribute('type')).toBe('password');
  });

  it('[ui] escapes the token, the error and the username', () => {
    const page = renderSetup({ action: '/setup', token: `"><script>`, csrf: 'c', error: XSS, username: XSS });
    expect(page).not.toContain('<script');
    expect(parse(page).querySelector('input[name="token"]')?.getAttribute('value')).toBe('"><script>');
  });
});

describe('[ui] error page', () => {
  it('[ui] says what went wrong and what to do next, with the status and detail', () => {
    const doc = parse(renderErrorPage({ title: 'This app is not known here', message: 'The connection request names an app that is not registered.', detail: 'invalid_client: unknown client_id', status: 400 }));
    expect(doc.querySelector('h1')?.text).toBe('This app is not known here');
    expect(doc.text).toContain('The connection request names an app that is not registered.');
    expect(doc.text).toContain('Start the connection again from ChatGPT or Claude');
    expect(doc.text).toContain('remove the connector and add it again');
    expect(doc.text).toContain('invalid_client: unknown client_id');
    expect(doc.text).toContain('400');
    expect(doc.querySelector('form')).toBeNull();
  });

  it('[ui] takes another next step when given one, and omits the detail when absent', () => {
    const doc = parse(renderErrorPage({ title: 'Not found', message: 'No such page.', status: 404, nextStep: 'Go back.' }));
    expect(doc.text).toContain('Go back.');
    expect(doc.text).not.toContain(RECONNECT_ADVICE);
    expect(doc.querySelector('details')).toBeNull();
  });

  it('[ui] escapes everything it shows', () => {
    const page = renderErrorPage({ title: XSS, message: XSS, detail: `state="><script>x`, status: 400, nextStep: XSS });
    expect(page).not.toContain('<script');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});
