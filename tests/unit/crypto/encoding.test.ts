import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  b64uDecode,
  b64uDecodeOrNull,
  b64uEncode,
  base32Decode,
  base32DecodeOrNull,
  base32Encode,
  CROCKFORD_ALPHABET,
  groupChars,
  utf8Decode,
  utf8Encode,
} from '../../../src/lib/core/crypto/encoding.ts';
import { hex, toHex } from './helpers.ts';

describe('base64url', () => {
  it('matches RFC 4648 test vectors (unpadded, url alphabet)', () => {
    const vectors: [string, string][] = [
      ['', ''],
      ['f', 'Zg'],
      ['fo', 'Zm8'],
      ['foo', 'Zm9v'],
      ['foob', 'Zm9vYg'],
      ['fooba', 'Zm9vYmE'],
      ['foobar', 'Zm9vYmFy'],
    ];
    for (const [plain, encoded] of vectors) {
      expect(b64uEncode(utf8Encode(plain))).toBe(encoded);
      expect(utf8Decode(b64uDecode(encoded))).toBe(plain);
    }
    expect(b64uEncode(hex('fbff'))).toBe('-_8');
  });

  it('round-trips and agrees with Buffer (oracle)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const text = b64uEncode(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64url'));
        expect(toHex(b64uDecode(text))).toBe(toHex(bytes));
      }),
      { numRuns: 500 },
    );
  });

  it('rejects padding, foreign characters, impossible lengths and non-canonical text', () => {
    for (const bad of ['Zg==', 'Zm9v+', 'Zm9v/', 'Zm9v Yg', 'Z', 'Zm9vY', 'Zh', 'AAB']) {
      expect(b64uDecodeOrNull(bad), bad).toBeNull();
      expect(() => b64uDecode(bad)).toThrow();
    }
  });
});

describe('Crockford base32', () => {
  it('uses the Crockford alphabet (no I L O U) MSB first', () => {
    expect(CROCKFORD_ALPHABET).toHaveLength(32);
    expect(CROCKFORD_ALPHABET).not.toMatch(/[ILOU]/);
    expect(base32Encode(hex('0000000000'))).toBe('00000000');
    expect(base32Encode(hex('ffffffffff'))).toBe('ZZZZZZZZ');
    // 0x00443214C74254B635CF84653A56D7C675BE77DF = 0123456789ABCDEFGHJKMNPQRSTVWXYZ
    expect(base32Encode(hex('00443214c74254b635cf84653a56d7c675be77df'))).toBe(
      '0123456789ABCDEFGHJKMNPQRSTVWXYZ',
    );
    expect(base32Encode(utf8Encode('f'))).toBe('CR');
  });

  it('round-trips arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        expect(toHex(base32Decode(base32Encode(bytes)))).toBe(toHex(bytes));
      }),
      { numRuns: 500 },
    );
  });

  it('decodes leniently: case, hyphens, spaces, O→0, I/L→1', () => {
    const bytes = hex('00443214c74254b635cf84653a56d7c675be77df');
    for (const text of [
      '0123456789abcdefghjkmnpqrstvwxyz',
      'O123-4567-89AB-CDEF-GHJK-MNPQ-RSTV-WXYZ',
      '0i23 4567 89ab cdef ghjk mnpq rstv wxyz',
      '0L23456789ABCDEFGHJKMNPQRSTVWXYZ',
    ]) {
      expect(toHex(base32Decode(text)), text).toBe(toHex(bytes));
    }
  });

  it('rejects U, other symbols, impossible lengths and non-zero padding bits', () => {
    expect(() => base32Decode('0123456789ABCDEFGHJKMNPQRSTVWXYU')).toThrow();
    expect(() => base32Decode('0123*')).toThrow();
    expect(base32DecodeOrNull('CR0')).toBeNull(); // 15 bits: no byte string encodes to 3 chars
    expect(base32DecodeOrNull('CS')).toBeNull(); // trailing bits set
  });

  it('groups characters', () => {
    expect(groupChars('ABCDEFGHJKMNPQRS', 4)).toBe('ABCD-EFGH-JKMN-PQRS');
  });
});

describe('utf8', () => {
  it('rejects malformed UTF-8', () => {
    expect(() => utf8Decode(hex('c328'))).toThrow();
    expect(utf8Decode(utf8Encode('Räksmörgås ✓'))).toBe('Räksmörgås ✓');
  });
});
