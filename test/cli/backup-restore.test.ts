// `agent-notes backup` and `agent-notes restore` as an operator runs them, in child processes: a
// backup of a running server under write load, restored into a fresh directory and compared; the
// refusals of restore (running server, damaged, foreign and newer files) that change nothing.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CURRENT_SCHEMA_VERSION, openFileStore, type Backup } from '../../src/store/index.ts';
import { ServerProcess } from '../kit/child-server.ts';
import { obtainTokens } from '../kit/client.ts';
import { PASSWORD } from '../kit/server.ts';
import { tempDataDir } from '../kit/temp-dir.ts';

const running: ServerProcess[] = [];
afterEach(async () => {
  for (const server of running.splice(0)) await server.kill();
});

async function serverWith(users: string[], dataDir?: string): Promise<ServerProcess> {
  const server = await ServerProcess.on(dataDir ?? (await tempDataDir()));
  for (const user of users) server.addUser(user, PASSWORD);
  running.push(server);
  return server;
}

function mcp(base: string, token: string, name: string, args: Record<string, unknown>): Promise<Response> {
  return fetch(`${base}/mcp`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', 'MCP-Protocol-Version': '2025-06-18' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } }),
  });
}

/** The JSON-RPC answer, sent as JSON or as one SSE message event. */
async function rpc<T>(answer: Response): Promise<T> {
  const text = await answer.text();
  const data = text.startsWith('{') ? text : text.split('\n').find((line) => line.startsWith('data: '))!.slice('data: '.length);
  return JSON.parse(data) as T;
}

async function createNote(base: string, token: string, title: string): Promise<string> {
  const answer = await mcp(base, token, 'create_note', { title, body: `body of ${title}` });
  expect(answer.status).toBe(200);
  const reply = await rpc<{ result: { structuredContent: { id: string } } }>(answer);
  return reply.result.structuredContent.id;
}

async function listTitles(base: string, token: string): Promise<string[]> {
  const answer = await mcp(base, token, 'list_notes', { limit: 100 });
  expect(answer.status).toBe(200);
  const reply = await rpc<{ result: { structuredContent: { notes: { title: string }[] } } }>(answer);
  return reply.result.structuredContent.notes.map((note) => note.title).sort();
}

const noteTitles = (collections: Record<string, Record<string, unknown>>) =>
  Object.values(collections.notes ?? {}).map((note) => (note as { title: string }).title).sort();

/** Every file of a directory, by name, with its bytes: to show that a refusal changed nothing. */
async function contents(dir: string): Promise<Record<string, string>> {
  const names = (await readdir(dir)).filter((name) => name !== 'control.sock').sort();
  return Object.fromEntries(await Promise.all(names.map(async (name) => [name, existsSync(join(dir, name)) ? await readFile(join(dir, name), 'latin1').catch(() => '<dir>') : ''] as const)));
}

describe('backup and restore', () => {
  it('[OPS-BACKUP-01][OPS-BACKUP-02] a backup taken under write load restores into a fresh directory with the same state, keys included', { timeout: 90_000 }, async () => {
    const server = await serverWith(['alice']);
    await server.start();
    const tokens = await obtainTokens(server.base, 'alice');
    for (let i = 0; i < 20; i++) await createNote(server.base, tokens.access_token, `before ${i}`);

    // Four writers keep creating notes for the whole backup; each acknowledged title is recorded.
    const acknowledged: { title: string; at: number }[] = [];
    const latencies: number[] = [];
    let writing = true;
    const writer = async (w: number) => {
      for (let i = 0; writing; i++) {
        const sent = performance.now();
        const title = `load ${w}-${i}`;
        await createNote(server.base, tokens.access_token, title);
        latencies.push(performance.now() - sent);
        acknowledged.push({ title, at: performance.now() });
      }
    };
    const writers = [0, 1, 2, 3].map(writer);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const file = join(await tempDataDir(), 'backups', 'notes.json');
    const started = performance.now();
    const ackedBefore = acknowledged.filter((entry) => entry.at < started).map((entry) => entry.title);
    const backup = await server.cliAsync(['backup', file]);
    const ended = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 200));
    writing = false;
    await Promise.all(writers);

    expect(backup.status, backup.stderr).toBe(0);
    expect(backup.stderr).toBe('');
    expect(backup.stdout).toMatch(new RegExp(`^agent-notes: backup written to ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\([\\d.]+ KB\\) from the running server \\(which spent [\\d.]+ ms linking its files; requests went on\\): 1 person, \\d+ notes, 1 registered client, 1 connected app; journal seq \\d+\\.\\n$`));
    const inWindow = (i: number) => acknowledged[i]!.at >= started && acknowledged[i]!.at <= ended;
    const during = latencies.filter((_, i) => inWindow(i)).sort((a, b) => a - b);
    const outside = latencies.filter((_, i) => !inWindow(i)).sort((a, b) => a - b);
    const median = (values: number[]) => values[Math.floor(values.length / 2)] ?? NaN;
    // Figures, not a timed assertion: the backup's own process shares this machine's two cores.
    console.log(`[backup] ${backup.stdout.trim()} | writes during the ${(ended - started).toFixed(0)} ms backup: ${during.length}, median ${median(during).toFixed(1)} ms, slowest ${during.at(-1)!.toFixed(1)} ms; outside it: ${outside.length}, median ${median(outside).toFixed(1)} ms, slowest ${outside.at(-1)!.toFixed(1)} ms`);
    expect(during.length, 'writes went on while the backup ran').toBeGreaterThan(0);

    // One consistent point: everything acknowledged before it started, nothing never acknowledged.
    const taken = JSON.parse(await readFile(file, 'utf8')) as Backup;
    const inBackup = noteTitles(taken.content.snapshot.collections);
    for (let i = 0; i < 20; i++) expect(inBackup).toContain(`before ${i}`);
    for (const title of ackedBefore) expect(inBackup).toContain(title);
    const everAcked = new Set([...acknowledged.map((entry) => entry.title), ...Array.from({ length: 20 }, (_, i) => `before ${i}`)]);
    // A write in flight when the links were made may be in and not yet answered; none beyond those.
    expect(inBackup.filter((title) => !everAcked.has(title)).length).toBeLessThanOrEqual(4);
    expect((await readFile(file)).length).toBeGreaterThan(0);
    expect((await import('node:fs')).statSync(file).mode & 0o777).toBe(0o600);
    expect((await readdir(server.dataDir)).filter((name) => name.startsWith('backup-pin-'))).toEqual([]);

    // Restored into a fresh directory: the same collections, record for record.
    await server.kill();
    const fresh = await tempDataDir();
    const restored = await server.cliAsync(['restore', file], { DATA_DIR: fresh });
    expect(restored.status, restored.stderr).toBe(0);
    expect(restored.stdout).toContain(`agent-notes: restored ${file} (taken ${taken.createdAt}) into ${fresh}: 1 person, ${inBackup.length} notes`);
    expect(restored.stdout).toContain('agent-notes: the data directory held no data before.');
    const reopened = await openFileStore(fresh);
    expect(reopened.loaded).toEqual(taken.content.snapshot.collections);
    await reopened.close();
    expect(await readFile(join(fresh, 'keys.json'), 'utf8')).toBe(taken.content.files['keys.json']);

    // A server on the restored directory, at the old URL: the old access token verifies (same keys)
    // and sees exactly the notes of the backup.
    const replacement = ServerProcess.at(fresh, server.port);
    running.push(replacement);
    await replacement.start();
    const listed = await listTitles(replacement.base, tokens.access_token);
    expect(listed).toHaveLength(Math.min(inBackup.length, 100)); // list_notes answers up to 100
    expect(inBackup).toEqual(expect.arrayContaining(listed));
  });

  it('[OPS-BACKUP-03] restore refuses while the server runs, with one line, and changes nothing', { timeout: 30_000 }, async () => {
    const server = await serverWith(['alice']);
    await server.start();
    const file = join(await tempDataDir(), 'b.json');
    expect(server.cli(['backup', file]).status).toBe(0);
    const before = await contents(server.dataDir);
    const refused = await server.cliAsync(['restore', file]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toBe(`agent-notes: the server is running on ${server.dataDir} (process ${server.pid}): stop it first (systemctl stop agent-notes), then restore; nothing was changed\n`);
    expect(await contents(server.dataDir)).toEqual(before);
  });

  it('[OPS-BACKUP-03] damaged, cut-short, foreign and newer-version files are refused by name; the data directory is untouched', { timeout: 30_000 }, async () => {
    const server = await serverWith(['alice']);
    const file = join(await tempDataDir(), 'b.json');
    const made = server.cli(['backup', file]);
    expect(made.status, made.stderr).toBe(0);
    expect(made.stdout).toContain('from the stopped data directory: 1 person, 0 notes');
    const good = await readFile(file, 'utf8');
    const backup = JSON.parse(good) as Backup;
    const newer = structuredClone(backup);
    newer.content.snapshot.schemaVersion = CURRENT_SCHEMA_VERSION + 1;
    newer.sha256 = createHash('sha256').update(JSON.stringify(newer.content)).digest('hex');
    const cases: [string, string, string][] = [
      ['damaged', good.replace('"users":{', '"users":{"x":{},'), `${file} is damaged: its checksum does not match what it holds (it changed after it was written); nothing was changed`],
      ['cut short', good.slice(0, good.length / 2), `${file} is not an agent-notes backup (not JSON, or cut short); nothing was changed`],
      ['foreign', JSON.stringify({ notes: [] }), `${file} is not an agent-notes backup; nothing was changed`],
      ['newer', JSON.stringify(newer), `${file} was written by a newer agent-notes (data schemaVersion ${CURRENT_SCHEMA_VERSION + 1}; this one reads up to ${CURRENT_SCHEMA_VERSION}): upgrade agent-notes to restore it; nothing was changed`],
    ];
    const before = await contents(server.dataDir);
    for (const [what, text, line] of cases) {
      await writeFile(file, text);
      const refused = server.cli(['restore', file]);
      expect(refused.status, what).toBe(1);
      expect(refused.stderr, what).toBe(`agent-notes: ${line}\n`);
      expect(await contents(server.dataDir), what).toEqual(before);
    }
    const nowhere = server.cli(['backup', file], { DATA_DIR: join(server.dataDir, 'absent') });
    expect([nowhere.status, nowhere.stderr]).toEqual([1, `agent-notes: there is no data directory at ${join(server.dataDir, 'absent')}; set DATA_DIR to the server's (or start the server once to create it)\n`]);
    const missing = server.cli(['restore', join(server.dataDir, 'nope.json')]);
    expect(missing.stderr).toBe(`agent-notes: ${join(server.dataDir, 'nope.json')} does not exist; nothing was changed\n`);
  });

  it('[OPS-BACKUP-03][OPS-BACKUP-02] restoring over existing data keeps what it replaced aside, and the server starts on the backup', { timeout: 60_000 }, async () => {
    const server = await serverWith(['alice']);
    await server.start();
    const tokens = await obtainTokens(server.base, 'alice');
    await createNote(server.base, tokens.access_token, 'kept by the backup');
    const file = join(await tempDataDir(), 'b.json');
    expect((await server.cliAsync(['backup', file])).status).toBe(0);
    await createNote(server.base, tokens.access_token, 'written after the backup');
    await server.signal('SIGTERM');
    const replacedSnapshot = await readFile(join(server.dataDir, 'agent-notes.json'), 'utf8');

    const restored = server.cli(['restore', file]);
    expect(restored.status, restored.stderr).toBe(0);
    const aside = /the data it replaced is kept in (\S+)\.\n$/.exec(restored.stdout)?.[1];
    expect(aside).toBeDefined();
    expect(await readFile(join(aside!, 'agent-notes.json'), 'utf8')).toBe(replacedSnapshot);
    expect(existsSync(join(aside!, 'keys.json'))).toBe(true);
    expect((await readdir(server.dataDir)).filter((name) => name.startsWith('restore-') || name === 'RESTORING')).toEqual([]);

    await server.start();
    expect(await listTitles(server.base, tokens.access_token)).toEqual(['kept by the backup']);
  });
});
