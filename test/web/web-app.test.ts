// The web app in a real browser (Debian's Chromium driven by playwright-core), as one story: first-
// run setup, sign in, write a note, connect a ChatGPT-shaped app through authorize → sign-in →
// consent, find the note with its token through /mcp, deny a second app, then disconnect the first
// in /apps and see its next MCP call refused; then the trash, a note's history with restore,
// following a [[link]], and export and import. Every page visited is saved as a screenshot.
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizationQuery, WireClient } from '../kit/client.ts';
import { newVerifier } from '../kit/pkce.ts';
import { startTestServer, type TestServer } from '../kit/server.ts';
import { callTool, challengeParams, legacy, send } from '../mcp/harness.ts';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const SCREENSHOTS = fileURLToPath(new URL('../output/screenshots/', import.meta.url));
const PASSWORD = 'a long and unusual passphrase';
const CHATGPT_REDIRECT = 'https://chatgpt.com/connector_platform_oauth_redirect';
const CLAUDE_REDIRECT = 'https://claude.ai/api/mcp/auth_callback';
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

const available = existsSync(CHROMIUM);
if (!available) {
  console.warn(
    [
      '',
      '#'.repeat(78),
      '#  BROWSER TESTS SKIPPED: /usr/bin/chromium not found (apt-get install -y chromium)',
      '#  test/web/web-app.test.ts drives Debian\'s Chromium; nothing else is downloaded.',
      '#'.repeat(78),
      '',
    ].join('\n'),
  );
}

interface Client {
  clientId: string;
  redirectUri: string;
  verifier: string;
}

describe.skipIf(!available)('[browser] the web app in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  /** The owner's own browser window, signed in to the web app. */
  let app: BrowserContext;
  let page: Page;
  /** The window an assistant opens for authorization, signed out at first. */
  let oauth: BrowserContext;
  const cspViolations: string[] = [];
  let chatgpt: Client;
  let accessToken: string;
  let noteId: string;

  /**
   * Saves the page at desktop (1280 px) and phone (390 px) width, and checks the phone view has no
   * sideways scrolling. The page is reloaded at each width only through the viewport: no new request.
   */
  async function shoot(target: Page, name: string): Promise<void> {
    const before = target.viewportSize() ?? DESKTOP;
    await target.setViewportSize(DESKTOP);
    await target.screenshot({ path: `${SCREENSHOTS}${name}-desktop.png`, fullPage: true });
    await target.setViewportSize(PHONE);
    const overflow = await target.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow, `${name} on a phone scrolls sideways`).toBeLessThanOrEqual(0);
    await target.screenshot({ path: `${SCREENSHOTS}${name}-phone.png`, fullPage: true });
    await target.setViewportSize(before);
  }

  async function newContext(viewport = DESKTOP): Promise<BrowserContext> {
    const context = await browser.newContext({ viewport, colorScheme: 'light', locale: 'en-GB' });
    // Nothing leaves the machine: requests to any other origin (an app's redirect URI, its favicon)
    // fail, except those `captureRedirect` answers (routes registered later take precedence).
    await context.route((url) => url.origin !== new URL(server.url).origin, (route) => route.abort('blockedbyclient'));
    context.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    return context;
  }

  async function register(name: string, redirectUri: string): Promise<Client> {
    const response = await new WireClient(server.url).registration({ client_name: name, redirect_uris: [redirectUri], token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'] });
    expect(response.status).toBe(201);
    const { client_id: clientId } = JSON.parse(response.text) as { client_id: string };
    return { clientId, redirectUri, verifier: newVerifier() };
  }

  function authorizeUrl(client: Client, state: string): string {
    const params = authorizationQuery(server.url, client.clientId, client.verifier, { redirect_uri: client.redirectUri, state, scope: 'notes:read notes:write offline_access' });
    return `${server.url}/oauth/authorize?${params}`;
  }

  /** Answers the app's redirect URI inside the browser (nothing leaves the machine) and reports it. */
  async function captureRedirect(context: BrowserContext, redirectUri: string): Promise<() => Promise<URL>> {
    let resolve: (url: URL) => void = () => undefined;
    const captured = new Promise<URL>((settle) => {
      resolve = settle;
    });
    const pattern = `${redirectUri}**`;
    await context.route(pattern, async (route) => {
      resolve(new URL(route.request().url()));
      await route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>Back in the app</title><p>Back in the app.</p>' });
    });
    return async () => {
      const url = await captured;
      await context.unroute(pattern);
      return url;
    };
  }

  async function searchThroughMcp(token: string, query: string) {
    return send(`${server.url}/mcp`, legacy('tools/call', { name: 'search', arguments: { query } }), token);
  }

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    server = await startTestServer();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    app = await newContext();
    page = await app.newPage();
    oauth = await newContext();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('[browser] first-run setup: the one-time link creates the owner account and signs them in', async () => {
    expect(server.setupUrl).toBeDefined();
    await page.goto(server.setupUrl!);
    await expect(page.title()).resolves.toBe('Create your account · agent-notes');
    await page.getByLabel('Username').fill('owner');
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Repeat the password').fill(PASSWORD);
    await shoot(page, 'setup');
    await page.getByRole('button', { name: 'Create account' }).click();
    // Setup signs the owner in and lands in the (empty) notes.
    await page.waitForURL(`${server.url}/notes`);
    await expect(page.getByTitle('Signed in as owner').isVisible()).resolves.toBe(true);
  });

  it('[browser] signing out, then in again with the keyboard (Enter submits the form)', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login$/);
    await page.getByLabel('Username').fill('owner');
    await page.getByLabel('Password').fill(PASSWORD);
    await shoot(page, 'login');
    await page.getByLabel('Password').press('Enter');
    await page.waitForURL(`${server.url}/notes`);
    await expect(page.locator('.empty').innerText()).resolves.toContain('No notes yet');
    await shoot(page, 'notes-empty');
  });

  it('[browser] a note written with the keyboard alone: Tab walks the labelled fields in order, Preview renders the Markdown, Enter saves', async () => {
    await page.getByRole('link', { name: 'New note' }).first().click();
    await page.waitForURL(/\/notes\/new$/);
    // The page has no DOM types here (Node project): expressions are evaluated as strings.
    const focused = () => page.evaluate<string>("document.activeElement.id || document.activeElement.textContent.trim()");
    // `autofocus` is applied at the next rendering update, not at load: wait for it (polling from
    // outside: waitForFunction compiles its string in the page, which the CSP forbids).
    await expect.poll(focused).toBe('title');
    await page.keyboard.type('Weekly groceries');
    await page.keyboard.press('Tab');
    await expect(focused()).resolves.toBe('body');
    await page.keyboard.type('## For the weekend\n\n- **oat milk**\n- bread from the *corner bakery*\n\nSee [the shop](https://example.com/shop).');
    await page.keyboard.press('Tab');
    await expect(focused()).resolves.toBe('tags');
    await page.keyboard.type('home, shopping');
    await page.keyboard.press('Tab');
    await expect(focused()).resolves.toBe('public');
    await page.keyboard.press('Tab');
    await expect(focused()).resolves.toBe('Save');
    await page.keyboard.press('Tab');
    await expect(focused()).resolves.toBe('Preview');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/notes#preview$/);
    await expect(page.locator('#preview .note-body strong').innerText()).resolves.toBe('oat milk');
    await expect(page.getByLabel('Title').inputValue()).resolves.toBe('Weekly groceries');
    await shoot(page, 'editor');

    await page.getByLabel('Title').press('Enter'); // implicit submission: the first button, Save
    await page.waitForURL(/\/notes\/[A-Za-z0-9_-]{43}\?done=created$/);
    noteId = new URL(page.url()).pathname.split('/')[2]!;
    await expect(page.locator('.notice').innerText()).resolves.toBe('Note created.');
    await expect(page.locator('.note-body h2').innerText()).resolves.toBe('For the weekend');
    await shoot(page, 'note');
  });

  it('[browser] more notes, the list with search and tags, and the same list on a phone without sideways scrolling', async () => {
    for (const [title, body, tags] of [
      ['Book ideas', 'A novel about a *lighthouse keeper* who writes notes to ships.', 'writing'],
      ['Meeting with Sam', 'Agenda: budget, hiring plan, the **offsite** in May.', 'work'],
    ] as const) {
      await page.goto(`${server.url}/notes/new`);
      await page.getByLabel('Title').fill(title);
      await page.getByLabel('Text', { exact: true }).fill(body);
      await page.getByLabel('Tags').fill(tags);
      await page.getByRole('button', { name: 'Save' }).click();
      await page.waitForURL(/done=created$/);
    }
    await page.goto(`${server.url}/notes`);
    // Newest first; notes saved within the same second keep a stable order by id.
    expect((await page.locator('.note-item h2').allInnerTexts()).sort()).toEqual(['Book ideas', 'Meeting with Sam', 'Weekly groceries']);
    await shoot(page, 'notes');

    await page.getByLabel('Search notes').fill('bakery');
    await page.getByLabel('Search notes').press('Enter');
    await page.waitForURL(/q=bakery/);
    await expect(page.locator('.note-item h2').allInnerTexts()).resolves.toEqual(['Weekly groceries']);
    await shoot(page, 'notes-search');

    const phone = await (await newContext({ width: 390, height: 844 })).newPage();
    await phone.context().addCookies(await app.cookies());
    for (const path of ['/notes', `/notes/${noteId}/edit`, '/account']) {
      await phone.goto(`${server.url}${path}`);
      const overflow = await phone.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
      expect(overflow, path).toBeLessThanOrEqual(0);
    }
    await phone.context().close();
  });

  it('[browser][REQ-17][REQ-12] a ChatGPT-shaped authorization: authorize URL, sign-in, consent, and the redirect back carries code, state and iss', async () => {
    chatgpt = await register('ChatGPT', CHATGPT_REDIRECT);
    const redirected = await captureRedirect(oauth, CHATGPT_REDIRECT);
    const window = await oauth.newPage();
    await window.goto(authorizeUrl(chatgpt, 'chatgpt-state-1'));
    await window.waitForURL(/\/login\?return_to=/);
    await window.getByLabel('Username').fill('owner');
    await window.getByLabel('Password').fill(PASSWORD);
    await window.getByRole('button', { name: 'Sign in' }).click();
    await window.waitForURL(/\/consent\?request=/);
    await expect(window.locator('.client-host').innerText()).resolves.toBe('chatgpt.com');
    await expect(window.locator('.client-name').innerText()).resolves.toContain('claims to be ChatGPT');
    await shoot(window, 'consent');
    await window.getByRole('button', { name: 'Allow' }).click();

    const back = await redirected();
    expect(`${back.origin}${back.pathname}`).toBe(CHATGPT_REDIRECT);
    expect(back.searchParams.get('state')).toBe('chatgpt-state-1');
    expect(back.searchParams.get('iss')).toBe(server.url);
    const code = back.searchParams.get('code');
    expect(code).toBeTruthy();

    const response = await new WireClient(server.url).exchange(chatgpt, code!, chatgpt.verifier);
    expect(response.status).toBe(200);
    accessToken = (JSON.parse(response.text) as { access_token: string }).access_token;
    await window.close();
  });

  it('[browser] the token finds the note written in the browser through /mcp, at the note’s own page', async () => {
    const result = (await callTool(`${server.url}/mcp`, accessToken, 'search', { query: 'groceries' })).structuredContent as { results: { id: string; title: string; url: string }[] };
    expect(result.results).toEqual([{ id: noteId, title: 'Weekly groceries', url: `${server.url}/notes/${noteId}` }]);
    await page.goto(result.results[0]!.url);
    await expect(page.locator('h1').innerText()).resolves.toBe('Weekly groceries');
  });

  it('[browser][EC-25][REQ-12] denying consent sends the app back access_denied, with its state and iss', async () => {
    const claude = await register('Claude', CLAUDE_REDIRECT);
    const redirected = await captureRedirect(oauth, CLAUDE_REDIRECT);
    const window = await oauth.newPage();
    await window.goto(authorizeUrl(claude, 'claude-state-1'));
    await window.waitForURL(/\/consent\?request=/); // still signed in from the ChatGPT connection
    await expect(window.locator('.client-host').innerText()).resolves.toBe('claude.ai');
    await window.getByRole('button', { name: 'Deny' }).click();
    const back = await redirected();
    expect(`${back.origin}${back.pathname}`).toBe(CLAUDE_REDIRECT);
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('state')).toBe('claude-state-1');
    expect(back.searchParams.get('iss')).toBe(server.url);
    expect(back.searchParams.has('code')).toBe(false);
    await window.close();
  });

  it('[browser][REQ-02] disconnecting ChatGPT in /apps: the next MCP call with its token gets the 401 challenge', async () => {
    expect((await searchThroughMcp(accessToken, 'groceries')).status).toBe(200);
    await page.goto(`${server.url}/apps`);
    await expect(page.locator('.app-item .app-host').allInnerTexts()).resolves.toEqual(['chatgpt.com']);
    await shoot(page, 'apps');
    await page.getByRole('button', { name: 'Disconnect ChatGPT (chatgpt.com)' }).click();
    await page.waitForURL(/\/apps\?done=revoked$/);
    await expect(page.locator('.notice').innerText()).resolves.toContain('Disconnected');
    await shoot(page, 'apps-disconnected');

    const refused = await searchThroughMcp(accessToken, 'groceries');
    expect(refused.status).toBe(401);
    expect(challengeParams(refused.headers.get('www-authenticate'))).toMatchObject({ error: 'invalid_token', resource_metadata: `${server.url}/.well-known/oauth-protected-resource/mcp` });
  });

  it('[browser] sharing a note: the public page opens without signing in and asks not to be indexed', async () => {
    await page.goto(`${server.url}/notes/${noteId}`);
    await page.getByRole('button', { name: 'Make public' }).click();
    await page.waitForURL(/done=public$/);
    const link = await page.locator('.sharing a.copy').getAttribute('href');
    await shoot(page, 'note-public');

    const stranger = await newContext();
    const reader = await stranger.newPage();
    const response = await reader.goto(link!);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['x-robots-tag']).toBe('noindex');
    await expect(reader.locator('meta[name="robots"]').getAttribute('content')).resolves.toBe('noindex');
    await expect(reader.locator('.note-body strong').innerText()).resolves.toBe('oat milk');
    await shoot(reader, 'public-note');
    await stranger.close();
  });

  it('[browser] the account page and the delete confirmation', async () => {
    await page.goto(`${server.url}/account`);
    await expect(page.locator('#mcp-url').innerText()).resolves.toBe(`${server.url}/mcp`);
    await shoot(page, 'account');

    await page.goto(`${server.url}/notes/${noteId}`);
    await page.getByRole('link', { name: 'Delete…' }).click();
    await expect(page.locator('h1').innerText()).resolves.toBe('Delete “Weekly groceries”?');
    await shoot(page, 'delete');
    await page.getByRole('button', { name: 'Move to trash' }).click();
    await page.waitForURL(/\/notes\?done=deleted$/);
    expect((await page.locator('.note-item h2').allInnerTexts()).sort()).toEqual(['Book ideas', 'Meeting with Sam']);
  });

  it('[browser][NOTES-TRASH-02] the trash lists the deleted note and restores it', async () => {
    await page.goto(`${server.url}/trash`);
    await expect(page.locator('.trash-item h2').allInnerTexts()).resolves.toEqual(['Weekly groceries']);
    await shoot(page, 'trash');
    await page.getByRole('button', { name: 'Restore' }).click();
    await page.waitForURL(new RegExp(`/notes/${noteId}\\?done=restored$`));
    await expect(page.locator('h1').innerText()).resolves.toBe('Weekly groceries');
  });

  it('[browser][NOTES-VER-03] a note\'s history shows what a change replaced, and restores it', async () => {
    await page.goto(`${server.url}/notes/${noteId}`);
    const before = await page.locator('.note-body').innerText();
    await page.getByRole('link', { name: 'Edit' }).click();
    await page.getByLabel('Text', { exact: true }).fill('Only bread now.');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/done=saved$/);
    await page.getByRole('link', { name: 'History' }).click();
    await shoot(page, 'history');
    await page.locator('.version-item a').first().click();
    await expect(page.locator('.diff-add').allInnerTexts()).resolves.toEqual([expect.stringContaining('Only bread now.')]);
    await shoot(page, 'version');
    await page.getByRole('button', { name: 'Restore this version' }).click();
    await page.waitForURL(/done=restored$/);
    await expect(page.locator('.note-body').innerText()).resolves.toBe(before);
  });

  it('[browser][NOTES-LINK-01] following a [[link]] to another note, which lists the note linking to it', async () => {
    await page.goto(`${server.url}/notes/new`);
    await page.getByLabel('Title').fill('Reading list');
    await page.getByLabel('Text', { exact: true }).fill('Start with [[Book ideas]], then [[Unwritten book]].');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/done=created$/);
    await expect(page.locator('.wikilink.missing').innerText()).resolves.toContain('Unwritten book');
    await shoot(page, 'note-links');
    await page.locator('.note-body').getByRole('link', { name: 'Book ideas' }).click();
    await expect(page.locator('h1').innerText()).resolves.toBe('Book ideas');
    await expect(page.locator('.backlinks a').allInnerTexts()).resolves.toEqual(['Reading list']);
  });

  it('[browser][NOTES-IO-01][NOTES-IO-02] export the notes from the account page and import the zip back', async () => {
    await page.goto(`${server.url}/account`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export notes (.zip)' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^agent-notes-owner-\d{4}-\d\d-\d\d\.zip$/);
    const saved = `${SCREENSHOTS}../notes-export.zip`;
    await download.saveAs(saved);
    const before = await page.goto(`${server.url}/notes`).then(() => page.locator('.note-item').count());
    await page.goto(`${server.url}/account`);
    await page.getByLabel('Zip of Markdown files to import').setInputFiles(saved);
    await page.getByRole('button', { name: 'Import notes' }).click();
    await expect(page.locator('.notice').innerText()).resolves.toContain(`${before} notes were imported`);
    await shoot(page, 'import-report');
  });

  it('[browser][NOTES-UI-01][NOTES-UI-02] at 1280 px the list stands beside the note and the preview beside the editor; at 390 px one column, the note first', async () => {
    await page.setViewportSize(DESKTOP);
    await page.goto(`${server.url}/notes/${noteId}`);
    const box = async (selector: string) => (await page.locator(selector).boundingBox())!;
    let pane = await box('.note-pane');
    let main = await box('main');
    expect(pane.x + pane.width).toBeLessThanOrEqual(main.x);
    expect(Math.abs(pane.y - main.y)).toBeLessThan(2);
    await page.goto(`${server.url}/notes/${noteId}/edit`);
    const text = await box('#body');
    const preview = await box('#preview');
    expect(text.x + text.width).toBeLessThanOrEqual(preview.x);
    await page.setViewportSize(PHONE);
    await page.goto(`${server.url}/notes/${noteId}`);
    pane = await box('.note-pane');
    main = await box('main');
    expect(main.y + main.height).toBeLessThanOrEqual(pane.y);
    await page.setViewportSize(DESKTOP);
    // Dark mode follows the system: the same two pages in the dark, to look at.
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(`${server.url}/notes/${noteId}`);
    await shoot(page, 'note-dark');
    await page.goto(`${server.url}/notes/${noteId}/edit`);
    await shoot(page, 'editor-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('[browser][NOTES-UI-03][NOTES-UI-06] a task list, a pinned note first, the tags page, and the error pages', async () => {
    await page.goto(`${server.url}/notes/new`);
    await page.getByLabel('Title').fill('Errands');
    await page.getByLabel('Text', { exact: true }).fill('- [ ] milk\n- [x] eggs\n- [ ] post the letter');
    await page.getByLabel('Tags').fill('home');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/done=created$/);
    await expect(page.locator('.note-body input[type="checkbox"]').count()).resolves.toBe(3);
    await expect(page.locator('.note-body input[type="checkbox"]:checked').count()).resolves.toBe(1);
    await expect(page.locator('.note-body input[type="checkbox"]').first().isDisabled()).resolves.toBe(true);
    await page.getByRole('button', { name: 'Pin to top' }).click();
    await page.waitForURL(/done=pinned$/);
    await shoot(page, 'note-tasks');
    await page.goto(`${server.url}/notes`);
    await expect(page.locator('.note-item h2 a').first().innerText()).resolves.toBe('Errands');
    await shoot(page, 'notes-pinned');
    await page.getByRole('link', { name: 'Title', exact: true }).click();
    await page.waitForURL(/sort=title$/);
    await shoot(page, 'notes-by-title');
    await page.goto(`${server.url}/tags`);
    await shoot(page, 'tags');
    const unknown = await page.goto(`${server.url}/notes?sort=size`);
    expect(unknown?.status()).toBe(400);
    await shoot(page, 'error-in-app');
    const stranger = await newContext();
    const reader = await stranger.newPage();
    const refused = await reader.goto(`${server.url}/oauth/authorize?client_id=unknown&response_type=code`);
    expect(refused?.status()).toBe(400);
    await shoot(reader, 'error');
    const missing = await reader.goto(`${server.url}/p/no-such-link`);
    expect(missing?.status()).toBe(404);
    await shoot(reader, 'public-note-missing');
    await stranger.close();
  });

  it('[browser][MCP-45] no page broke the Content-Security-Policy (no inline script or style anywhere)', () => {
    expect(cspViolations).toEqual([]);
  });
});
