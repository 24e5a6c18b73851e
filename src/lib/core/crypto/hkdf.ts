/**
 * HKDF-SHA-256 (RFC 5869) on WebCrypto. Protocol v1 default: salt = 32 zero bytes,
 * output 32 bytes.
 */
import type { Bytes } from './bytes.ts';
import { utf8Encode } from './encoding.ts';

export const HKDF_LENGTH = 32;

/** The protocol's default HKDF salt (a fresh array each call, so nobody can mutate a shared one). */
export const zeroSalt = (): Bytes => new Uint8Array(32);

export interface HkdfOptions {
  /** Defaults to 32 zero bytes. */
  salt?: Uint8Array<ArrayBuffer>;
  /** Output length in bytes; defaults to 32. */
  length?: number;
}

const toInfo = (info: string | Bytes): Bytes =>
  typeof info === 'string' ? utf8Encode(info) : info;

const importIkm = (ikm: Bytes): Promise<CryptoKey> =>
  globalThis.crypto.subtle.importKey('raw', ikm, 'HKDF', false, ['deriveBits', 'deriveKey']);

const hkdfParams = (info: string | Bytes, salt: Bytes | undefined): HkdfParams => ({
  name: 'HKDF',
  hash: 'SHA-256',
  salt: salt ?? zeroSalt(),
  info: toInfo(info),
});

/** HKDF-SHA-256 output bytes. */
export const hkdf = async (
  ikm: Bytes,
  info: string | Bytes,
  { salt, length = HKDF_LENGTH }: HkdfOptions = {},
): Promise<Bytes> => {
  const key = await importIkm(ikm);
  const bits = await globalThis.crypto.subtle.deriveBits(hkdfParams(info, salt), key, length * 8);
  return new Uint8Array(bits);
};

/**
 * HKDF-SHA-256 straight into a non-extractable AES-256-GCM key (the raw key bytes never
 * reach JavaScript).
 */
export const hkdfAesKey = async (
  ikm: Bytes,
  info: string,
  { salt }: Pick<HkdfOptions, 'salt'> = {},
): Promise<CryptoKey> => {
  const key = await importIkm(ikm);
  return globalThis.crypto.subtle.deriveKey(
    hkdfParams(info, salt),
    key,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
};
