import { expect } from 'vitest';
import { copyBytes, type Bytes } from '../../../src/lib/core/crypto/bytes.ts';
import { isCryptoError, type CryptoErrorCode } from '../../../src/lib/core/crypto/errors.ts';

export const hex = (text: string): Bytes =>
  copyBytes(Uint8Array.from(text.match(/../g) ?? [], (h) => parseInt(h, 16)));

export const toHex = (bytes: Uint8Array): string =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

/** Awaits `promise` and asserts it rejects with a NyckelCryptoError of `code`. */
export const expectCryptoError = async (promise: Promise<unknown>, code: CryptoErrorCode) => {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isCryptoError(error), `expected ${code}, got ${String(error)}`).toBe(true);
  expect(isCryptoError(error, code), `expected ${code}, got ${String(error)}`).toBe(true);
};

/** Asserts a CryptoKey cannot be exported in any format. */
export const expectNonExtractable = async (key: CryptoKey) => {
  expect(key.extractable).toBe(false);
  for (const format of ['raw', 'pkcs8', 'jwk'] as const) {
    await expect(globalThis.crypto.subtle.exportKey(format, key)).rejects.toThrow();
  }
};

/** Flips one bit of a b64u string's decoded bytes and re-encodes. */
export const flipBit = (b64u: string, bit = 0): string => {
  const bytes = Buffer.from(b64u, 'base64url');
  const i = Math.floor(bit / 8) % bytes.length;
  bytes[i] = (bytes[i] ?? 0) ^ (1 << (bit % 8));
  return bytes.toString('base64url');
};

/** Small, fast KDF parameters for tests (the allowed minimum). */
export const FAST_KDF = {
  alg: 'argon2id',
  m: 8192,
  t: 1,
  p: 1,
  salt: 'AAECAwQFBgcICQoLDA0ODw',
} as const;
