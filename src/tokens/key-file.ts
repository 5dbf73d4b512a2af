// `<dataDir>/keys.json`: the private signing keys, mode 0600, `{ version: 1, keys: [...] }`. Read
// and checked without ever quoting the file, written atomically; a damaged file is never replaced.

import { randomUUID } from 'node:crypto';
import { chmod, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';

import type { JWK } from 'jose';

import { isSigningAlg, SIGNING_ALGS, type StoredKey } from './key-material.ts';

export interface KeyFile {
  version: 1;
  keys: StoredKey[];
}

const KEY_FILE = 'keys.json';
const FILE_MODE = 0o600;

export function keyFilePath(dataDir: string): string {
  return join(dataDir, KEY_FILE);
}

/** Reads and checks keys.json; `undefined` when absent. A damaged file is an error, never replaced. */
export async function readKeyFile(path: string): Promise<KeyFile | undefined> {
  let text: string;
  try {
    await tightenPermissions(path);
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    // Not the parser's message: it quotes part of the file, i.e. private key material.
    throw new Error(`${path}: not valid JSON`);
  }
  return checkKeyFile(path, data);
}

function checkKeyFile(path: string, data: unknown): KeyFile {
  if (!isObject(data) || data['version'] !== 1) throw new Error(`${path}: expected { version: 1, keys: [...] }`);
  const keys = data['keys'];
  if (!Array.isArray(keys) || keys.length === 0) throw new Error(`${path}: no keys`);
  return {
    version: 1,
    keys: keys.map((key: unknown, index): StoredKey => {
      if (
        !isObject(key) ||
        typeof key['kid'] !== 'string' ||
        !isSigningAlg(key['alg']) ||
        typeof key['createdAt'] !== 'number' ||
        !isObject(key['privateJwk']) ||
        typeof key['privateJwk']['d'] !== 'string'
      ) {
        throw new Error(`${path}: key ${index} is not { kid, alg: ${SIGNING_ALGS.map((alg) => `'${alg}'`).join(' or ')}, createdAt, privateJwk }`);
      }
      return { kid: key['kid'], alg: key['alg'], createdAt: key['createdAt'], privateJwk: key['privateJwk'] as JWK };
    }),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Writes keys.json atomically: a 0600 temp file, synced, then renamed over the old one. */
export async function writeKeyFile(path: string, file: KeyFile): Promise<void> {
  const temp = `${path}.${process.pid}.${randomUUID()}.tmp`;
  const handle = await open(temp, 'wx', FILE_MODE);
  try {
    try {
      await handle.chmod(FILE_MODE); // the umask may only narrow the mode; make it exact anyway
      await handle.writeFile(`${JSON.stringify(file, null, 2)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await chmod(path, FILE_MODE);
  await syncDirectory(dirname(path));
}

/** A key file readable by group or others is narrowed back to 0600 before it is read. */
async function tightenPermissions(path: string): Promise<void> {
  const { mode } = await stat(path);
  if ((mode & 0o077) !== 0) await chmod(path, FILE_MODE);
}

/** Makes the rename durable. Best effort: not every platform can open and sync a directory. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // the file itself is synced; only the directory entry may lag on such platforms
  }
}
