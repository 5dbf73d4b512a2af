// The notes pages over HTTP: list, search and tag filter, create, preview, edit, delete after a
// confirmation page, and the same notes seen through MCP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNote } from '../../src/notes/index.ts';
import type { Browser } from '../kit/browser.ts';
import { callTool, obtainTokens, startTestServer, type TestServer } from '../mcp/harness.ts';
import { createNoteInBrowser, getPage, pageOf, signIn, submitForm } from './harness.ts';

let server: TestServer;
let alice: Browser;

beforeAll(async () => {
  server = await startTestServer();
  await server.addUser('alice');
  await server.addUser('bob');
  alice = await signIn(server.url, 'alice');
});
afterAll(() => server.close());

function titles(page: Awaited<ReturnType<typeof getPage>>): string[] {
  return page.doc.querySelectorAll('.note-item h2').map((heading) => heading.text.trim());
}

describe('[web] the notes list', () => {
  it('[web] someone without notes is told how to write the first one or have ChatGPT or Claude save one', async () => {
    await server.addUser('carol');
    const page = await getPage(await signIn(server.url, 'carol'), '/notes');
    expect(page.status).toBe(200);
    const empty = page.doc.querySelector('.empty');
    expect(empty?.text).toContain('No notes yet');
    expect(empty?.querySelector('a[href="/notes/new"]')).not.toBeNull();
    expect(empty?.querySelector('a[href="/account"]')).not.toBeNull();
  });

  it('[web] search finds notes by their words, best first, and a search without hits says what to try', async () => {
    await createNoteInBrowser(alice, { title: 'Groceries', body: 'milk, eggs and bread', tags: 'home' });
    await createNoteInBrowser(alice, { title: 'Bread recipe', body: 'flour, water, salt', tags: 'cooking, home' });
    await createNoteInBrowser(alice, { title: 'Quarterly plan', body: 'ship the notes web app', tags: 'work' });

    const bread = await getPage(alice, '/notes?q=bread');
    expect(titles(bread)).toEqual(['Bread recipe', 'Groceries']);
    expect(bread.doc.querySelector('input#q')?.getAttribute('value')).toBe('bread');

    const none = await getPage(alice, '/notes?q=zebra');
    expect(titles(none)).toEqual([]);
    expect(none.doc.querySelector('.empty')?.text).toContain('No notes match “zebra”');
    expect(none.doc.querySelector('.empty a[href="/notes"]')).not.toBeNull();
  });

  it('[web] the tag filter lists every tag with its count and narrows the list, also within a search', async () => {
    const all = await getPage(alice, '/notes');
    const filters = all.doc.querySelectorAll('.tag-filter a').map((link) => link.text.replace(/\s+/g, ' ').trim());
    expect(filters).toEqual(['Any tag', 'cooking 1', 'home 2', 'work 1']);

    const home = await getPage(alice, '/notes?tag=home');
    expect(titles(home).sort()).toEqual(['Bread recipe', 'Groceries']);
    expect(home.doc.querySelector('.tag-filter a[aria-current="true"]')?.text).toContain('home');
    // The search form keeps the tag, so a search runs within it.
    expect(home.doc.querySelector('form[role="search"] input[name="tag"]')?.getAttribute('value')).toBe('home');

    expect(titles(await getPage(alice, '/notes?q=bread&tag=cooking'))).toEqual(['Bread recipe']);
    const unknown = await getPage(alice, '/notes?tag=nothing-here');
    expect(unknown.doc.querySelector('.empty')?.text).toContain('No notes carry the tag “nothing-here”');
  });
});

describe('[web] long lists', () => {
  it('[web] more than 50 notes are split into pages, newest first, with links between them', async () => {
    const ownerId = await server.addUser('paula');
    for (let i = 1; i <= 51; i += 1) {
      const n = String(i).padStart(2, '0');
      await server.services.queue.apply((state) => createNote(state, { noteId: `note-${n}`, publicId: `public-${n}`, ownerId, title: `Note ${n}`, body: '', tags: [], now: 1_000 + i }));
    }
    const paula = await signIn(server.url, 'paula');
    const first = await getPage(paula, '/notes');
    expect(titles(first)).toHaveLength(50);
    expect(titles(first)[0]).toBe('Note 51');
    expect(first.doc.querySelector('.pager')?.text).toContain('Page 1 of 2');
    expect(first.doc.querySelector('.pager a[rel="next"]')?.getAttribute('href')).toBe('/notes?page=2');
    const second = await getPage(paula, '/notes?page=2');
    expect(titles(second)).toEqual(['Note 01']);
    expect(second.doc.querySelector('.pager a[rel="prev"]')?.getAttribute('href')).toBe('/notes');
    // A page past the end shows the last one.
    expect(titles(await getPage(paula, '/notes?page=99'))).toEqual(['Note 01']);
  });
});

describe('[web] writing notes', () => {
  it('[web] a note created from the form opens on its page, its Markdown rendered', async () => {
    const id = await createNoteInBrowser(alice, { title: 'Trip', body: '# Packing\n\n- **passport**\n- tickets', tags: 'Travel' });
    const page = await getPage(alice, `/notes/${id}?done=created`);
    expect(page.status).toBe(200);
    expect(page.doc.querySelector('h1')?.text).toBe('Trip');
    expect(page.doc.querySelector('.notice')?.text).toBe('Note created.');
    expect(page.doc.querySelector('.note-body h1')?.text).toBe('Packing');
    expect(page.doc.querySelector('.note-body li strong')?.text).toBe('passport');
    expect(page.doc.querySelectorAll('.tag-list a').map((a) => a.text)).toEqual(['travel']);
  });

  it('[web] Preview renders the text below the form and saves nothing', async () => {
    const before = Object.keys(server.services.queue.state.notes).length;
    const page = await getPage(alice, '/notes/new');
    const response = await submitForm(alice, page, '/notes', { title: 'Draft', body: 'Some *emphasis*\r\nnext line', intent: 'preview' });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<em>emphasis</em>');
    expect(html).toContain('id="preview"');
    expect(html).toContain('value="Draft"');
    expect(Object.keys(server.services.queue.state.notes)).toHaveLength(before);
  });

  it('[web] editing saves title, text, tags and the public switch; the note keeps LF line ends', async () => {
    const id = await createNoteInBrowser(alice, { title: 'Old title', body: 'old text' });
    const edit = await getPage(alice, `/notes/${id}/edit`);
    expect(edit.doc.querySelector('textarea#body')?.text).toBe('\nold text');
    const response = await submitForm(alice, edit, `/notes/${id}`, { title: 'New title', body: 'line one\r\nline two', tags: 'a1 b2,c3', public: 'on', intent: 'save' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`/notes/${id}?done=saved`);
    expect(server.services.queue.state.notes[id]).toMatchObject({ title: 'New title', body: 'line one\nline two', tags: ['a1', 'b2', 'c3'], public: true });
  });

  it('[web] a refused title keeps what was typed and says what to fix', async () => {
    const page = await getPage(alice, '/notes/new');
    const response = await submitForm(alice, page, '/notes', { title: 'x'.repeat(201), body: 'keep me', intent: 'save' });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('Shorten the title to at most 200 characters (it has 201).');
    expect(html).toContain('keep me');
  });

  it('[web] a save that would overwrite an edit made meanwhile through MCP is held back with a warning', async () => {
    const tokens = await obtainTokens(server.url, 'alice');
    const id = await createNoteInBrowser(alice, { title: 'Shared', body: 'first' });
    const edit = await getPage(alice, `/notes/${id}/edit`);
    server.clock.offset += 5;
    await callTool(server.mcpUrl, tokens.access_token, 'update_note', { id, body: 'written by ChatGPT' });

    const held = await pageOf(await submitForm(alice, edit, `/notes/${id}`, { body: 'written in the browser', intent: 'save' }));
    expect(held.status).toBe(409);
    expect(held.doc.querySelector('[role="alert"]')?.text).toContain('changed somewhere else');
    expect(held.doc.querySelector('textarea#body')?.text).toBe('\nwritten in the browser');
    expect(server.services.queue.state.notes[id]?.body).toBe('written by ChatGPT');

    // Saving again from the warning page replaces the other version, knowingly.
    const again = await submitForm(alice, held, `/notes/${id}`, { intent: 'save' });
    expect(again.status).toBe(303);
    expect(server.services.queue.state.notes[id]?.body).toBe('written in the browser');
  });

  it('[web] delete asks first on a page of its own; only its form deletes', async () => {
    const id = await createNoteInBrowser(alice, { title: 'Doomed' });
    const confirm = await getPage(alice, `/notes/${id}/delete`);
    expect(confirm.doc.querySelector('h1')?.text).toBe('Delete “Doomed”?');
    expect(server.services.queue.state.notes[id]).toBeDefined();
    const response = await submitForm(alice, confirm, `/notes/${id}/delete`);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/notes?done=deleted');
    expect(server.services.queue.state.notes[id]).toBeUndefined();
    expect((await getPage(alice, '/notes?done=deleted')).doc.querySelector('.notice')?.text).toBe('The note was moved to the trash.');
    expect((await getPage(alice, `/notes/${id}`)).status).toBe(404);
  });

  it('[web] another person’s note is answered exactly like a missing one', async () => {
    const id = await createNoteInBrowser(alice, { title: 'Private to alice' });
    const bob = await signIn(server.url, 'bob');
    for (const path of [`/notes/${id}`, `/notes/${id}/edit`, `/notes/${id}/delete`]) {
      const page = await getPage(bob, path);
      expect(page.status, path).toBe(404);
      expect(page.html).not.toContain('Private to alice');
    }
    const csrf = (await getPage(bob, '/notes')).doc.querySelector('input[name="csrf"]')?.getAttribute('value') ?? '';
    const response = await bob.fetch(`/notes/${id}/delete`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ csrf }) });
    expect(response.status).toBe(404);
    expect(server.services.queue.state.notes[id]).toBeDefined();
  });
});

describe('[web] the same notes through MCP', () => {
  it('[web] a note ChatGPT or Claude creates shows in the list and at the url the tools give; an edit here is what fetch returns', async () => {
    const tokens = await obtainTokens(server.url, 'alice');
    const created = (await callTool(server.mcpUrl, tokens.access_token, 'create_note', { title: 'From the assistant', body: 'saved over **MCP**', tags: ['mcp'] })).structuredContent as { id: string; url: string };
    expect(titles(await getPage(alice, '/notes?tag=mcp'))).toEqual(['From the assistant']);

    const url = new URL(created.url);
    expect(url.origin).toBe(server.url);
    const view = await getPage(alice, url.pathname);
    expect(view.status).toBe(200);
    expect(view.doc.querySelector('.note-body strong')?.text).toBe('MCP');

    const edit = await getPage(alice, `${url.pathname}/edit`);
    expect((await submitForm(alice, edit, url.pathname, { body: 'edited in the browser', intent: 'save' })).status).toBe(303);
    const fetched = (await callTool(server.mcpUrl, tokens.access_token, 'fetch', { id: created.id })).structuredContent as { text: string };
    expect(fetched.text).toBe('edited in the browser');
  });
});

describe('[web] signing in', () => {
  it('[web] a signed-out visitor is sent to sign in and brought back to the page asked for', async () => {
    const response = await fetch(`${server.url}/notes?tag=home`, { redirect: 'manual' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`/login?return_to=${encodeURIComponent('/notes?tag=home')}`);
  });
});
