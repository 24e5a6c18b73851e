import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { randomBytes } from '../../../src/lib/core/crypto/bytes.ts';
import { importAesKey, MAX_PLAINTEXT_BYTES } from '../../../src/lib/core/crypto/envelope.ts';
import { binding, kid } from '../../../src/lib/core/crypto/ids.ts';
import { openParts, sealParts } from '../../../src/lib/core/crypto/parts.ts';
import { expectCryptoError } from './helpers.ts';

const userId = '3f1c2a4e-1b2c-4d5e-8f90-123456789abc';
const orgId = '9a8b7c6d-5e4f-4a3b-9c2d-1e0f2a3b4c5d';
const otherOrg = '0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e';

const mapParts = (org: string) => ({
  purpose: 'local-client-map' as const,
  kid: kid.user(userId),
  bindingOf: (part: number, parts: number) => binding.clientMap(userId, org, part, parts),
});

describe('sealParts / openParts (local drafts and the client mapping)', () => {
  it('round-trips any plaintext, in ⌈n / MAX_PLAINTEXT_BYTES⌉ parts (at least one)', async () => {
    const key = await importAesKey(randomBytes(32));
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 3 * MAX_PLAINTEXT_BYTES + 7 }), async (bytes) => {
        const parts = await sealParts(key, bytes, mapParts(orgId));
        expect(parts).toHaveLength(Math.max(1, Math.ceil(bytes.length / MAX_PLAINTEXT_BYTES)));
        expect(await openParts(key, parts, mapParts(orgId))).toEqual(bytes);
      }),
      { numRuns: 40 },
    );
  });

  it('refuses reordered, dropped or duplicated parts, another org and another key', async () => {
    const key = await importAesKey(randomBytes(32));
    const bytes = randomBytes(2 * MAX_PLAINTEXT_BYTES + 10);
    const parts = await sealParts(key, bytes, mapParts(orgId));
    expect(parts).toHaveLength(3);
    const [a, b, c] = parts;
    for (const tampered of [
      [b, a, c],
      [a, b],
      [a, a, c],
      [a, b, c, c],
    ]) {
      await expectCryptoError(openParts(key, tampered, mapParts(orgId)), 'DECRYPT_FAILED');
    }
    await expectCryptoError(openParts(key, parts, mapParts(otherOrg)), 'DECRYPT_FAILED');
    const otherKey = await importAesKey(randomBytes(32));
    await expectCryptoError(openParts(otherKey, parts, mapParts(orgId)), 'DECRYPT_FAILED');
  });

  it('a client-map part does not open as a draft part (purpose is bound)', async () => {
    const key = await importAesKey(randomBytes(32));
    const parts = await sealParts(key, randomBytes(10), mapParts(orgId));
    await expectCryptoError(
      openParts(key, parts, {
        purpose: 'local-draft',
        kid: kid.user(userId),
        bindingOf: (part, count) => binding.clientMap(userId, orgId, part, count),
      }),
      'DECRYPT_FAILED',
    );
  });
});
