// Public notes: the owner's switch, and the read-only page anyone with the unguessable link can
// open without signing in, asked never to be indexed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from '../kit/browser.ts';
import { startTestServer, type TestServer } from '../mcp/harness.ts';
import { createNoteInBrowser, getPage, signIn, submitForm } from './harness.ts';

let server: TestServer;
let alice: Browser;

beforeAll(async () => {
  server = await startTestServer();
  await server.addUser('alice');
  alice = await signIn(server.url, 'alice');
});
afterAll(() => server.close());

async function anonymous(path: string): Promise<Response> {
  return fetch(new URL(path, server.url), { redirect: 'manual' });
}

describe('[web] public notes', () => {
  it('[web] a private note has no public page; "Make public" opens one at a link of 256 random bits', async () => {
    const id = await createNoteInBrowser(alice, { title: 'Recipe', body: 'Mix **well**.', tags: 'food' });
    const unshared = server.services.queue.state.notes[id]!.publicId;
    expect((await anonymous(`/p/${unshared}`)).status).toBe(404);

    const view = await getPage(alice, `/notes/${id}`);
    expect(view.doc.querySelector('.sharing h2')?.text).toBe('Private');
    const response = await submitForm(alice, view, `/notes/${id}/public`);
    expect(response.headers.get('location')).toBe(`/notes/${id}?done=public`);

    const shared = await getPage(alice, `/notes/${id}?done=public`);
    const link = shared.doc.querySelector('.sharing a.copy')?.getAttribute('href');
    const note = server.services.queue.state.notes[id]!;
    expect(note.publicId).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(link).toBe(`${server.url}/p/${note.publicId}`);

    const page = await anonymous(link!);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<h1 class="note-title">Recipe</h1>');
    expect(html).toContain('Mix <strong>well</strong>.');
    // Read-only: no forms, no way into the app, nothing of the owner's.
    expect(html).not.toContain('<form');
    expect(html).not.toContain('alice');
  });

  it('[web] the public page asks search engines not to index it, by header and by meta tag (notes have no opt-in to indexing)', async () => {
    const id = await createNoteInBrowser(alice, { title: 'Shared', public: true });
    const response = await anonymous(`/p/${server.services.queue.state.notes[id]!.publicId}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-robots-tag')).toBe('noindex');
    expect(await response.text()).toContain('<meta name="robots" content="noindex">');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('[web] making the note private closes the link at once, with the same answer as a link that never existed', async () => {
    const id = await createNoteInBrowser(alice, { title: 'Briefly public', public: true });
    const path = `/p/${server.services.queue.state.notes[id]!.publicId}`;
    expect((await anonymous(path)).status).toBe(200);

    const view = await getPage(alice, `/notes/${id}`);
    expect(view.doc.querySelector('.sharing button')?.text).toBe('Make private');
    await submitForm(alice, view, `/notes/${id}/public`);
    const closed = await anonymous(path);
    const never = await anonymous(`/p/${'A'.repeat(43)}`);
    expect(closed.status).toBe(404);
    expect(never.status).toBe(404);
    expect(await closed.text()).toBe(await never.text());
    expect(closed.headers.get('x-robots-tag')).toBe('noindex');
  });

  it('[SEC-SHARE-01] a note shared, made private and shared again has a new link: the old one stays closed, the new one opens', async () => {
    const id = await createNoteInBrowser(alice, { title: 'Shared twice', body: 'Second edition.' });
    const share = async (): Promise<string> => {
      await submitForm(alice, await getPage(alice, `/notes/${id}`), `/notes/${id}/public`, { public: 'true' });
      const link = (await getPage(alice, `/notes/${id}?done=public`)).doc.querySelector('.sharing a.copy')?.getAttribute('href');
      if (!link) throw new Error('no public link on the note page');
      return link;
    };
    const first = await share();
    expect((await anonymous(first)).status).toBe(200);
    await submitForm(alice, await getPage(alice, `/notes/${id}`), `/notes/${id}/public`, { public: 'false' });
    expect((await anonymous(first)).status).toBe(404);

    const second = await share();
    expect(second).not.toBe(first);
    expect((await anonymous(first)).status).toBe(404);
    const reopened = await anonymous(second);
    expect(reopened.status).toBe(200);
    expect(await reopened.text()).toContain('Second edition.');
  });

  it('[SEC-SHARE-01] re-sharing through the editor\'s Public box also makes a new link, and saving a note that stays public keeps its link', async () => {
    const id = await createNoteInBrowser(alice, { title: 'Edited', public: true });
    const first = server.services.queue.state.notes[id]!.publicId;
    const save = async (fields: Record<string, string | null>) => {
      const response = await submitForm(alice, await getPage(alice, `/notes/${id}/edit`), `/notes/${id}`, { intent: 'save', ...fields });
      expect(response.status).toBe(303);
    };
    await save({ body: 'still public' });
    expect(server.services.queue.state.notes[id]!.publicId).toBe(first);
    await save({ public: null });
    await save({ public: 'on' });
    const second = server.services.queue.state.notes[id]!.publicId;
    expect(second).not.toBe(first);
    expect((await anonymous(`/p/${first}`)).status).toBe(404);
    expect((await anonymous(`/p/${second}`)).status).toBe(200);
  });

  it('[web] the public switch refuses a form that does not say which way', async () => {
    const id = await createNoteInBrowser(alice, { title: 'Undecided' });
    const view = await getPage(alice, `/notes/${id}`);
    expect((await submitForm(alice, view, `/notes/${id}/public`, { public: 'maybe' })).status).toBe(400);
    expect(server.services.queue.state.notes[id]?.public).toBe(false);
  });
});
