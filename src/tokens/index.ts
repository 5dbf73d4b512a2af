// Keys, JWKS, access-token signing and verification (jose). See ARCHITECTURE.md, "Tokens".

export { ACCESS_TOKEN_ALG, ACCESS_TOKEN_TYP, signAccessToken, type SigningKey } from './access-token.ts';
export {
  keyFilePath,
  loadOrCreateKeyRing,
  memoryKeyRing,
  rotateKeys,
  type KeyFile,
  type KeyRing,
  type KeyRingOptions,
  type StoredKey,
} from './keys.ts';
export { CLOCK_TOLERANCE, MAX_TOKEN_LENGTH, createVerifier, type Verification, type VerifierOptions } from './verify.ts';
