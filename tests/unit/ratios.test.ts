import { describe, expect, it } from 'vitest';
import { BAS_GROUP_NAMES } from '../../domain/bas-groups.ts';
import type { MetricId, YearInput } from '../../domain/ratios.ts';
import {
  computeMetrics,
  COST_GROUPS,
  fiscalYearOf,
  isMetricId,
  METRIC_IDS,
  metricById,
  METRICS,
  previousYearOf,
} from '../../domain/ratios.ts';

/** A year from SEK amounts in SIE signs (credit negative); stored as integer öre, ib 0. */
function year(spec: {
  start?: string;
  end?: string;
  employees?: number | null;
  result?: Record<string, number>;
  ub?: Record<string, number>;
}): YearInput {
  const ore = (sek: number) => Math.round(sek * 100);
  return {
    start: spec.start ?? '2024-01-01',
    end: spec.end ?? '2024-12-31',
    employees: spec.employees === undefined ? 4 : spec.employees,
    result: Object.fromEntries(Object.entries(spec.result ?? {}).map(([g, v]) => [g, ore(v)])),
    balance: Object.fromEntries(
      Object.entries(spec.ub ?? {}).map(([g, v]) => [g, { ib: 0, ub: ore(v) }]),
    ),
  };
}

/*
 * "Verkstad AB", fiscal year 2024 (12 months), 4 employees, amounts in SEK, SIE signs.
 *
 *   Net sales NS = −(30 + 36 + 37) = −(−2 000 000 − 100 000 + 20 000)          = 2 080 000
 *   Goods Σ 40–49 = 600 000 + 40 000                                            =   640 000
 *   Gross profit = 2 080 000 − 640 000                                          = 1 440 000
 *   External Σ 50–69 = 120 000 + 30 000 + 50 000                                 =   200 000
 *   Personnel Σ 70–76 = 500 000 + 160 000                                        =   660 000
 *   Depreciation Σ 77–78                                                         =    80 000
 *   EBIT = −Σ 30–79 = −(−2 110 000 [30, 36, 37, 39] + 1 580 000 [40–78])          =   530 000
 *   EBITDA = 530 000 + 80 000                                                   =   610 000
 *   Financial income −83 = 10 000; financial costs 84 = 40 000
 *   Result after financial items = 530 000 + 10 000 − 40 000                    =   500 000
 *   Appropriation 88 = 100 000 (periodiseringsfond); tax 89 = 20.6 % × 400 000 =    82 400
 *   Year result = 500 000 − 100 000 − 82 400                                    =   317 600
 *
 *   Assets: 12 400 000, 14 150 000, 15 250 000, 16 20 000, 19 280 000 → total   1 100 000
 *   Current assets 14–19 = 150 000 + 250 000 + 20 000 + 280 000                 =   700 000
 *   Claims: 20 −300 000 (opening equity; this year's result NOT yet booked),
 *           21 −100 000, 23 −100 000, 24 −120 000, 27 −62 400, 29 −100 000
 *   Σ ub 10–29 = 1 100 000 − 782 400 = 317 600 (the unbooked year result)
 *   Equity = −(−300 000) + 317 600                                              =   617 600
 *   Untaxed reserves = 100 000; tax rate 2024 = 20.6 %
 *   Adjusted equity = 617 600 + (1 − 0.206) × 100 000 = 617 600 + 79 400         =   697 000
 *   Current liabilities 24–29 = 120 000 + 62 400 + 100 000                       =   282 400
 *   Provisions and liabilities 22–29 = 100 000 + 282 400                         =   382 400
 */
const VERKSTAD = {
  employees: 4,
  result: {
    '30': -2_000_000,
    '36': -100_000,
    '37': 20_000,
    '39': -30_000,
    '40': 600_000,
    '49': 40_000,
    '50': 120_000,
    '62': 30_000,
    '65': 50_000,
    '72': 500_000,
    '75': 160_000,
    '78': 80_000,
    '83': -10_000,
    '84': 40_000,
    '88': 100_000,
    '89': 82_400,
  },
  ub: {
    '12': 400_000,
    '14': 150_000,
    '15': 250_000,
    '16': 20_000,
    '19': 280_000,
    '20': -300_000,
    '21': -100_000,
    '23': -100_000,
    '24': -120_000,
    '27': -62_400,
    '29': -100_000,
  },
};
const verkstad = year(VERKSTAD);

/** Previous year 2023: net sales 1 600 000. */
const verkstad2023 = year({
  start: '2023-01-01',
  end: '2023-12-31',
  result: { '30': -1_600_000, '40': 500_000 },
  ub: { '19': 100_000, '20': -100_000 },
});

const PRECISION = 12;

describe('computeMetrics on the hand-computed fixture', () => {
  const m = computeMetrics(verkstad, verkstad2023);
  const expected: Partial<Record<MetricId, number>> = {
    growth: 2_080_000 / 1_600_000 - 1, // 0.3
    gross_margin: 1_440_000 / 2_080_000,
    ebitda_margin: 610_000 / 2_080_000,
    operating_margin: 530_000 / 2_080_000,
    profit_margin: 500_000 / 2_080_000,
    net_margin: 317_600 / 2_080_000,
    return_on_assets: (530_000 + 10_000) / 1_100_000,
    return_on_equity: 500_000 / 697_000,
    quick_ratio: (700_000 - 150_000) / 282_400,
    current_ratio: 700_000 / 282_400,
    equity_ratio: 697_000 / 1_100_000,
    // debt = 382 400 + 0.206 × 100 000 = 403 000 (= total assets − adjusted equity)
    debt_equity: (382_400 + 0.206 * 100_000) / 697_000,
    personnel_cost_share: 660_000 / 2_080_000,
    revenue_per_employee: 2_080_000 / 4, // 520 000 SEK
    personnel_cost_per_employee: 660_000 / 4, // 165 000 SEK
    receivable_days: (250_000 / 2_080_000) * 365,
    payable_days: (120_000 / (640_000 + 200_000)) * 365,
    inventory_turnover: 640_000 / 150_000,
    cost_share_50: 120_000 / 2_080_000,
    cost_share_62: 30_000 / 2_080_000,
    cost_share_65: 50_000 / 2_080_000,
    cost_share_72: 500_000 / 2_080_000,
    cost_share_75: 160_000 / 2_080_000,
    cost_share_51: 0 / 2_080_000, // nothing booked in group 51: a real 0 % share
    cost_per_employee_50: 120_000 / 4,
    cost_per_employee_72: 500_000 / 4,
    cost_per_employee_76: 0 / 4,
  };

  it.each(Object.entries(expected))('%s', (id, value) => {
    expect(m[id as MetricId]).toBeCloseTo(value, PRECISION);
  });

  it('computes every metric of the catalogue when all inputs are there', () => {
    expect(Object.keys(m).sort()).toEqual([...METRIC_IDS].sort());
  });

  it('debt/equity equals (total assets − adjusted equity) / adjusted equity', () => {
    expect(m.debt_equity).toBeCloseTo((1_100_000 - 697_000) / 697_000, PRECISION);
  });
});

describe('absent values', () => {
  const has = (metrics: object, id: MetricId) => id in metrics;

  it('missing previous year → growth absent, everything else present', () => {
    const m = computeMetrics(verkstad);
    expect(has(m, 'growth')).toBe(false);
    expect(Object.keys(m)).toHaveLength(METRIC_IDS.length - 1);
  });

  it('previous year with zero net sales → growth absent (no division by zero)', () => {
    const m = computeMetrics(verkstad, year({ start: '2023-01-01', end: '2023-12-31' }));
    expect(has(m, 'growth')).toBe(false);
  });

  const NS_BASED: MetricId[] = [
    'growth',
    'gross_margin',
    'ebitda_margin',
    'operating_margin',
    'profit_margin',
    'net_margin',
    'personnel_cost_share',
    'receivable_days',
    'revenue_per_employee',
    ...COST_GROUPS.map((g): MetricId => `cost_share_${g}`),
  ];

  it.each([
    ['zero', { '30': 0, '36': 0, '37': 0 }],
    // credit notes exceed sales: net sales = −(50 000) = −50 000
    ['negative', { '30': 50_000, '36': 0, '37': 0 }],
  ])('%s net sales → every net-sales-based ratio absent', (_label, sales) => {
    const m = computeMetrics(
      year({ ...VERKSTAD, result: { ...VERKSTAD.result, ...sales } }),
      verkstad2023,
    );
    for (const id of NS_BASED) expect(has(m, id), id).toBe(false);
    // Balance-sheet ratios do not depend on sales and stay.
    expect(m.equity_ratio).toBeCloseTo(697_000 / 1_100_000, PRECISION);
    expect(m.quick_ratio).toBeCloseTo(550_000 / 282_400, PRECISION);
    // Costs per employee do not depend on sales: 660 000 / 4.
    expect(m.personnel_cost_per_employee).toBeCloseTo(660_000 / 4, PRECISION);
  });

  const PER_EMPLOYEE: MetricId[] = [
    'revenue_per_employee',
    'personnel_cost_per_employee',
    ...COST_GROUPS.map((g): MetricId => `cost_per_employee_${g}`),
  ];

  it.each([
    ['null', null],
    ['0', 0],
  ])('employees %s → per-employee figures absent, not 0 or NaN', (_label, employees) => {
    const m = computeMetrics({ ...verkstad, employees }, verkstad2023);
    for (const id of PER_EMPLOYEE) {
      expect(has(m, id), id).toBe(false);
      expect(m[id]).toBeUndefined();
    }
    expect(Object.keys(m)).toHaveLength(METRIC_IDS.length - PER_EMPLOYEE.length);
  });

  it('negative equity → equity ratio present and negative; ROE and debt/equity absent', () => {
    /*
     * Assets: cash 100 000. Uncovered loss booked in group 20: ub 20 = +50 000 (debit).
     * Supplier debts ub 24 = −150 000. Σ ub 10–29 = 100 000 + 50 000 − 150 000 = 0 (booked).
     * Equity = −50 000 + 0 = −50 000; no untaxed reserves → adjusted equity −50 000.
     * Equity ratio = −50 000 / 100 000 = −0.5.
     */
    const insolvent = year({
      result: { '30': -400_000, '65': 420_000 },
      ub: { '19': 100_000, '20': 50_000, '24': -150_000 },
    });
    const m = computeMetrics(insolvent);
    expect(m.equity_ratio).toBeCloseTo(-50_000 / 100_000, PRECISION);
    expect(has(m, 'return_on_equity')).toBe(false);
    expect(has(m, 'debt_equity')).toBe(false);
    // Other ratios are unaffected: operating margin = −(−400 000 + 420 000) / 400 000.
    expect(m.operating_margin).toBeCloseTo(-20_000 / 400_000, PRECISION);
    expect(m.quick_ratio).toBeCloseTo(100_000 / 150_000, PRECISION);
  });

  it('no balance sheet → balance-based ratios absent, margins present', () => {
    const m = computeMetrics(year({ result: { '30': -100_000, '50': 25_000 } }));
    for (const id of [
      'return_on_assets',
      'return_on_equity',
      'quick_ratio',
      'current_ratio',
      'equity_ratio',
      'debt_equity',
      'inventory_turnover',
    ] satisfies MetricId[]) {
      expect(has(m, id), id).toBe(false);
    }
    // receivables 0 over positive sales: 0 days is a fact.
    expect(m.receivable_days).toBe(0);
    expect(m.operating_margin).toBeCloseTo(75_000 / 100_000, PRECISION);
    expect(m.cost_share_50).toBeCloseTo(25_000 / 100_000, PRECISION);
  });

  it('inventory 0 → inventory turnover absent; no purchases → payable days absent', () => {
    const m = computeMetrics(
      year({ result: { '30': -100_000, '72': 50_000 }, ub: { '19': 80_000, '24': -10_000 } }),
    );
    expect(has(m, 'inventory_turnover')).toBe(false);
    expect(has(m, 'payable_days')).toBe(false);
  });

  it('invalid fiscal dates → annualised figures absent, plain ratios present', () => {
    const m = computeMetrics({ ...verkstad, start: '2024-12-31', end: '2024-01-01' });
    for (const id of [
      'revenue_per_employee',
      'return_on_assets',
      'receivable_days',
      'inventory_turnover',
    ] satisfies MetricId[]) {
      expect(has(m, id), id).toBe(false);
    }
    expect(m.operating_margin).toBeCloseTo(530_000 / 2_080_000, PRECISION);
  });
});

describe('fiscal years that are not 12 months', () => {
  /*
   * A first fiscal year 2024-07-01..2024-12-31 (184 days ≈ 6 months → factor 12 / 6 = 2).
   * NS 1 000 000, personnel 300 000, receivables 150 000, 5 employees.
   */
  const shortYear = year({
    start: '2024-07-01',
    end: '2024-12-31',
    employees: 5,
    result: { '30': -1_000_000, '72': 300_000 },
    ub: { '15': 150_000, '19': 50_000, '20': -200_000 },
  });

  it('annualises flows compared with stocks, head counts and the previous year', () => {
    const m = computeMetrics(shortYear, verkstad2023);
    // growth: (1 000 000 × 2) / 1 600 000 − 1 = 0.25
    expect(m.growth).toBeCloseTo((1_000_000 * 2) / 1_600_000 - 1, PRECISION);
    // revenue per employee: 1 000 000 × 2 / 5 = 400 000
    expect(m.revenue_per_employee).toBeCloseTo((1_000_000 * 2) / 5, PRECISION);
    expect(m.cost_per_employee_72).toBeCloseTo((300_000 * 2) / 5, PRECISION);
    // receivable days: 150 000 / (1 000 000 × 2) × 365 = 27.375
    expect(m.receivable_days).toBeCloseTo((150_000 / (1_000_000 * 2)) * 365, PRECISION);
    // return on assets: (700 000 × 2) / 200 000 — EBIT = 1 000 000 − 300 000
    expect(m.return_on_assets).toBeCloseTo((700_000 * 2) / 200_000, PRECISION);
  });

  it('leaves flow-to-flow ratios alone', () => {
    const m = computeMetrics(shortYear);
    expect(m.personnel_cost_share).toBeCloseTo(300_000 / 1_000_000, PRECISION);
    expect(m.cost_share_72).toBeCloseTo(300_000 / 1_000_000, PRECISION);
  });

  it('annualises an 18-month year by 12 / 18, also when it is the previous year', () => {
    // 2022-07-01..2023-12-31 = 549 days ≈ 18 months; NS 2 400 000 → 1 600 000 a year.
    const longPrevious = year({
      start: '2022-07-01',
      end: '2023-12-31',
      result: { '30': -2_400_000 },
    });
    const m = computeMetrics(verkstad, longPrevious);
    expect(m.growth).toBeCloseTo(2_080_000 / ((2_400_000 * 12) / 18) - 1, PRECISION);
  });

  it('treats a leap-year fiscal year as 12 months', () => {
    // 2024 has 366 days: 366 × 12 / 365.25 = 12.02 → 12 months, factor 1.
    expect(computeMetrics(verkstad).revenue_per_employee).toBe(2_080_000 / 4);
  });
});

describe('catalogue', () => {
  const REQUIRED_KEY_RATIOS = [
    'growth',
    'gross_margin',
    'ebitda_margin',
    'operating_margin',
    'profit_margin',
    'net_margin',
    'equity_ratio',
    'quick_ratio',
    'current_ratio',
    'return_on_assets',
    'return_on_equity',
    'debt_equity',
    'personnel_cost_share',
    'revenue_per_employee',
    'personnel_cost_per_employee',
    'receivable_days',
    'payable_days',
    'inventory_turnover',
  ];

  it('holds every DESIGN §7 ratio', () => {
    for (const id of REQUIRED_KEY_RATIOS) expect(isMetricId(id), id).toBe(true);
  });

  it('holds a share and a per-employee cost item for every group 50–69 and 70–76', () => {
    const groups = Array.from({ length: 27 }, (_, i) => String(50 + i));
    expect([...COST_GROUPS]).toEqual(groups);
    for (const group of groups) {
      const share = metricById(`cost_share_${group}`);
      const perEmployee = metricById(`cost_per_employee_${group}`);
      const basName = BAS_GROUP_NAMES[group];
      expect(basName, group).toBeDefined();
      for (const def of [share, perEmployee]) {
        expect(def?.group).toBe(group);
        expect(def?.category).toBe('costs');
        expect(def?.direction).toBe('lower');
        expect(def?.name.sv).toContain(basName?.sv);
        expect(def?.name.en).toContain(basName?.en);
      }
      expect(share).toMatchObject({ unit: 'ratio', needsEmployees: false });
      expect(perEmployee).toMatchObject({ unit: 'sek', needsEmployees: true });
    }
    expect(METRICS).toHaveLength(REQUIRED_KEY_RATIOS.length + 2 * 27);
  });

  it('has unique snake_case ids and METRIC_IDS in catalogue order', () => {
    expect(METRIC_IDS).toEqual(METRICS.map((m) => m.id));
    expect(new Set(METRIC_IDS).size).toBe(METRIC_IDS.length);
    for (const id of METRIC_IDS) expect(id).toMatch(/^[a-z]+(_[a-z0-9]+)*$/);
  });

  it('gives every metric a non-empty Swedish and English name, explanation and formula', () => {
    for (const m of METRICS) {
      for (const text of [m.name, m.explanation, m.formula]) {
        expect(text.sv.trim().length, m.id).toBeGreaterThan(0);
        expect(text.en.trim().length, m.id).toBeGreaterThan(0);
      }
      expect(m.name.sv, m.id).not.toBe(m.name.en);
    }
  });

  it('gives every metric a unique name in each language', () => {
    expect(new Set(METRICS.map((m) => m.name.sv)).size).toBe(METRICS.length);
    expect(new Set(METRICS.map((m) => m.name.en)).size).toBe(METRICS.length);
  });

  it('uses the Swedish names bureaus know', () => {
    expect(metricById('equity_ratio')?.name.sv).toBe('Soliditet');
    expect(metricById('quick_ratio')?.name.sv).toBe('Kassalikviditet');
    expect(metricById('operating_margin')?.name.sv).toBe('Rörelsemarginal');
    expect(metricById('profit_margin')?.name.sv).toBe('Vinstmarginal');
    expect(metricById('gross_margin')?.name.sv).toBe('Bruttomarginal');
    expect(metricById('net_margin')?.name.sv).toBe('Nettomarginal');
    expect(metricById('receivable_days')?.name.sv).toBe('Kundfordringsdagar');
  });

  it('flags the inputs each metric needs, consistent with what computeMetrics drops', () => {
    const withoutEmployees = computeMetrics({ ...verkstad, employees: null }, verkstad2023);
    const withoutPrevious = computeMetrics(verkstad);
    for (const m of METRICS) {
      expect(m.id in withoutEmployees, m.id).toBe(!m.needsEmployees);
      expect(m.id in withoutPrevious, m.id).toBe(!m.needsPreviousYear);
    }
  });

  it('states direction and unit for the key ratios', () => {
    expect(metricById('debt_equity')).toMatchObject({ direction: 'lower', unit: 'times' });
    expect(metricById('receivable_days')).toMatchObject({ direction: 'lower', unit: 'days' });
    expect(metricById('inventory_turnover')).toMatchObject({ direction: 'higher', unit: 'times' });
    expect(metricById('revenue_per_employee')).toMatchObject({ direction: 'higher', unit: 'sek' });
    expect(metricById('equity_ratio')).toMatchObject({ category: 'solidity', unit: 'ratio' });
    expect(metricById('growth')).toMatchObject({ category: 'growth', needsPreviousYear: true });
  });

  it('rejects unknown ids', () => {
    expect(isMetricId('cost_share_49')).toBe(false);
    expect(isMetricId('cost_share_77')).toBe(false);
    expect(isMetricId('toString')).toBe(false);
    expect(metricById('')).toBeUndefined();
  });
});

describe('years', () => {
  const y = (start: string, end: string) => year({ start, end });

  it('fiscalYearOf is the calendar year in which the fiscal year ends', () => {
    expect(fiscalYearOf({ end: '2024-12-31' })).toBe(2024);
    expect(fiscalYearOf({ end: '2025-06-30' })).toBe(2025);
  });

  it('previousYearOf finds the year ending the day before', () => {
    const years = [y('2024-01-01', '2024-12-31'), y('2022-01-01', '2022-12-31')];
    const y2023 = y('2023-01-01', '2023-12-31');
    const all = [...years, y2023];
    expect(previousYearOf(all, all[0]!)).toBe(y2023);
    expect(previousYearOf(all, y2023)).toBe(all[1]);
    expect(previousYearOf(all, all[1]!)).toBeUndefined();
  });

  it('previousYearOf handles changed fiscal years and ±31 days', () => {
    const broken = y('2023-07-01', '2024-06-30');
    const changed = y('2022-01-01', '2023-06-30'); // 18-month year before a broken year
    expect(previousYearOf([changed, broken], broken)).toBe(changed);
    // 20-day gap and 15-day overlap are tolerated; 40 days are not.
    expect(previousYearOf([y('2023-01-01', '2023-12-11')], y('2024-01-01', '2024-12-31'))).toEqual(
      y('2023-01-01', '2023-12-11'),
    );
    const overlap = y('2023-01-15', '2024-01-15');
    expect(previousYearOf([overlap], y('2024-01-01', '2024-12-31'))).toBe(overlap);
    expect(
      previousYearOf([y('2023-01-01', '2023-11-21')], y('2024-01-01', '2024-12-31')),
    ).toBeUndefined();
  });

  it('previousYearOf prefers the closest candidate and never returns a later year', () => {
    const current = y('2024-01-01', '2024-12-31');
    const exact = y('2023-01-01', '2023-12-31');
    const near = y('2023-01-01', '2023-12-20');
    const later = y('2025-01-01', '2025-12-31');
    expect(previousYearOf([near, later, exact, current], current)).toBe(exact);
    expect(previousYearOf([later], current)).toBeUndefined();
  });
});
