/**
 * Encodings used on the wire (protocol v1): base64url without padding, strict UTF-8 and
 * Crockford base32 (recovery codes, fingerprints). All decoders are strict and canonical:
 * an input decodes only if re-encoding the result gives the same text back.
 */
import type { Bytes } from './bytes.ts';
import { cryptoError } from './errors.ts';

// ---------------------------------------------------------------------------------------------
// UTF-8

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export const utf8Encode = (text: string): Bytes => encoder.encode(text);

/** Throws `INVALID_INPUT` on malformed UTF-8 (no replacement characters). */
export const utf8Decode = (bytes: Uint8Array): string => {
  try {
    return decoder.decode(bytes);
  } catch {
    throw cryptoError('INVALID_INPUT', 'invalid UTF-8');
  }
};

// ---------------------------------------------------------------------------------------------
// Generic MSB-first radix-2^k codec (base64url: k = 6, base32: k = 5)

const reverseTable = (alphabet: string): ReadonlyMap<string, number> =>
  new Map([...alphabet].map((c, i) => [c, i] as const));

const encodeBits = (bytes: Uint8Array, alphabet: string, bitsPerChar: number): string => {
  const mask = (1 << bitsPerChar) - 1;
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= bitsPerChar) {
      bits -= bitsPerChar;
      out += alphabet[(buffer >> bits) & mask];
    }
  }
  if (bits > 0) out += alphabet[(buffer << (bitsPerChar - bits)) & mask];
  return out;
};

const decodeBits = (
  text: string,
  table: ReadonlyMap<string, number>,
  bitsPerChar: number,
): Bytes | null => {
  const out = new Uint8Array(Math.floor((text.length * bitsPerChar) / 8));
  let buffer = 0;
  let bits = 0;
  let i = 0;
  for (const c of text) {
    const v = table.get(c);
    if (v === undefined) return null;
    buffer = ((buffer << bitsPerChar) | v) & 0xffff;
    bits += bitsPerChar;
    if (bits >= 8) {
      bits -= 8;
      out[i++] = (buffer >> bits) & 0xff;
    }
  }
  // Leftover bits must be zero padding, fewer than a whole character.
  if (bits >= bitsPerChar || (buffer & ((1 << bits) - 1)) !== 0) return null;
  return out;
};

// ---------------------------------------------------------------------------------------------
// base64url without padding (RFC 4648 §5)

const B64U = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const B64U_TABLE = reverseTable(B64U);

export const b64uEncode = (bytes: Uint8Array): string => encodeBits(bytes, B64U, 6);

/** Decodes canonical unpadded base64url or returns null. */
export const b64uDecodeOrNull = (text: string): Bytes | null =>
  text.length % 4 === 1 ? null : decodeBits(text, B64U_TABLE, 6);

/** Decodes canonical unpadded base64url; throws `INVALID_INPUT` otherwise. */
export const b64uDecode = (text: string): Bytes => {
  const bytes = b64uDecodeOrNull(text);
  if (bytes === null) throw cryptoError('INVALID_INPUT', 'invalid base64url');
  return bytes;
};

/** Number of unpadded base64url characters for `n` bytes. */
export const b64uLength = (n: number): number => Math.ceil((n * 8) / 6);

// ---------------------------------------------------------------------------------------------
// Crockford base32 (https://www.crockford.com/base32.html), MSB first, no check symbol

export const CROCKFORD_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CROCKFORD_TABLE = reverseTable(CROCKFORD_ALPHABET);

export const base32Encode = (bytes: Uint8Array): string => encodeBits(bytes, CROCKFORD_ALPHABET, 5);

/**
 * Normalises human input: case-insensitive, hyphens and whitespace ignored, `O`→`0`,
 * `I`/`L`→`1`. `U` and any other character stay and make decoding fail.
 */
export const normalizeBase32 = (text: string): string =>
  text.replace(/[\s-]/g, '').toUpperCase().replace(/O/g, '0').replace(/[IL]/g, '1');

/** Decodes canonical Crockford base32 (already normalised) or returns null. */
export const base32DecodeOrNull = (text: string): Bytes | null => {
  const bytes = decodeBits(text, CROCKFORD_TABLE, 5);
  // Reject lengths that no byte string encodes to (e.g. 3 characters).
  return bytes !== null && base32Encode(bytes).length === text.length ? bytes : null;
};

/** Decodes Crockford base32 leniently (see `normalizeBase32`); throws `INVALID_INPUT`. */
export const base32Decode = (text: string): Bytes => {
  const bytes = base32DecodeOrNull(normalizeBase32(text));
  if (bytes === null) throw cryptoError('INVALID_INPUT', 'invalid base32');
  return bytes;
};

/** Splits `text` into groups of `size` characters joined by `-`. */
export const groupChars = (text: string, size: number): string =>
  (text.match(new RegExp(`.{1,${size}}`, 'g')) ?? []).join('-');
