// Backups: one self-contained JSON file holding the whole state at one journal seq, the signing
// keys and the predefined clients, with a checksum over all of it.
//
// Taking one never stops a running server: while no compaction runs, the server hard-links its
// snapshot and journal (and the key and client files) into a pin directory and says how far the
// journal was durable; that is all it does. Everything else (reading, replaying, writing the file)
// happens in the `backup` command's own process, from the links, while the server goes on.
import { createHash } from 'node:crypto';
import { link, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Collections } from '../records/index.ts';
import { replayJournal, syncDirectory } from './journal.ts';
import { ignoreMissing } from './lock.ts';
import { CURRENT_SCHEMA_VERSION, JOURNAL_FILE, SNAPSHOT_FILE, type SnapshotData } from './snapshot-format.ts';
import type { Pinned } from './types.ts';

export const BACKUP_FORMAT = 'agent-notes-backup';
export const BACKUP_FORMAT_VERSION = 1;
/** Pin directories inside the data directory; one left by a killed backup is removed at next start. */
export const PIN_PREFIX = 'backup-pin-';

/** What a backup holds besides the state: the data directory's other files, verbatim. */
export const SIDE_FILES = ['keys.json', 'clients.json'] as const;
export type SideFile = (typeof SIDE_FILES)[number];

export interface BackupContent {
  snapshot: SnapshotData;
  /** Each side file's text, or null where the data directory had none. */
  files: Record<SideFile, string | null>;
}

export interface Backup {
  format: typeof BACKUP_FORMAT;
  formatVersion: number;
  createdAt: string;
  /** SHA-256 (hex) of `JSON.stringify(content)`. */
  sha256: string;
  content: BackupContent;
}


/** A file that is not a backup this version can restore, with why in words for the operator. */
export class BackupRefused extends Error {
  override readonly name = 'BackupRefused';
}

/** Links the files the data directory holds besides snapshot and journal into `into`. */
export async function linkSideFiles(dataDir: string, into: string): Promise<void> {
  for (const name of SIDE_FILES) await link(join(dataDir, name), join(into, name)).catch(ignoreMissing);
}

/** The state as of the pinned journal seq: the linked snapshot with the journal replayed onto it. */
export async function readPinned(pinDir: string, pinned: Pinned): Promise<BackupContent> {
  const snapshotText = await readFile(join(pinDir, SNAPSHOT_FILE), 'utf8').catch(ignoreMissing);
  const base: SnapshotData = snapshotText === undefined ? { schemaVersion: CURRENT_SCHEMA_VERSION, journalSeq: 0, collections: {} } : (JSON.parse(snapshotText) as SnapshotData);
  const collections = base.collections as Collections;
  const replayed = await replayJournal(join(pinDir, JOURNAL_FILE), base.journalSeq, collections, pinned.journalBytes);
  const files = {} as Record<SideFile, string | null>;
  for (const name of SIDE_FILES) files[name] = (await readFile(join(pinDir, name), 'utf8').catch(ignoreMissing)) ?? null;
  return { snapshot: { schemaVersion: base.schemaVersion, journalSeq: replayed.lastSeq, collections }, files };
}

/** Writes `content` as a backup at `path`, owner-only, whole or not at all. */
export async function writeBackup(path: string, content: BackupContent, createdAt: Date): Promise<number> {
  const body = JSON.stringify(content);
  const sha256 = createHash('sha256').update(body).digest('hex');
  // `content` last, spliced in as the text that was hashed.
  const head = JSON.stringify({ format: BACKUP_FORMAT, formatVersion: BACKUP_FORMAT_VERSION, createdAt: createdAt.toISOString(), sha256 });
  const text = `${head.slice(0, -1)},"content":${body}}\n`;
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const staged = join(dirname(path), `.${basename(path)}.partial`);
  const handle = await open(staged, 'w', 0o600);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(staged, path);
  await syncDirectory(dirname(path));
  return Buffer.byteLength(text);
}

/** Reads and checks a backup: its shape, its checksum, and a state this version knows how to read. */
export async function readBackup(path: string): Promise<Backup> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new BackupRefused(error.code === 'ENOENT' ? `${path} does not exist` : `${path} cannot be read (${error.code ?? error.message})`);
  });
  if (!info.isFile()) throw new BackupRefused(`${path} is not a file`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch {
    throw new BackupRefused(`${path} is not an agent-notes backup (not JSON, or cut short)`);
  }
  const backup = parsed as Partial<Backup> | null;
  if (typeof backup !== 'object' || backup === null || backup.format !== BACKUP_FORMAT) throw new BackupRefused(`${path} is not an agent-notes backup`);
  if (backup.formatVersion !== BACKUP_FORMAT_VERSION) throw new BackupRefused(`${path} is a backup of format ${String(backup.formatVersion)}; this agent-notes reads format ${BACKUP_FORMAT_VERSION} (use the agent-notes that wrote it)`);
  const content = backup.content;
  if (typeof backup.sha256 !== 'string' || content === undefined || createHash('sha256').update(JSON.stringify(content)).digest('hex') !== backup.sha256) {
    throw new BackupRefused(`${path} is damaged: its checksum does not match what it holds (it changed after it was written)`);
  }
  const snapshot = content.snapshot as Partial<SnapshotData> | undefined;
  if (typeof snapshot !== 'object' || snapshot === null || !Number.isSafeInteger(snapshot.schemaVersion) || !Number.isSafeInteger(snapshot.journalSeq) || typeof snapshot.collections !== 'object' || snapshot.collections === null) {
    throw new BackupRefused(`${path} holds no readable state`);
  }
  if (snapshot.schemaVersion! > CURRENT_SCHEMA_VERSION) {
    throw new BackupRefused(`${path} was written by a newer agent-notes (data schemaVersion ${snapshot.schemaVersion}; this one reads up to ${CURRENT_SCHEMA_VERSION}): upgrade agent-notes to restore it`);
  }
  return backup as Backup;
}

/** Removes pin directories a killed backup left behind (called with the data directory locked). */
export async function removeStalePins(dataDir: string, entries: readonly string[]): Promise<void> {
  for (const name of entries) if (name.startsWith(PIN_PREFIX)) await rm(join(dataDir, name), { recursive: true, force: true });
}
