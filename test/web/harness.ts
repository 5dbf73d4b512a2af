// The web app over HTTP, as a browser without script sees it: a real server (the kit's
// `startTestServer`, which is `startServer` in memory), people signed in with the `Browser` cookie
// jar, pages parsed with node-html-parser, and forms found by their action and submitted.
import { parse, type HTMLElement } from 'node-html-parser';
import { Browser } from '../kit/browser.ts';
import { signIn as signInThrough } from '../kit/client.ts';
import { PASSWORD } from '../kit/server.ts';

export interface Page {
  status: number;
  headers: Headers;
  html: string;
  doc: HTMLElement;
}

export async function getPage(browser: Browser, path: string): Promise<Page> {
  return pageOf(await browser.fetch(path));
}

/** A response read as a page (e.g. a form re-rendered with an error). */
export async function pageOf(response: Response): Promise<Page> {
  const html = await response.text();
  return { status: response.status, headers: response.headers, html, doc: parse(html) };
}

/** Signs `username` in through the sign-in form; the returned browser carries the session cookie. */
export async function signIn(base: string, username: string, password = PASSWORD): Promise<Browser> {
  const browser = new Browser(base);
  const response = await signInThrough(browser, username, password);
  if (response.status !== 303) throw new Error(`sign-in failed: ${response.status}`);
  return browser;
}

/** The form on `page` that posts to `action`, with its fields as the page fills them in. */
export function formFields(page: Page, action: string): URLSearchParams {
  const form = page.doc.querySelectorAll('form').find((candidate) => candidate.getAttribute('action') === action);
  if (!form) throw new Error(`no form posting to ${action}; forms: ${page.doc.querySelectorAll('form').map((f) => f.getAttribute('action')).join(', ')}`);
  const fields = new URLSearchParams();
  for (const input of form.querySelectorAll('input')) {
    const name = input.getAttribute('name');
    const type = input.getAttribute('type') ?? 'text';
    if (!name || (type === 'checkbox' && !input.hasAttribute('checked'))) continue;
    fields.append(name, input.getAttribute('value') ?? '');
  }
  // As in browsers, the newline right after `<textarea>` is not part of the value.
  for (const area of form.querySelectorAll('textarea')) fields.append(area.getAttribute('name') ?? '', area.text.replace(/^\r?\n/, ''));
  return fields;
}

/** Submits the form posting to `action`, with `changes` replacing the page's values (`null` removes one). */
export async function submitForm(browser: Browser, page: Page, action: string, changes: Record<string, string | null> = {}): Promise<Response> {
  const fields = formFields(page, action);
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) fields.delete(name);
    else fields.set(name, value);
  }
  return postForm(browser, action, fields);
}

/** A raw form post, e.g. one a hostile page could make. */
export async function postForm(browser: Browser, action: string, fields: URLSearchParams | Record<string, string>): Promise<Response> {
  return browser.fetch(action, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) });
}

/** Creates a note through the new-note form; returns its id (from the redirect to its page). */
export async function createNoteInBrowser(browser: Browser, note: { title: string; body?: string; tags?: string; public?: boolean }): Promise<string> {
  const page = await getPage(browser, '/notes/new');
  const response = await submitForm(browser, page, '/notes', {
    title: note.title,
    body: note.body ?? '',
    tags: note.tags ?? '',
    public: note.public === true ? 'on' : null,
    intent: 'save',
  });
  const location = response.headers.get('location') ?? '';
  const match = /^\/notes\/([^/?]+)\?done=created$/.exec(location);
  if (response.status !== 303 || !match?.[1]) throw new Error(`note not created: ${response.status} ${location} ${await response.text()}`);
  return decodeURIComponent(match[1]);
}

export { PASSWORD };
