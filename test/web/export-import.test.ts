// Export and import from the account page: the zip a person downloads, uploaded into another
// account, brings the same notes; a bad file is listed with its reason; the form needs its CSRF token.
import { strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from '../kit/browser.ts';
import { startTestServer, type TestServer } from '../mcp/harness.ts';
import { createNoteInBrowser, getPage, signIn } from './harness.ts';

let server: TestServer;
let alice: Browser;
let bob: Browser;

beforeAll(async () => {
  server = await startTestServer({ users: ['alice', 'bob'] });
  [alice, bob] = await Promise.all([signIn(server.url, 'alice'), signIn(server.url, 'bob')]);
});
afterAll(() => server.close());

async function upload(browser: Browser, zip: Uint8Array, csrf?: string): Promise<Response> {
  const account = await getPage(browser, '/account');
  const form = new FormData();
  form.set('csrf', csrf ?? account.doc.querySelector('form[action="/account/import"] input[name="csrf"]')!.getAttribute('value')!);
  form.set('archive', new Blob([zip], { type: 'application/zip' }), 'notes.zip');
  return browser.fetch('/account/import', { method: 'POST', body: form });
}

const mine = (ownerName: string) => {
  const owner = Object.values(server.services.queue.state.users).find((user) => user.username === ownerName)!;
  return Object.values(server.services.queue.state.notes).filter((note) => note.ownerId === owner.userId);
};

describe('export and import in the web app', () => {
  it('[NOTES-IO-01][NOTES-IO-02] the exported zip, imported into an empty account, gives the same notes', async () => {
    await createNoteInBrowser(alice, { title: 'Recipe', body: 'flour\nwater', tags: 'cooking, home' });
    await createNoteInBrowser(alice, { title: 'Shared', body: 'see [[Recipe]]', public: true });
    const exported = await alice.fetch('/account/export');
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toBe('application/zip');
    expect(exported.headers.get('content-disposition')).toMatch(/^attachment; filename="agent-notes-alice-\d{4}-\d\d-\d\d\.zip"$/);
    const zip = new Uint8Array(await exported.arrayBuffer());
    expect(Object.keys(unzipSync(zip)).sort()).toEqual(['Recipe.md', 'Shared.md']);

    const report = await upload(bob, zip);
    expect(report.status).toBe(200);
    expect(await report.text()).toContain('2 notes were imported');
    const essentials = (notes: ReturnType<typeof mine>) => notes.map(({ title, body, tags, createdAt, updatedAt, public: isPublic }) => ({ title, body, tags, createdAt, updatedAt, public: isPublic })).sort((a, b) => a.title.localeCompare(b.title));
    expect(essentials(mine('bob'))).toEqual(essentials(mine('alice')));
  });

  it('[NOTES-IO-02] a refused file is listed with its reason, the rest arrive; without the CSRF token nothing happens', async () => {
    const zip = zipSync({ 'ok.md': strToU8('fine'), '../evil.md': strToU8('x') });
    const before = mine('bob').length;
    const forged = await upload(bob, zip, 'x'.repeat(43));
    expect(forged.status).toBe(403);
    expect(mine('bob')).toHaveLength(before);
    const report = await upload(bob, zip);
    const page = await report.text();
    expect(page).toContain('1 note was imported');
    expect(page).toMatch(/<code>..\/evil.md<\/code>: the path climbs out of the archive/);
    expect(mine('bob')).toHaveLength(before + 1);
    const notZip = await upload(bob, strToU8('hello'));
    expect(await notZip.text()).toMatch(/not a zip archive/);
  });
});
