// Deterministic cryptographic helpers the core may use: hashing, constant-time comparison and the
// sealing of a rotated refresh token's successor. No randomness and no clock: values that must be
// fresh arrive in the command.
import { createCipheriv, createDecipheriv, createHash, hash, timingSafeEqual } from 'node:crypto';

/**
 * SHA-256, base64url: how every secret (client secret, code, refresh token) is held at rest.
 * `hash` is Node's one-shot digest (UTF-8 input), a quarter of the cost of a Hash object.
 */
export function hashSecret(secret: string): string {
  return hash('sha256', secret, 'base64url');
}

/** Compares two hashes in constant time. */
export function hashesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The PKCE S256 transform (RFC 7636 §4.2). */
export function s256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

// A rotated refresh token keeps its successor sealed so that a retry inside the grace window can
// be answered with the same successor without storing it in plaintext. The key is derived from
// the predecessor, which is itself stored only as a hash: whoever can open the seal already holds
// the predecessor. Each key seals exactly one message, so a fixed nonce is safe.
const SEAL_NONCE = Buffer.alloc(12);

function sealKey(predecessor: string): Buffer {
  return hash('sha256', `agent-notes/refresh-successor\0${predecessor}`, 'buffer');
}

export function sealSuccessor(predecessor: string, successor: string): string {
  const cipher = createCipheriv('aes-256-gcm', sealKey(predecessor), SEAL_NONCE);
  const body = Buffer.concat([cipher.update(successor, 'utf8'), cipher.final()]);
  return Buffer.concat([body, cipher.getAuthTag()]).toString('base64url');
}

/** Opens a seal made by `sealSuccessor`; `undefined` if the predecessor does not fit. */
export function openSuccessor(predecessor: string, sealed: string): string | undefined {
  const raw = Buffer.from(sealed, 'base64url');
  if (raw.length < 16) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', sealKey(predecessor), SEAL_NONCE);
    decipher.setAuthTag(raw.subarray(raw.length - 16));
    return Buffer.concat([decipher.update(raw.subarray(0, raw.length - 16)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}
