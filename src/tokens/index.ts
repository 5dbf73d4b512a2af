// Keys, JWKS, access-token and ID-token signing, and access-token verification (jose).

export { ACCESS_TOKEN_ALG, ACCESS_TOKEN_TYP, signAccessToken, type SigningKey } from './access-token.ts';
export { ID_TOKEN_ALG, ID_TOKEN_TYP, signIdToken } from './id-token.ts';
export { keyFilePath, type KeyFile } from './key-file.ts';
export { RSA_MODULUS_BITS, SIGNING_ALGS, type SigningAlg, type StoredKey } from './key-material.ts';
export { dropExpiredKeys, freshKeys, keptKeys, keyRingFrom, keyRoles, loadOrCreateKeyFile, loadOrCreateKeyRing, memoryKeys, memoryKeyRing, readStoredKeys, rotateKeyFile, rotateKeys, SwappableKeyRing } from './keys.ts';
export type { KeyFileState, KeyRing, KeyRingOptions, KeyRole } from './keys.ts';
export { CLOCK_TOLERANCE, MAX_TOKEN_LENGTH, createVerifier, type Verification, type VerifierOptions } from './verify.ts';
