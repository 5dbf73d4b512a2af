// Fresh data directories under the OS temp dir, removed after each test.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

const made: string[] = [];

afterEach(async () => {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A path inside a fresh temp dir; the store creates `data` itself. */
export async function tempDataDir(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'agent-notes-store-'));
  made.push(root);
  return join(root, 'data');
}
