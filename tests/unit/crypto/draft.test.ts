import { describe, expect, it } from 'vitest';
import { randomBytes } from '../../../src/lib/core/crypto/bytes.ts';
import { utf8Encode } from '../../../src/lib/core/crypto/encoding.ts';
import {
  aad,
  importAesKey,
  openEnvelope,
  sealEnvelope,
} from '../../../src/lib/core/crypto/envelope.ts';
import { binding, kid } from '../../../src/lib/core/crypto/ids.ts';
import { expectCryptoError } from './helpers.ts';

const userId = '3f1c2a4e-1b2c-4d5e-8f90-123456789abc';
const draftId = '9a8b7c6d-5e4f-4a3b-9c2d-1e0f2a3b4c5d';

describe('local-draft envelopes (offline upload queue)', () => {
  it('binds user, draft, part and part count', () => {
    expect(binding.draft(userId, draftId, 2, 3)).toBe(`draft/${userId}/${draftId}/2/3`);
    expect(() =>
      aad({
        purpose: 'local-draft',
        binding: binding.draft(userId, draftId, 1, 1),
        kid: kid.user(userId),
      }),
    ).not.toThrow();
    expect(() => binding.draft(userId, 'a/b', 1, 1)).toThrow();
    expect(() => binding.draft(userId, draftId, 0, 1)).toThrow();
  });

  it('a part moved to another position, draft or user does not open', async () => {
    const key = await importAesKey(randomBytes(32));
    const ctx = { purpose: 'local-draft', kid: kid.user(userId) } as const;
    const sealed = await sealEnvelope(key, utf8Encode('{"x":1}'), {
      ...ctx,
      binding: binding.draft(userId, draftId, 1, 2),
    });
    await expect(
      openEnvelope(key, sealed, { ...ctx, binding: binding.draft(userId, draftId, 1, 2) }),
    ).resolves.toBeInstanceOf(Uint8Array);
    for (const wrong of [
      binding.draft(userId, draftId, 2, 2),
      binding.draft(userId, draftId, 1, 1),
      binding.draft(userId, userId, 1, 2),
      binding.draft(draftId, draftId, 1, 2),
    ]) {
      await expectCryptoError(
        openEnvelope(key, sealed, { ...ctx, binding: wrong }),
        'DECRYPT_FAILED',
      );
    }
    await expectCryptoError(
      openEnvelope(key, sealed, {
        purpose: 'client-label',
        binding: binding.draft(userId, draftId, 1, 2),
        kid: ctx.kid,
      }),
      'DECRYPT_FAILED',
    );
  });
});
