import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addMonths,
  CONTRACT_CATEGORY_DEFINITIONS,
  contractCategory,
  contractTermsSchema,
  daysBetween,
  detailsProblems,
  isDue,
  lastDayOfMonth,
  monthsInclusive,
  noticeDeadline,
  noticeStatus,
  potentialSaving,
  regionOf,
  runsIn,
  termMonths,
  unitPrice,
  urgencyOrder,
  weightedUnitPrice,
  type ContractTerms,
  type NoticeStatus,
} from '../../domain/contracts';

const terms = (overrides: Partial<ContractTerms> = {}): ContractTerms => ({
  category: 'electricity',
  quantity: 42_000,
  annualCost: 58_000,
  startMonth: '2025-01',
  endMonth: '2026-12',
  noticeMonths: 3,
  renewalMonths: null,
  priceModel: 'variable',
  priceArea: 'SE3',
  county: null,
  ...overrides,
});

describe('unit price: one definition per category', () => {
  it('electricity is öre per kWh: annual cost × 100 / kWh', () => {
    expect(unitPrice(terms())).toBeCloseTo((58_000 * 100) / 42_000, 12);
    expect(unitPrice(terms({ quantity: 100_000, annualCost: 95_000 }))).toBeCloseTo(95, 12);
  });

  it('telecom, IT and leasing are per unit and month: cost / 12 / units', () => {
    const monthly = (category: ContractTerms['category'], quantity: number, annualCost: number) =>
      unitPrice({ category, quantity, annualCost });
    expect(monthly('telecom', 10, 30_000)).toBe(250);
    expect(monthly('it', 8, 48_000)).toBe(500);
    expect(monthly('leasing', 3, 180_000)).toBe(5_000);
  });

  it('rent is SEK per m² and year; bank SEK per transaction', () => {
    expect(unitPrice({ category: 'rent', quantity: 120, annualCost: 180_000 })).toBe(1_500);
    expect(unitPrice({ category: 'bank', quantity: 4_000, annualCost: 10_000 })).toBe(2.5);
  });

  it('insurance, accounting, cleaning, security and other compare the annual cost', () => {
    for (const category of ['insurance', 'accounting', 'cleaning', 'security', 'other'] as const) {
      expect(contractCategory(category).price.unit).toBe('sek_per_year');
      expect(unitPrice({ category, quantity: 1, annualCost: 12_345 })).toBe(12_345);
    }
  });

  it('every category has a unit, a price unit and an annual factor', () => {
    for (const definition of CONTRACT_CATEGORY_DEFINITIONS) {
      expect(definition.price.annualFactor).toBeGreaterThan(0);
      expect(definition.quantity === null).toBe(definition.unitMetric === 'agreement');
    }
  });

  it('several agreements of one entity count as one, weighted by quantity', () => {
    // 10 000 kWh at 100 öre and 30 000 kWh at 60 öre: (10 000 + 18 000) SEK / 40 000 kWh.
    const weighted = weightedUnitPrice('electricity', [
      { quantity: 10_000, annualCost: 10_000 },
      { quantity: 30_000, annualCost: 18_000 },
    ]);
    expect(weighted).toBeCloseTo(70, 12);
    expect(weightedUnitPrice('electricity', [])).toBeNull();
  });

  it('the weighted price lies between the cheapest and dearest agreement', () => {
    const agreement = fc.record({
      quantity: fc.double({ min: 1, max: 1e6, noNaN: true }),
      annualCost: fc.double({ min: 1, max: 1e7, noNaN: true }),
    });
    fc.assert(
      fc.property(fc.array(agreement, { minLength: 1, maxLength: 5 }), (list) => {
        const prices = list.map((a) => unitPrice({ category: 'rent', ...a }));
        const weighted = weightedUnitPrice('rent', list)!;
        expect(weighted).toBeGreaterThanOrEqual(Math.min(...prices) * (1 - 1e-9));
        expect(weighted).toBeLessThanOrEqual(Math.max(...prices) * (1 + 1e-9));
      }),
    );
  });
});

describe('potential saving', () => {
  it('is (unit price − median) × quantity per year, in whole kronor', () => {
    // 138.095… öre/kWh against a median of 80 öre on 42 000 kWh: 58.095 öre × 42 000 kWh.
    const electricity = contractCategory('electricity');
    expect(potentialSaving(electricity, unitPrice(terms()), 80, 42_000)).toBe(24_400);
    // 300 SEK per subscription and month against 239 on 10 subscriptions: 61 × 10 × 12.
    expect(potentialSaving(contractCategory('telecom'), 300, 239, 10)).toBe(7_320);
    expect(potentialSaving(contractCategory('rent'), 1_900, 1_500, 120)).toBe(48_000);
    expect(potentialSaving(contractCategory('insurance'), 9_000, 7_500, 1)).toBe(1_500);
  });

  it('is null at or below the median', () => {
    expect(potentialSaving(contractCategory('rent'), 1_500, 1_500, 120)).toBeNull();
    expect(potentialSaving(contractCategory('rent'), 1_200, 1_500, 120)).toBeNull();
  });
});

describe('terms validation', () => {
  it('accepts the issue example and derives term length and region', () => {
    const valid = contractTermsSchema.parse(terms());
    expect(termMonths(valid)).toBe(24);
    expect(regionOf(valid)).toBe('SE3');
    expect(
      regionOf(terms({ category: 'rent', priceArea: null, county: '07', priceModel: null })),
    ).toBe('07');
    expect(
      regionOf(terms({ category: 'it', priceArea: null, priceModel: null, quantity: 3 })),
    ).toBeNull();
  });

  const refused = (overrides: Partial<ContractTerms>) =>
    contractTermsSchema.safeParse(terms(overrides)).success;

  it('refuses what does not fit the category', () => {
    expect(refused({ priceArea: null })).toBe(false);
    expect(refused({ priceArea: 'SE5' as never })).toBe(false);
    expect(refused({ county: '07' })).toBe(false);
    expect(refused({ priceModel: 'indexed' })).toBe(false);
    expect(
      refused({ category: 'rent', priceArea: null, priceModel: 'indexed', county: null }),
    ).toBe(false);
    expect(
      refused({ category: 'rent', priceArea: null, priceModel: 'indexed', county: '02' }),
    ).toBe(false);
    expect(refused({ category: 'telecom', priceArea: null, priceModel: null, quantity: 2.5 })).toBe(
      false,
    );
    expect(refused({ category: 'insurance', priceArea: null, priceModel: null, quantity: 3 })).toBe(
      false,
    );
  });

  it('refuses impossible amounts, months and terms', () => {
    for (const bad of [
      { quantity: 0 },
      { quantity: -5 },
      { quantity: Number.NaN },
      { quantity: Number.POSITIVE_INFINITY },
      { annualCost: 0 },
      { annualCost: 2e10 },
      { startMonth: '2025-13' },
      { startMonth: '2025-1' },
      { endMonth: '2024-12' },
      { endMonth: '2080-01' },
      { noticeMonths: -1 },
      { noticeMonths: 1.5 },
      { noticeMonths: 37 },
      { renewalMonths: 0 },
      { endMonth: null, renewalMonths: 12 },
    ] satisfies Partial<ContractTerms>[]) {
      expect(refused(bad), JSON.stringify(bad)).toBe(false);
    }
    expect(contractTermsSchema.safeParse({ ...terms(), extra: 1 }).success).toBe(false);
  });

  it('checks the extra fields of a category', () => {
    expect(detailsProblems('electricity', { energyPrice: 85.5, fixedFee: 49 })).toEqual([]);
    expect(detailsProblems('electricity', { dataVolume: 5 })).toHaveLength(1);
    expect(detailsProblems('insurance', { insuranceType: 'property' })).toEqual([]);
    expect(detailsProblems('insurance', { insuranceType: 'pets' })).toHaveLength(1);
    expect(detailsProblems('telecom', { dataVolume: -1 })).toHaveLength(1);
  });
});

describe('months', () => {
  it('adds across years and knows month lengths', () => {
    expect(addMonths('2026-12', 1)).toBe('2027-01');
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(addMonths('2026-03', -27)).toBe('2023-12');
    expect(monthsInclusive('2026-01', '2026-12')).toBe(12);
    expect(lastDayOfMonth('2026-02')).toBe('2026-02-28');
    expect(lastDayOfMonth('2028-02')).toBe('2028-02-29');
    expect(lastDayOfMonth('2100-02')).toBe('2100-02-28');
    expect(lastDayOfMonth('2000-02')).toBe('2000-02-29');
    expect(lastDayOfMonth('2026-04')).toBe('2026-04-30');
    expect(lastDayOfMonth('2026-12')).toBe('2026-12-31');
    expect(daysBetween('2026-11-28', '2026-12-31')).toBe(33);
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2);
  });
});

describe('the notice rule', () => {
  const status = (t: Partial<ContractTerms>, today: string) =>
    noticeStatus({ endMonth: '2026-12', noticeMonths: 3, renewalMonths: null, ...t }, today);

  it('is the last day of (end month − notice months)', () => {
    expect(noticeDeadline('2026-12', 3)).toBe('2026-09-30');
    expect(noticeDeadline('2027-02', 1)).toBe('2027-01-31');
    expect(noticeDeadline('2027-03', 1)).toBe('2027-02-28');
    expect(noticeDeadline('2028-03', 1)).toBe('2028-02-29');
    expect(noticeDeadline('2026-05', 3)).toBe('2026-02-28');
    expect(noticeDeadline('2026-08', 6)).toBe('2026-02-28');
    expect(noticeDeadline('2026-10', 1)).toBe('2026-09-30');
    expect(noticeDeadline('2027-01', 2)).toBe('2026-11-30');
    expect(noticeDeadline('2026-12', 0)).toBe('2026-12-31');
    expect(noticeDeadline('2027-06', 12)).toBe('2026-06-30');
  });

  it('is the latest day whose notice period, counted in months, still ends by the term end', () => {
    // Swedish counting: D + N months = same day N months on, or that month's last day.
    const plusMonths = (date: string, n: number) => {
      const month = addMonths(date.slice(0, 7), n);
      const day = Math.min(Number(date.slice(8, 10)), Number(lastDayOfMonth(month).slice(8)));
      return `${month}-${String(day).padStart(2, '0')}`;
    };
    const nextDay = (date: string) =>
      new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    fc.assert(
      fc.property(
        fc.integer({ min: 2000 * 12, max: 2090 * 12 }),
        fc.integer({ min: 0, max: 36 }),
        (index, notice) => {
          const end = `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
          const deadline = noticeDeadline(end, notice);
          expect(plusMonths(deadline, notice) <= lastDayOfMonth(end)).toBe(true);
          expect(plusMonths(nextDay(deadline), notice) > lastDayOfMonth(end)).toBe(true);
        },
      ),
    );
  });

  it('counts the days left, today included as day 0', () => {
    expect(status({}, '2026-09-01')).toEqual({
      kind: 'notice',
      noticeBy: '2026-09-30',
      daysLeft: 29,
      termEnd: '2026-12',
      renewals: 0,
      renews: false,
    });
    expect(status({}, '2026-09-30')).toMatchObject({ kind: 'notice', daysLeft: 0 });
  });

  it('without renewal: expiring after the notice date, ended after the term', () => {
    expect(status({}, '2026-10-01')).toEqual({
      kind: 'expiring',
      noticeBy: '2026-09-30',
      termEnd: '2026-12',
    });
    expect(status({}, '2026-12-31')).toMatchObject({ kind: 'expiring' });
    expect(status({}, '2027-01-01')).toEqual({ kind: 'ended', termEnd: '2026-12' });
  });

  it('with automatic renewal the term rolls forward until the notice date is not past', () => {
    const renewing = { renewalMonths: 12 };
    expect(status(renewing, '2026-09-30')).toMatchObject({ noticeBy: '2026-09-30', renewals: 0 });
    expect(status(renewing, '2026-10-01')).toEqual({
      kind: 'notice',
      noticeBy: '2027-09-30',
      daysLeft: 364,
      termEnd: '2027-12',
      renewals: 1,
      renews: true,
    });
    // Years later, several renewals at once.
    expect(status(renewing, '2031-02-14')).toMatchObject({
      noticeBy: '2031-09-30',
      termEnd: '2031-12',
      renewals: 5,
    });
    // Rent: 36 months' renewal, 9 months' notice, term ending 2027-03.
    expect(
      status({ endMonth: '2027-03', noticeMonths: 9, renewalMonths: 36 }, '2026-07-01'),
    ).toMatchObject({ noticeBy: '2029-06-30', termEnd: '2030-03', renewals: 1 });
  });

  it('month ends: a renewal landing on a shorter month uses its last day', () => {
    // End 2026-05, notice 3 → 2026-02-28; renewing by 1 month → 2026-03-31, 2026-04-30.
    const monthly = { endMonth: '2026-05', noticeMonths: 3, renewalMonths: 1 };
    expect(noticeStatus(monthly, '2026-03-01')).toMatchObject({
      noticeBy: '2026-03-31',
      termEnd: '2026-06',
      renewals: 1,
    });
    expect(noticeStatus(monthly, '2026-04-15')).toMatchObject({
      noticeBy: '2026-04-30',
      termEnd: '2026-07',
      renewals: 2,
    });
    // Leap years: a 24-month renewal around February.
    const biennial = { endMonth: '2026-05', noticeMonths: 3, renewalMonths: 24 };
    expect(noticeStatus(biennial, '2026-03-01')).toMatchObject({ noticeBy: '2028-02-29' });
  });

  it('the rolled date is never past and is the first renewal that is not', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2000 * 12, max: 2060 * 12 }),
        fc.integer({ min: 0, max: 36 }),
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 0, max: 365 * 40 }),
        (index, notice, renewal, offset) => {
          const end = `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
          const today = new Date(Date.UTC(2000, 0, 1) + offset * 86_400_000)
            .toISOString()
            .slice(0, 10);
          const result = noticeStatus(
            { endMonth: end, noticeMonths: notice, renewalMonths: renewal },
            today,
          );
          expect(result.kind).toBe('notice');
          if (result.kind !== 'notice') return;
          expect(result.noticeBy >= today).toBe(true);
          expect(result.termEnd).toBe(addMonths(end, result.renewals * renewal));
          expect(result.noticeBy).toBe(noticeDeadline(result.termEnd, notice));
          if (result.renewals > 0) {
            expect(noticeDeadline(addMonths(result.termEnd, -renewal), notice) < today).toBe(true);
          }
          expect(result.daysLeft).toBe(daysBetween(today, result.noticeBy));
        },
      ),
    );
  });

  it('open-ended agreements end with the month the notice period reaches', () => {
    expect(
      noticeStatus({ endMonth: null, noticeMonths: 3, renewalMonths: null }, '2026-11-28'),
    ).toEqual({ kind: 'open-ended', earliestEnd: '2027-02' });
  });

  it('sorts by urgency and reminds within 60 days', () => {
    const list: NoticeStatus[] = [
      { kind: 'ended', termEnd: '2020-01' },
      { kind: 'open-ended', earliestEnd: '2027-02' },
      noticeStatus({ endMonth: '2027-12', noticeMonths: 3, renewalMonths: null }, '2026-11-28'),
      { kind: 'expiring', noticeBy: '2026-10-31', termEnd: '2026-12' },
      noticeStatus({ endMonth: '2027-03', noticeMonths: 3, renewalMonths: 12 }, '2026-11-28'),
    ];
    const sorted = [...list].sort(urgencyOrder);
    expect(sorted.map((s) => s.kind)).toEqual([
      'notice',
      'notice',
      'expiring',
      'open-ended',
      'ended',
    ]);
    expect(sorted[0]).toMatchObject({ noticeBy: '2026-12-31', daysLeft: 33 });
    expect(isDue(sorted[0]!)).toBe(true);
    expect(isDue(sorted[1]!)).toBe(false);
    expect(isDue(sorted[2]!)).toBe(false);
  });

  it('an agreement runs while open-ended, renewing or before its end month', () => {
    expect(runsIn({ endMonth: null, noticeMonths: 1, renewalMonths: null }, '2030-01')).toBe(true);
    expect(runsIn({ endMonth: '2026-01', noticeMonths: 1, renewalMonths: 12 }, '2030-01')).toBe(
      true,
    );
    expect(runsIn({ endMonth: '2026-12', noticeMonths: 1, renewalMonths: null }, '2026-12')).toBe(
      true,
    );
    expect(runsIn({ endMonth: '2026-12', noticeMonths: 1, renewalMonths: null }, '2027-01')).toBe(
      false,
    );
  });
});
