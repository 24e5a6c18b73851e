import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concatBytes, copyBytes } from '../../../src/lib/core/crypto/bytes.ts';
import { b64uDecode, b64uEncode } from '../../../src/lib/core/crypto/encoding.ts';
import {
  eciesOpen,
  eciesSeal,
  ECIES_INFO,
  type EciesContext,
} from '../../../src/lib/core/crypto/ecies.ts';
import { aad, envelopeSchema } from '../../../src/lib/core/crypto/envelope.ts';
import { hkdf } from '../../../src/lib/core/crypto/hkdf.ts';
import {
  ecdh,
  exportPublicKey,
  fingerprint,
  generateKeyPair,
  importPublicKey,
} from '../../../src/lib/core/crypto/p256.ts';
import { expectCryptoError, flipBit, toHex } from './helpers.ts';

const recipient = async () => {
  const pair = await generateKeyPair(false);
  return { privateKey: pair.privateKey, publicKey: await exportPublicKey(pair.publicKey) };
};

const ctx = { purpose: 'org-key/member', binding: 'o/u/1' } as const;

describe('ECIES (ECDH-ES+A256GCM)', () => {
  it('round-trips arbitrary plaintexts', async () => {
    const r = await recipient();
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 512 }), async (plaintext) => {
        const envelope = await eciesSeal(r.publicKey, copyBytes(plaintext), ctx);
        expect(envelopeSchema.safeParse(envelope).success).toBe(true);
        expect(envelope.alg).toBe('ECDH-ES+A256GCM');
        expect(envelope.kid).toBe(`pub:${await fingerprint(r.publicKey)}`);
        expect(b64uDecode(envelope.epk)).toHaveLength(65);
        const opened = await eciesOpen(r.privateKey, r.publicKey, envelope, ctx);
        expect(toHex(opened)).toBe(toHex(plaintext));
      }),
      { numRuns: 40 },
    );
  });

  it('follows the spec: kek = HKDF(ECDH, salt = epk ‖ recipient, info "nyckel:ecies:v1")', async () => {
    // Re-derive the kek independently from the recipient side and decrypt by hand.
    const r = await recipient();
    const plaintext = new Uint8Array([7, 7, 7]);
    const envelope = await eciesSeal(r.publicKey, plaintext, ctx);
    const shared = await ecdh(r.privateKey, await importPublicKey(envelope.epk));
    const kekBytes = await hkdf(shared, ECIES_INFO, {
      salt: concatBytes(b64uDecode(envelope.epk), b64uDecode(r.publicKey)),
    });
    const kek = await globalThis.crypto.subtle.importKey('raw', kekBytes, 'AES-GCM', false, [
      'decrypt',
    ]);
    const pt = await globalThis.crypto.subtle.decrypt(
      {
        name: 'AES-GCM',
        iv: b64uDecode(envelope.iv),
        additionalData: aad({ ...ctx, kid: envelope.kid }),
      },
      kek,
      b64uDecode(envelope.ct),
    );
    expect(toHex(new Uint8Array(pt))).toBe(toHex(plaintext));
  });

  it('uses a fresh ephemeral key per message', async () => {
    const r = await recipient();
    const a = await eciesSeal(r.publicKey, new Uint8Array(32), ctx);
    const b = await eciesSeal(r.publicKey, new Uint8Array(32), ctx);
    expect(a.epk).not.toBe(b.epk);
  });

  it('another recipient cannot open it (kid check, and decryption with a forged kid)', async () => {
    const a = await recipient();
    const b = await recipient();
    const envelope = await eciesSeal(a.publicKey, new Uint8Array(32), ctx);
    await expectCryptoError(eciesOpen(b.privateKey, b.publicKey, envelope, ctx), 'KID_MISMATCH');
    const forged = { ...envelope, kid: `pub:${await fingerprint(b.publicKey)}` };
    await expectCryptoError(eciesOpen(b.privateKey, b.publicKey, forged, ctx), 'DECRYPT_FAILED');
    // B's private key with A's public key (kid matches, ECDH does not).
    await expectCryptoError(eciesOpen(b.privateKey, a.publicKey, envelope, ctx), 'DECRYPT_FAILED');
  });

  it('fails for another purpose or binding and for tampered epk/iv/ct', async () => {
    const r = await recipient();
    const envelope = await eciesSeal(r.publicKey, new Uint8Array(32), ctx);
    const open = (e: unknown, c: EciesContext = ctx) => eciesOpen(r.privateKey, r.publicKey, e, c);
    await expectCryptoError(open(envelope, { ...ctx, binding: 'o/u/2' }), 'DECRYPT_FAILED');
    await expectCryptoError(
      open(envelope, { purpose: 'org-link', binding: ctx.binding }),
      'DECRYPT_FAILED',
    );
    await expectCryptoError(open({ ...envelope, iv: flipBit(envelope.iv, 5) }), 'DECRYPT_FAILED');
    await expectCryptoError(open({ ...envelope, ct: flipBit(envelope.ct, 9) }), 'DECRYPT_FAILED');
    // A different, valid ephemeral point.
    const other = await recipient();
    await expectCryptoError(open({ ...envelope, epk: other.publicKey }), 'DECRYPT_FAILED');
    // Not a curve point.
    const bogus = b64uDecode(envelope.epk);
    bogus[64] = (bogus[64] ?? 0) ^ 1;
    await expectCryptoError(open({ ...envelope, epk: b64uEncode(bogus) }), 'DECRYPT_FAILED');
    // A symmetric envelope is not accepted here.
    const { epk: _epk, ...sym } = envelope;
    await expectCryptoError(open({ ...sym, alg: 'A256GCM' }), 'INVALID_ENVELOPE');
  });

  it('rejects invalid recipient public keys', async () => {
    const r = await recipient();
    const raw = b64uDecode(r.publicKey);
    raw[0] = 0x02;
    await expectCryptoError(eciesSeal(b64uEncode(raw), new Uint8Array(1), ctx), 'INVALID_INPUT');
    await expectCryptoError(eciesSeal('AAAA', new Uint8Array(1), ctx), 'INVALID_INPUT');
    const offCurve = b64uDecode(r.publicKey);
    offCurve[64] = (offCurve[64] ?? 0) ^ 1;
    await expectCryptoError(
      eciesSeal(b64uEncode(offCurve), new Uint8Array(1), ctx),
      'INVALID_INPUT',
    );
  });

  it('fingerprint: first 10 bytes of SHA-256(raw point) in base32, XXXX-XXXX-XXXX-XXXX', async () => {
    // Known answer (computed independently with Python): the P-256 base point G.
    const g =
      'BGsX0fLhLEJH-Lzm5WOkQPJ3A32BLeszoPShOUXYmMKWT-NC4v4af5uO5-tKfA-eFivOM1drMV7Oy7ZAaDe_UfU';
    expect(await fingerprint(g)).toBe('D65Y-MRYW-8JHM-8SHZ');
    const r = await recipient();
    expect(await fingerprint(r.publicKey)).toMatch(
      /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/,
    );
  });
});
