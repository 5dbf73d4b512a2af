// What each signing algorithm needs from a key: how to make one, which JWK members are public, and
// how to load a stored one. ES256 keys sign access tokens, RS256 keys sign ID tokens; a key is
// named by its RFC 7638 thumbprint, which covers exactly the public members.

import { createPrivateKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { base64url, calculateJwkThumbprint, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';

import type { Seconds } from '../core/types.ts';
import { ACCESS_TOKEN_ALG, type SigningKey } from './access-token.ts';
import { ID_TOKEN_ALG } from './id-token.ts';

export type SigningAlg = typeof ACCESS_TOKEN_ALG | typeof ID_TOKEN_ALG;
/** Every algorithm the ring keeps a key for, in the order a new key file lists them. */
export const SIGNING_ALGS: readonly SigningAlg[] = [ACCESS_TOKEN_ALG, ID_TOKEN_ALG];
/** NIST SP 800-57's floor for RSA through 2030; smaller stored keys are refused. */
export const RSA_MODULUS_BITS = 2048;

/** One entry of keys.json. */
export interface StoredKey {
  kid: string;
  alg: SigningAlg;
  createdAt: Seconds;
  privateJwk: JWK;
}

export interface LoadedKey {
  alg: SigningAlg;
  signing: SigningKey;
  /** What the JWKS publishes: the public members plus kid, alg and use. */
  publicJwk: JWK;
}

export function isSigningAlg(value: unknown): value is SigningAlg {
  return SIGNING_ALGS.includes(value as SigningAlg);
}

export async function newStoredKey(alg: SigningAlg, createdAt: Seconds): Promise<StoredKey> {
  const options = alg === ID_TOKEN_ALG ? { extractable: true, modulusLength: RSA_MODULUS_BITS } : { extractable: true };
  const { privateKey } = await generateKeyPair(alg, options);
  const privateJwk = await exportJWK(privateKey as CryptoKey);
  const kid = await calculateJwkThumbprint(publicPart(privateJwk, alg));
  return { kid, alg, createdAt, privateJwk };
}

/** Checks that the kid is the key's thumbprint and the key fits its algorithm, then imports it. */
export async function loadKey(key: StoredKey): Promise<LoadedKey> {
  const publicJwk = publicPart(key.privateJwk, key.alg);
  if ((await calculateJwkThumbprint(publicJwk)) !== key.kid) throw new Error(`key ${key.kid}: kid is not the key's thumbprint`);
  // A node:crypto KeyObject: what the signer uses (src/tokens/compact-jws.ts).
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: key.privateJwk as JsonWebKey, format: 'jwk' });
  } catch (error) {
    throw new Error(`key ${key.kid}: not a usable private key (${(error as Error).message})`);
  }
  if (privateKey.asymmetricKeyType !== (key.alg === ACCESS_TOKEN_ALG ? 'ec' : 'rsa')) throw new Error(`key ${key.kid}: not an ${key.alg} key`);
  return {
    alg: key.alg,
    signing: { kid: key.kid, privateKey },
    publicJwk: { ...publicJwk, kid: key.kid, alg: key.alg, use: 'sig' },
  };
}

/**
 * The public members of a key: exactly those its thumbprint covers (RFC 7638), so never `d` nor,
 * for RSA, the primes and CRT values (`p`, `q`, `dp`, `dq`, `qi`).
 */
function publicPart(jwk: JWK, alg: SigningAlg): JWK {
  if (alg === ACCESS_TOKEN_ALG) {
    const { kty, crv, x, y } = jwk;
    if (kty !== 'EC' || crv !== 'P-256' || typeof x !== 'string' || typeof y !== 'string') throw new Error('not a P-256 EC key');
    return { kty, crv, x, y };
  }
  const { kty, n, e } = jwk;
  if (kty !== 'RSA' || typeof n !== 'string' || typeof e !== 'string') throw new Error('not an RSA key');
  if (base64url.decode(n).length * 8 < RSA_MODULUS_BITS) throw new Error(`RSA key shorter than ${RSA_MODULUS_BITS} bits`);
  return { kty, n, e };
}
