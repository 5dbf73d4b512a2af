import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CURRENT_SCHEMA_VERSION, openFileStore } from '../../src/store/index.ts';
import type { Change } from '../../src/store/index.ts';
import { tempDataDir } from '../kit/temp-dir.ts';

const put = (key: string, value: unknown): Change => ({ op: 'put', collection: 'grants', key, value });

async function journalSeqs(dir: string): Promise<number[]> {
  const text = await readFile(join(dir, 'journal.jsonl'), 'utf8');
  return text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line).seq as number);
}

describe('compaction', () => {
  it('[store] after compaction the snapshot holds the state and reopening gives the same collections', async () => {
    const dir = await tempDataDir();
    const store = await openFileStore(dir);
    await store.append([put('g1', 1), put('g2', 2)]);
    await store.append([{ op: 'delete', collection: 'grants', key: 'g1' }]);
    await store.compact({ grants: { g2: 2 }, clients: {} });
    await store.close();

    expect(await journalSeqs(dir)).toEqual([]);
    const snapshot = JSON.parse(await readFile(join(dir, 'agent-notes.json'), 'utf8'));
    expect(snapshot).toEqual({ schemaVersion: CURRENT_SCHEMA_VERSION, journalSeq: 2, collections: { grants: { g2: 2 }, clients: {} } });

    const reopened = await openFileStore(dir);
    expect(reopened.loaded).toEqual({ grants: { g2: 2 }, clients: {} });
    await reopened.append([put('g3', 3)]);
    await reopened.close();
    expect(await journalSeqs(dir)).toEqual([3]);
    const again = await openFileStore(dir);
    expect(again.loaded).toEqual({ grants: { g2: 2, g3: 3 }, clients: {} });
    await again.close();
  });

  it('[store] appends made while a compaction runs survive it', async () => {
    const dir = await tempDataDir();
    const store = await openFileStore(dir);
    await store.append([put('g1', 1)]);
    // g2 queues a batch ahead of the compaction and g3, g4 join it: written before the compaction
    // runs but not covered by its state. g5 arrives once that batch is out, while it runs.
    const beforeCompaction = store.append([put('g2', 2)]);
    const compaction = store.compact({ grants: { g1: 1, g2: 2 } });
    const joined = [store.append([put('g3', 3)]), store.append([put('g4', 4)])];
    const during = beforeCompaction.then(() => store.append([put('g5', 5)]));
    await Promise.all([compaction, ...joined, during]);
    await store.append([put('g6', 6)]);
    await store.close();

    expect(await journalSeqs(dir)).toEqual([3, 4, 5, 6]);
    const reopened = await openFileStore(dir);
    expect(reopened.loaded).toEqual({ grants: { g1: 1, g2: 2, g3: 3, g4: 4, g5: 5, g6: 6 } });
    await reopened.close();
  });

  it('[store] entries a snapshot already covers are skipped when a crash left them in the journal', async () => {
    const dir = await tempDataDir();
    const store = await openFileStore(dir);
    await store.append([put('g1', 1)]);
    await store.append([put('g1', 'changed')]);
    const journalBefore = await readFile(join(dir, 'journal.jsonl'));
    await store.compact({ grants: { g1: 'changed' } });
    await store.close();
    // As if the process died between writing the snapshot and rewriting the journal.
    await writeFile(join(dir, 'journal.jsonl'), journalBefore);

    const reopened = await openFileStore(dir);
    expect(reopened.loaded).toEqual({ grants: { g1: 'changed' } });
    await reopened.append([put('g2', 2)]);
    await reopened.close();
    expect(await journalSeqs(dir)).toEqual([1, 2, 3]);
  });
});
