// `agent-notes backup <file>` and `agent-notes restore <file>`. A backup is taken from the running
// server when there is one (it links its files at one consistent point and goes on serving; this
// process does the reading and writing), otherwise from the stopped data directory. A restore needs
// the server stopped, checks the file before anything is replaced, and keeps the replaced data.
import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { Pin } from '../app/backup.ts';
import { clientsFilePath, readClientsFile } from '../app/clients-file.ts';
import { configFromEnv } from '../config.ts';
import { BackupRefused, DataDirLocked, readBackup, readPinned, restoreBackup, writeBackup, type Backup } from '../store/index.ts';
import { keyFilePath, readKeyFile } from '../tokens/key-file.ts';
import { CliError, verb } from './errors.ts';
import { runOperation } from './operation.ts';

/** What the state holds, in the words an operator counts in. */
function summary(backup: Pick<Backup, 'content'>): string {
  const { collections, journalSeq } = backup.content.snapshot;
  const count = (name: string) => Object.keys(collections[name] ?? {}).length;
  const counted = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
  return `${counted(count('users'), 'person', 'people')}, ${counted(count('notes'), 'note')}, ${counted(count('clients'), 'registered client')}, ${counted(count('grants'), 'connected app')}; journal seq ${journalSeq}`;
}

const size = (bytes: number) => (bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`);

export async function backupCommand(file: string): Promise<void> {
  const target = resolve(file);
  const { result: pin, on } = await runOperation<Pin>('store.pin');
  try {
    const content = await readPinned(pin.dir, pin);
    const bytes = await writeBackup(target, content, new Date());
    // Read back as a restore would read it: a backup that could not be restored is no backup.
    const written = await readBackup(target).catch((error: unknown) => {
      throw new CliError(`the backup written to ${target} does not read back (${(error as Error).message}); check the disk`);
    });
    const from = on === 'server' ? `the running server (which spent ${pin.ms.toFixed(1)} ms linking its files; requests went on)` : 'the stopped data directory';
    console.log(`agent-notes: backup written to ${target} (${size(bytes)}) from ${from}: ${summary(written)}.`);
  } finally {
    await rm(pin.dir, { recursive: true, force: true });
  }
}

export async function restoreCommand(file: string): Promise<void> {
  const source = resolve(file);
  const config = configFromEnv();
  const dataDir = config.dataDir!;
  let backup: Backup;
  try {
    backup = await readBackup(source);
  } catch (error) {
    if (error instanceof BackupRefused) throw new CliError(`${error.message}; nothing was changed`);
    throw error;
  }
  try {
    const { keptIn } = await restoreBackup(dataDir, backup, {
      // The key file and clients file must load as the server would load them.
      check: async (staging) => {
        try {
          await readKeyFile(keyFilePath(staging));
          if (backup.content.files['clients.json'] !== null) await readClientsFile(clientsFilePath(staging, {}));
        } catch (error) {
          throw new CliError(`${source} holds files that do not load (${(error as Error).message}); nothing was changed`);
        }
      },
    });
    console.log(`agent-notes: restored ${source} (taken ${backup.createdAt}) into ${dataDir}: ${summary(backup)}.`);
    console.log(keptIn === undefined ? 'agent-notes: the data directory held no data before.' : `agent-notes: the data it replaced is kept in ${keptIn}.`);
  } catch (error) {
    if (error instanceof DataDirLocked) {
      throw new CliError(`the server is running on ${dataDir} (process ${error.pid}): stop it first (systemctl stop agent-notes), then restore; nothing was changed`);
    }
    throw error;
  }
}

export function registerBackup(program: Command): void {
  program.command('backup').argument('<file>', 'where to write the backup (created owner-only)')
    .description('copy everything (notes, people, apps, signing keys) at one consistent point, while the server runs')
    .action(verb(backupCommand));
  program.command('restore').argument('<file>', 'a file written by agent-notes backup')
    .description('replace the data directory with a backup (server stopped); the replaced data is kept aside')
    .action(verb(restoreCommand));
}
