// The server's part of a backup (see src/store/backup.ts): link its files at one consistent point
// into a pin directory of the data directory, which the `backup` command then reads and removes.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { linkSideFiles, PIN_PREFIX, type Pinned, type Store } from '../store/index.ts';

export interface Pin extends Pinned {
  dir: string;
  /** How long the server spent on it: links only, while appends went on. */
  ms: number;
}

/** A store without files (the in-memory one) has nothing to back up. */
export class NothingToBackUp extends Error {
  override readonly name = 'NothingToBackUp';

  constructor() {
    super('this server keeps its data in memory (no DATA_DIR): there is nothing on disk to back up');
  }
}

export async function pinForBackup(store: Store, dataDir: string | undefined): Promise<Pin> {
  if (store.pin === undefined || dataDir === undefined) throw new NothingToBackUp();
  const started = performance.now();
  const dir = join(dataDir, `${PIN_PREFIX}${randomBytes(6).toString('hex')}`);
  const pinned = await store.pin(dir);
  await linkSideFiles(dataDir, dir);
  return { dir, ...pinned, ms: performance.now() - started };
}
