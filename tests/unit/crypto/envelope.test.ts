import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { copyBytes, randomBytes } from '../../../src/lib/core/crypto/bytes.ts';
import { b64uDecode, utf8Decode } from '../../../src/lib/core/crypto/encoding.ts';
import {
  aad,
  envelopeSchema,
  importAesKey,
  MAX_ENVELOPE_BYTES,
  MAX_PLAINTEXT_BYTES,
  openEnvelope,
  PURPOSES,
  sealEnvelope,
  type AadContext,
} from '../../../src/lib/core/crypto/envelope.ts';
import { expectCryptoError, expectNonExtractable, flipBit, toHex } from './helpers.ts';

const newKey = () => importAesKey(randomBytes(32));

const arbId = fc.uuid({ version: 4 });
const arbContext: fc.Arbitrary<AadContext> = fc.record({
  purpose: fc.constantFrom(...PURPOSES),
  binding: fc.oneof(
    arbId,
    fc.tuple(arbId, arbId, fc.integer({ min: 1, max: 1000 })).map((p) => p.join('/')),
  ),
  kid: fc.oneof(
    fc
      .tuple(fc.constantFrom('user', 'pwd', 'rec', 'org'), arbId, fc.integer({ min: 1, max: 99 }))
      .map((p) => p.join(':')),
    fc.constant('pub:0123-4567-89AB-CDEF'),
  ),
});

describe('envelope', () => {
  it('AAD is exactly nyckel:v1|<purpose>|<binding>|<kid>', () => {
    const bytes = aad({ purpose: 'org-link', binding: 'o/l/3', kid: 'org:o:3' });
    expect(utf8Decode(bytes)).toBe('nyckel:v1|org-link|o/l/3|org:o:3');
  });

  it('AAD refuses separators inside components and unknown purposes', () => {
    expect(() => aad({ purpose: 'org-link', binding: 'a|b', kid: 'org:o:1' })).toThrow();
    expect(() => aad({ purpose: 'org-link', binding: 'a', kid: 'org:o|x:1' })).toThrow();
    expect(() => aad({ purpose: 'nope' as never, binding: 'a', kid: 'org:o:1' })).toThrow();
  });

  it('seal/open round-trips any plaintext under any context', async () => {
    const key = await newKey();
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: MAX_PLAINTEXT_BYTES }),
        arbContext,
        async (plaintext, context) => {
          const envelope = await sealEnvelope(key, copyBytes(plaintext), context);
          expect(envelopeSchema.safeParse(envelope).success).toBe(true);
          expect(JSON.stringify(envelope).length).toBeLessThanOrEqual(MAX_ENVELOPE_BYTES);
          expect(envelope).toMatchObject({ v: 1, alg: 'A256GCM', kid: context.kid });
          expect(b64uDecode(envelope.iv)).toHaveLength(12);
          expect(b64uDecode(envelope.ct)).toHaveLength(plaintext.length + 16);
          const opened = await openEnvelope(key, envelope, context);
          expect(toHex(opened)).toBe(toHex(plaintext));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('uses a fresh IV every time', async () => {
    const key = await newKey();
    const ctx: AadContext = { purpose: 'client-label', binding: 'a/b/1', kid: 'org:a:1' };
    const a = await sealEnvelope(key, new Uint8Array(8), ctx);
    const b = await sealEnvelope(key, new Uint8Array(8), ctx);
    expect(a.iv).not.toBe(b.iv);
    expect(a.ct).not.toBe(b.ct);
  });

  it('a ciphertext moved to another purpose, binding or kid fails', async () => {
    const key = await newKey();
    await fc.assert(
      fc.asyncProperty(arbContext, arbContext, async (sealed, other) => {
        fc.pre(JSON.stringify(sealed) !== JSON.stringify(other));
        const envelope = await sealEnvelope(key, new Uint8Array([1, 2, 3]), sealed);
        if (other.kid === sealed.kid) {
          await expectCryptoError(openEnvelope(key, envelope, other), 'DECRYPT_FAILED');
        } else {
          // Expecting another kid: refused before decrypting.
          await expectCryptoError(openEnvelope(key, envelope, other), 'KID_MISMATCH');
          // Rewriting the kid field to the expected one: the AAD no longer matches.
          const moved = { ...envelope, kid: other.kid };
          await expectCryptoError(openEnvelope(key, moved, other), 'DECRYPT_FAILED');
        }
      }),
      { numRuns: 60 },
    );
  });

  it('a kid predicate is honoured', async () => {
    const key = await newKey();
    const ctx: AadContext = { purpose: 'user-key/password', binding: 'u', kid: 'pwd:u:2' };
    const envelope = await sealEnvelope(key, new Uint8Array(32), ctx);
    await expect(
      openEnvelope(key, envelope, { ...ctx, kid: (k) => k.startsWith('pwd:u:') }),
    ).resolves.toHaveLength(32);
    await expectCryptoError(
      openEnvelope(key, envelope, { ...ctx, kid: (k) => k === 'pwd:u:1' }),
      'KID_MISMATCH',
    );
  });

  it('tampered iv or ct fails', async () => {
    const key = await newKey();
    const ctx: AadContext = { purpose: 'client-label', binding: 'a/b/1', kid: 'org:a:1' };
    const envelope = await sealEnvelope(key, randomBytes(40), ctx);
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: 12 * 8 - 1 }), fc.nat({ max: 56 * 8 - 1 }), async (i, c) => {
        await expectCryptoError(
          openEnvelope(key, { ...envelope, iv: flipBit(envelope.iv, i) }, ctx),
          'DECRYPT_FAILED',
        );
        await expectCryptoError(
          openEnvelope(key, { ...envelope, ct: flipBit(envelope.ct, c) }, ctx),
          'DECRYPT_FAILED',
        );
      }),
      { numRuns: 40 },
    );
    // Truncated tag
    const short = { ...envelope, ct: envelope.ct.slice(0, -4) };
    await expect(openEnvelope(key, short, ctx)).rejects.toThrow();
  });

  it('a wrong key fails', async () => {
    const ctx: AadContext = { purpose: 'user-private-key', binding: 'u', kid: 'user:u:1' };
    const envelope = await sealEnvelope(await newKey(), randomBytes(32), ctx);
    await expectCryptoError(openEnvelope(await newKey(), envelope, ctx), 'DECRYPT_FAILED');
  });

  it('rejects malformed envelopes before decrypting', async () => {
    const key = await newKey();
    const ctx: AadContext = { purpose: 'org-link', binding: 'a/b/1', kid: 'org:a:1' };
    const good = await sealEnvelope(key, randomBytes(10), ctx);
    const bad: unknown[] = [
      null,
      'x',
      { ...good, v: 2 },
      { ...good, alg: 'A128GCM' },
      { ...good, alg: 'ECDH-ES+A256GCM' },
      { ...good, iv: good.iv.slice(0, -1) },
      { ...good, iv: `${good.iv}AA` },
      { ...good, ct: 'AAAA' },
      { ...good, ct: 'A'.repeat(4000) },
      { ...good, kid: 'org:a|b:1' },
      { ...good, kid: 'k'.repeat(200) },
      { ...good, extra: true },
    ];
    for (const envelope of bad) {
      await expectCryptoError(openEnvelope(key, envelope, ctx), 'INVALID_ENVELOPE');
    }
  });

  it('refuses to seal more than MAX_PLAINTEXT_BYTES', async () => {
    const key = await newKey();
    const ctx: AadContext = { purpose: 'org-link', binding: 'a/b/1', kid: 'org:a:1' };
    await expectCryptoError(
      sealEnvelope(key, new Uint8Array(MAX_PLAINTEXT_BYTES + 1), ctx),
      'INVALID_INPUT',
    );
  });

  it('imported AES keys are non-extractable', async () => {
    await expectNonExtractable(await newKey());
  });
});
