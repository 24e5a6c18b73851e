import { describe, expect, it } from 'vitest';
import type { YearInput } from '../../domain/figures.ts';
import { fiscalYearMonths, isoDayMs, yearFigures } from '../../domain/figures.ts';
import { computeMetrics } from '../../domain/ratios.ts';
import { corporateTaxRate } from '../../domain/tax-rates.ts';

/** A year from SEK amounts in SIE signs; stored as integer öre. */
function year(spec: {
  start?: string;
  end?: string;
  result?: Record<string, number>;
  ub?: Record<string, number>;
}): YearInput {
  const ore = (sek: number) => Math.round(sek * 100);
  return {
    start: spec.start ?? '2024-01-01',
    end: spec.end ?? '2024-12-31',
    employees: 3,
    result: Object.fromEntries(Object.entries(spec.result ?? {}).map(([g, v]) => [g, ore(v)])),
    balance: Object.fromEntries(
      Object.entries(spec.ub ?? {}).map(([g, v]) => [g, { ib: ore(v / 2), ub: ore(v) }]),
    ),
  };
}

describe('yearFigures (DESIGN §7)', () => {
  /*
   * One amount per group so each range boundary shows: 29/30, 37/38, 39/40, 49/50, 69/70, 76/77,
   * 78/79, 79/80, 83/84, 84/85, 87/88, 89. Amounts in SEK, SIE signs.
   */
  const y = year({
    result: {
      '30': -1_000_000,
      '37': 10_000,
      '38': -7_000, // own work capitalised: not net sales, but in EBIT
      '39': -3_000,
      '40': 200_000,
      '49': -20_000, // inventory increase
      '50': 60_000,
      '69': 4_000,
      '70': 100_000,
      '76': 6_000,
      '77': 5_000,
      '78': 15_000,
      '79': 2_000,
      '80': -1_000,
      '83': -500,
      '84': 9_000,
      '85': 250,
      '87': -750,
      '88': 50_000,
      '89': 60_000,
    },
    ub: {
      '10': 10_000,
      '14': 80_000,
      '15': 120_000,
      '18': 5_000,
      '19': 285_000,
      '20': -150_000,
      '21': -50_000,
      '22': -20_000,
      '23': -40_000,
      '24': -70_000,
      '25': -10_000,
      '29': -30_000,
    },
  });
  const f = yearFigures(y);

  it('sums the income statement groups', () => {
    expect(f.netSales).toBe(-(-1_000_000 + 10_000)); // 990 000
    expect(f.goodsCosts).toBe(200_000 - 20_000); // 180 000
    expect(f.grossProfit).toBe(990_000 - 180_000); // 810 000
    expect(f.externalCosts).toBe(60_000 + 4_000);
    expect(f.personnelCosts).toBe(100_000 + 6_000);
    expect(f.depreciation).toBe(5_000 + 15_000);
    // EBIT = −Σ 30–79 = −(−1 000 000 + 10 000 − 7 000 − 3 000 + 180 000 + 64 000 + 106 000
    //                     + 20 000 + 2 000) = 628 000
    expect(f.ebit).toBe(628_000);
    expect(f.ebitda).toBe(628_000 + 20_000);
    expect(f.financialIncome).toBe(1_000 + 500);
    expect(f.financialCosts).toBe(9_000);
    // −Σ 30–87 = 628 000 + 1 500 − 9 000 − 250 + 750 = 621 000
    expect(f.resultAfterFinancialItems).toBe(621_000);
    // −Σ 30–89 = 621 000 − 50 000 − 60 000 = 511 000
    expect(f.yearResult).toBe(511_000);
  });

  it('reads the balance sheet from closing balances (ub), not ib', () => {
    expect(f.totalAssets).toBe(10_000 + 80_000 + 120_000 + 5_000 + 285_000); // 500 000
    expect(f.currentAssets).toBe(80_000 + 120_000 + 5_000 + 285_000); // 490 000
    expect(f.inventory).toBe(80_000);
    expect(f.receivables).toBe(120_000);
    expect(f.untaxedReserves).toBe(50_000);
    expect(f.liabilities).toBe(20_000 + 40_000 + 70_000 + 10_000 + 30_000); // 170 000
    expect(f.currentLiabilities).toBe(70_000 + 10_000 + 30_000); // 110 000
    expect(f.payables).toBe(70_000);
  });

  it('adds an unbooked year result to equity', () => {
    // Σ ub 10–29 = 500 000 − 370 000 = 130 000 not yet booked to group 20.
    // Equity = −(−150 000) + 130 000 = 280 000.
    expect(f.equity).toBe(280_000);
    // Booked: the same company after closing the result into 2099 — ub 20 = −280 000,
    // Σ ub 10–29 = 0. Equity is the same 280 000.
    const booked = yearFigures({
      ...y,
      balance: { ...y.balance, '20': { ib: -15_000_000, ub: -28_000_000 } },
    });
    expect(booked.equity).toBe(280_000);
    expect(booked.adjustedEquity).toBe(f.adjustedEquity);
  });

  it('adjusts equity by the untaxed reserves net of that year’s tax rate', () => {
    // 2024: 20.6 % → 280 000 + (1 − 0.206) × 50 000 = 280 000 + 39 700 = 319 700
    expect(f.taxRate).toBe(0.206);
    expect(f.adjustedEquity).toBeCloseTo(280_000 + 0.794 * 50_000, 9);
    // The same books in a fiscal year starting 2012: 26.3 % → 280 000 + 0.737 × 50 000
    const in2012 = yearFigures({ ...y, start: '2012-01-01', end: '2012-12-31' });
    expect(in2012.adjustedEquity).toBeCloseTo(280_000 + 0.737 * 50_000, 9);
    // … and the equity ratio moves with it: 316 850 / 500 000
    const m = computeMetrics({ ...y, start: '2012-01-01', end: '2012-12-31' });
    expect(m.equity_ratio).toBeCloseTo((280_000 + 0.737 * 50_000) / 500_000, 12);
  });

  it('converts öre to SEK and ignores malformed group keys', () => {
    const g = yearFigures({
      start: '2024-01-01',
      end: '2024-12-31',
      employees: null,
      result: { '30': -12_345, '3': -999_999, x1: -1 },
      balance: { '19': { ib: 0, ub: 101 } },
    });
    expect(g.netSales).toBe(123.45);
    expect(g.totalAssets).toBe(1.01);
  });

  it('gives zeros, not NaN, for an empty year', () => {
    const g = yearFigures(year({}));
    for (const [key, value] of Object.entries(g)) {
      if (key !== 'taxRate') expect(value, key).toBe(0);
    }
  });
});

describe('corporateTaxRate', () => {
  it.each([
    ['1999-01-01', 0.28],
    ['2008-12-31', 0.28],
    ['2009-01-01', 0.263],
    ['2012-12-31', 0.263],
    ['2013-01-01', 0.22],
    ['2018-12-31', 0.22],
    ['2019-01-01', 0.214],
    ['2020-12-31', 0.214],
    ['2021-01-01', 0.206],
    ['2030-07-01', 0.206],
  ])('fiscal year starting %s → %s', (start, rate) => {
    expect(corporateTaxRate(start)).toBe(rate);
  });

  it('uses the start of a broken fiscal year that straddles a change', () => {
    // 2020-07-01..2021-06-30 began under 21.4 %, so it keeps 21.4 %.
    expect(yearFigures(year({ start: '2020-07-01', end: '2021-06-30' })).taxRate).toBe(0.214);
    expect(yearFigures(year({ start: '2012-05-01', end: '2013-04-30' })).taxRate).toBe(0.263);
  });
});

describe('fiscal year dates', () => {
  it('validates ISO calendar dates', () => {
    expect(isoDayMs('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    expect(isoDayMs('2023-02-29')).toBeUndefined();
    expect(isoDayMs('2024-13-01')).toBeUndefined();
    expect(isoDayMs('20240101')).toBeUndefined();
    expect(isoDayMs('2024-04-31')).toBeUndefined();
    expect(isoDayMs('2024-1-01')).toBeUndefined();
    expect(isoDayMs('2024-01-0a')).toBeUndefined();
    expect(isoDayMs('0024-03-01')).toBe(Date.parse('0024-03-01T00:00:00Z'));
  });

  it.each([
    ['2024-01-01', '2024-12-31', 12], // 366 days
    ['2023-01-01', '2023-12-31', 12], // 365 days
    ['2023-05-01', '2024-04-30', 12],
    ['2024-07-01', '2024-12-31', 6], // 184 days
    ['2023-01-01', '2024-06-30', 18], // 547 days
    ['2024-01-01', '2024-01-31', 1],
    ['2024-01-01', '2024-01-01', 1], // a one-day year still counts as one month
  ])('%s..%s is %i months', (start, end, months) => {
    expect(fiscalYearMonths({ start, end })).toBe(months);
  });

  it('has no length when the dates are invalid or reversed', () => {
    expect(fiscalYearMonths({ start: '2024-12-31', end: '2024-01-01' })).toBeUndefined();
    expect(fiscalYearMonths({ start: 'x', end: '2024-01-01' })).toBeUndefined();
  });
});
