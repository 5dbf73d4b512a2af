import { describe, expect, it } from 'vitest';
import { openMemoryStore } from '../../src/store/index.ts';

describe('memory store', () => {
  it('[store] keeps what was appended on top of the initial state, without touching `loaded`', async () => {
    const store = openMemoryStore({ clients: { c1: { clientId: 'c1' } } });
    await store.append([
      { op: 'put', collection: 'users', key: 'u1', value: { name: 'ann', nickname: undefined } },
      { op: 'delete', collection: 'clients', key: 'c1' },
    ]);
    expect(store.loaded).toEqual({ clients: { c1: { clientId: 'c1' } } });
    expect(store.current).toEqual({ clients: {}, users: { u1: { name: 'ann' } } });
    expect(store.needsCompaction()).toBe(false);
    await store.compact(store.current);
  });

  it('[store] refuses what the file store would refuse, and appends after close', async () => {
    const store = openMemoryStore();
    await expect(store.append([{ op: 'put', collection: 'notes', key: 'n1', value: undefined }])).rejects.toThrow(/has no value/);
    await store.close();
    await expect(store.append([{ op: 'delete', collection: 'notes', key: 'n1' }])).rejects.toThrow(/closed/);
  });
});
