// What every page of the web app promises, checked page by page: no framing and no inline script
// (CSP), the session's CSRF token in every form and checked on every post, labelled inputs, nothing
// loaded from elsewhere, and errors that say what to do next.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSecret } from '../../src/core/secrets.ts';
import { Browser } from '../kit/browser.ts';
import { callTool, obtainTokens, startTestServer, type TestServer } from '../mcp/harness.ts';
import { createNoteInBrowser, getPage, postForm, signIn, type Page } from './harness.ts';

let server: TestServer;
let alice: Browser;
let noteId: string;
let grantId: string;
let publicPath: string;
let trashedId: string;

beforeAll(async () => {
  server = await startTestServer();
  await server.addUser('alice');
  alice = await signIn(server.url, 'alice');
  noteId = await createNoteInBrowser(alice, { title: 'A note', body: 'Some *text*', tags: 'one two', public: true });
  publicPath = `/p/${server.services.queue.state.notes[noteId]!.publicId}`;
  const tokens = await obtainTokens(server.url, 'alice');
  await callTool(server.mcpUrl, tokens.access_token, 'search', { query: 'note' });
  await callTool(server.mcpUrl, tokens.access_token, 'update_note', { id: noteId, body: 'Some *text*, changed\n\n- [ ] by an app' });
  trashedId = await createNoteInBrowser(alice, { title: 'To the trash' });
  await callTool(server.mcpUrl, tokens.access_token, 'delete_note', { id: trashedId });
  grantId = Object.values(server.services.queue.state.grants)[0]!.grantId;
});
afterAll(() => server.close());

const signedInPages = () => [
  '/notes', '/notes?q=note&tag=one', '/notes?q=nothing', '/notes/new', `/notes/${noteId}`, `/notes/${noteId}/edit`, `/notes/${noteId}/delete`,
  `/notes/${noteId}/history`, `/notes/${noteId}/history/${noteId}.1`, '/trash', '/tags', '/apps', '/account',
];

/** Every page of the app, with the HTML a signed-in owner (or, for the public page, anyone) gets. */
async function everyPage(): Promise<[string, Page][]> {
  const pages: [string, Page][] = [];
  for (const path of [...signedInPages(), publicPath, '/notes/missing-note']) pages.push([path, await getPage(alice, path)]);
  return pages;
}

function sessionCsrf(browser: Browser): string {
  const token = browser.cookies.get('agent-notes-session') ?? '';
  return server.services.queue.state.sessions[hashSecret(token)]?.csrf ?? '';
}

/** The collections a post could change, as JSON, to prove that a refused one changed nothing. */
function snapshot(): string {
  const { notes, noteVersions, trashedNotes, grants, sessions, users, refreshTokens } = server.services.queue.state;
  return JSON.stringify({ notes, noteVersions, trashedNotes, grants, sessions, users, refreshTokens });
}

describe('[MCP-45] framing, script and CSRF on every page', () => {
  it('[MCP-45][NOTES-VER-03][NOTES-TRASH-02] every page forbids framing and inline script: CSP frame-ancestors \'none\', script-src \'self\', X-Frame-Options DENY', async () => {
    for (const [path, page] of await everyPage()) {
      const csp = page.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).toContain("script-src 'self'");
      expect(csp, path).not.toContain('unsafe-inline');
      expect(page.headers.get('x-frame-options'), path).toBe('DENY');
      expect(page.html, path).not.toMatch(/<script|<style|\sstyle=|\son[a-z]+=/i);
    }
  });

  it('[MCP-45] every form that posts carries the CSRF token bound to the session', async () => {
    const csrf = sessionCsrf(alice);
    expect(csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
    let forms = 0;
    for (const path of signedInPages()) {
      const page = await getPage(alice, path);
      for (const form of page.doc.querySelectorAll('form[method="post"]')) {
        forms += 1;
        expect(form.querySelector('input[type="hidden"][name="csrf"]')?.getAttribute('value'), `${path} → ${form.getAttribute('action')}`).toBe(csrf);
      }
    }
    expect(forms).toBeGreaterThanOrEqual(15);
  });

  it('[MCP-45][NOTES-VER-03][NOTES-TRASH-02][NOTES-TAG-01] a post without the session’s CSRF token (missing, wrong, or another session’s) is refused with 403 and changes nothing', async () => {
    const other = await signIn(server.url, 'alice');
    const tokens = { missing: undefined, wrong: 'x'.repeat(43), 'another session’s': sessionCsrf(other) };
    const posts: [string, Record<string, string>][] = [
      ['/notes', { title: 'Forged', body: '', tags: '', intent: 'save' }],
      [`/notes/${noteId}`, { title: 'Forged', body: '', tags: '', intent: 'save', version: String(server.services.queue.state.notes[noteId]!.updatedAt) }],
      [`/notes/${noteId}/public`, { public: 'false' }],
      [`/notes/${noteId}/delete`, {}],
      [`/notes/${noteId}/history/${noteId}.1/restore`, {}],
      [`/trash/${trashedId}/restore`, {}],
      [`/trash/${trashedId}/erase`, {}],
      ['/tags/one/rename', { to: 'forged' }],
      [`/apps/${grantId}/revoke`, {}],
      ['/account/password', { current_password: 'correct horse battery staple', new_password: 'forged password!', new_password_confirm: 'forged password!' }],
      ['/account/signout-everywhere', {}],
    ];
    const before = snapshot();
    for (const [action, fields] of posts) {
      for (const [kind, csrf] of Object.entries(tokens)) {
        const response = await postForm(alice, action, csrf === undefined ? fields : { ...fields, csrf });
        expect(response.status, `${action} with ${kind} token`).toBe(403);
        expect(await response.text()).toContain('Please try again');
      }
    }
    expect(snapshot()).toBe(before);
  });

  it('[web] a post after the session ended asks to sign in again (401) and changes nothing', async () => {
    const stranger = new Browser(server.url);
    const before = snapshot();
    const response = await postForm(stranger, `/notes/${noteId}/delete`, { csrf: sessionCsrf(alice) });
    expect(response.status).toBe(401);
    expect(await response.text()).toContain('href="/login"');
    expect(snapshot()).toBe(before);
  });
});

describe('[web] pages anyone can use', () => {
  it('[web] every input, text area and checkbox has a label; every button says what it does', async () => {
    for (const [path, page] of await everyPage()) {
      const fields = page.doc.querySelectorAll('input, textarea').filter((field) => field.getAttribute('type') !== 'hidden');
      for (const field of fields) {
        // A task's read-only checkbox in a note (NOTES-UI-03) is named by aria-label ("Done", "Not done").
        if (field.classList.contains('task-checkbox')) {
          expect(field.getAttribute('aria-label'), `${path}: ${field.outerHTML}`).toMatch(/^(Done|Not done)$/);
          continue;
        }
        const id = field.getAttribute('id');
        expect(id, `${path}: ${field.outerHTML}`).toBeTruthy();
        expect(page.doc.querySelector(`label[for="${id}"]`)?.text.trim(), `${path}: label of #${id}`).toBeTruthy();
      }
      for (const button of page.doc.querySelectorAll('button')) expect(button.text.trim(), `${path}: ${button.outerHTML}`).not.toBe('');
    }
  });

  it('[web] every page is made for phones and loads nothing from another site', async () => {
    for (const [path, page] of await everyPage()) {
      expect(page.doc.querySelector('meta[name="viewport"]')?.getAttribute('content'), path).toBe('width=device-width, initial-scale=1');
      expect(page.doc.querySelector('html')?.getAttribute('lang'), path).toBe('en');
      for (const link of page.doc.querySelectorAll('link[href], img[src]')) {
        expect(link.getAttribute('href') ?? link.getAttribute('src'), path).toMatch(/^\/(?!\/)/);
      }
    }
    const css = await fetch(`${server.url}/assets/style.css`);
    expect(css.status).toBe(200);
    expect(await css.text()).not.toMatch(/@import|url\(\s*['"]?https?:/);
  });

  it('[web] the section being shown is marked in the header, for screen readers too', async () => {
    for (const [path, label] of [['/notes', 'Notes'], ['/apps', 'Connected apps'], ['/account', 'Account']] as const) {
      const page = await getPage(alice, path);
      expect(page.doc.querySelectorAll('.app-nav a[aria-current="page"]').map((a) => a.text), path).toEqual([label]);
    }
  });

  it('[web] a missing note answers 404 with a link back to the notes', async () => {
    const page = await getPage(alice, '/notes/missing-note');
    expect(page.status).toBe(404);
    expect(page.doc.querySelector('h1')?.text).toBe('Note not found');
    expect(page.doc.querySelector('main a.button')?.getAttribute('href')).toBe('/notes');
  });
});
