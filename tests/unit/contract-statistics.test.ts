import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  MAX_CONTRACTS_PER_ENTITY,
  type ContractComparison,
  type ContractTerms,
  type SealedContract,
} from '../../domain/contracts';
import { roundSignificant } from '../../domain/disclosure';
import type { FinancePayload } from '../../domain/sie-summary';
import { createFinanceApi } from '../../server/finance/api';
import { financeRouter } from '../../server/finance/router';
import { openFinanceStore, type FinanceStore } from '../../server/finance/store';

/**
 * Agreement statistics and the contract procedures in process: comparisons and savings
 * against hand-computed fixtures, the disclosure rules per category, each entity once per
 * group, which agreements count, and capability / IDOR checks on every procedure.
 */
let dir: string;
let store: FinanceStore;
let now: number;
let caller: ReturnType<typeof financeRouter.createCaller>;

const MIN_GROUP = 5;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'nyckel-contracts-'));
  store = openFinanceStore(dir);
  now = Date.UTC(2026, 10, 28, 12);
  const api = createFinanceApi({
    store,
    clock: { now: () => now },
    statistics: {
      minGroupSize: MIN_GROUP,
      refreshMs: 0,
      demo: { enabled: false, excludeAt: 200 },
    },
  });
  caller = financeRouter.createCaller(api.createContext());
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Entity {
  entityId: string;
  capability: string;
}

async function newEntity(): Promise<Entity> {
  const raw = randomBytes(32);
  const { entityId } = await caller.createEntity({
    capabilityHash: createHash('sha256').update(raw).digest('hex'),
    profile: { sni: '620', employeeBand: '5-9', county: '07' },
  });
  return { entityId, capability: raw.toString('base64url') };
}

/** Opaque but well-formed sealed part (the server cannot tell it from a real one). */
const sealedFor = (entityId: string): SealedContract => [
  {
    v: 1,
    alg: 'A256GCM',
    kid: `ent:${entityId}:1`,
    iv: randomBytes(12).toString('base64url'),
    ct: randomBytes(40).toString('base64url'),
  },
];

const electricity = (kwh: number, ore: number, priceArea: 'SE3' | 'SE4'): ContractTerms => ({
  category: 'electricity',
  quantity: kwh,
  annualCost: (kwh * ore) / 100,
  startMonth: '2025-01',
  endMonth: '2027-12',
  noticeMonths: 3,
  renewalMonths: 12,
  priceModel: 'fixed',
  priceArea,
  county: null,
});

const perAgreement = (category: ContractTerms['category'], annualCost: number): ContractTerms => ({
  category,
  quantity: 1,
  annualCost,
  startMonth: '2026-01',
  endMonth: null,
  noticeMonths: 1,
  renewalMonths: null,
  priceModel: null,
  priceArea: null,
  county: null,
});

async function save(entity: Entity, terms: ContractTerms, contractId: string = randomUUID()) {
  await caller.contracts.save({
    ...entity,
    contractId,
    terms,
    sealed: sealedFor(entity.entityId),
  });
  return contractId;
}

const reasonOf = async (call: Promise<unknown>) => {
  try {
    await call;
  } catch (error) {
    return (error as { reason?: string }).reason ?? (error as { code?: string }).code;
  }
  throw new Error('expected the call to fail');
};

/**
 * SE3: six entities at 50…100 öre/kWh and one with two agreements (10 000 kWh at 100 öre,
 * 30 000 kWh at 60 öre: weighted 70 öre) → values 50 60 70 70 80 90 100 (n = 7).
 * SE4: two entities at 120 and 150 öre, too few for a group of their own.
 * All regions: 50 60 70 70 80 90 100 120 150 (n = 9).
 */
async function electricityFixture() {
  for (const ore of [50, 60, 70, 80, 90, 100])
    await save(await newEntity(), electricity(10_000, ore, 'SE3'));
  const both = await newEntity();
  const dear = await save(both, electricity(10_000, 100, 'SE3'));
  const cheap = await save(both, electricity(30_000, 60, 'SE3'));
  const se4 = await newEntity();
  await save(await newEntity(), electricity(10_000, 120, 'SE4'));
  const se4Contract = await save(se4, electricity(10_000, 150, 'SE4'));
  return { both, dear, cheap, se4, se4Contract };
}

const comparisonOf = async (entity: Entity, contractId: string): Promise<ContractComparison> => {
  const list = await caller.contracts.list(entity);
  return list.contracts.find((c) => c.id === contractId)!.comparison;
};

describe('comparison and saving against hand-computed fixtures', () => {
  it('compares in the price area, with type-7 quartiles, rank, index and saving', async () => {
    const { both, dear, cheap } = await electricityFixture();
    // n = 7: p25 at h = 1.5 → 65, p50 at h = 3 → 70, p75 at h = 4.5 → 85; no p10/p90.
    expect(await comparisonOf(both, dear)).toEqual({
      contractId: dear,
      category: 'electricity',
      unit: 'ore_per_kwh',
      unitPrice: 100,
      group: { category: 'electricity', region: 'SE3' },
      n: 7,
      p25: 65,
      p50: 70,
      p75: 85,
      // 6 below, 1 equal: (6 + ½) / 7.
      rank: (100 * 6.5) / 7,
      index: 7,
      // (100 − 70) öre × 10 000 kWh = 3 000 SEK a year.
      saving: 3_000,
    });
    const cheaper = await comparisonOf(both, cheap);
    expect(cheaper).toMatchObject({
      unitPrice: 60,
      rank: (100 * 1.5) / 7,
      index: 79,
      saving: null,
    });
  });

  it('falls back to the category in all regions when the region has too few', async () => {
    const { se4, se4Contract } = await electricityFixture();
    // n = 9: p25 at h = 2 → 70, p50 at h = 4 → 80, p75 at h = 6 → 100.
    expect(await comparisonOf(se4, se4Contract)).toEqual({
      contractId: se4Contract,
      category: 'electricity',
      unit: 'ore_per_kwh',
      unitPrice: 150,
      group: { category: 'electricity', region: null },
      n: 9,
      p25: 70,
      p50: 80,
      p75: 100,
      rank: (100 * 8.5) / 9,
      index: 6,
      saving: 7_000,
    });
  });

  it('published rows hold only released, rounded numbers', async () => {
    await electricityFixture();
    const rows = store.sqlite.prepare('SELECT * FROM contract_peer_group ORDER BY group_key').all();
    expect(rows).toEqual([
      {
        group_key: 'electricity|*',
        category: 'electricity',
        region: null,
        n: 9,
        p10: null,
        p25: 70,
        p50: 80,
        p75: 100,
        p90: null,
        includes_synthetic: 0,
      },
      {
        group_key: 'electricity|SE3',
        category: 'electricity',
        region: 'SE3',
        n: 7,
        p10: null,
        p25: 65,
        p50: 70,
        p75: 85,
        p90: null,
        includes_synthetic: 0,
      },
    ]);
  });
});

describe('disclosure rules per category', () => {
  it('a category below the minimum group size publishes nothing', async () => {
    const entities = await Promise.all(Array.from({ length: MIN_GROUP - 1 }, () => newEntity()));
    const ids: string[] = [];
    for (const [i, entity] of entities.entries()) {
      ids.push(await save(entity, perAgreement('cleaning', 40_000 + i * 1_000)));
    }
    const comparison = await comparisonOf(entities[0]!, ids[0]!);
    expect(comparison).toEqual({
      contractId: ids[0],
      category: 'cleaning',
      unit: 'sek_per_year',
      unitPrice: 40_000,
      group: null,
      n: null,
      rank: null,
      index: null,
      saving: null,
    });
    // The fifth entity makes the group publishable.
    const fifth = await newEntity();
    await save(fifth, perAgreement('cleaning', 50_000));
    expect((await comparisonOf(entities[0]!, ids[0]!)).n).toBe(MIN_GROUP);
  });

  it('p10 and p90 only from 20 entities, every number to 3 significant digits', async () => {
    const prices = Array.from({ length: 20 }, (_, i) => 400 + i * 13.37 + 0.123);
    const entities: Entity[] = [];
    for (const price of prices) {
      const entity = await newEntity();
      entities.push(entity);
      await save(entity, {
        ...perAgreement('it', price * 12 * 7),
        quantity: 7,
      });
    }
    const list = await caller.contracts.list(entities[0]!);
    const comparison = list.contracts[0]!.comparison;
    // Type 7 on 20 sorted values: p10 at h = 1.9, p90 at h = 17.1.
    const at = (h: number) =>
      prices[Math.floor(h)]! + (h % 1) * (prices[Math.floor(h) + 1]! - prices[Math.floor(h)]!);
    expect(comparison.n).toBe(20);
    expect(comparison.p10).toBe(roundSignificant(at(1.9)));
    expect(comparison.p25).toBe(roundSignificant(at(4.75)));
    expect(comparison.p50).toBe(roundSignificant(at(9.5)));
    expect(comparison.p75).toBe(roundSignificant(at(14.25)));
    expect(comparison.p90).toBe(roundSignificant(at(17.1)));
    for (const q of [
      comparison.p10,
      comparison.p25,
      comparison.p50,
      comparison.p75,
      comparison.p90,
    ]) {
      expect(q).toBe(Number(q!.toPrecision(3)));
    }
    // One fewer: deciles withheld again.
    await caller.contracts.remove({
      ...entities[19]!,
      contractId: (await caller.contracts.list(entities[19]!)).contracts[0]!.id,
    });
    const smaller = (await caller.contracts.list(entities[0]!)).contracts[0]!.comparison;
    expect(smaller.n).toBe(19);
    expect(smaller.p10).toBeUndefined();
    expect(smaller.p90).toBeUndefined();
    expect(Object.keys(smaller)).not.toContain('min');
    expect(Object.keys(smaller)).not.toContain('max');
  });

  it('rent groups by county, and other categories never by region', async () => {
    for (const cost of [100_000, 110_000, 120_000, 130_000, 140_000]) {
      await save(await newEntity(), {
        ...perAgreement('rent', cost),
        quantity: 100,
        endMonth: '2028-12',
        renewalMonths: 36,
        noticeMonths: 9,
        priceModel: 'indexed',
        county: '07',
      });
    }
    const keys = store.sqlite.prepare('SELECT group_key FROM contract_peer_group').pluck().all();
    expect(keys.sort()).toEqual(['rent|*', 'rent|07']);
  });
});

describe('which agreements count', () => {
  it('an ended agreement leaves the statistics; a new month rebuilds them', async () => {
    const entities = await Promise.all(Array.from({ length: MIN_GROUP }, () => newEntity()));
    const ids: string[] = [];
    for (const entity of entities.slice(1)) await save(entity, perAgreement('security', 10_000));
    // Ends this month: still counts now.
    ids.push(
      await save(entities[0]!, { ...perAgreement('security', 12_000), endMonth: '2026-11' }),
    );
    expect((await comparisonOf(entities[0]!, ids[0]!)).n).toBe(MIN_GROUP);
    // Next month it has ended: the group falls below the minimum and is withdrawn.
    now = Date.UTC(2026, 11, 2);
    expect((await comparisonOf(entities[0]!, ids[0]!)).group).toBeNull();
    expect(store.sqlite.prepare('SELECT count(*) FROM contract_peer_group').pluck().get()).toBe(0);
  });

  it('deleting an entity removes its agreements from the statistics', async () => {
    const entities = await Promise.all(Array.from({ length: MIN_GROUP + 1 }, () => newEntity()));
    for (const entity of entities) await save(entity, perAgreement('insurance', 8_000));
    const n = () =>
      store.sqlite
        .prepare("SELECT n FROM contract_peer_group WHERE group_key = 'insurance|*'")
        .pluck()
        .get();
    expect(n()).toBe(MIN_GROUP + 1);
    await caller.deleteEntity(entities[0]!);
    expect(n()).toBe(MIN_GROUP);
    expect(
      store.sqlite
        .prepare('SELECT count(*) FROM contract WHERE entity_id = ?')
        .pluck()
        .get(entities[0]!.entityId),
    ).toBe(0);
  });
});

describe('procedures: capability and IDOR', () => {
  it('every contract procedure refuses a wrong capability like the other finance calls', async () => {
    const owner = await newEntity();
    const other = await newEntity();
    const id = await save(owner, perAgreement('other', 5_000));
    const wrong = { entityId: owner.entityId, capability: other.capability };
    expect(await reasonOf(caller.contracts.list(wrong))).toBe('CAPABILITY_REFUSED');
    expect(
      await reasonOf(
        caller.contracts.save({
          ...wrong,
          contractId: id,
          terms: perAgreement('other', 1),
          sealed: sealedFor(owner.entityId),
        }),
      ),
    ).toBe('CAPABILITY_REFUSED');
    expect(await reasonOf(caller.contracts.remove({ ...wrong, contractId: id }))).toBe(
      'CAPABILITY_REFUSED',
    );
    const unknown = { entityId: 'f'.repeat(32), capability: owner.capability };
    expect(await reasonOf(caller.contracts.list(unknown))).toBe('CAPABILITY_REFUSED');
    // The owner's agreement is untouched.
    const [stored] = (await caller.contracts.list(owner)).contracts;
    expect(stored!.terms.annualCost).toBe(5_000);
  });

  it("another entity naming an agreement's id reaches only its own rows", async () => {
    const owner = await newEntity();
    const intruder = await newEntity();
    const id = await save(owner, perAgreement('other', 5_000));
    expect(await reasonOf(caller.contracts.remove({ ...intruder, contractId: id }))).toBe(
      'CONTRACT_NOT_FOUND',
    );
    // Saving under the same id creates the intruder's own agreement, not a change of the owner's.
    await save(intruder, perAgreement('other', 1), id);
    expect((await caller.contracts.list(owner)).contracts.map((c) => c.terms.annualCost)).toEqual([
      5_000,
    ]);
    expect(
      (await caller.contracts.list(intruder)).contracts.map((c) => c.terms.annualCost),
    ).toEqual([1]);
  });

  it('a list holds only the entity’s own agreements and released numbers', async () => {
    const { both } = await electricityFixture();
    const answer = await caller.contracts.list(both);
    expect(answer.contracts.map((c) => c.unitPrice).sort()).toEqual([100, 60].sort());
    const othersPrices = [50, 80, 90, 120, 150];
    const numbers = JSON.stringify(answer.contracts.map((c) => c.comparison));
    for (const price of othersPrices) expect(numbers).not.toContain(`:${price},`);
  });

  it('saving again replaces, the limit counts new agreements only, removal erases', async () => {
    const entity = await newEntity();
    const id = await save(entity, perAgreement('accounting', 30_000));
    await save(entity, { ...perAgreement('accounting', 25_000), endMonth: '2027-06' }, id);
    const [row] = (await caller.contracts.list(entity)).contracts;
    expect(row).toMatchObject({ id, terms: { annualCost: 25_000, endMonth: '2027-06' } });
    for (let i = 1; i < MAX_CONTRACTS_PER_ENTITY; i += 1)
      await save(entity, perAgreement('other', i));
    expect(await reasonOf(save(entity, perAgreement('other', 1)))).toBe('CONTRACT_LIMIT');
    // Replacing an existing one is still allowed at the limit.
    await save(entity, perAgreement('accounting', 24_000), id);
    await caller.contracts.remove({ ...entity, contractId: id });
    expect(await reasonOf(caller.contracts.remove({ ...entity, contractId: id }))).toBe(
      'CONTRACT_NOT_FOUND',
    );
    expect((await caller.contracts.list(entity)).contracts).toHaveLength(
      MAX_CONTRACTS_PER_ENTITY - 1,
    );
  });

  it('refuses malformed input before touching the store', async () => {
    const entity = await newEntity();
    const base = {
      ...entity,
      contractId: randomUUID(),
      terms: perAgreement('other', 1_000),
      sealed: sealedFor(entity.entityId),
    };
    for (const bad of [
      { ...base, contractId: 'not-a-uuid' },
      { ...base, terms: { ...base.terms, quantity: 2 } },
      { ...base, terms: { ...base.terms, supplier: 'Kraftbolaget' } },
      { ...base, sealed: [] },
      { ...base, sealed: [{ ...base.sealed[0]!, kid: 'org:x:1' }] },
      { ...base, sealed: Array.from({ length: 5 }, () => base.sealed[0]!) },
      { ...base, supplier: 'Kraftbolaget' },
    ]) {
      expect(await reasonOf(caller.contracts.save(bad as never))).toBe('BAD_REQUEST');
    }
    expect((await caller.contracts.list(entity)).contracts).toEqual([]);
  });
});

describe('agreements join the overall index', () => {
  const payload: FinancePayload = {
    format: 'nyckel.finance-payload/1',
    profile: { sni: null, employeeBand: null, county: null },
    years: [
      {
        start: '2025-01-01',
        end: '2025-12-31',
        employees: null,
        balance: { '19': { ib: 100_000, ub: 200_000 } },
        result: { '30': -1_000_000, '50': 100_000 },
      },
    ],
  };

  it('the newest year averages item and agreement indices; the answer lists the comparisons', async () => {
    const { both, dear, cheap } = await electricityFixture();
    await caller.uploadYears({ ...both, payload });
    const result = await caller.benchmark(both);
    const contracts = [...result.contracts].sort((a, b) =>
      a.contractId.localeCompare(b.contractId),
    );
    expect(contracts.map((c) => c.contractId)).toEqual([dear, cheap].sort());
    // The only entity with years: no figure has a published group, so only agreements count.
    expect(result.selected.items.every((item) => item.index === null)).toBe(true);
    expect(result.selected.overallIndex).toBe(Math.round((7 + 79) / 2));
  });
});
