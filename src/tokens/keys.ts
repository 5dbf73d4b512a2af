// The signing keys of the authorization server: ES256 key pairs kept in `<dataDir>/keys.json`
// (mode 0600). The newest key (the last entry) signs; every key verifies, so `keys rotate` can
// add a key while tokens signed by the older ones stay valid until they expire.

import { randomUUID } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';

import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';

import type { AccessTokenClaims, Seconds } from '../core/types.ts';
import { ACCESS_TOKEN_ALG, signAccessToken, type SigningKey } from './access-token.ts';

export interface KeyRing {
  /** Signs access-token claims as an ES256 JWT (`typ: at+jwt`) with the newest key's `kid`. */
  sign(claims: AccessTokenClaims): Promise<string>;
  /** The public JWKS document served at /oauth/jwks.json: public members only, never `d`. */
  jwks(): { keys: JWK[] };
}

/** One entry of keys.json. */
export interface StoredKey {
  kid: string;
  alg: typeof ACCESS_TOKEN_ALG;
  createdAt: Seconds;
  privateJwk: JWK;
}

export interface KeyFile {
  version: 1;
  keys: StoredKey[];
}

export interface KeyRingOptions {
  /** Clock for `createdAt` of new keys; defaults to the wall clock. */
  now?: () => Seconds;
}

const KEY_FILE = 'keys.json';
const FILE_MODE = 0o600;

export function keyFilePath(dataDir: string): string {
  return join(dataDir, KEY_FILE);
}

/** Loads `<dataDir>/keys.json`, or creates it with one fresh key on first start. */
export async function loadOrCreateKeyRing(dataDir: string, options: KeyRingOptions = {}): Promise<KeyRing> {
  const path = keyFilePath(dataDir);
  const existing = await readKeyFile(path);
  if (existing !== undefined) return keyRingFrom(existing.keys);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const file: KeyFile = { version: 1, keys: [await newStoredKey(clock(options))] };
  await writeKeyFile(path, file);
  return keyRingFrom(file.keys);
}

/** `keys rotate`: appends a fresh key (which signs from now on) and keeps the older ones. */
export async function rotateKeys(dataDir: string, options: KeyRingOptions = {}): Promise<KeyRing> {
  const path = keyFilePath(dataDir);
  const existing = await readKeyFile(path);
  if (existing === undefined) await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const file: KeyFile = { version: 1, keys: [...(existing?.keys ?? []), await newStoredKey(clock(options))] };
  await writeKeyFile(path, file);
  return keyRingFrom(file.keys);
}

/** A ring with one fresh key that lives only in memory (tests). */
export async function memoryKeyRing(options: KeyRingOptions = {}): Promise<KeyRing> {
  return keyRingFrom([await newStoredKey(clock(options))]);
}

// ------------------------------------------------------------------------------- the ring

async function keyRingFrom(stored: readonly StoredKey[]): Promise<KeyRing> {
  const loaded: { signing: SigningKey; publicJwk: JWK }[] = [];
  for (const key of stored) loaded.push(await loadKey(key));
  const newest = loaded.at(-1);
  if (newest === undefined) throw new Error('key ring has no keys');
  // One frozen document: callers cannot alter what the verifier trusts, and its identity is stable.
  const jwks = Object.freeze({ keys: Object.freeze(loaded.map((key) => Object.freeze(key.publicJwk))) as JWK[] });
  return {
    sign: (claims) => signAccessToken(claims, newest.signing),
    jwks: () => jwks,
  };
}

async function loadKey(key: StoredKey): Promise<{ signing: SigningKey; publicJwk: JWK }> {
  const publicJwk = publicPart(key.privateJwk);
  if ((await calculateJwkThumbprint(publicJwk)) !== key.kid) throw new Error(`key ${key.kid}: kid is not the key's thumbprint`);
  const privateKey = await importJWK(key.privateJwk, ACCESS_TOKEN_ALG);
  if (privateKey instanceof Uint8Array) throw new Error(`key ${key.kid}: not an asymmetric key`);
  return {
    signing: { kid: key.kid, privateKey },
    publicJwk: { ...publicJwk, kid: key.kid, alg: ACCESS_TOKEN_ALG, use: 'sig' },
  };
}

/** The public members of an EC key: exactly those a thumbprint covers (RFC 7638), so never `d`. */
function publicPart(jwk: JWK): JWK {
  const { kty, crv, x, y } = jwk;
  if (kty !== 'EC' || crv !== 'P-256' || typeof x !== 'string' || typeof y !== 'string') {
    throw new Error('not a P-256 EC key');
  }
  return { kty, crv, x, y };
}

async function newStoredKey(createdAt: Seconds): Promise<StoredKey> {
  const { privateKey } = await generateKeyPair(ACCESS_TOKEN_ALG, { extractable: true });
  const privateJwk = await exportJWK(privateKey as CryptoKey);
  const kid = await calculateJwkThumbprint(publicPart(privateJwk));
  return { kid, alg: ACCESS_TOKEN_ALG, createdAt, privateJwk };
}

function clock(options: KeyRingOptions): Seconds {
  return options.now ? options.now() : Math.floor(Date.now() / 1000);
}

// ------------------------------------------------------------------------------- keys.json

/** Reads and checks keys.json; `undefined` when absent. A damaged file is an error, never replaced. */
async function readKeyFile(path: string): Promise<KeyFile | undefined> {
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
        key['alg'] !== ACCESS_TOKEN_ALG ||
        typeof key['createdAt'] !== 'number' ||
        !isObject(key['privateJwk']) ||
        typeof key['privateJwk']['d'] !== 'string'
      ) {
        throw new Error(`${path}: key ${index} is not { kid, alg: 'ES256', createdAt, privateJwk }`);
      }
      return { kid: key['kid'], alg: ACCESS_TOKEN_ALG, createdAt: key['createdAt'], privateJwk: key['privateJwk'] as JWK };
    }),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Writes keys.json atomically: a 0600 temp file, synced, then renamed over the old one. */
async function writeKeyFile(path: string, file: KeyFile): Promise<void> {
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
