/**
 * Errors of the crypto core. Messages never contain key material or plaintext; the `code`
 * tells the UI what happened (e.g. a wrong recovery code vs. a corrupted envelope).
 */

export const CRYPTO_ERROR_CODES = [
  /** Malformed argument (wrong length, bad id, out-of-range KDF parameter, …). */
  'INVALID_INPUT',
  /** The envelope does not match the schema (version, algorithm, sizes, encodings). */
  'INVALID_ENVELOPE',
  /** The envelope's `kid` is not the key the caller expected. */
  'KID_MISMATCH',
  /** Authentication failed: wrong key, wrong purpose/binding, or tampered iv/ct. */
  'DECRYPT_FAILED',
  /** The recovery code is not 32 valid Crockford base32 characters. */
  'INVALID_RECOVERY_CODE',
  /** The decrypted private key does not belong to the public key on record. */
  'KEY_MISMATCH',
] as const;

export type CryptoErrorCode = (typeof CRYPTO_ERROR_CODES)[number];

export type CryptoError = Error & {
  readonly name: 'NyckelCryptoError';
  readonly code: CryptoErrorCode;
};

/** Non-widening literal, so `Object.assign` below keeps the literal type. */
export const CRYPTO_ERROR_NAME = 'NyckelCryptoError' as const;

export const cryptoError = (code: CryptoErrorCode, message: string): CryptoError =>
  Object.assign(new Error(message), { name: CRYPTO_ERROR_NAME, code }) satisfies CryptoError;

export const isCryptoError = (e: unknown, code?: CryptoErrorCode): e is CryptoError =>
  e instanceof Error &&
  e.name === CRYPTO_ERROR_NAME &&
  'code' in e &&
  (code === undefined || e.code === code);
