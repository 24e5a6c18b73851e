import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sealedContractSchema, type ContractPrivate } from '../../domain/contracts';
import { newLinkSecrets } from '../../src/lib/core/crypto/index';
import {
  contractProblems,
  openContractPrivate,
  sealContractPrivate,
} from '../../src/lib/core/finance/contracts';

/**
 * The sealed part of an agreement (purpose `contract-private`): supplier, notes and details
 * under the entity key, bound to the entity and the agreement, in the envelope shape the
 * finance API accepts, and refused anywhere else.
 */
const entity = () => ({
  financeEntityId: randomUUID().replace(/-/g, ''),
  ...newLinkSecrets(),
});

const content: ContractPrivate = {
  supplier: 'Kraftbolaget i Växjö AB',
  notes: 'Ring Anna före 30/9; be om fastpris.\nÖre/kWh enligt bilaga.',
  details: { energyPrice: 85.5, fixedFee: 49 },
};

describe('sealed supplier and notes', () => {
  it('round-trips and is what the server validates', async () => {
    const owner = entity();
    const id = randomUUID();
    const sealed = await sealContractPrivate(owner, id, content);
    expect(sealedContractSchema.parse(sealed)).toEqual(sealed);
    expect(sealed[0]!.kid).toBe(`ent:${owner.financeEntityId}:1`);
    const text = JSON.stringify(sealed);
    for (const secret of ['Kraftbolaget', 'Växjö', 'Anna', 'fastpris', '85.5']) {
      expect(text).not.toContain(secret);
    }
    expect(await openContractPrivate(owner, id, sealed)).toEqual(content);
  });

  it('long notes are sealed in bound parts', async () => {
    const owner = entity();
    const id = randomUUID();
    const long = { ...content, notes: 'ö'.repeat(1000), supplier: '€'.repeat(120) };
    const sealed = await sealContractPrivate(owner, id, long);
    expect(sealed.length).toBe(2);
    expect(await openContractPrivate(owner, id, sealed)).toEqual(long);
    await expect(openContractPrivate(owner, id, [...sealed].reverse())).rejects.toMatchObject({
      code: 'DECRYPT_FAILED',
    });
    await expect(openContractPrivate(owner, id, sealed.slice(0, 1))).rejects.toMatchObject({
      code: 'DECRYPT_FAILED',
    });
  });

  it('cannot be moved to another agreement or entity, nor opened with another key', async () => {
    const owner = entity();
    const id = randomUUID();
    const sealed = await sealContractPrivate(owner, id, content);
    await expect(openContractPrivate(owner, randomUUID(), sealed)).rejects.toMatchObject({
      code: 'DECRYPT_FAILED',
    });
    // Another entity: its kid differs, so the envelope is refused before decrypting.
    const other = entity();
    await expect(openContractPrivate(other, id, sealed)).rejects.toMatchObject({
      code: 'KID_MISMATCH',
    });
    // Same entity id, another key (a forged link): authentication fails.
    await expect(
      openContractPrivate({ ...owner, entityKey: newLinkSecrets().entityKey }, id, sealed),
    ).rejects.toMatchObject({ code: 'DECRYPT_FAILED' });
    const ct = sealed[0]!.ct;
    // Another first character (always a change: the original may already be an 'A').
    const tampered = [{ ...sealed[0]!, ct: `${ct.startsWith('A') ? 'B' : 'A'}${ct.slice(1)}` }];
    await expect(openContractPrivate(owner, id, tampered)).rejects.toMatchObject({
      code: 'DECRYPT_FAILED',
    });
  });

  it('refuses content the schema does not allow before sealing', async () => {
    const owner = entity();
    await expect(
      sealContractPrivate(owner, randomUUID(), { ...content, notes: 'x'.repeat(1001) }),
    ).rejects.toThrow();
    expect(
      contractProblems({
        terms: {
          category: 'electricity',
          quantity: 42_000,
          annualCost: 58_000,
          startMonth: '2025-01',
          endMonth: '2026-12',
          noticeMonths: 3,
          renewalMonths: null,
          priceModel: null,
          priceArea: 'SE3',
          county: null,
        },
        private: { ...content, details: { insuranceType: 'property' } },
      }),
    ).toEqual(['insuranceType: not a field of electricity']);
  });
});
