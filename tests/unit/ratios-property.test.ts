import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupKey } from '../../domain/bas.ts';
import type { MetricId, YearInput } from '../../domain/ratios.ts';
import {
  computeMetrics,
  isMetricId,
  metricById,
  previousYearOf,
  yearFigures,
} from '../../domain/ratios.ts';

// Any integer öre amount the payload schema accepts (z.int(): safe integers), weighted
// towards zero and small values so that zero/negative denominators come up often.
const arbOre = fc.oneof(
  { weight: 2, arbitrary: fc.constant(0) },
  { weight: 3, arbitrary: fc.integer({ min: -1_000_000_00, max: 1_000_000_00 }) },
  {
    weight: 1,
    arbitrary: fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
  },
);

const groupsIn = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => groupKey(from + i));

const arbResult = fc.dictionary(fc.constantFrom(...groupsIn(30, 89)), arbOre, { maxKeys: 60 });
const arbBalance = fc.dictionary(
  fc.constantFrom(...groupsIn(10, 29)),
  fc.record({ ib: arbOre, ub: arbOre }),
  { maxKeys: 20 },
);
const arbDate = fc
  .date({ min: new Date('1990-01-01'), max: new Date('2100-12-31'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
// Mostly plausible fiscal years, sometimes arbitrary (reversed, one day, decades long) dates.
const arbBounds = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.tuple(arbDate, fc.integer({ min: 0, max: 600 })).map(([start, days]) => ({
      start,
      end: new Date(Date.parse(start) + days * 86_400_000).toISOString().slice(0, 10),
    })),
  },
  { weight: 1, arbitrary: fc.record({ start: arbDate, end: arbDate }) },
);
const arbEmployees = fc.oneof(
  fc.constant(null),
  fc.constant(0),
  fc.integer({ min: 1, max: 10_000_000 }),
);

const arbYear: fc.Arbitrary<YearInput> = fc
  .tuple(arbBounds, arbBalance, arbResult, arbEmployees)
  .map(([{ start, end }, balance, result, employees]) => ({
    start,
    end,
    balance,
    result,
    employees,
  }));

describe('computeMetrics properties', () => {
  it('never returns a non-finite value, and only catalogue ids', () => {
    fc.assert(
      fc.property(arbYear, fc.option(arbYear, { nil: undefined }), (current, previous) => {
        const metrics = computeMetrics(current, previous);
        for (const [id, value] of Object.entries(metrics)) {
          expect(isMetricId(id), id).toBe(true);
          expect(Number.isFinite(value), `${id} = ${value}`).toBe(true);
          expect(Object.is(value, -0), id).toBe(false);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves out what the inputs cannot support', () => {
    fc.assert(
      fc.property(arbYear, fc.option(arbYear, { nil: undefined }), (current, previous) => {
        const metrics = computeMetrics(current, previous);
        const f = yearFigures(current);
        const present = (Object.keys(metrics) as MetricId[]).map((id) => metricById(id));
        if (previous === undefined) expect('growth' in metrics).toBe(false);
        if (current.employees === null || current.employees === 0) {
          expect(present.filter((m) => m?.needsEmployees)).toEqual([]);
        }
        if (f.netSales <= 0) {
          expect(Object.keys(metrics).filter((id) => id.startsWith('cost_share_'))).toEqual([]);
          expect('operating_margin' in metrics).toBe(false);
        }
        if (f.adjustedEquity <= 0) {
          expect('return_on_equity' in metrics).toBe(false);
          expect('debt_equity' in metrics).toBe(false);
        }
        if (f.totalAssets <= 0) expect('equity_ratio' in metrics).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it('margins do not depend on the currency unit (scaling every amount by 100)', () => {
    const scaled = (y: YearInput): YearInput => ({
      ...y,
      result: Object.fromEntries(Object.entries(y.result).map(([g, v]) => [g, v * 100])),
      balance: Object.fromEntries(
        Object.entries(y.balance).map(([g, v]) => [g, { ib: v.ib * 100, ub: v.ub * 100 }]),
      ),
    });
    const small = fc.integer({ min: -1_000_000_00, max: 1_000_000_00 });
    const arbSmallYear = fc
      .tuple(arbBounds, fc.dictionary(fc.constantFrom(...groupsIn(30, 89)), small, { maxKeys: 60 }))
      .map(([{ start, end }, result]): YearInput => ({
        start,
        end,
        result,
        balance: {},
        employees: null,
      }));
    fc.assert(
      fc.property(arbSmallYear, (y) => {
        const a = computeMetrics(y);
        const b = computeMetrics(scaled(y));
        for (const id of ['gross_margin', 'operating_margin', 'net_margin'] as const) {
          expect(id in b).toBe(id in a);
          const [before, after] = [a[id], b[id]];
          if (before !== undefined && after !== undefined) {
            // Equal up to floating-point rounding, relative to the size of the value.
            expect(Math.abs(after - before)).toBeLessThanOrEqual(
              1e-12 * Math.max(1, Math.abs(before)),
            );
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('previousYearOf properties', () => {
  it('returns a different, earlier year within 31 days of the day before', () => {
    const arbYears = fc.array(arbYear, { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(arbYears, fc.nat(), (years, pick) => {
        const current = years[pick % years.length]!;
        const previous = previousYearOf(years, current);
        if (previous === undefined) return;
        expect(previous).not.toBe(current);
        expect(previous.start < current.start).toBe(true);
        const gapDays =
          (Date.parse(current.start) - 86_400_000 - Date.parse(previous.end)) / 86_400_000;
        expect(Math.abs(gapDays)).toBeLessThanOrEqual(31);
      }),
      { numRuns: 1000 },
    );
  });
});
