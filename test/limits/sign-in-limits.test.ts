// Password guesses over the wire: sign-in failures count per (username, address) and per address,
// a slower per-username backstop stops guesses spread over many addresses without locking the owner
// out of an address they signed in from, and the password form's current-password check counts as
// a sign-in. Addresses come from X-Forwarded-For behind a trusted proxy (TRUST_PROXY=1).
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.ts';
import { getPage, pageOf, submitForm } from '../web/harness.ts';
import { BrowserAt, limitedServer, PASSWORD, retryAfter, signIn } from './harness.ts';

const NEW_PASSWORD = 'an entirely new passphrase';

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(env: NodeJS.ProcessEnv): Promise<string> {
  server = await limitedServer({ TRUST_PROXY: '1', ...env }, ['alice']);
  return server.url;
}

/** One sign-in attempt from `address`; its status. */
async function attempt(base: string, address: string, password: string, username = 'alice'): Promise<number> {
  return (await signIn(base, username, password, new BrowserAt(base, address))).status;
}

async function expectPage429(response: Response, title: string, windowSeconds: number): Promise<void> {
  expect(response.status).toBe(429);
  const seconds = retryAfter(response);
  expect(seconds).toBeLessThanOrEqual(windowSeconds);
  expect(response.headers.get('content-type')).toMatch(/^text\/html/);
  const html = await response.text();
  expect(html).toContain(title);
  expect(html).toContain(`retry after ${seconds} seconds`);
  expect(html).toContain(`Wait ${seconds} seconds, then try again.`);
}

describe('[limits] sign-in failures per (username, address)', () => {
  it('[SEC-LOGIN-01] failures on alice from one address block that address only: alice\'s right password from another address signs in', async () => {
    const base = await start({ RATE_LIMIT_LOGIN_PER_USER: '3/15m' });
    for (let i = 0; i < 3; i += 1) expect(await attempt(base, '203.0.113.66', 'wrong password')).toBe(401);
    await expectPage429(await signIn(base, 'alice', PASSWORD, new BrowserAt(base, '203.0.113.66')), 'Too many sign-in attempts', 900);
    expect(await attempt(base, '198.51.100.7', PASSWORD)).toBe(303);
    // The attacker's address stays blocked for alice, and the owner's success did not clear it.
    expect(await attempt(base, '203.0.113.66', PASSWORD)).toBe(429);
  });

  it('[SEC-LOGIN-02] the per-username backstop stops guesses spread over many addresses, but not alice from the address she signed in from', async () => {
    const base = await start({ RATE_LIMIT_LOGIN_PER_USER: '2/15m', RATE_LIMIT_LOGIN_PER_USER_TOTAL: '5/1h' });
    const home = '198.51.100.7';
    expect(await attempt(base, home, PASSWORD)).toBe(303);

    const statuses: number[] = [];
    for (let bot = 1; bot <= 10; bot += 1) {
      for (let guess = 0; guess < 2; guess += 1) statuses.push(await attempt(base, `203.0.113.${bot}`, `guess ${bot}.${guess}`));
    }
    // Five failures in all reach the password check, from three addresses; every later guess is refused unread.
    expect(statuses.filter((status) => status === 401)).toHaveLength(5);
    expect(statuses.slice(5).every((status) => status === 429)).toBe(true);
    // A fresh address, even with the right password, waits for the backstop's window...
    const elsewhere = await signIn(base, 'alice', PASSWORD, new BrowserAt(base, '192.0.2.200'));
    await expectPage429(elsewhere, 'Too many sign-in attempts', 3600);
    // ...while alice at home is spared it, and another username is not touched at all.
    expect(await attempt(base, home, PASSWORD)).toBe(303);
    await server!.createUser('bob', PASSWORD);
    expect(await attempt(base, '192.0.2.200', PASSWORD, 'bob')).toBe(303);
  });
});

describe('[limits] the current password on the password form', () => {
  it('[SEC-PWD-01] wrong current passwords count as failed sign-ins: past the limit the form is a 429 page, even with the right password, and nothing changes', async () => {
    const base = await start({ RATE_LIMIT_LOGIN_PER_USER: '3/15m' });
    const browser = new BrowserAt(base, '198.51.100.7');
    expect((await signIn(base, 'alice', PASSWORD, browser)).status).toBe(303);
    const before = Object.values(server!.services.queue.state.users)[0]!.passwordHash;
    const change = async (current: string) =>
      submitForm(browser, await getPage(browser, '/account'), '/account/password', { current_password: current, new_password: NEW_PASSWORD, new_password_confirm: NEW_PASSWORD });

    for (let i = 0; i < 3; i += 1) expect((await pageOf(await change(`guess ${i}`))).status).toBe(400);
    await expectPage429(await change(PASSWORD), 'Too many password attempts', 900);
    expect(Object.values(server!.services.queue.state.users)[0]!.passwordHash).toBe(before);
    // The same counters as sign-in: alice cannot sign in from this address either until the window passes.
    expect(await attempt(base, '198.51.100.7', PASSWORD)).toBe(429);
    expect(await attempt(base, '192.0.2.1', PASSWORD)).toBe(303);
  });

  it('[SEC-PWD-01] a right current password does not count, and new-password mistakes after it are no guesses', async () => {
    const base = await start({ RATE_LIMIT_LOGIN_PER_USER: '2/15m' });
    const browser = new BrowserAt(base, '198.51.100.7');
    expect((await signIn(base, 'alice', PASSWORD, browser)).status).toBe(303);
    for (let i = 0; i < 3; i += 1) {
      const short = await submitForm(browser, await getPage(browser, '/account'), '/account/password', { current_password: PASSWORD, new_password: 'short', new_password_confirm: 'short' });
      expect(short.status).toBe(400);
    }
    const changed = await submitForm(browser, await getPage(browser, '/account'), '/account/password', { current_password: PASSWORD, new_password: NEW_PASSWORD, new_password_confirm: NEW_PASSWORD });
    expect(changed.status).toBe(303);
  });
});
