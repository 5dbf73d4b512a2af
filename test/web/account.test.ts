// The account page: the URL to paste into ChatGPT and Claude, changing the password (other sessions
// end, this one stays), and signing out everywhere; and the pure transition behind the change.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changePassword } from '../../src/accounts/password-change.ts';
import { startSession } from '../../src/accounts/sessions.ts';
import { emptyAccountsState } from '../../src/accounts/types.ts';
import { createUser } from '../../src/accounts/users.ts';
import type { AccountsState } from '../../src/accounts/types.ts';
import { hashSecret } from '../../src/core/secrets.ts';
import { jsonObject } from '../../spec/conformance/http.ts';
import type { TokenSet } from '../../spec/conformance/context.ts';
import { WireClient, type Client } from '../kit/client.ts';
import { startTestServer, type TestServer } from '../mcp/harness.ts';
import { getPage, pageOf, PASSWORD, signIn, submitForm } from './harness.ts';

const NEW_PASSWORD = 'a different long passphrase';

describe('[web] changePassword, the transition', () => {
  function twoUsersWithSessions(): AccountsState {
    let state: AccountsState = emptyAccountsState();
    for (const [userId, username] of [['u1', 'alice'], ['u2', 'bob']] as const) {
      const created = createUser(state, { userId, username, passwordHash: `old-${userId}`, now: 0 });
      state = created.state;
    }
    for (const [token, userId] of [['s1', 'u1'], ['s2', 'u1'], ['s3', 'u1'], ['s4', 'u2']] as const) {
      state = startSession(state, { userId, sessionToken: token, csrf: `csrf-${token}`, now: 0 }).state;
    }
    return state;
  }

  it('[web] stores the new hash and ends every other session of the user, keeping the one that asked and other users’ sessions', () => {
    const state = twoUsersWithSessions();
    const result = changePassword(state, { userId: 'u1', passwordHash: 'new-hash', keepSessionHash: hashSecret('s2') });
    expect(result.outcome).toEqual({ kind: 'password_changed', sessionsEnded: 2 });
    expect(result.state.users.u1?.passwordHash).toBe('new-hash');
    expect(result.state.users.u2?.passwordHash).toBe('old-u2');
    expect(Object.keys(result.state.sessions).sort()).toEqual([hashSecret('s2'), hashSecret('s4')].sort());
    expect(result.changes).toEqual(
      expect.arrayContaining([
        { op: 'put', collection: 'users', key: 'u1', value: expect.objectContaining({ passwordHash: 'new-hash' }) },
        { op: 'delete', collection: 'sessions', key: hashSecret('s1') },
        { op: 'delete', collection: 'sessions', key: hashSecret('s3') },
      ]),
    );
    expect(result.changes).toHaveLength(3);
    // Pure: the state given is untouched.
    expect(state.users.u1?.passwordHash).toBe('old-u1');
    expect(Object.keys(state.sessions)).toHaveLength(4);
  });

  it('[web] an unknown user changes nothing', () => {
    const state = twoUsersWithSessions();
    const result = changePassword(state, { userId: 'nobody', passwordHash: 'x', keepSessionHash: '' });
    expect(result).toEqual({ state, changes: [], outcome: { kind: 'error', error: 'unknown_user' } });
  });
});

describe('[web] the account page', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('[web] shows who is signed in and the MCP URL to paste into ChatGPT and Claude', async () => {
    await server.addUser('dana');
    const page = await getPage(await signIn(server.url, 'dana'), '/account');
    expect(page.status).toBe(200);
    expect(page.doc.querySelector('#mcp-url')?.text).toBe(server.mcpUrl);
    expect(page.doc.text).toContain('Signed in as dana');
    expect(page.doc.querySelector('.steps')?.text).toContain('ChatGPT');
    expect(page.doc.querySelector('.steps')?.text).toContain('Claude');
  });

  it('[web] changing the password signs out every other browser, keeps this one, and the new password works', async () => {
    await server.addUser('erin');
    const here = await signIn(server.url, 'erin');
    const elsewhere = await signIn(server.url, 'erin');
    const page = await getPage(here, '/account');
    expect(page.doc.text).toContain('signed in on 1 other browser');

    const response = await submitForm(here, page, '/account/password', { current_password: PASSWORD, new_password: NEW_PASSWORD, new_password_confirm: NEW_PASSWORD });
    expect(response.status).toBe(303);
    // The "disconnect every app" box is ticked by default; erin has none.
    expect(response.headers.get('location')).toBe('/account?done=password&disconnected=0');
    const after = await getPage(here, '/account?done=password&disconnected=0');
    expect(after.status).toBe(200);
    expect(after.doc.querySelector('.notice')?.text).toContain('Every other browser was signed out');
    expect(after.doc.querySelector('.notice')?.text).toContain('No app was connected');
    expect((await getPage(elsewhere, '/notes')).status).toBe(303);

    await expect(signIn(server.url, 'erin')).rejects.toThrow('sign-in failed: 401');
    await expect(signIn(server.url, 'erin', NEW_PASSWORD)).resolves.toBeDefined();
  });

  it('[web] a wrong current password, a short one or two different ones are refused with what to do, changing nothing', async () => {
    await server.addUser('fred');
    const browser = await signIn(server.url, 'fred');
    const page = await getPage(browser, '/account');
    const hash = () => Object.values(server.services.queue.state.users).find((user) => user.username === 'fred')?.passwordHash;
    const before = hash();
    const cases: [Record<string, string>, string][] = [
      [{ current_password: 'not my password', new_password: NEW_PASSWORD, new_password_confirm: NEW_PASSWORD }, 'The current password is not right'],
      [{ current_password: PASSWORD, new_password: 'short', new_password_confirm: 'short' }, 'at least 10 characters'],
      [{ current_password: PASSWORD, new_password: NEW_PASSWORD, new_password_confirm: `${NEW_PASSWORD}!` }, 'The two new passwords differ'],
    ];
    for (const [fields, message] of cases) {
      const answer = await pageOf(await submitForm(browser, page, '/account/password', fields));
      expect(answer.status).toBe(400);
      expect(answer.doc.querySelector('[role="alert"]')?.text).toContain(message);
    }
    expect(hash()).toBe(before);
  });

  it('[web] signing out everywhere ends every session of the person, this one included, and no one else’s', async () => {
    await server.addUser('gina');
    await server.addUser('hank');
    const here = await signIn(server.url, 'gina');
    const elsewhere = await signIn(server.url, 'gina');
    const someoneElse = await signIn(server.url, 'hank');
    const response = await submitForm(here, await getPage(here, '/account'), '/account/signout-everywhere');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/login');
    expect((await getPage(here, '/account')).status).toBe(303);
    expect((await getPage(elsewhere, '/account')).status).toBe(303);
    expect((await getPage(someoneElse, '/account')).status).toBe(200);
  });
});

describe('[web] changing the password and connected apps', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  /** An app connected the way ChatGPT connects (refresh tokens included), with a live access token. */
  async function connectApp(username: string): Promise<{ client: Client; tokens: TokenSet }> {
    const person = new WireClient(server.url, { username });
    const client = await person.register();
    const tokens = await person.tokens(client, { scope: 'notes:read notes:write offline_access' });
    expect(tokens.refresh_token).toBeDefined();
    expect((await person.mcp(tokens.access_token)).status).toBe(200);
    return { client, tokens };
  }

  /** Whether the app still works: its refresh answer and its access token's answer at /mcp. */
  async function appStatus({ client, tokens }: { client: Client; tokens: TokenSet }): Promise<{ refresh: string; mcp: number }> {
    const wire = new WireClient(server.url);
    const mcp = (await wire.mcp(tokens.access_token)).status;
    const refreshed = await wire.refresh(client, tokens.refresh_token!);
    return { refresh: refreshed.status === 200 ? 'ok' : String((jsonObject(refreshed) ?? {}).error), mcp };
  }

  it('[SEC-PWD-02] the password form offers "Also disconnect every app", ticked by default, and says how many apps are connected', async () => {
    await server.addUser('ivan');
    await connectApp('ivan');
    const page = await getPage(await signIn(server.url, 'ivan'), '/account');
    const box = page.doc.querySelector('form[action="/account/password"] input#disconnect_apps');
    expect(box?.getAttribute('type')).toBe('checkbox');
    expect(box?.hasAttribute('checked')).toBe(true);
    expect(page.doc.querySelector('label[for="disconnect_apps"]')?.text).toBe('Also disconnect every app');
    expect(page.doc.querySelector('#disconnect-apps-hint')?.text).toContain('1 app is connected now.');
  });

  it('[SEC-PWD-02] with the box ticked, the change disconnects every app: refresh is invalid_grant, the access token gets 401, and the page says how many', async () => {
    await server.addUser('judy');
    await server.addUser('kim');
    const apps = [await connectApp('judy'), await connectApp('judy')];
    const someoneElses = await connectApp('kim');
    const browser = await signIn(server.url, 'judy');
    const response = await submitForm(browser, await getPage(browser, '/account'), '/account/password', { current_password: PASSWORD, new_password: NEW_PASSWORD, new_password_confirm: NEW_PASSWORD });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/account?done=password&disconnected=2');
    const after = await getPage(browser, response.headers.get('location')!);
    expect(after.doc.querySelector('.notice')?.text).toContain('2 connected apps were disconnected');
    for (const app of apps) expect(await appStatus(app)).toEqual({ refresh: 'invalid_grant', mcp: 401 });
    expect(await appStatus(someoneElses)).toEqual({ refresh: 'ok', mcp: 200 });
  });

  it('[SEC-PWD-02] with the box unticked, connected apps keep working and the page says they stay connected', async () => {
    await server.addUser('lena');
    const app = await connectApp('lena');
    const browser = await signIn(server.url, 'lena');
    const response = await submitForm(browser, await getPage(browser, '/account'), '/account/password', { current_password: PASSWORD, new_password: NEW_PASSWORD, new_password_confirm: NEW_PASSWORD, disconnect_apps: null });
    expect(response.headers.get('location')).toBe('/account?done=password');
    expect((await getPage(browser, '/account?done=password')).doc.querySelector('.notice')?.text).toContain('Connected apps stay connected');
    expect(await appStatus(app)).toEqual({ refresh: 'ok', mcp: 200 });
  });
});
