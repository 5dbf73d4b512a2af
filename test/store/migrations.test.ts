// Data written by every earlier schemaVersion (test/store/fixtures, made by those versions' own
// code) opened by today's: migrated to what the current code would have written, the old files
// kept aside; and a newer version's data refused without a byte changed.
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { openData } from '../../src/app/start.ts';
import { defaultConfig, emptyState, step } from '../../src/core/index.ts';
import type { CoreState, GrantRecord, RefreshRecord } from '../../src/core/index.ts';
import { CURRENT_SCHEMA_VERSION, openFileStore, SchemaTooNew } from '../../src/store/index.ts';
import { migrate } from '../../src/store/migrations.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function copyOf(fixture: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'agent-notes-migrate-'));
  dirs.push(dir);
  await cp(join(FIXTURES, fixture), dir, { recursive: true });
  return dir;
}

const fixtures = (await readdir(FIXTURES, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
const versionOf = (fixture: string) => Number(/^v(\d+)-/.exec(fixture)![1]);

/** What revoking every grant leaves behind of the refresh tokens, after a tick at the fixture's time. */
function leftAfterRevokingEverything(loaded: Record<string, unknown>): RefreshRecord[] {
  let state = { ...emptyState(), ...(loaded as Partial<CoreState>) } as CoreState;
  const issuedAt = Math.max(...Object.values(state.refreshTokens).map((token) => token.issuedAt));
  const config = defaultConfig('http://127.0.0.1:18901');
  // The tick trims each grant's list to its live tokens, as a running server would within a minute.
  state = step(state, config, { type: 'tick', now: issuedAt + 1 }).state;
  for (const grant of Object.values(state.grants)) {
    state = step(state, config, { type: 'revokeGrant', now: issuedAt + 1, grantId: grant.grantId, userId: grant.userId }).state;
  }
  return Object.values(state.refreshTokens);
}

describe('data format versions', () => {
  it('[OPS-MIGRATE-01] there is a fixture of every schemaVersion before the current one', () => {
    const versions = new Set(fixtures.map(versionOf));
    for (let version = 1; version < CURRENT_SCHEMA_VERSION; version++) expect(versions, `a fixture of schemaVersion ${version}`).toContain(version);
  });

  it.each(fixtures)('[OPS-MIGRATE-01] %s opens migrated to the current version, the files as they were kept aside', async (fixture) => {
    const dir = await copyOf(fixture);
    const before = { snapshot: await readFile(join(dir, 'agent-notes.json'), 'utf8'), journal: await readFile(join(dir, 'journal.jsonl'), 'utf8') };
    const store = await openFileStore(dir);
    try {
      expect(store.migrated?.steps).toHaveLength(CURRENT_SCHEMA_VERSION - versionOf(fixture));
      const kept = store.migrated!.keptIn;
      expect(await readFile(join(kept, 'agent-notes.json'), 'utf8')).toBe(before.snapshot);
      expect(await readFile(join(kept, 'journal.jsonl'), 'utf8')).toBe(before.journal);
      // Written at once in the current version, the journal cut: a crash from here needs no migration.
      const written = JSON.parse(await readFile(join(dir, 'agent-notes.json'), 'utf8')) as { schemaVersion: number; collections: Record<string, Record<string, unknown>> };
      expect(written.schemaVersion).toBe(CURRENT_SCHEMA_VERSION);
      expect(await readFile(join(dir, 'journal.jsonl'), 'utf8')).toBe('');
      expect(Object.keys(written.collections.users!)).toHaveLength(1);
      // Both conformance runs are there: the compacted one and the one left in the journal.
      expect(Object.keys(written.collections.grants!).length).toBeGreaterThanOrEqual(2);
    } finally {
      await store.close();
    }
    const reopened = await openFileStore(dir);
    expect(reopened.migrated).toBeUndefined();
    await reopened.close();
  });

  it.each(fixtures)('[OPS-MIGRATE-01][REQ-19] %s: each refresh token names the one it replaced, and revoking a grant removes its whole family at once', async (fixture) => {
    const dir = await copyOf(fixture);
    const store = await openFileStore(dir);
    const tokens = store.loaded.refreshTokens as Record<string, RefreshRecord>;
    await store.close();
    const rotated = Object.values(tokens).filter((token) => token.rotation !== undefined);
    expect(rotated.length, 'the fixture holds rotated refresh tokens').toBeGreaterThan(0);
    for (const token of rotated) expect(tokens[token.rotation!.successorHash]?.previousHash).toBe(token.tokenHash);
    for (const grant of Object.values(store.loaded.grants as Record<string, GrantRecord>)) {
      for (const hash of grant.refreshHashes) expect(tokens[hash]?.rotation, 'a grant lists only live tokens').toBeUndefined();
    }
    expect(leftAfterRevokingEverything(store.loaded)).toEqual([]);
  });

  it('[OPS-MIGRATE-01][REQ-19] without the 1 -> 2 migration, revoking an old family would leave its rotated tokens behind', async () => {
    // The reason the migration exists, shown on the oldest fixture as it was on disk.
    const raw = JSON.parse(await readFile(join(FIXTURES, 'v1-6e3a9d5', 'agent-notes.json'), 'utf8')) as { collections: Record<string, unknown> };
    expect(leftAfterRevokingEverything(raw.collections).length).toBeGreaterThan(0);
    const migrated = structuredClone(raw.collections) as Record<string, Record<string, unknown>>;
    migrate(migrated, 1, 'fixture');
    expect(leftAfterRevokingEverything(migrated)).toEqual([]);
  });

  it('[OPS-MIGRATE-01] the 1 -> 2 migration leaves records already in the new shape as they are', async () => {
    const dir = await copyOf('v1-e357196');
    const store = await openFileStore(dir);
    const once = structuredClone(store.loaded);
    await store.close();
    migrate(once, 1, 'fixture');
    expect(once).toEqual(store.loaded);
  });

  it('[OPS-MIGRATE-01] start-up says in one log line what was migrated and where the old files are', async () => {
    const dir = await copyOf('v1-6e3a9d5');
    const lines: string[] = [];
    const log = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    const data = await openData(dir, { log });
    await data.store.close();
    // The copy's modes are the checkout's, so the narrowing line comes too; the rest is the migration's.
    const logged = lines.map((line) => JSON.parse(line) as { level: number; msg: string; keptIn?: string }).filter((line) => !line.msg.includes('narrowed to owner-only'));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ level: 40, keptIn: join(dir, 'pre-migration-v1') });
    expect(logged[0]!.msg).toBe(`the data in ${dir} was migrated to schemaVersion ${CURRENT_SCHEMA_VERSION} (1 -> 2: refresh-token families become chains (each token names the one it replaced; a grant lists only its live tokens)); the files as they were are kept in ${join(dir, 'pre-migration-v1')}`);
  });

  it('[OPS-MIGRATE-02] a snapshot from a newer schemaVersion is refused by name, and nothing in the directory changes', async () => {
    const dir = await copyOf('v1-e357196');
    const snapshot = JSON.parse(await readFile(join(dir, 'agent-notes.json'), 'utf8')) as { schemaVersion: number };
    snapshot.schemaVersion = CURRENT_SCHEMA_VERSION + 1;
    await writeFile(join(dir, 'agent-notes.json'), JSON.stringify(snapshot));
    const files = async () => Object.fromEntries(await Promise.all((await readdir(dir)).sort().map(async (name) => [name, await readFile(join(dir, name), 'utf8')] as const)));
    const before = await files();
    const opening = openFileStore(dir);
    await expect(opening).rejects.toBeInstanceOf(SchemaTooNew);
    await expect(opening).rejects.toThrow(`was written by a newer agent-notes (data schemaVersion ${CURRENT_SCHEMA_VERSION + 1}; this one reads up to ${CURRENT_SCHEMA_VERSION}); nothing was changed`);
    expect(await files()).toEqual(before);
  });

  it('[OPS-MIGRATE-01] a fresh data directory starts with a snapshot naming the current version, so its journal is never taken for version 1', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'agent-notes-migrate-'));
    dirs.push(dir);
    const store = await openFileStore(dir);
    await store.append([{ op: 'put', collection: 'notes', key: 'n1', value: { id: 'n1' } }]);
    await store.close();
    expect(JSON.parse(await readFile(join(dir, 'agent-notes.json'), 'utf8'))).toMatchObject({ schemaVersion: CURRENT_SCHEMA_VERSION });
    const reopened = await openFileStore(dir);
    expect(reopened.migrated).toBeUndefined();
    expect(reopened.loaded.notes).toEqual({ n1: { id: 'n1' } });
    await reopened.close();
  });
});
