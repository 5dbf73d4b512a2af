// A web app that feels like a notes app (issue 17 item 7), over HTTP as a browser without script
// sees it: the list beside the open note, the preview beside the editor, task lists, clean
// snippets, relative times, pinning and sorting, a quiet Delete, the favicon and the copy-link field.
import { parse } from 'node-html-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../kit/browser.ts';
import { startTestServer, type TestServer } from '../mcp/harness.ts';
import { tempDataDir } from '../kit/temp-dir.ts';
import { markdownText, renderMarkdown } from '../../src/ui/markdown.ts';
import { relativeTime } from '../../src/ui/notes-time.ts';
import { createNoteInBrowser, getPage, pageOf, postForm, signIn, submitForm } from './harness.ts';

let server: TestServer;
let alice: Browser;
let bob: Browser;

beforeAll(async () => {
  server = await startTestServer();
  await server.addUser('alice');
  await server.addUser('bob');
  alice = await signIn(server.url, 'alice');
  bob = await signIn(server.url, 'bob');
});
afterAll(() => server.close());

const titles = (page: Awaited<ReturnType<typeof getPage>>) => page.doc.querySelectorAll('.note-item h2 a').map((a) => a.text.trim());

describe('[web] a notes app, not an admin form', () => {
  it('[NOTES-UI-01] an open note and its history have the owner\'s list beside them, the open one marked, and none of another owner\'s notes', async () => {
    const first = await createNoteInBrowser(alice, { title: 'Sidebar one' });
    const second = await createNoteInBrowser(alice, { title: 'Sidebar two' });
    await createNoteInBrowser(bob, { title: 'Bob private plan' });
    const page = await getPage(alice, `/notes/${first}`);
    const pane = page.doc.querySelector('.panes nav.note-pane');
    expect(pane, 'the list pane').not.toBeNull();
    const links = pane!.querySelectorAll('li a');
    expect(links.map((a) => a.querySelector('.pane-title')?.text)).toEqual(expect.arrayContaining(['Sidebar one', 'Sidebar two']));
    expect(pane!.text).not.toContain('Bob private plan');
    expect(pane!.querySelector('a[aria-current="page"]')?.getAttribute('href')).toBe(`/notes/${first}`);
    expect(pane!.querySelector(`a[href="/notes/${second}"]`)?.getAttribute('aria-current')).toBeUndefined();
    // The note comes first in the document (phones show it first; the pane follows).
    expect(page.html.indexOf('id="content"')).toBeLessThan(page.html.indexOf('class="note-pane"'));
    // The note's history has the same list beside it.
    const history = await getPage(alice, `/notes/${first}/history`);
    expect(history.doc.querySelector('.panes nav.note-pane a[aria-current="page"]')?.getAttribute('href')).toBe(`/notes/${first}`);
  });

  it('[NOTES-UI-02] the editor shows the rendered text beside it, server-rendered with no script, and Preview shows the draft', async () => {
    const noteId = await createNoteInBrowser(alice, { title: 'Preview me', body: 'Saved **bold**' });
    const edit = await getPage(alice, `/notes/${noteId}/edit`);
    const panes = edit.doc.querySelector('.editor-panes');
    expect(panes?.querySelector('form textarea#body')).not.toBeNull();
    expect(panes?.querySelector('#preview .note-body strong')?.text).toBe('bold');
    expect(edit.doc.querySelector('#preview-heading')?.text).toContain('as saved');
    expect(edit.html.toLowerCase()).not.toContain('<script');
    const previewed = await pageOf(await submitForm(alice, edit, `/notes/${noteId}`, { body: 'Draft *changed*', intent: 'preview' }));
    expect(previewed.doc.querySelector('#preview .note-body em')?.text).toBe('changed');
    expect(previewed.doc.querySelector('#preview-heading')?.text).toContain('not saved yet');
    // Cancel is a quiet link, Save the one strong button.
    expect(edit.doc.querySelector('.actions a.quiet')?.text).toBe('Cancel');
  });

  it('[NOTES-UI-03] "- [ ] milk" and "- [x] eggs" render as disabled checkboxes, and what follows the marker stays escaped', () => {
    const doc = parse(renderMarkdown('- [ ] milk\n- [x] eggs <img src=x onerror=alert(1)>\n- plain item\n\n[ ] not in a list').value);
    const boxes = doc.querySelectorAll('input[type="checkbox"]');
    expect(boxes.map((box) => [box.hasAttribute('checked'), box.hasAttribute('disabled')])).toEqual([[false, true], [true, true]]);
    expect(doc.querySelectorAll('li.task-item').map((li) => li.text.trim())).toEqual(['milk', 'eggs <img src=x onerror=alert(1)>']);
    expect(doc.querySelector('img')).toBeNull();
    expect(doc.querySelectorAll('li')[2]?.classList.contains('task-item')).toBe(false);
    expect(doc.querySelector('p')?.text).toBe('[ ] not in a list');
  });

  it('[NOTES-UI-03] list snippets are plain text: no task markers, no Markdown syntax, [[links]] as their words', async () => {
    expect(markdownText('- [ ] milk\n- [x] **eggs**\n\nSee [[Book ideas|my books]] and [[Reading]]')).toBe('milk · eggs · See my books and Reading');
    await createNoteInBrowser(alice, { title: 'Shopping tasks', body: '# Week\n\n- [ ] oat milk\n- [x] *eggs*' });
    const list = await getPage(alice, '/notes');
    const item = list.doc.querySelectorAll('.note-item').find((li) => li.querySelector('h2')?.text.includes('Shopping tasks'));
    expect(item?.querySelector('.snippet')?.text).toBe('Week · oat milk · eggs');
  });

  it('[NOTES-UI-04] Delete is a quiet link after Edit and History, leading to the confirmation form with its CSRF token', async () => {
    const noteId = await createNoteInBrowser(alice, { title: 'Quiet delete' });
    const page = await getPage(alice, `/notes/${noteId}`);
    const actions = page.doc.querySelector('.note-actions');
    expect(actions?.querySelector('a.button.primary')?.text).toBe('Edit');
    const remove = actions?.querySelector(`a[href="/notes/${noteId}/delete"]`);
    expect(remove?.classList.contains('quiet-danger')).toBe(true);
    expect(remove?.classList.contains('button')).toBe(false);
    const confirm = await getPage(alice, `/notes/${noteId}/delete`);
    const form = confirm.doc.querySelector(`form[action="/notes/${noteId}/delete"]`);
    expect(form?.getAttribute('method')).toBe('post');
    expect(form?.querySelector('input[name="csrf"]')?.getAttribute('value')).toBeTruthy();
  });

  it('[NOTES-UI-04] the favicon is an SVG served with its content type and caching, linked from every page with the brand mark', async () => {
    const icon = await fetch(`${server.url}/favicon.svg`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(icon.headers.get('cache-control')).toMatch(/public, max-age=\d+/);
    expect(await icon.text()).toMatch(/^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    const ico = await fetch(`${server.url}/favicon.ico`, { redirect: 'manual' });
    expect([ico.status, ico.headers.get('location')]).toEqual([301, '/favicon.svg']);
    const signedOut = new Browser(server.url);
    for (const [who, path] of [[signedOut, '/login'], [alice, '/notes'], [alice, '/account'], [signedOut, '/p/unknown']] as const) {
      const page = await getPage(who, path);
      expect(page.doc.querySelector('link[rel="icon"]')?.getAttribute('href'), path).toBe('/favicon.svg');
      expect(page.doc.querySelector('link[rel="icon"]')?.getAttribute('type'), path).toBe('image/svg+xml');
      expect(page.doc.querySelector('svg.brand-mark'), path).not.toBeNull();
    }
  });

  it('[NOTES-UI-05] times read relative to the server clock, with the exact instant in datetime and the absolute time as title', async () => {
    expect(relativeTime(1000, 1010)).toBe('just now');
    expect(relativeTime(1000, 1000 + 3 * 60)).toBe('3 minutes ago');
    expect(relativeTime(1000, 1000 + 60)).toBe('1 minute ago');
    expect(relativeTime(1000, 1000 + 5 * 3600)).toBe('5 hours ago');
    expect(relativeTime(1000, 1000 + 30 * 3600)).toBe('yesterday');
    expect(relativeTime(1000 + 30 * 86400, 1000)).toBe('in 30 days');
    expect(relativeTime(0, 200 * 86400)).toBe('on 1 Jan 1970');
    const noteId = await createNoteInBrowser(alice, { title: 'Timed note' });
    server.clock.offset += 3 * 60;
    try {
      const page = await getPage(alice, `/notes/${noteId}`);
      const time = page.doc.querySelector('.meta time');
      expect(time?.text).toBe('3 minutes ago');
      expect(time?.getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
      expect(time?.getAttribute('title')).toMatch(/^\d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d UTC$/);
    } finally {
      server.clock.offset -= 3 * 60;
    }
  });
});

describe('[web] pinning and sorting', () => {
  let carol: Browser;
  beforeAll(async () => {
    await server.addUser('carol');
    carol = await signIn(server.url, 'carol');
  });

  it('[NOTES-UI-06] a pinned note comes first in the list and in the pane beside notes, without becoming an edit, and unpins', async () => {
    const older = await createNoteInBrowser(carol, { title: 'Banana (older)' });
    server.clock.offset += 10;
    await createNoteInBrowser(carol, { title: 'Apple (newer)' });
    expect(titles(await getPage(carol, '/notes'))).toEqual(['Apple (newer)', 'Banana (older)']);
    const view = await getPage(carol, `/notes/${older}`);
    const before = view.doc.querySelector('.meta time')?.getAttribute('datetime');
    const pinned = await submitForm(carol, view, `/notes/${older}/pin`);
    expect([pinned.status, pinned.headers.get('location')]).toEqual([303, `/notes/${older}?done=pinned`]);
    expect(titles(await getPage(carol, '/notes'))).toEqual(['Banana (older)', 'Apple (newer)']);
    const after = await getPage(carol, `/notes/${older}`);
    expect(after.doc.querySelector('h1 .badge.pin')?.text).toBe('Pinned');
    // Pinning is not an edit: the note's time and history stay as they were.
    expect(after.doc.querySelector('.meta time')?.getAttribute('datetime')).toBe(before);
    expect(after.doc.querySelector('.note-pane li a .pane-title')?.text).toBe('Banana (older)');
    expect((await getPage(carol, `/notes/${older}/history`)).doc.querySelectorAll('.version-item')).toHaveLength(0);
    await submitForm(carol, after, `/notes/${older}/pin`);
    expect(titles(await getPage(carol, '/notes'))).toEqual(['Apple (newer)', 'Banana (older)']);
  });

  it('[NOTES-UI-06] the list sorts by update, creation or title with ?sort=, and the choice is kept in the tag, search and page links', async () => {
    const byTitle = await getPage(carol, '/notes?sort=title');
    expect(titles(byTitle)).toEqual(['Apple (newer)', 'Banana (older)']);
    expect(byTitle.doc.querySelector('.sort-choice a[aria-current="true"]')?.text).toBe('Title');
    expect(byTitle.doc.querySelector('form.search input[name="sort"]')?.getAttribute('value')).toBe('title');
    server.clock.offset += 10; // created strictly later than the others
    await createNoteInBrowser(carol, { title: 'Cherry', tags: 'fruit' });
    const tagged = await getPage(carol, '/notes?sort=created');
    expect(titles(tagged)[0]).toBe('Cherry');
    expect(tagged.doc.querySelector('.tag-filter a[href*="tag=fruit"]')?.getAttribute('href')).toBe('/notes?tag=fruit&sort=created');
  });

  it('[NOTES-UI-06] an unknown sort order is a helpful 400 page, never a 500', async () => {
    for (const sort of ['size', '__proto__', 'title%00']) {
      const page = await getPage(carol, `/notes?sort=${sort}`);
      expect(page.status, sort).toBe(400);
      expect(page.doc.querySelector('h1')?.text).toBe('Unknown sort order');
      expect(page.doc.querySelector('main a.button')?.getAttribute('href')).toBe('/notes');
    }
    expect((await getPage(carol, '/notes?sort=title&sort=created')).status).toBe(400);
  });

  it('[NOTES-UI-06][NOTES-OWN-01] pinning another owner\'s note answers "not found" and changes nothing; a bad pin value says what to do', async () => {
    const bobs = await createNoteInBrowser(bob, { title: 'Bob only' });
    const carolPage = await getPage(carol, '/notes');
    const csrf = carolPage.doc.querySelector('input[name="csrf"]')?.getAttribute('value') ?? '';
    const refused = await pageOf(await postForm(carol, `/notes/${bobs}/pin`, { csrf, pinned: 'true' }));
    expect(refused.status).toBe(404);
    expect(refused.doc.querySelector('h1')?.text).toBe('Note not found');
    expect((await getPage(bob, `/notes/${bobs}`)).doc.querySelector('h1 .badge.pin')).toBeNull();
    const own = await createNoteInBrowser(carol, { title: 'Pin value' });
    const bad = await pageOf(await postForm(carol, `/notes/${own}/pin`, { csrf, pinned: 'maybe' }));
    expect(bad.status).toBe(400);
    expect(bad.doc.querySelector('h1')?.text).toBe('Pin or unpin?');
    const forged = await pageOf(await postForm(carol, `/notes/${own}/pin`, { csrf: 'wrong', pinned: 'true' }));
    expect(forged.status).toBe(403);
  });
});

describe('[web] pinning is durable', () => {
  it('[NOTES-UI-06] a pin goes through the journal: after a restart the note is still pinned and first', async () => {
    const dataDir = await tempDataDir();
    const first = await startTestServer({ dataDir, users: ['dora'] });
    const dora = await signIn(first.url, 'dora');
    const pinnedId = await createNoteInBrowser(dora, { title: 'Pinned before restart' });
    first.clock.offset += 10;
    await createNoteInBrowser(dora, { title: 'Newer, not pinned' });
    await submitForm(dora, await getPage(dora, `/notes/${pinnedId}`), `/notes/${pinnedId}/pin`);
    await first.close();
    const second = await startTestServer({ dataDir });
    try {
      expect(second.services.queue.state.notes[pinnedId]?.pinned).toBe(true);
      const list = await getPage(await signIn(second.url, 'dora'), '/notes');
      expect(titles(list)).toEqual(['Pinned before restart', 'Newer, not pinned']);
    } finally {
      await second.close();
    }
  });
});

describe('[web] sharing', () => {
  it('[NOTES-UI-07] a shared note shows its link in a read-only field to copy, working without script', async () => {
    const noteId = await createNoteInBrowser(alice, { title: 'Shared', public: true });
    const page = await getPage(alice, `/notes/${noteId}`);
    const field = page.doc.querySelector('.sharing input#share-link');
    expect(field?.hasAttribute('readonly')).toBe(true);
    expect(field?.getAttribute('value')).toBe(page.doc.querySelector('.sharing a.copy')?.getAttribute('href'));
    expect(field?.getAttribute('value')).toMatch(new RegExp(`^${server.url}/p/`));
    expect(page.doc.querySelector('label[for="share-link"]')?.text).toBe('Copy the link');
    const privateOne = await getPage(alice, `/notes/${await createNoteInBrowser(alice, { title: 'Private' })}`);
    expect(privateOne.doc.querySelector('#share-link')).toBeNull();
  });
});
