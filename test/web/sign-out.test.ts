// Signing out: the header's form ends the session in the store, not only in the browser, and a
// post without the session's CSRF token is refused like every other form, leaving the session alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../kit/browser.ts';
import { startTestServer, type TestServer } from '../mcp/harness.ts';
import { getPage, pageOf, postForm, signIn, submitForm } from './harness.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const SESSION = 'agent-notes-session';

/** A browser that carries only `cookie` as its session: the old cookie, replayed. */
function replaying(cookie: string): Browser {
  const browser = new Browser(server.url);
  browser.cookies.set(SESSION, cookie);
  return browser;
}

describe('[web] signing out', () => {
  it('[SEC-LOGOUT-01] a sign-out post without the CSRF field, or with a wrong one, is the 403 page and leaves the session and its cookie alive', async () => {
    await server.addUser('mia');
    const browser = await signIn(server.url, 'mia');
    const cookie = browser.cookies.get(SESSION)!;
    for (const fields of [{}, { csrf: 'not-the-token' }]) {
      const refused = await postForm(browser, '/logout', fields);
      expect(refused.status).toBe(403);
      expect(refused.headers.getSetCookie().some((line) => line.startsWith(`${SESSION}=`))).toBe(false);
      expect((await pageOf(refused)).doc.querySelector('h1')?.text).toBe('Please try again');
    }
    expect(browser.cookies.get(SESSION)).toBe(cookie);
    expect((await getPage(browser, '/notes')).status).toBe(200);
  });

  it('[SEC-LOGOUT-01] the header\'s sign-out form ends the session server-side: the old cookie, replayed, no longer opens anything', async () => {
    await server.addUser('noah');
    const browser = await signIn(server.url, 'noah');
    const cookie = browser.cookies.get(SESSION)!;
    const sessions = () => Object.values(server.services.queue.state.sessions).filter((s) => s.userId === Object.values(server.services.queue.state.users).find((u) => u.username === 'noah')?.userId).length;
    expect(sessions()).toBe(1);
    const response = await submitForm(browser, await getPage(browser, '/notes'), '/logout');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/login');
    expect(browser.cookies.has(SESSION)).toBe(false);
    expect(sessions()).toBe(0);
    const replayed = await getPage(replaying(cookie), '/notes');
    expect(replayed.status).toBe(303);
    expect(replayed.headers.get('location')).toMatch(/^\/login/);
  });

  it('[SEC-LOGOUT-01] without a live session there is nothing to end: the stale cookie is cleared and the browser goes to sign-in', async () => {
    const response = await postForm(replaying('no-such-session'), '/logout', {});
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/login');
    expect(response.headers.getSetCookie().some((line) => line.startsWith(`${SESSION}=;`))).toBe(true);
  });
});
