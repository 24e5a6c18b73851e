import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { randomBytes } from '../../src/lib/core/crypto/bytes.ts';
import { utf8Decode, utf8Encode } from '../../src/lib/core/crypto/encoding.ts';
import { importAesKey, MAX_PLAINTEXT_BYTES } from '../../src/lib/core/crypto/envelope.ts';
import { binding, kid } from '../../src/lib/core/crypto/ids.ts';
import { openParts, sealParts } from '../../src/lib/core/crypto/parts.ts';
import { openDraft, sealDraft } from '../../src/lib/sealed-queue.ts';
import { expectCryptoError } from './crypto/helpers.ts';

/**
 * The sealed queues keep the stored format drafts.ts and contract-drafts.ts always wrote:
 * the JSON of the content sealed in parts, purpose `local-draft`, the user's kid, and the
 * queue's own AAD binding per part. Drafts queued before the queues shared one module must
 * still open, and drafts sealed now must open the way they always did.
 */
const userId = '3f1c2a4e-1b2c-4d5e-8f90-123456789abc';
const draftId = '9a8b7c6d-5e4f-4a3b-9c2d-1e0f2a3b4c5d';
const otherDraft = '0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e';

const contentSchema = z.strictObject({ orgId: z.string().min(1), note: z.string() });
const content = { orgId: 'org-1', note: 'x'.repeat(MAX_PLAINTEXT_BYTES + 5) };

/** The sealing context exactly as drafts.ts wrote it inline before the shared module. */
const formerContext = (bindingOf: typeof binding.draft) => ({
  purpose: 'local-draft' as const,
  kid: kid.user(userId),
  bindingOf: (part: number, parts: number) => bindingOf(userId, draftId, part, parts),
});

describe('sealed draft queue format', () => {
  for (const [name, bindingOf] of [
    ['upload drafts', binding.draft],
    ['agreement drafts', binding.contractDraft],
  ] as const) {
    it(`${name}: a draft sealed the former way opens, and one sealed now opens the former way`, async () => {
      const userKey = await importAesKey(randomBytes(32));
      const record = { id: draftId, userId };

      const former = await sealParts(
        userKey,
        utf8Encode(JSON.stringify(content)),
        formerContext(bindingOf),
      );
      expect(former.length).toBe(2);
      await expect(
        openDraft(userKey, bindingOf, { ...record, parts: former }, contentSchema),
      ).resolves.toEqual(content);

      const sealed = await sealDraft(userKey, bindingOf, userId, draftId, content);
      const opened = await openParts(userKey, sealed, formerContext(bindingOf));
      expect(JSON.parse(utf8Decode(opened))).toEqual(content);
    });
  }

  it('a draft does not open as another draft, in another queue or with parts swapped', async () => {
    const userKey = await importAesKey(randomBytes(32));
    const parts = await sealDraft(userKey, binding.draft, userId, draftId, content);
    const open = (bindingOf: typeof binding.draft, id: string, sealed: typeof parts) =>
      openDraft(userKey, bindingOf, { id, userId, parts: sealed }, contentSchema);

    await expectCryptoError(open(binding.draft, otherDraft, parts), 'DECRYPT_FAILED');
    await expectCryptoError(open(binding.contractDraft, draftId, parts), 'DECRYPT_FAILED');
    await expectCryptoError(open(binding.draft, draftId, [...parts].reverse()), 'DECRYPT_FAILED');
  });

  it('content that no longer matches the schema is refused after opening', async () => {
    const userKey = await importAesKey(randomBytes(32));
    const parts = await sealDraft(userKey, binding.draft, userId, draftId, { orgId: '', note: 1 });
    await expect(
      openDraft(userKey, binding.draft, { id: draftId, userId, parts }, contentSchema),
    ).rejects.toThrow(z.ZodError);
  });
});
