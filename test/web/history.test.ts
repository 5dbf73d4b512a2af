// A note's history and the trash in the web app, and the story issue 17 starts from: an assistant
// overwrites a note, the person restores it in the browser, and the assistant then reads it back.
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from '../kit/browser.ts';
import { callTool, obtainTokens, startTestServer, type TestServer } from '../mcp/harness.ts';
import { createNoteInBrowser, getPage, submitForm, signIn } from './harness.ts';

let server: TestServer;
let alice: Browser;
let bob: Browser;
let assistant: string;

beforeAll(async () => {
  server = await startTestServer({ users: ['alice', 'bob'] });
  alice = await signIn(server.url, 'alice');
  bob = await signIn(server.url, 'bob');
  assistant = (await obtainTokens(server.url, 'alice')).access_token;
});
afterAll(() => server.close());

function fetched(result: Record<string, unknown>): { text: string; title: string } {
  expect(result.isError, JSON.stringify(result)).toBeUndefined();
  return result.structuredContent as { text: string; title: string };
}

describe('history in the web app', () => {
  it('[NOTES-VER-03][NOTES-VER-01] an assistant overwrites a note, the person restores the earlier version, and the assistant\'s next fetch sees it', async () => {
    const long = 'Chapter one.\nThe careful part.\nChapter two.\nMore careful text.';
    const id = await createNoteInBrowser(alice, { title: 'Novel draft', body: long });
    await callTool(server.mcpUrl, assistant, 'update_note', { id, body: 'A summary.' });

    const history = await getPage(alice, `/notes/${id}/history`);
    expect(history.status).toBe(200);
    const meta = history.doc.querySelectorAll('.version-item .meta').map((line) => line.text.replace(/\s+/g, ' '));
    expect(meta).toEqual([expect.stringMatching(/by you · replaced/)]);
    expect(history.doc.querySelector('p.meta')?.text).toMatch(/by test client \(app /);

    const versionPath = history.doc.querySelector('.version-item a')!.getAttribute('href')!;
    const version = await getPage(alice, versionPath);
    expect(version.doc.querySelectorAll('.diff-del').map((line) => line.text.slice(1))).toEqual(long.split('\n'));
    expect(version.doc.querySelectorAll('.diff-add').map((line) => line.text.slice(1))).toEqual(['A summary.']);

    const restored = await submitForm(alice, version, `${versionPath}/restore`);
    expect(restored.status).toBe(303);
    expect(restored.headers.get('location')).toBe(`/notes/${id}?done=restored`);
    expect(fetched(await callTool(server.mcpUrl, assistant, 'fetch', { id })).text).toBe(long);
    // The summary the restore replaced is itself kept.
    const after = await getPage(alice, `/notes/${id}/history`);
    expect(after.doc.querySelectorAll('.version-item').length).toBe(2);
    expect(after.doc.querySelector('.version-item .meta')?.text).toMatch(/by test client/);
  });

  it('[NOTES-VER-03][NOTES-VER-05] through the real SDK client: the assistant updates, reads what it replaced, the person restores, the assistant\'s next fetch sees it', async () => {
    const client = new Client({ name: 'assistant', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });
    await client.connect(new StreamableHTTPClientTransport(new URL(server.mcpUrl), { requestInit: { headers: { Authorization: `Bearer ${assistant}` } } }));
    try {
      const call = async (name: string, args: Record<string, unknown>) => {
        const result = await client.callTool({ name, arguments: args });
        expect(result.isError, JSON.stringify(result)).toBeFalsy();
        return result.structuredContent as Record<string, unknown>;
      };
      const { id } = (await call('create_note', { title: 'Plan', body: 'every careful detail' })) as { id: string };
      await call('update_note', { id, body: 'short' });
      const { versions } = (await call('list_note_versions', { id })) as { versions: { version_id: string }[] };
      expect(await call('fetch_note_version', { id, version_id: versions[0]!.version_id })).toMatchObject({ text: 'every careful detail' });
      const version = await getPage(alice, `/notes/${id}/history/${versions[0]!.version_id}`);
      expect((await submitForm(alice, version, `/notes/${id}/history/${versions[0]!.version_id}/restore`)).status).toBe(303);
      expect(await call('fetch', { id })).toMatchObject({ text: 'every careful detail' });
    } finally {
      await client.close();
    }
  });

  it('[NOTES-VER-03] the diff folds long unchanged stretches, names title and tag changes, and shows what each version changed from the one before', async () => {
    const lines = Array.from({ length: 20 }, (_, i) => `line ${i}`);
    const id = await createNoteInBrowser(alice, { title: 'Folding', body: lines.join('\n'), tags: 'one' });
    await callTool(server.mcpUrl, assistant, 'update_note', { id, title: 'Folded', tags: ['two'], body: [...lines.slice(0, 19), 'line 19 changed'].join('\n') });
    const page = await getPage(alice, `/notes/${id}/history/${id}.1`);
    expect(page.doc.querySelector('.diff-fold')?.text).toMatch(/16 unchanged lines/);
    expect(page.doc.querySelectorAll('.diff-field').map((field) => field.text.replace(/\s+/g, ' '))).toEqual(['Title: Folding → Folded', 'Tags: one → two']);
    expect(page.doc.querySelector('.previous-diff')).toBeNull(); // the first version has none before it
    // A second change: its version page also shows what that version changed from the first.
    await callTool(server.mcpUrl, assistant, 'update_note', { id, body: 'all new' });
    const second = await getPage(alice, `/notes/${id}/history/${id}.2`);
    expect(second.doc.querySelectorAll('.previous-diff .diff-del').map((line) => line.text.slice(1))).toEqual(['line 19']);
    expect(second.doc.querySelectorAll('.previous-diff .diff-add').map((line) => line.text.slice(1))).toEqual(['line 19 changed']);
  });

  it('[NOTES-VER-03][NOTES-OWN-01] an unknown version or another person\'s note answers a 404 page that says what to do', async () => {
    const id = await createNoteInBrowser(alice, { title: 'Mine' });
    const missing = await getPage(alice, `/notes/${id}/history/${id}.99`);
    expect(missing.status).toBe(404);
    expect(missing.doc.querySelector('h1')?.text).toBe('Version not found');
    expect(missing.doc.querySelector('main a.button')?.getAttribute('href')).toBe(`/notes/${id}/history`);
    expect((await getPage(bob, `/notes/${id}/history`)).status).toBe(404);
  });
});

describe('the trash in the web app', () => {
  it('[NOTES-TRASH-01][NOTES-TRASH-02] a deleted note leaves the list, search and its public page, waits in the trash, and comes back private', async () => {
    const id = await createNoteInBrowser(alice, { title: 'Shared recipe', body: 'saffron rice', public: true });
    const publicPath = `/p/${server.services.queue.state.notes[id]!.publicId}`;
    expect((await fetch(`${server.url}${publicPath}`)).status).toBe(200);
    await submitForm(alice, await getPage(alice, `/notes/${id}/delete`), `/notes/${id}/delete`);

    expect((await fetch(`${server.url}${publicPath}`)).status).toBe(404);
    expect((await getPage(alice, '/notes?q=saffron')).doc.querySelectorAll('.note-item')).toHaveLength(0);
    expect((await getPage(alice, '/notes')).html).not.toContain('Shared recipe');
    const trash = await getPage(alice, '/trash');
    expect(trash.doc.querySelectorAll('.trash-item h2').map((title) => title.text)).toEqual(['Shared recipe']);
    expect((await getPage(bob, '/trash')).doc.querySelector('.empty')?.text).toBe('The trash is empty.');

    const restored = await submitForm(alice, trash, `/trash/${id}/restore`);
    expect(restored.headers.get('location')).toBe(`/notes/${id}?done=restored`);
    expect(server.services.queue.state.notes[id]).toMatchObject({ title: 'Shared recipe', public: false });
    expect((await fetch(`${server.url}${publicPath}`)).status).toBe(404);
  });

  it('[NOTES-TRASH-02] delete forever removes the note for good; a second try says it is gone', async () => {
    const id = await createNoteInBrowser(alice, { title: 'Gone soon' });
    await submitForm(alice, await getPage(alice, `/notes/${id}/delete`), `/notes/${id}/delete`);
    const trash = await getPage(alice, '/trash');
    const erased = await submitForm(alice, trash, `/trash/${id}/erase`);
    expect(erased.headers.get('location')).toBe('/trash?done=erased');
    expect(server.services.queue.state.trashedNotes[id]).toBeUndefined();
    const again = await submitForm(alice, trash, `/trash/${id}/erase`);
    expect(again.status).toBe(404);
    expect((await again.text())).toMatch(/no note with id .* in your trash/i);
  });
});
