// The export and import format: a round trip into an empty account, an Obsidian vault as a zip and
// as a folder, and bad archives refused file by file with nothing half-imported.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { archiveLimits, exportArchive, readFolderArchive, readZipArchive } from '../../src/app/notes-archive.ts';
import { NOTE_LIMITS, createNote, emptyNotesState, importNotes, listNotes } from '../../src/notes/index.ts';
import type { ImportedNote, NoteLimits, NoteRecord, NotesState } from '../../src/notes/index.ts';
import { tempDataDir } from '../kit/temp-dir.ts';

function importAll(state: NotesState, notes: readonly ImportedNote[], ownerId = 'bob', limits: NoteLimits = NOTE_LIMITS) {
  return importNotes(state, { ownerId, notes, ids: notes.map((_, i) => ({ noteId: `imported-${i}`, publicId: `pub-imported-${i}` })), now: 9_000_000 }, limits);
}

const essentials = (note: NoteRecord) => ({ title: note.title, body: note.body, tags: note.tags, createdAt: note.createdAt, updatedAt: note.updatedAt, public: note.public });

describe('export and import', () => {
  it('[NOTES-IO-01] export, then import into an empty account, gives the same notes: title, body, tags, dates, sharing', () => {
    let state = emptyNotesState();
    const written: [string, string, string[], boolean][] = [
      ['Groceries', '- [ ] milk\n- [x] eggs\n', ['home'], false],
      ['Groceries', 'a second note with the same title', [], true],
      ['Über: "quotes" / slashes?', '---\nnot front matter, a rule\n---\n\nSee [[Groceries]] #not-a-tag-here', ['project:alpha', 'ünï'], false],
      ['Empty', '', [], false],
    ];
    written.forEach(([title, body, tags, isPublic], i) => {
      state = createNote(state, { noteId: `n${i}`, publicId: `p${i}`, ownerId: 'alice', title, body, tags, public: isPublic, now: 1_700_000_000 + i * 100 }).state;
      if (i === 1) state = { ...state, notes: { ...state.notes, n1: { ...state.notes.n1!, updatedAt: 1_700_000_500 } } };
    });
    const read = readZipArchive(exportArchive(listNotes(state, 'alice', { limit: 100 }).notes));
    expect(read.refused).toEqual([]);
    const result = importAll(emptyNotesState(), read.notes);
    expect(result.outcome).toMatchObject({ kind: 'notes_imported', refused: [] });
    const byTitle = (a: ReturnType<typeof essentials>, b: ReturnType<typeof essentials>) => a.title.localeCompare(b.title) || a.body.localeCompare(b.body);
    const expected = listNotes(state, 'alice', { limit: 100 }).notes.map(essentials).map((note) => (note.body.includes('#not-a-tag') ? { ...note, tags: [...note.tags, 'not-a-tag-here'].sort() } : note));
    expect(listNotes(result.state, 'bob', { limit: 100 }).notes.map(essentials).sort(byTitle)).toEqual(expected.sort(byTitle));
  });

  it('[NOTES-IO-03] an Obsidian vault: front-matter and #tags read, [[links]] kept, its settings skipped, attachments reported', async () => {
    const vault: Record<string, Uint8Array> = {
      'Daily/2026-01-02.md': strToU8('---\ntags: [journal, Daily]\ncreated: 2026-01-02T08:00:00Z\n---\nMet [[Alice]] about #project/alpha.\n'),
      'Alice.md': strToU8(`# Alice\n\nColleague. #people #${'x'.repeat(41)}`),
      '.obsidian/workspace.json': strToU8('{}'),
      'Attachments/photo.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47]),
    };
    const fromZip = readZipArchive(zipSync(vault));
    expect(fromZip.refused).toEqual([{ source: 'Attachments/photo.png', reason: 'not a Markdown file (.md); skipped' }]);
    const daily = fromZip.notes.find((note) => note.source === 'Daily/2026-01-02.md')!;
    expect(daily).toMatchObject({ title: '2026-01-02', body: 'Met [[Alice]] about #project/alpha.\n', tags: ['journal', 'Daily', 'project:alpha'], createdAt: Date.parse('2026-01-02T08:00:00Z') / 1000 });
    const imported = importAll(emptyNotesState(), fromZip.notes);
    expect(listNotes(imported.state, 'bob').notes.map((note) => [note.title, note.tags])).toEqual(expect.arrayContaining([['2026-01-02', ['daily', 'journal', 'project:alpha']], ['Alice', ['people']]]));

    const root = await tempDataDir();
    for (const [path, bytes] of Object.entries(vault)) {
      await mkdir(join(root, path, '..'), { recursive: true });
      await writeFile(join(root, path), bytes);
    }
    const fromFolder = await readFolderArchive(root);
    expect(fromFolder.notes.map((note) => note.source).sort()).toEqual(['Alice.md', 'Daily/2026-01-02.md']);
    expect(fromFolder.refused).toEqual([{ source: 'Attachments/photo.png', reason: 'not a Markdown file (.md); skipped' }]);
  });

  it('[NOTES-IO-02] bad files are refused one by one with the reason, and the good ones still arrive', () => {
    const limits = { ...archiveLimits(), fileBytes: 20_000 };
    const zip = zipSync({
      'good.md': strToU8('fine'),
      '../escape.md': strToU8('climbs out'),
      'latin1.md': new Uint8Array([0x63, 0x61, 0x66, 0xe9]),
      'big.md': strToU8('x'.repeat(30_000)),
      'bomb.md': strToU8('0'.repeat(19_000)), // inflates over 200 times its compressed size
      'broken yaml.md': strToU8('---\ntitle: [unclosed\n---\nbody'),
      'long title.md': strToU8(`---\ntitle: ${'t'.repeat(300)}\n---\n`),
    }, { level: 9 });
    const read = readZipArchive(zip, limits);
    const reasons = Object.fromEntries(read.refused.map((refusal) => [refusal.source, refusal.reason]));
    expect(Object.keys(reasons).sort()).toEqual(['../escape.md', 'big.md', 'bomb.md', 'broken yaml.md', 'latin1.md']);
    expect(reasons['../escape.md']).toMatch(/\.\./);
    expect(reasons['latin1.md']).toMatch(/UTF-8/);
    expect(reasons['big.md']).toMatch(/over the 20000/);
    expect(reasons['bomb.md']).toMatch(/zip bomb/);
    expect(reasons['broken yaml.md']).toMatch(/YAML/);
    const result = importAll(emptyNotesState(), read.notes);
    expect(result.outcome).toMatchObject({ kind: 'notes_imported', refused: [{ source: 'long title.md', reason: expect.stringMatching(/shorten the title/) }] });
    expect(listNotes(result.state, 'bob').notes.map((note) => note.title)).toEqual(['good']);
    expect(readZipArchive(strToU8('not a zip at all')).refused).toEqual([{ source: '(the archive)', reason: expect.stringMatching(/not a zip/) }]);
  });

  it('[NOTES-IO-02] an import past the note count or the byte budget writes nothing at all', () => {
    const notes = ['a', 'b', 'c'].map((title): ImportedNote => ({ source: `${title}.md`, title, body: 'x'.repeat(40), tags: [] }));
    const full = importAll(emptyNotesState(), notes, 'bob', { ...NOTE_LIMITS, notesPerUser: 2 });
    expect(full).toMatchObject({ changes: [], outcome: { error: 'too_many_notes', message: expect.stringMatching(/nothing was imported/) } });
    const heavy = importAll(emptyNotesState(), notes, 'bob', { ...NOTE_LIMITS, bytesPerUser: 100 });
    expect(heavy).toMatchObject({ changes: [], outcome: { error: 'notes_full', message: expect.stringMatching(/nothing was imported/) } });
  });
});
