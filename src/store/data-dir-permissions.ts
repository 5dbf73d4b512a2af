// The data directory holds private notes, password hashes and signing keys, so only its owner may
// read it: at every open the directory is narrowed to 0700 and everything in it to 0600 (0700 for a
// subdirectory). A directory that cannot be narrowed is refused rather than served from.
import { chmod as chmodPath, lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

const DIR_MODE = 0o700;
const FILE_MODE = 0o600;
/** Bits that let anyone but the owner in. */
const OTHERS = 0o077;

/** One path whose mode was narrowed. */
export interface Tightened {
  path: string;
  from: number;
  to: number;
}

/** The file system calls used; tests hand in a `chmod` that fails the way a non-owner's does. */
export interface PermissionCalls {
  chmod(path: string, mode: number): Promise<void>;
}

/** The data directory is open to other users and this process may not change that. */
export class DataDirUnsafe extends Error {
  override readonly name = 'DataDirUnsafe';

  constructor(
    readonly dir: string,
    readonly path: string,
    readonly mode: number,
    cause: unknown,
  ) {
    const code = (cause as NodeJS.ErrnoException | undefined)?.code ?? String(cause);
    super(
      `data directory ${dir} is open to other users (${path} has mode ${octal(mode)}) and cannot be narrowed to owner-only (${code}); ` +
        `as the directory's owner run: chmod -R go= ${dir}, or start agent-notes as that user`,
      { cause },
    );
  }
}

/** Narrows `dir` to 0700 and what it holds to 0600; what was changed, for the log. */
export async function tightenDataDir(dir: string, calls: PermissionCalls = { chmod: chmodPath }): Promise<Tightened[]> {
  const tightened: Tightened[] = [];
  await narrow(dir, dir, calls, tightened);
  return tightened;
}

async function narrow(dataDir: string, dir: string, calls: PermissionCalls, tightened: Tightened[]): Promise<void> {
  await narrowOne(dataDir, dir, DIR_MODE, calls, tightened);
  // In name order, so the log line reads the same on every file system.
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    // A symbolic link is never followed: chmod would change whatever it points at, inside or not.
    if (entry.isDirectory()) await narrow(dataDir, path, calls, tightened);
    else if (entry.isFile()) await narrowOne(dataDir, path, FILE_MODE, calls, tightened);
  }
}

async function narrowOne(dataDir: string, path: string, to: number, calls: PermissionCalls, tightened: Tightened[]): Promise<void> {
  const stats = await lstat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined; // removed meanwhile (a temp file)
    throw error;
  });
  if (stats === undefined) return;
  const from = stats.mode & 0o777;
  if ((from & OTHERS) === 0) return;
  try {
    await calls.chmod(path, to);
  } catch (error) {
    throw new DataDirUnsafe(dataDir, path, from, error);
  }
  tightened.push({ path, from, to });
}

/** One log line's worth: which paths were narrowed, from which mode to which. */
export function describeTightened(dir: string, tightened: readonly Tightened[]): string {
  const shown = tightened.map(({ path, from, to }) => `${path === dir ? '.' : path.slice(dir.length + 1)} ${octal(from)}→${octal(to)}`);
  return `data directory ${dir} was readable by other users; narrowed to owner-only: ${shown.join(', ')}`;
}

function octal(mode: number): string {
  return `0${mode.toString(8).padStart(3, '0')}`;
}
