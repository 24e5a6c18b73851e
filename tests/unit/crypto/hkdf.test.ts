import { hkdfSync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { copyBytes } from '../../../src/lib/core/crypto/bytes.ts';
import { aad } from '../../../src/lib/core/crypto/envelope.ts';
import { hkdf, hkdfAesKey } from '../../../src/lib/core/crypto/hkdf.ts';
import { expectNonExtractable, hex, toHex } from './helpers.ts';

describe('hkdf (HKDF-SHA-256)', () => {
  it('RFC 5869 test case 1', async () => {
    const okm = await hkdf(hex('0b'.repeat(22)), hex('f0f1f2f3f4f5f6f7f8f9'), {
      salt: hex('000102030405060708090a0b0c'),
      length: 42,
    });
    expect(toHex(okm)).toBe(
      '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865',
    );
  });

  it('RFC 5869 test case 3 equals the protocol default salt (32 zero bytes)', async () => {
    // TC3 has no salt, which RFC 5869 defines as HashLen zero bytes: our default.
    const okm = await hkdf(hex('0b'.repeat(22)), '', { length: 42 });
    expect(toHex(okm)).toBe(
      '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8',
    );
  });

  it('defaults to 32 bytes and agrees with node:crypto (test oracle only)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        fc.string({ maxLength: 40 }),
        async (ikm, info) => {
          const ours = await hkdf(copyBytes(ikm), info);
          const oracle = new Uint8Array(hkdfSync('sha256', ikm, new Uint8Array(32), info, 32));
          expect(toHex(ours)).toBe(toHex(oracle));
        },
      ),
      { numRuns: 50 },
    );
  });

  it('hkdfAesKey yields a non-extractable AES-GCM key equal to the raw HKDF output', async () => {
    const ikm = hex('0b'.repeat(32));
    const key = await hkdfAesKey(ikm, 'nyckel:wrap:v1');
    await expectNonExtractable(key);
    expect(key.algorithm).toMatchObject({ name: 'AES-GCM', length: 256 });
    // Same key as importing the raw bytes: what one encrypts, the other decrypts.
    const raw = await hkdf(ikm, 'nyckel:wrap:v1');
    const other = await globalThis.crypto.subtle.importKey('raw', raw, 'AES-GCM', false, [
      'decrypt',
    ]);
    const iv = new Uint8Array(12);
    const data = aad({ purpose: 'org-link', binding: 'a/b/1', kid: 'org:a:1' });
    const ct = await globalThis.crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, data);
    const pt = await globalThis.crypto.subtle.decrypt({ name: 'AES-GCM', iv }, other, ct);
    expect(toHex(new Uint8Array(pt))).toBe(toHex(data));
  });
});
