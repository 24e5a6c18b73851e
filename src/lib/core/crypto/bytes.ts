/**
 * Byte helpers shared by the crypto core. `Bytes` is a Uint8Array backed by a plain
 * ArrayBuffer, which is what WebCrypto's `BufferSource` accepts.
 */
import { cryptoError } from './errors.ts';

export type Bytes = Uint8Array<ArrayBuffer>;

/** `n` bytes from the platform CSPRNG (`globalThis.crypto`, browser and Node 20). */
export const randomBytes = (n: number): Bytes =>
  globalThis.crypto.getRandomValues(new Uint8Array(n));

/** Copies any Uint8Array into a fresh ArrayBuffer-backed one. */
export const copyBytes = (src: Uint8Array): Bytes => {
  const out = new Uint8Array(src.length);
  out.set(src);
  return out;
};

export const concatBytes = (...parts: readonly Uint8Array[]): Bytes => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((offset, p) => {
    out.set(p, offset);
    return offset + p.length;
  }, 0);
  return out;
};

/** Overwrites secret material with zeros (best effort: JS may have copied it elsewhere). */
export const zeroize = (...arrays: readonly (Uint8Array | undefined)[]): void => {
  arrays.forEach((a) => a?.fill(0));
};

/** Length-checked comparison that does not exit early on the first differing byte. */
export const equalBytes = (a: Uint8Array, b: Uint8Array): boolean => {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
};

/** Runs `fn` with `secret`, then zeroes `secret` whatever happens. */
export const withSecret = async <T>(secret: Bytes, fn: (s: Bytes) => Promise<T>): Promise<T> => {
  try {
    return await fn(secret);
  } finally {
    zeroize(secret);
  }
};

/** Synchronous `withSecret`. */
export const withSecretSync = <T>(secret: Bytes, fn: (s: Bytes) => T): T => {
  try {
    return fn(secret);
  } finally {
    zeroize(secret);
  }
};

export const assertLength = (bytes: Uint8Array, length: number, what: string): void => {
  if (bytes.length !== length) {
    throw cryptoError('INVALID_INPUT', `${what} must be ${length} bytes`);
  }
};
