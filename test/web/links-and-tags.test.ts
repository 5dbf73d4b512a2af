// [[Links]] and tags in the web app: following a link, unknown titles marked, backlinks listed,
// public pages without links, and renaming a tag from the tags page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from '../kit/browser.ts';
import { startTestServer, type TestServer } from '../mcp/harness.ts';
import { createNoteInBrowser, getPage, pageOf, signIn, submitForm } from './harness.ts';

let server: TestServer;
let alice: Browser;

beforeAll(async () => {
  server = await startTestServer({ users: ['alice'] });
  alice = await signIn(server.url, 'alice');
});
afterAll(() => server.close());

describe('links in the web app', () => {
  it('[NOTES-LINK-01] [[title]] links to the note, an unknown title is marked, the target lists its backlinks, the preview links too, a public page shows plain text', async () => {
    const budget = await createNoteInBrowser(alice, { title: 'Budget', body: 'numbers' });
    const trip = await createNoteInBrowser(alice, { title: 'Trip', body: 'See [[budget|the budget]] and [[Visa]]. `[[not a link]]`', public: true });
    const page = await getPage(alice, `/notes/${trip}`);
    const link = page.doc.querySelector('.note-body a.wikilink');
    expect(link?.getAttribute('href')).toBe(`/notes/${budget}`);
    expect(link?.text).toBe('the budget');
    expect(page.doc.querySelector('.note-body .wikilink.missing')?.text).toContain('Visa');
    expect(page.doc.querySelector('.note-body code')?.text).toBe('[[not a link]]');

    const followed = await getPage(alice, link!.getAttribute('href')!);
    expect(followed.doc.querySelector('h1')?.text).toBe('Budget');
    expect(followed.doc.querySelectorAll('.backlinks a').map((a) => [a.text, a.getAttribute('href')])).toEqual([['Trip', `/notes/${trip}`]]);

    const preview = await pageOf(await submitForm(alice, await getPage(alice, '/notes/new'), '/notes', { title: 'Draft', body: 'About [[Budget]]', intent: 'preview' }));
    expect(preview.doc.querySelector('a.wikilink')?.getAttribute('href')).toBe(`/notes/${budget}`);

    const shared = await getPage(alice, `/p/${server.services.queue.state.notes[trip]!.publicId}`);
    expect(shared.doc.querySelectorAll('a.wikilink')).toHaveLength(0);
    expect(shared.doc.querySelector('.wikilink')?.text).toBe('the budget');
  });
});

describe('tags in the web app', () => {
  it('[NOTES-TAG-01] the tags page lists every tag with its count and renames one on every note', async () => {
    await createNoteInBrowser(alice, { title: 'A', tags: 'work, urgent' });
    await createNoteInBrowser(alice, { title: 'B', tags: 'work' });
    const page = await getPage(alice, '/tags');
    expect(page.doc.querySelectorAll('.tag-row').map((row) => row.querySelector('a')!.text + ' ' + row.querySelector('.muted')!.text)).toEqual(['urgent 1 note', 'work 2 notes']);
    const renamed = await submitForm(alice, page, '/tags/work/rename', { to: 'Job' });
    expect(renamed.headers.get('location')).toBe('/tags?done=renamed');
    const after = await getPage(alice, '/tags?done=renamed');
    expect(after.doc.querySelectorAll('.tag-row a').map((a) => a.text)).toEqual(['job', 'urgent']);
    const bad = await submitForm(alice, after, '/tags/job/rename', { to: 'two words' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/without spaces/);
  });
});
