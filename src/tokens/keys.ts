// The signing keys of the authorization server, kept in `<dataDir>/keys.json` (see key-file.ts):
// ES256 keys for access tokens and RS256 keys for ID tokens. For each algorithm the newest key (its
// last entry) signs; every key verifies, so `keys rotate` can add keys while tokens signed by the
// older ones stay valid until they expire.

import { mkdir } from 'node:fs/promises';

import type { JWK } from 'jose';

import type { AccessTokenClaims, Seconds } from '../core/types.ts';
import { ACCESS_TOKEN_ALG, signAccessToken } from './access-token.ts';
import { ID_TOKEN_ALG, signIdToken } from './id-token.ts';
import { keyFilePath, readKeyFile, writeKeyFile, type KeyFile } from './key-file.ts';
import { loadKey, newStoredKey, SIGNING_ALGS, type LoadedKey, type SigningAlg, type StoredKey } from './key-material.ts';

export interface KeyRing {
  /** Signs access-token claims as an ES256 JWT (`typ: at+jwt`) with the newest ES256 key's `kid`. */
  sign(claims: AccessTokenClaims): Promise<string>;
  /** Signs ID-token claims, exactly as given, as an RS256 JWT (`typ: JWT`) with the newest RS256 key's `kid`. */
  signIdToken(claims: Record<string, unknown>): Promise<string>;
  /** The public JWKS document served at /oauth/jwks.json: every key of both algorithms, public members only. */
  jwks(): { keys: JWK[] };
}

export interface KeyRingOptions {
  /** Clock for `createdAt` of new keys; defaults to the wall clock. */
  now?: () => Seconds;
}

/**
 * Loads `<dataDir>/keys.json`, or creates it on first start. A file without a key for some
 * algorithm (one written before ID tokens existed has ES256 keys only) gains one, written back.
 */
export async function loadOrCreateKeyRing(dataDir: string, options: KeyRingOptions = {}): Promise<KeyRing> {
  return (await loadOrCreateKeyFile(dataDir, options)).ring;
}

/** `loadOrCreateKeyRing`, also saying what the file holds and whether it existed before. */
export async function loadOrCreateKeyFile(dataDir: string, options: KeyRingOptions = {}): Promise<KeyFileState & { existed: boolean }> {
  const path = keyFilePath(dataDir);
  const file = await readKeyFile(path);
  const existing = file?.keys ?? [];
  const missing = SIGNING_ALGS.filter((alg) => !existing.some((key) => key.alg === alg));
  const keys = [...existing, ...(await newKeys(missing, clock(options)))];
  const ring = await keyRingFrom(keys); // every key is checked before anything is written
  if (missing.length > 0) await writeKeys(dataDir, { version: 1, keys });
  return { ring, stored: keys, existed: file !== undefined };
}

/** A memory ring's keys (tests), with what `rotate` in memory appends to. */
export async function memoryKeys(options: KeyRingOptions = {}): Promise<StoredKey[]> {
  const createdAt = clock(options);
  return [await newStoredKey(ACCESS_TOKEN_ALG, createdAt), await memoryIdTokenKey(createdAt)];
}

/** Fresh keys of every algorithm, newest last, as a rotation appends them. */
export function freshKeys(createdAt: Seconds): Promise<StoredKey[]> {
  return newKeys(SIGNING_ALGS, createdAt);
}

/** `keys rotate`: appends a fresh key of each algorithm (these sign from now on), keeping the older ones. */
export async function rotateKeys(dataDir: string, options: KeyRingOptions = {}): Promise<KeyRing> {
  return (await rotateKeyFile(dataDir, options)).ring;
}

export interface KeyFileState {
  ring: KeyRing;
  stored: readonly StoredKey[];
}

/**
 * Appends a fresh key of each algorithm to keys.json, and with `retention` also drops every
 * retired key whose tokens have all expired; the new ring is returned with what the file now holds.
 */
export async function rotateKeyFile(dataDir: string, options: KeyRingOptions & { retention?: Seconds } = {}): Promise<KeyFileState> {
  const existing = await readStoredKeys(dataDir);
  const now = clock(options);
  const grown = [...existing, ...(await newKeys(SIGNING_ALGS, now))];
  const keys = options.retention === undefined ? grown : keptKeys(grown, now, options.retention);
  const ring = await keyRingFrom(keys);
  await writeKeys(dataDir, { version: 1, keys });
  return { ring, stored: keys };
}

/** Drops the retired keys whose tokens have all expired; `undefined` (and no write) when none has. */
export async function dropExpiredKeys(dataDir: string, retention: Seconds, options: KeyRingOptions = {}): Promise<KeyFileState | undefined> {
  const existing = await readStoredKeys(dataDir);
  const keys = keptKeys(existing, clock(options), retention);
  if (keys.length === existing.length) return undefined;
  const ring = await keyRingFrom(keys);
  await writeKeys(dataDir, { version: 1, keys });
  return { ring, stored: keys };
}

export async function readStoredKeys(dataDir: string): Promise<StoredKey[]> {
  return (await readKeyFile(keyFilePath(dataDir)))?.keys ?? [];
}

/** What each key is for: the newest of its algorithm signs; an older one verifies until its tokens expire. */
export interface KeyRole {
  kid: string;
  alg: SigningAlg;
  createdAt: Seconds;
  role: 'signing' | 'verifying' | 'expired';
  /** When a newer key of the same algorithm took over signing. */
  retiredAt?: Seconds;
  /** When the last token it signed expires: it leaves the JWKS then. */
  dropAt?: Seconds;
}

/** `retention`: the longest a token lives (access and ID tokens) plus the verifier's clock tolerance. */
export function keyRoles(stored: readonly StoredKey[], now: Seconds, retention: Seconds): KeyRole[] {
  return stored.map((key, index) => {
    const successor = stored.slice(index + 1).find((later) => later.alg === key.alg);
    if (successor === undefined) return { kid: key.kid, alg: key.alg, createdAt: key.createdAt, role: 'signing' };
    const retiredAt = Math.max(successor.createdAt, key.createdAt);
    const dropAt = retiredAt + retention;
    return { kid: key.kid, alg: key.alg, createdAt: key.createdAt, role: dropAt <= now ? 'expired' : 'verifying', retiredAt, dropAt };
  });
}

export function keptKeys(stored: readonly StoredKey[], now: Seconds, retention: Seconds): StoredKey[] {
  const roles = keyRoles(stored, now, retention);
  return stored.filter((_, index) => roles[index]!.role !== 'expired');
}

/**
 * The ring the server hands its routes and verifier: `replace` swaps in the keys a rotation made,
 * and the next token is signed with them (the verifier rebuilds its key set when the JWKS changes).
 */
export class SwappableKeyRing implements KeyRing {
  #ring: KeyRing;

  constructor(ring: KeyRing) {
    this.#ring = ring;
  }

  replace(ring: KeyRing): void {
    this.#ring = ring;
  }

  sign(claims: AccessTokenClaims): Promise<string> {
    return this.#ring.sign(claims);
  }

  signIdToken(claims: Record<string, unknown>): Promise<string> {
    return this.#ring.signIdToken(claims);
  }

  jwks(): { keys: JWK[] } {
    return this.#ring.jwks();
  }
}

/** A ring that lives only in memory (tests): a fresh ES256 key, and the process's shared RS256 key. */
export async function memoryKeyRing(options: KeyRingOptions = {}): Promise<KeyRing> {
  return keyRingFrom(await memoryKeys(options));
}

// A 2048-bit RSA key takes 85-400 ms to make (ES256: 0.2 ms), and tests build a memory ring per
// server they start: 145 fresh RSA keys cost the server tests 20 s, so memory rings share one per
// process (module instance). Access-token keys stay fresh per ring, so two memory rings still
// refuse each other's access tokens; their ID tokens are not told apart.
let sharedIdTokenKey: Promise<StoredKey> | undefined;

function memoryIdTokenKey(createdAt: Seconds): Promise<StoredKey> {
  sharedIdTokenKey ??= newStoredKey(ID_TOKEN_ALG, createdAt);
  return sharedIdTokenKey;
}

// ------------------------------------------------------------------------------- the ring

export async function keyRingFrom(stored: readonly StoredKey[]): Promise<KeyRing> {
  const loaded: LoadedKey[] = [];
  for (const key of stored) loaded.push(await loadKey(key));
  const accessKey = newest(loaded, ACCESS_TOKEN_ALG);
  const idTokenKey = newest(loaded, ID_TOKEN_ALG);
  // One frozen document: callers cannot alter what the verifier trusts, and its identity is stable.
  const jwks = Object.freeze({ keys: Object.freeze(loaded.map((key) => Object.freeze(key.publicJwk))) as JWK[] });
  return {
    sign: (claims) => signAccessToken(claims, accessKey.signing),
    signIdToken: (claims) => signIdToken(claims, idTokenKey.signing),
    jwks: () => jwks,
  };
}

function newest(loaded: readonly LoadedKey[], alg: SigningAlg): LoadedKey {
  const key = loaded.filter((candidate) => candidate.alg === alg).at(-1);
  if (key === undefined) throw new Error(`key ring has no ${alg} key`);
  return key;
}

async function newKeys(algs: readonly SigningAlg[], createdAt: Seconds): Promise<StoredKey[]> {
  const keys: StoredKey[] = [];
  for (const alg of algs) keys.push(await newStoredKey(alg, createdAt));
  return keys;
}

async function writeKeys(dataDir: string, file: KeyFile): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  await writeKeyFile(keyFilePath(dataDir), file);
}

function clock(options: KeyRingOptions): Seconds {
  return options.now ? options.now() : Math.floor(Date.now() / 1000);
}
