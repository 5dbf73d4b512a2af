// First-run setup over HTTP: the one-time token is checked before any password is hashed, so bogus
// posts cost a SHA-256 each and never queue argon2 work in front of real requests.
import argon2 from 'argon2';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Browser } from '../kit/browser.ts';
import { startTestServer, type TestServer } from '../mcp/harness.ts';
import { PASSWORD } from './harness.ts';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  vi.restoreAllMocks();
  await server.close();
});

/** Opens the setup page (for its CSRF cookie) and posts the form with `fields` over its own. */
async function postSetup(fields: Record<string, string>): Promise<Response> {
  const link = new URL(server.setupUrl!);
  const browser = new Browser(server.url);
  const page = await browser.fetch(link.pathname + link.search);
  return browser.submit('/setup', await page.text(), { username: 'owner', password: PASSWORD, password_confirm: PASSWORD, ...fields });
}

describe('[web] first-run setup', () => {
  it('[SEC-SETUP-01] a wrong, missing or stale token, or a bad username, is refused without hashing the password', async () => {
    const hash = vi.spyOn(argon2, 'hash');
    const cases: [Record<string, string>, string][] = [
      [{ token: 'bogus' }, 'This setup link is not valid'],
      [{ token: '' }, 'This setup link is not valid'],
      [{ token: new URL(server.setupUrl!).searchParams.get('token')!, username: 'not valid' }, 'Choose a username'],
    ];
    for (const [fields, message] of cases) {
      const response = await postSetup(fields);
      expect(response.status).toBe(400);
      expect(await response.text()).toContain(message);
    }
    server.clock.offset = 48 * 3600; // past the token's lifetime
    const stale = await postSetup({ token: new URL(server.setupUrl!).searchParams.get('token')! });
    expect(await stale.text()).toContain('This setup link has expired');
    expect(hash).not.toHaveBeenCalled();
  });

  it('[SEC-SETUP-01] the right token hashes the password once and creates the owner', async () => {
    const hash = vi.spyOn(argon2, 'hash');
    const response = await postSetup({ token: new URL(server.setupUrl!).searchParams.get('token')! });
    expect(response.status).toBe(303);
    expect(hash).toHaveBeenCalledTimes(1);
    expect(Object.values(server.services.queue.state.users).map((user) => user.username)).toEqual(['owner']);
  });
});
