// Export and import for one person (NOTES-IO-*), shared by the web app and the CLI: the archive
// format is notes-archive.ts, the import itself one transition through the commit queue.
import { readFile, stat, writeFile } from 'node:fs/promises';
import { findUserByName } from '../accounts/queries.ts';
import { importNotes, listNotes } from '../notes/index.ts';
import type { Author, NotesState, Refused } from '../notes/index.ts';
import { archiveLimits, exportArchive, readFolderArchive, readZipArchive, type ReadArchive } from './notes-archive.ts';
import { PeopleError } from './people.ts';
import type { Services } from './services.ts';

export function exportNotesOf(state: NotesState, ownerId: string): { zip: Uint8Array; count: number } {
  const { notes } = listNotes(state, ownerId, { limit: Number.MAX_SAFE_INTEGER });
  return { zip: exportArchive(notes), count: notes.length };
}

export type ImportDone = { imported: number; refused: Refused[] } | { error: string; refused: Refused[] };

/** Imports what `archive` read; refusals of files and of notes are reported together. */
export async function importNotesFor(services: Services, ownerId: string, archive: ReadArchive, by?: Author): Promise<ImportDone> {
  const ids = archive.notes.map(() => ({ noteId: services.fresh(), publicId: services.fresh() }));
  const input = { ownerId, notes: archive.notes, ids, now: services.now(), ...(by === undefined ? {} : { by }) };
  const outcome = await services.queue.apply((state) => importNotes(state, input, services.config.noteLimits));
  if (outcome.kind === 'error') return { error: outcome.message, refused: archive.refused };
  return { imported: outcome.imported.length, refused: [...archive.refused, ...outcome.refused] };
}

// ------------------------------------------------------------------------------- the CLI's verbs

export interface ExportedFile {
  path: string;
  notes: number;
}

function ownerNamed(services: Services, username: string): string {
  const user = findUserByName(services.queue.state, username);
  if (!user) throw new PeopleError(`there is no user ${JSON.stringify(username)} (agent-notes user list shows who there is); nothing was changed`);
  return user.userId;
}

/** `agent-notes export --user <name> --out <file>`: the same zip as the web app's, written owner-only. */
export async function exportToFile(services: Services, username: string, path: string): Promise<ExportedFile> {
  const { zip, count } = exportNotesOf(services.queue.state, ownerNamed(services, username));
  await writeFile(path, zip, { mode: 0o600 });
  return { path, notes: count };
}

/** `agent-notes import --user <name> <zip or folder>`. */
export async function importFromPath(services: Services, username: string, path: string): Promise<ImportDone> {
  const ownerId = ownerNamed(services, username);
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch {
    throw new PeopleError(`cannot read ${path}: give a zip of Markdown files or a folder of them (an Obsidian vault); nothing was changed`);
  }
  const limits = archiveLimits(services.config.noteLimits);
  if (info.isDirectory()) return importNotesFor(services, ownerId, await readFolderArchive(path, limits).catch((error: unknown) => { throw new PeopleError(`${(error as Error).message}; nothing was changed`); }));
  if (info.size > services.config.noteLimits.bytesPerUser + 1024 * 1024) throw new PeopleError(`${path} is larger than everything one person's notes may hold; nothing was changed`);
  return importNotesFor(services, ownerId, readZipArchive(new Uint8Array(await readFile(path)), limits));
}
