import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BenchmarkItem, BenchmarkResult } from '../../domain/benchmark';
import { quantileOfSorted, roundSignificant } from '../../domain/disclosure';
import type { MetricId } from '../../domain/ratios';
import { decodeStats, encodeStats } from '../../server/finance/stats/stored-stats';
import {
  calendarYear,
  groupValues,
  statsHarness,
  yearWithGrossMargin,
  type Harness,
  type Profile,
} from './stats-fixtures';

/**
 * Disclosure control of the published peer statistics (DESIGN §7, P8), through the real
 * router, engine and store: what is published, what is withheld, and what a differencing
 * attacker can learn.
 */
let h: Harness;
beforeEach(() => {
  h = statsHarness();
});
afterEach(() => h.close());

const it620: Profile = { sni: '620', employeeBand: '5-9', county: '01' };
const it621: Profile = { sni: '621', employeeBand: '5-9', county: '01' };

const itemOf = (result: BenchmarkResult, id: MetricId): BenchmarkItem =>
  result.selected.items.find((item) => item.id === id)!;

const benchmarkOf = (
  company: { entityId: string; capability: string },
  options: { year?: number; level?: 'sni3' | 'sni2' | 'section' | 'all' } = {},
) => h.caller.benchmark({ entityId: company.entityId, capability: company.capability, ...options });

interface StoredGroup {
  group_key: string;
  n: number;
  mean_net_sales: number | null;
  stats: Buffer;
}
const storedGroups = () =>
  h.store.sqlite.prepare('SELECT * FROM peer_group ORDER BY group_key').all() as StoredGroup[];
const storedStat = (key: string, metric: MetricId) => {
  const row = storedGroups().find((group) => group.group_key === key);
  return row === undefined ? undefined : decodeStats(row.stats)[metric];
};

describe('minimum group size', () => {
  it('a group of 9 is not released and the query falls back to the next level', async () => {
    // Nine IT consultancies (SNI 620) and one software publisher (621) in the same band
    // and county: every SNI-620 group has 9 members, the SNI-62 groups have 10.
    for (let i = 0; i < 9; i += 1) await h.add(it620, [yearWithGrossMargin(2024, 0.5 + i / 100)]);
    const publisher = await h.add(it621, [yearWithGrossMargin(2024, 0.9)]);
    const first = h.companies[0]!;

    const result = await benchmarkOf(first);
    const gross = itemOf(result, 'gross_margin');
    expect(gross.group).toEqual({
      level: 'sni2',
      sni: '62',
      employeeBand: '5-9',
      county: '01',
      year: 2024,
    });
    expect(gross.n).toBe(10);
    // Nothing about the group of nine is stored at all.
    expect(storedGroups().some((g) => g.group_key.startsWith('sni3=620|'))).toBe(false);
    expect(storedGroups().every((g) => g.n >= 10)).toBe(true);

    // Asking for the 3-digit level explicitly: no group passes, so nothing is shown.
    const narrow = await benchmarkOf(first, { level: 'sni3' });
    for (const item of narrow.selected.items) {
      expect(item).toMatchObject({ group: null, n: null, rank: null, index: null });
      expect(item.p25).toBeUndefined();
    }
    expect(narrow.selected.overallIndex).toBeNull();

    // The publisher's own 3-digit group has one member: it falls back the same way.
    expect(itemOf(await benchmarkOf(publisher), 'gross_margin').group?.level).toBe('sni2');
  });

  it('within a level, the own band and county come first, then band, then county', async () => {
    // 10 in Stockholm (01), 1 in Uppsala (03): the Uppsala company gets SNI 620, band 5-9,
    // all counties (11 members), not a county group.
    for (let i = 0; i < 10; i += 1) await h.add(it620, [yearWithGrossMargin(2024, 0.4)]);
    const uppsala = await h.add({ ...it620, county: '03' }, [yearWithGrossMargin(2024, 0.6)]);
    const stockholm = itemOf(await benchmarkOf(h.companies[0]!), 'gross_margin');
    const other = itemOf(await benchmarkOf(uppsala), 'gross_margin');
    expect(stockholm.group).toMatchObject({ level: 'sni3', employeeBand: '5-9', county: '01' });
    expect(stockholm.n).toBe(10);
    expect(other.group).toMatchObject({ level: 'sni3', employeeBand: '5-9', county: null });
    expect(other.n).toBe(11);
  });
});

describe('released quantiles', () => {
  it('deciles appear only from 20 entities; quartiles are rounded type-7 quantiles', async () => {
    const margins = Array.from({ length: 19 }, (_, i) => 0.123456 + i * 0.0137);
    for (const margin of margins) await h.add(it620, [yearWithGrossMargin(2024, margin)]);
    const key = 'sni3=620|band=5-9|county=01|year=2024';

    const check = async (expectedN: number) => {
      const item = itemOf(await benchmarkOf(h.companies[0]!), 'gross_margin');
      const values = groupValues(h.companies, item.group!, 'gross_margin').sort((a, b) => a - b);
      expect(values).toHaveLength(expectedN);
      expect(item.n).toBe(expectedN);
      const expected = (p: number) => roundSignificant(quantileOfSorted(values, p)!);
      expect(item.p25).toBe(expected(25));
      expect(item.p50).toBe(expected(50));
      expect(item.p75).toBe(expected(75));
      return item;
    };

    const nineteen = await check(19);
    expect(nineteen.p10).toBeUndefined();
    expect(nineteen.p90).toBeUndefined();
    const stored19 = storedStat(key, 'gross_margin')!;
    expect(stored19[0]).toBe(19);
    expect(stored19[1]).toBeNull(); // p10
    expect(stored19[5]).toBeNull(); // p90

    await h.add(it620, [yearWithGrossMargin(2024, 0.9)]);
    const twenty = await check(20);
    const values = groupValues(h.companies, twenty.group!, 'gross_margin').sort((a, b) => a - b);
    expect(twenty.p10).toBe(roundSignificant(quantileOfSorted(values, 10)!));
    expect(twenty.p90).toBe(roundSignificant(quantileOfSorted(values, 90)!));
    // Never the minimum or the maximum.
    expect(twenty.p10).not.toBe(roundSignificant(values[0]!));
    expect(twenty.p90).not.toBe(roundSignificant(values[19]!));
    expect(storedStat(key, 'gross_margin')).toEqual([
      20,
      twenty.p10,
      twenty.p25,
      twenty.p50,
      twenty.p75,
      twenty.p90,
    ]);
  });

  it('every stored number has at most 3 significant digits, and no group below 10', async () => {
    for (let i = 0; i < 23; i += 1) {
      await h.add(i % 2 === 0 ? it620 : it621, [
        calendarYear(2023, { sales: 777_777 + i * 12_345, goods: 123_457 + i * 999 }),
        calendarYear(2024, { sales: 812_345 + i * 23_456, goods: 222_223 - i * 777 }),
      ]);
    }
    const groups = storedGroups();
    expect(groups.length).toBeGreaterThan(0);
    for (const group of groups) {
      expect(group.n).toBeGreaterThanOrEqual(10);
      if (group.mean_net_sales !== null) {
        expect(roundSignificant(group.mean_net_sales)).toBe(group.mean_net_sales);
      }
      for (const [n, ...quantiles] of Object.values(decodeStats(group.stats))) {
        expect(n).toBeGreaterThanOrEqual(10);
        for (const value of quantiles) {
          if (value !== null) expect(roundSignificant(value)).toBe(value);
        }
        if (n! < 20) expect([quantiles[0], quantiles[4]]).toEqual([null, null]);
      }
    }
  });

  it('the database refuses a group below 5 or deciles below 20 entities', () => {
    const insert = h.store.sqlite.prepare(
      `INSERT INTO peer_group (group_key, fiscal_year, level, sni, employee_band, county, n,
         mean_net_sales, includes_synthetic, stats)
       VALUES ('all=*|band=*|county=*|year=2024', 2024, 'all', NULL, NULL, NULL, ?, NULL, 0, ?)`,
    );
    expect(() => insert.run(4, encodeStats({}))).toThrow(/CHECK constraint failed/);
    expect(() => insert.run(5, '{}')).toThrow(/CHECK constraint failed/);
    expect(() => insert.run(5, Buffer.alloc(47))).toThrow(/CHECK constraint failed/);
    expect(() => insert.run(5, encodeStats({}))).not.toThrow();
  });
});

describe('amount aggregates and the p%-rule', () => {
  const meanOf = (key: string) => storedGroups().find((g) => g.group_key === key)?.mean_net_sales;

  it('publishes the mean net sales of a balanced group, withholds it with one dominant company', async () => {
    const key = 'sni3=620|band=5-9|county=01|year=2024';
    for (let i = 0; i < 10; i += 1) {
      await h.add(it620, [calendarYear(2024, { sales: 1_000_000 + i * 10_000 })]);
    }
    // Mean of 1 000 000 … 1 090 000 = 1 045 000 (3 significant digits: 1 050 000).
    expect(meanOf(key)).toBe(1_050_000);

    // One company with 100 000 000 in sales: without the two largest, the others have
    // 8 × ~1 000 000 ≈ 8 400 000 < 15 % of 100 000 000.
    await h.add(it620, [calendarYear(2024, { sales: 100_000_000 })]);
    expect(storedGroups().find((g) => g.group_key === key)?.n).toBe(11);
    expect(meanOf(key)).toBeNull();
    // The ratio quantiles of that group are still published: the rule is for amounts.
    expect(storedStat(key, 'gross_margin')?.[0]).toBe(11);
  });
});

describe('each entity counts once per group and year', () => {
  it('of two fiscal years ending in the same calendar year only the later one counts', async () => {
    for (let i = 0; i < 9; i += 1) await h.add(it620, [yearWithGrossMargin(2024, 0.3)]);
    // A changed fiscal year: Jan–Jun 2024 (margin 0.9) and Jul–Dec 2024 (margin 0.7).
    const changed = await h.add(it620, [
      { ...yearWithGrossMargin(2024, 0.9), end: '2024-06-30' },
      { ...yearWithGrossMargin(2024, 0.7), start: '2024-07-01' },
    ]);
    const result = await benchmarkOf(changed);
    expect(result.years).toEqual([2024]);
    expect(result.history.map((y) => [y.start, y.end])).toEqual([
      ['2024-07-01', '2024-12-31'],
      ['2024-01-01', '2024-06-30'],
    ]);
    const item = itemOf(result, 'gross_margin');
    expect(item.n).toBe(10);
    expect(item.value).toBeCloseTo(0.7, 12);
    // Nine at 0.3 and the later year at 0.7: p75 (h = 6.75) is 0.3; the earlier 0.9 is not
    // in the group (with it, n would be 11).
    expect(item.p75).toBe(0.3);
    const earlier = result.history[1]!.items.find((i) => i.id === 'gross_margin')!;
    // The earlier year is still benchmarked against its calendar year's group.
    expect(earlier.value).toBeCloseTo(0.9, 12);
    expect(earlier.n).toBe(10);
    expect(earlier.rank).toBe(100);
  });
});

describe('differencing', () => {
  /**
   * A group and its sub-group that differ by exactly one entity: ten SNI-620 companies
   * (the sub-group SNI 620 / 5-9 / 01, n = 10) and one SNI-621 company X (the group SNI 62 /
   * 5-9 / 01, n = 11). Anyone in the sub-group can see both sets of quartiles; the attacker
   * wants X's gross margin.
   *
   * Type 7 on 10 values x₀…x₉: p25 = x₂ + 0.25(x₃ − x₂), p50 = (x₄ + x₅)/2, p75 = x₆ + 0.75(x₇ − x₆);
   * on 11 values: p25 = (y₂ + y₃)/2, p50 = y₅, p75 = (y₇ + y₈)/2. What the attacker gets is
   * these six numbers, rounded to 3 significant digits.
   *
   * World A: the ten are 0.01 0.02 0.03 0.04 0.10 0.20 0.30 0.40 0.50 0.60 and X = 0.137.
   *   n = 10: p25 0.0325, p50 0.15, p75 0.375; n = 11: p25 0.035, p50 0.137, p75 0.35.
   * World B: the ten are 0.01 0.02 0.03 0.04 0.137 0.163 0.30 0.40 0.50 0.60 and X = 0.05.
   *   n = 10: p25 0.0325, p50 0.15, p75 0.375; n = 11: p25 0.035, p50 0.137, p75 0.35.
   *
   * Both worlds publish the same six numbers, yet X differs (0.137 vs 0.05): the attacker
   * learns that some company has a margin of about 0.137 and that X is below 0.15, not X's
   * value. At best (world A) a published number equals one company's value rounded to 3
   * digits, without saying whose.
   */
  const world = async (tenMargins: number[], x: number) => {
    const harness = statsHarness();
    try {
      for (const margin of tenMargins) {
        await harness.add(it620, [yearWithGrossMargin(2024, margin)]);
      }
      const target = await harness.add(it621, [yearWithGrossMargin(2024, x)]);
      const attacker = harness.companies[0]!;
      const view = async (level: 'sni3' | 'sni2') => {
        const item = itemOf(
          await harness.caller.benchmark({
            entityId: attacker.entityId,
            capability: attacker.capability,
            level,
          }),
          'gross_margin',
        );
        return { group: item.group, n: item.n, p25: item.p25, p50: item.p50, p75: item.p75 };
      };
      const sub = await view('sni3');
      const whole = await view('sni2');
      const own = itemOf(
        await harness.caller.benchmark({
          entityId: target.entityId,
          capability: target.capability,
        }),
        'gross_margin',
      ).value;
      return { sub, whole, targetValue: own };
    } finally {
      harness.close();
    }
  };

  it('a group and its sub-group differing by one entity reveal no value of it beyond rounding', async () => {
    const a = await world([0.01, 0.02, 0.03, 0.04, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6], 0.137);
    const b = await world([0.01, 0.02, 0.03, 0.04, 0.137, 0.163, 0.3, 0.4, 0.5, 0.6], 0.05);

    expect(a.sub).toEqual({
      group: { level: 'sni3', sni: '620', employeeBand: '5-9', county: '01', year: 2024 },
      n: 10,
      p25: 0.0325,
      p50: 0.15,
      p75: 0.375,
    });
    expect(a.whole).toEqual({
      group: { level: 'sni2', sni: '62', employeeBand: '5-9', county: '01', year: 2024 },
      n: 11,
      p25: 0.035,
      p50: 0.137,
      p75: 0.35,
    });
    // The attacker's view is identical in both worlds …
    expect(b.sub).toEqual(a.sub);
    expect(b.whole).toEqual(a.whole);
    // … while the target's value is not.
    expect(a.targetValue).toBeCloseTo(0.137, 12);
    expect(b.targetValue).toBeCloseTo(0.05, 12);
  });
});
