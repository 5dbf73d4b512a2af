// Restoring a backup into a data directory no server holds. Nothing is replaced until the backup
// has been written out in full and opened the way a server would open it; what it replaces is
// moved aside, never deleted. A marker file covers the swap itself: a start-up that finds it
// refuses rather than serve a half-swapped directory, and running the restore again finishes it.
import { mkdir, readdir, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SIDE_FILES, type Backup } from './backup.ts';
import { openFileStore } from './file-store.ts';
import { syncDirectory } from './journal.ts';
import { lockDataDir } from './lock.ts';
import { JOURNAL_FILE, RESTORE_MARKER, SNAPSHOT_FILE } from './snapshot-format.ts';

const STAGING_PREFIX = 'restore-';
const ASIDE_PREFIX = 'replaced-';
/** The files a restore replaces; everything else in the directory stays. */
const REPLACED = [SNAPSHOT_FILE, JOURNAL_FILE, ...SIDE_FILES];

export interface RestoreOptions {
  /** Further checks of the written-out files (the signing keys, the clients file) before anything is replaced. */
  check?: (stagingDir: string) => Promise<void>;
  /** Names the staging and aside directories. */
  now?: Date;
}

export interface Restored {
  /** Where the files it replaced now are; undefined when the directory held none. */
  keptIn: string | undefined;
}

export async function restoreBackup(dataDir: string, backup: Backup, options: RestoreOptions = {}): Promise<Restored> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const lock = await lockDataDir(dataDir); // a running server holds it: DataDirLocked
  try {
    const stamp = (options.now ?? new Date()).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    for (const name of await readdir(dataDir)) if (name.startsWith(STAGING_PREFIX)) await rm(join(dataDir, name), { recursive: true, force: true });
    const staging = join(dataDir, `${STAGING_PREFIX}${stamp}`);
    try {
      await writeOut(staging, backup);
      // Opened as a server would: snapshot read, migrations run; then the caller's checks.
      await (await openFileStore(staging)).close();
      await options.check?.(staging);
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      throw error;
    }

    const aside = join(dataDir, `${ASIDE_PREFIX}${stamp}`);
    await writeFile(join(dataDir, RESTORE_MARKER), `files being replaced are moved to ${aside}, the backup's are taken from ${staging}\n`, { mode: 0o600 });
    await syncDirectory(dataDir);
    await mkdir(aside, { recursive: true, mode: 0o700 });
    let moved = 0;
    for (const name of REPLACED) moved += await move(join(dataDir, name), join(aside, name));
    for (const name of REPLACED) await move(join(staging, name), join(dataDir, name));
    await syncDirectory(aside);
    await syncDirectory(dataDir);
    await unlink(join(dataDir, RESTORE_MARKER));
    await syncDirectory(dataDir);
    await rm(staging, { recursive: true, force: true });
    if (moved === 0) await rm(aside, { recursive: true, force: true });
    return { keptIn: moved === 0 ? undefined : aside };
  } finally {
    await lock.release();
  }
}

/** The backup as a data directory of its own: snapshot, empty journal, side files. */
async function writeOut(dir: string, backup: Backup): Promise<void> {
  await mkdir(dir, { mode: 0o700 });
  const { snapshot, files } = backup.content;
  await writeFile(join(dir, SNAPSHOT_FILE), JSON.stringify(snapshot), { mode: 0o600, flush: true });
  for (const name of SIDE_FILES) {
    const text = files[name];
    if (text !== null && text !== undefined) await writeFile(join(dir, name), text, { mode: 0o600, flush: true });
  }
  await syncDirectory(dir);
}

/** Renames when `from` exists; 1 if it did. */
async function move(from: string, to: string): Promise<number> {
  try {
    await rename(from, to);
    return 1;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}
