// One keys.json per test file, copied into fresh data directories. A new data directory otherwise
// makes a 2048-bit RSA key at start-up (85-400 ms), which dominated runs that start a server per
// property run (the HTTP model run: 100 keys, 13.7 of its 18.5 s).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keyFilePath, loadOrCreateKeyRing } from '../../src/tokens/index.ts';

let made: Promise<string> | undefined;

async function makeKeyFile(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'agent-notes-keys-'));
  try {
    await loadOrCreateKeyRing(dir);
    return await readFile(keyFilePath(dir), 'utf8');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Puts this file's shared keys.json (mode 0600) into `dataDir`, which must exist. */
export async function seedKeyFile(dataDir: string): Promise<void> {
  made ??= makeKeyFile();
  await writeFile(keyFilePath(dataDir), await made, { mode: 0o600 });
}
