import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { statisticsSettings } from '../../server/finance/stats/engine';
import { GROUP_STATS, readStoredStats, STAT_FIELDS } from '../../server/finance/stats/stored-stats';
import {
  calendarYear,
  newCapability,
  statsHarness,
  yearWithGrossMargin,
  type Harness,
  type Profile,
} from './stats-fixtures';

/**
 * Incremental refresh of the peer statistics: uploads, profile changes and erasures mark
 * their groups dirty; the refresh recomputes only those and must end exactly where a rebuild
 * from scratch ends. Also the debounce, the demo population rule and the settings floor.
 */
let h: Harness | undefined;
afterEach(() => {
  h?.close();
  h = undefined;
});

/** Every published row (stats as hex: a deep equality of bytes is slow). */
const snapshot = (harness: Harness) =>
  harness.store.sqlite
    .prepare('SELECT *, hex(stats) AS stats FROM peer_group ORDER BY group_key')
    .all();

/**
 * The statistics the query reads in memory (published.ts) are exactly `peer_group`'s: the same
 * groups, bytes and demo flags.
 */
const expectHeldAsStored = (harness: Harness) => {
  const published = harness.api.statistics.published();
  const rows = harness.store.sqlite
    .prepare('SELECT group_key, includes_synthetic, stats FROM peer_group')
    .all() as { group_key: string; includes_synthetic: number; stats: Buffer }[];
  expect(published.size()).toBe(rows.length);
  const stored = new Float64Array(GROUP_STATS);
  for (const row of rows) {
    const slot = published.find(row.group_key);
    expect(slot).toBeGreaterThanOrEqual(0);
    readStoredStats(row.stats, stored, 0);
    const held = Float64Array.from({ length: GROUP_STATS }, (_, i) =>
      published.stat(slot, Math.floor(i / STAT_FIELDS), i % STAT_FIELDS),
    );
    expect(Buffer.from(held.buffer).equals(Buffer.from(stored.buffer))).toBe(true);
    expect(published.includesSynthetic(slot)).toBe(row.includes_synthetic === 1);
  }
};

const answers = async (harness: Harness) =>
  Promise.all(
    harness.companies.map((c) =>
      harness.caller
        .benchmark({ entityId: c.entityId, capability: c.capability })
        .catch(() => null),
    ),
  );

const profiles: Profile[] = [
  { sni: '620', employeeBand: '5-9', county: '01' },
  { sni: '620', employeeBand: '1-4', county: '01' },
  { sni: '621', employeeBand: '5-9', county: '03' },
  { sni: '471', employeeBand: '5-9', county: '01' },
  { sni: '620', employeeBand: null, county: '01' },
  { sni: null, employeeBand: '1-4', county: null },
];

describe('incremental refresh', () => {
  it('ends exactly where a rebuild from scratch ends, after any mix of changes', async () => {
    const operation = fc.oneof(
      fc.record({
        kind: fc.constant('add' as const),
        profile: fc.integer({ min: 0, max: profiles.length - 1 }),
        margin: fc.integer({ min: 0, max: 20 }),
        years: fc.subarray([2022, 2023, 2024], { minLength: 1 }),
      }),
      fc.record({
        kind: fc.constant('upload' as const),
        who: fc.nat(),
        margin: fc.integer({ min: 0, max: 20 }),
        year: fc.constantFrom(2023, 2024, 2025),
      }),
      fc.record({
        kind: fc.constant('profile' as const),
        who: fc.nat(),
        profile: fc.integer({ min: 0, max: profiles.length - 1 }),
      }),
      fc.record({ kind: fc.constant('delete' as const), who: fc.nat() }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(operation, { minLength: 15, maxLength: 40 }),
        fc.integer({ min: 5, max: 7 }),
        // Small thresholds put every released pair on quantile windows (windows.ts).
        fc.constantFrom(1, 8, 256),
        async (operations, minGroupSize, windowFrom) => {
          const harness = statsHarness({ minGroupSize, windowFrom });
          try {
            // A base population so that groups get released at all.
            for (let i = 0; i < 12; i += 1) {
              await harness.add(profiles[i % 3]!, [
                yearWithGrossMargin(2023, 0.2 + i / 50),
                yearWithGrossMargin(2024, 0.25 + i / 40),
              ]);
            }
            for (const op of operations) {
              const who = 'who' in op ? harness.companies[op.who % harness.companies.length] : null;
              if (op.kind === 'add') {
                await harness.add(
                  profiles[op.profile]!,
                  op.years.map((year) => yearWithGrossMargin(year, op.margin / 25)),
                );
              } else if (who && op.kind === 'upload') {
                await harness.upload(who, [yearWithGrossMargin(op.year, op.margin / 25)]);
              } else if (who && op.kind === 'profile') {
                await harness.setProfile(who, profiles[op.profile]!);
              } else if (who && op.kind === 'delete') {
                await harness.remove(who);
              }
            }
            const incremental = snapshot(harness);
            const incrementalAnswers = await answers(harness);
            expectHeldAsStored(harness);
            harness.api.statistics.rebuild();
            expect(snapshot(harness)).toEqual(incremental);
            expectHeldAsStored(harness);
            expect(await answers(harness)).toEqual(incrementalAnswers);
          } finally {
            harness.close();
          }
        },
      ),
      { numRuns: 24 },
    );
  });

  it('a profile change moves the entity between groups; an erasure takes it out', async () => {
    h = statsHarness();
    const a: Profile = { sni: '620', employeeBand: '5-9', county: '01' };
    for (let i = 0; i < 10; i += 1) await h.add(a, [yearWithGrossMargin(2024, 0.5)]);
    const key = 'sni3=620|band=5-9|county=01|year=2024';
    const n = () =>
      (
        h!.store.sqlite.prepare('SELECT n FROM peer_group WHERE group_key = ?').get(key) as
          { n: number } | undefined
      )?.n;
    expect(n()).toBe(10);
    const mover = await h.add(a, [yearWithGrossMargin(2024, 0.1)]);
    expect(n()).toBe(11);
    await h.setProfile(mover, { ...a, county: '03' });
    expect(n()).toBe(10);
    await h.setProfile(mover, a);
    expect(n()).toBe(11);
    await h.remove(mover);
    expect(n()).toBe(10);
    await h.remove(h.companies[0]!);
    // Nine left: the group is no longer published anywhere.
    expect(n()).toBeUndefined();
    const rows = h.store.sqlite.prepare('SELECT count(*) AS c FROM entity_metric').get() as {
      c: number;
    };
    expect(rows.c).toBe(9);
  });

  it('a failed upload changes nothing (the figures are written in its transaction)', async () => {
    h = statsHarness();
    const company = await h.add(profiles[0]!, [yearWithGrossMargin(2024, 0.5)]);
    const before = h.store.sqlite.prepare('SELECT * FROM entity_metric').all();
    // 1 + 50 + 50 = 101 years: over the limit of 100, refused inside the transaction.
    const years = Array.from({ length: 100 }, (_, i) => calendarYear(1901 + i, { sales: 1000 }));
    const upload = (slice: typeof years) =>
      h!.caller.uploadYears({
        entityId: company.entityId,
        capability: company.capability,
        payload: {
          format: 'nyckel.finance-payload/1',
          profile: { sni: null, employeeBand: null, county: null },
          years: slice,
        },
      });
    await expect(upload(years.slice(0, 50))).resolves.toEqual({ years: 50 });
    await expect(upload(years.slice(50))).rejects.toMatchObject({ reason: 'YEAR_LIMIT' });
    const after = h.store.sqlite.prepare('SELECT fiscal_year FROM entity_metric').all();
    expect(after).toHaveLength(51);
    expect(before).toHaveLength(1);
  });
});

describe('debounced refresh', () => {
  it('gathers changes and publishes them once, refreshMs after the first', async () => {
    h = statsHarness({ refreshMs: 150 });
    const a: Profile = { sni: '620', employeeBand: '5-9', county: '01' };
    // The first change builds everything (nothing was built yet).
    for (let i = 0; i < 10; i += 1) await h.add(a, [yearWithGrossMargin(2024, 0.5)]);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const count = () =>
      (h!.store.sqlite.prepare('SELECT count(*) AS c FROM peer_group').get() as { c: number }).c;
    expect(count()).toBeGreaterThan(0);
    await h.add({ ...a, sni: '471' }, [yearWithGrossMargin(2024, 0.5)]);
    for (let i = 0; i < 9; i += 1)
      await h.add({ ...a, sni: '471' }, [yearWithGrossMargin(2024, 0.5)]);
    const before = count();
    // Not yet: the refresh runs 150 ms after the first of these changes.
    expect(
      h.store.sqlite.prepare("SELECT 1 FROM peer_group WHERE group_key LIKE 'sni3=471|%'").get(),
    ).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(count()).toBeGreaterThan(before);
    expect(
      h.store.sqlite.prepare("SELECT 1 FROM peer_group WHERE group_key LIKE 'sni3=471|%'").get(),
    ).toBeDefined();
  });
});

describe('the synthetic demo population', () => {
  const insertSynthetic = (harness: Harness, count: number, profile: Profile) => {
    const entity = harness.store.sqlite.prepare(
      `INSERT INTO entity (id, capability_hash, sni3, employee_band, county, created_month, synthetic)
       VALUES (?, ?, ?, ?, ?, '2026-01', 1)`,
    );
    const year = harness.store.sqlite.prepare(
      `INSERT INTO year_summary (entity_id, fiscal_start, fiscal_end, employees, balance, result,
         uploaded_month) VALUES (?, ?, ?, ?, ?, ?, '2026-01')`,
    );
    for (let i = 0; i < count; i += 1) {
      const id = newCapability().hash.slice(0, 32);
      entity.run(id, newCapability().hash, profile.sni, profile.employeeBand, profile.county);
      const y = yearWithGrossMargin(2024, 0.3 + i / 100);
      year.run(
        id,
        y.start,
        y.end,
        y.employees,
        JSON.stringify(y.balance),
        JSON.stringify(y.result),
      );
    }
  };

  it('counts until real entities with a year reach the threshold, then leaves', async () => {
    h = statsHarness({ demo: { enabled: true, excludeAt: 2 } });
    const a: Profile = { sni: '620', employeeBand: '5-9', county: '01' };
    insertSynthetic(h, 12, a);
    // Loaded directly (as the demo loader does): the start-up rebuild computes their figures.
    const started = h.api.statistics.rebuild({ syncMetrics: true });
    expect(started).toMatchObject({ computedEntities: 12, demoIncluded: true });

    const first = await h.add(a, [yearWithGrossMargin(2024, 0.9)]);
    const withDemo = await h.caller.benchmark({
      entityId: first.entityId,
      capability: first.capability,
    });
    expect(withDemo.demo).toBe(true);
    expect(withDemo.selected.items.find((i) => i.id === 'gross_margin')?.n).toBe(13);

    // The second real entity with a year reaches NYCKEL_DEMO_EXCLUDE_AT = 2.
    await h.add(a, [yearWithGrossMargin(2024, 0.8)]);
    expect(h.api.statistics.includesDemo()).toBe(false);
    const without = await h.caller.benchmark({
      entityId: first.entityId,
      capability: first.capability,
    });
    expect(without.demo).toBe(false);
    // Two real entities alone are no group.
    expect(without.selected.items.every((i) => i.group === null)).toBe(true);
    expect(
      h.store.sqlite
        .prepare('SELECT count(*) AS c FROM peer_group WHERE includes_synthetic = 1')
        .get(),
    ).toEqual({ c: 0 });
  });

  it('is never counted when the demo is off', async () => {
    h = statsHarness({ demo: { enabled: false, excludeAt: 200 } });
    const a: Profile = { sni: '620', employeeBand: '5-9', county: '01' };
    insertSynthetic(h, 12, a);
    expect(h.api.statistics.rebuild({ syncMetrics: true }).demoIncluded).toBe(false);
    const real = await h.add(a, [yearWithGrossMargin(2024, 0.9)]);
    const result = await h.caller.benchmark({
      entityId: real.entityId,
      capability: real.capability,
    });
    expect(result.demo).toBe(false);
    expect(result.selected.items.every((i) => i.group === null)).toBe(true);
  });
});

describe('settings', () => {
  it('refuses a minimum group size below 5', () => {
    expect(() => statisticsSettings({ minGroupSize: 4 })).toThrow(/≥ 5/);
    expect(statisticsSettings({ minGroupSize: 5 }).minGroupSize).toBe(5);
    expect(statisticsSettings().minGroupSize).toBe(10);
  });
});
