import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BenchmarkGroup, BenchmarkItem } from './benchmark.ts';
import { COST_GROUPS, type MetricId } from './ratios.ts';
import { costItemSavings } from './savings.ts';

const GROUP: BenchmarkGroup = {
  level: 'sni3',
  sni: '620',
  employeeBand: null,
  county: null,
  year: 2024,
};

const item = (id: MetricId, value: number | null, p50: number | undefined): BenchmarkItem => ({
  id,
  value,
  group: p50 === undefined ? null : GROUP,
  n: p50 === undefined ? null : 40,
  p25: p50 === undefined ? undefined : p50 / 2,
  p50,
  p75: p50 === undefined ? undefined : p50 * 2,
  rank: null,
  index: null,
});

describe('costItemSavings', () => {
  it('prices the excess share at the company’s net sales, largest saving first', () => {
    const netSales = 2_500_000;
    const items = [
      item('cost_share_50', 0.1, 0.08),
      item('cost_share_54', 0.05, 0.01),
      item('cost_share_60', 0.02, 0.03),
      item('gross_margin', 0.9, 0.5),
    ];
    const savings = costItemSavings(items, netSales);
    expect(savings.map((s) => s.id)).toEqual(['cost_share_54', 'cost_share_50']);
    expect(savings[0]!.saving).toBe(Math.round((0.05 - 0.01) * netSales));
    expect(savings[1]!.saving).toBe(Math.round((0.1 - 0.08) * netSales));
    expect(savings[1]).toMatchObject({ share: 0.1, medianShare: 0.08 });
  });

  it('leaves out items at the median, withheld, without a value, and all without sales', () => {
    const items = [
      item('cost_share_50', 0.08, 0.08),
      item('cost_share_51', 0.3, undefined),
      item('cost_share_52', null, 0.02),
      item('cost_share_53', 0.2, 0.1),
    ];
    expect(costItemSavings(items, 1_000_000).map((s) => s.id)).toEqual(['cost_share_53']);
    expect(costItemSavings(items, 0)).toEqual([]);
    expect(costItemSavings(items, -5)).toEqual([]);
    expect(costItemSavings(items, Number.NaN)).toEqual([]);
  });

  it('drops a saving that rounds to nothing', () => {
    expect(costItemSavings([item('cost_share_50', 0.1000001, 0.1)], 1_000)).toEqual([]);
  });

  it('holds for any shares: above the median only, exact SEK, ordered', () => {
    const share = fc.double({ min: 0, max: 2, noNaN: true });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...COST_GROUPS), share, share), { maxLength: 20 }),
        fc.integer({ min: 1, max: 500_000_000 }),
        (rows, netSales) => {
          const items = rows.map(([group, value, p50]) => item(`cost_share_${group}`, value, p50));
          const savings = costItemSavings(items, netSales);
          for (const s of savings) {
            expect(s.share).toBeGreaterThan(s.medianShare);
            expect(s.saving).toBe(Math.round((s.share - s.medianShare) * netSales));
            expect(s.saving).toBeGreaterThanOrEqual(1);
          }
          for (let i = 1; i < savings.length; i += 1) {
            expect(savings[i - 1]!.saving).toBeGreaterThanOrEqual(savings[i]!.saving);
          }
          const above = items.filter(
            (i) =>
              i.value !== null &&
              i.p50 !== undefined &&
              Math.round((i.value - i.p50) * netSales) >= 1,
          );
          expect(savings).toHaveLength(above.length);
        },
      ),
    );
  });
});
