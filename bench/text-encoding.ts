/**
 * Encoders for the synthetic SIE generator. CP437 uses the parser's own 256-entry table
 * (workers/sie/cp437.ts) with an ASCII fast path; characters without a CP437 form throw, since
 * the generator only writes text it controls.
 */
import { cp437ByteOf } from '../workers/sie/cp437.ts';

export type SyntheticEncoding = 'cp437' | 'utf-8';

const utf8 = new TextEncoder();

export const encodeCp437Strict = (text: string): Uint8Array => {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) {
      out[i] = code;
      continue;
    }
    const byte = cp437ByteOf(code);
    if (byte < 0) {
      throw new RangeError(`Character ${JSON.stringify(text[i])} has no CP437 form`);
    }
    out[i] = byte;
  }
  return out;
};

/** UTF-8 byte length without allocating (the generator only uses BMP characters). */
const utf8Length = (text: string): number => {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x80) bytes += code < 0x800 ? 1 : code >= 0xd800 && code < 0xe000 ? 1 : 2;
  }
  return bytes;
};

export const encodeText = (text: string, encoding: SyntheticEncoding): Uint8Array =>
  encoding === 'cp437' ? encodeCp437Strict(text) : utf8.encode(text);

/** Encoded length in bytes (CP437 is one byte per UTF-16 unit; validity checked on encode). */
export const encodedLength = (text: string, encoding: SyntheticEncoding): number =>
  encoding === 'cp437' ? text.length : utf8Length(text);
