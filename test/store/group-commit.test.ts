// Group commit observed from outside: fdatasync is wrapped so a test can hold a sync in flight.
import { open, readFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openFileStore } from '../../src/store/index.ts';
import type { Change } from '../../src/store/index.ts';
import { tempDataDir } from '../kit/temp-dir.ts';

const put = (key: string): Change => ({ op: 'put', collection: 'notes', key, value: { key } });

async function fileHandlePrototype(): Promise<FileHandle> {
  const handle = await open(import.meta.filename, 'r');
  await handle.close();
  return Object.getPrototypeOf(handle) as FileHandle;
}

/** Makes every journal fdatasync wait for `release()`, recording when syncs start and finish. */
async function holdSyncs() {
  const proto = await fileHandlePrototype();
  const original = proto.datasync;
  const events: string[] = [];
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  vi.spyOn(proto, 'datasync').mockImplementation(async function (this: FileHandle) {
    events.push('start');
    await released;
    await original.call(this);
    events.push('done');
  });
  return { events, release };
}

/** Yields to the event loop until `condition` holds (I/O completions, not a timer). */
async function until(condition: () => boolean): Promise<void> {
  for (let turn = 0; !condition(); turn++) {
    if (turn > 100_000) throw new Error('condition never held');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('journal group commit', () => {
  it('[store] appends made in one turn share one fdatasync', async () => {
    const store = await openFileStore(await tempDataDir());
    await Promise.all(Array.from({ length: 100 }, (_, i) => store.append([put(`n${i}`)])));
    expect(store.syncCount).toBe(1);
    await store.close();
  });

  it('[store] appends made while a sync is in flight wait, then go out together with one more sync', async () => {
    const dir = await tempDataDir();
    const store = await openFileStore(dir);
    const syncs = await holdSyncs();
    const syncedWhenResolved: number[] = [];
    const track = (p: Promise<void>) => p.then(() => syncedWhenResolved.push(syncs.events.filter((e) => e === 'done').length));

    const first = track(store.append([put('first')]));
    await until(() => syncs.events.length === 1);
    const rest = Array.from({ length: 20 }, (_, i) => track(store.append([put(`n${i}`)])));
    await new Promise((resolve) => setImmediate(resolve));
    expect(syncedWhenResolved).toEqual([]); // nothing acknowledged before its sync finished

    syncs.release();
    await Promise.all([first, ...rest]);
    expect(store.syncCount).toBe(2);
    expect(syncedWhenResolved).toEqual([1, ...Array(20).fill(2)]);
    const lines = (await readFile(join(dir, 'journal.jsonl'), 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(21);
    await store.close();
  });

  it('[store] a failed sync rejects the pending appends and every later one (fail-stop)', async () => {
    const dir = await tempDataDir();
    const store = await openFileStore(dir);
    await store.append([put('kept')]);
    const proto = await fileHandlePrototype();
    vi.spyOn(proto, 'datasync').mockRejectedValueOnce(Object.assign(new Error('EIO: i/o error'), { code: 'EIO' }));

    const batch = [store.append([put('a')]), store.append([put('b')])];
    for (const append of batch) await expect(append).rejects.toThrow(/journal .* failed; restart/);
    await expect(store.append([put('later')])).rejects.toThrow(/failed; restart/);
    await expect(store.compact({})).rejects.toThrow(/failed; restart/);
    await store.close();

    const reopened = await openFileStore(dir); // the lock was released despite the failure
    expect(reopened.loaded.notes).toHaveProperty('kept');
    await reopened.close();
  });
});
