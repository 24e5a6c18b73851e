import { describe, expect, it } from 'vitest';
import { daysBetween, type NoticeTerms } from '../../domain/contract-notice';
import { alerts, noticeAlerts, yearAlerts } from '../../src/lib/bureau/alerts';
import { benchmarkYear, group } from './bureau-fixtures';

const liquidity = (quick: number | null, current: number | null, p25 = 1) =>
  benchmarkYear(2024, {
    quick_ratio: { value: quick, group: group(2024), n: 40, p25, p50: 1.4, p75: 2 },
    current_ratio: { value: current, group: group(2024), n: 40, p25, p50: 1.6, p75: 2.2 },
  });

describe('yearAlerts', () => {
  it('flags liquidity when the quick or the current ratio is below the group’s p25', () => {
    expect(yearAlerts(liquidity(0.8, 1.5))).toEqual([
      { kind: 'liquidity-below-p25', metrics: ['quick_ratio'] },
    ]);
    expect(yearAlerts(liquidity(1.5, 0.5))).toEqual([
      { kind: 'liquidity-below-p25', metrics: ['current_ratio'] },
    ]);
    expect(yearAlerts(liquidity(0.2, 0.5))).toEqual([
      { kind: 'liquidity-below-p25', metrics: ['quick_ratio', 'current_ratio'] },
    ]);
  });

  it('says nothing at or above the quartile, without a value, or when p25 is withheld', () => {
    expect(yearAlerts(liquidity(1, 1))).toEqual([]);
    expect(yearAlerts(liquidity(null, null))).toEqual([]);
    const withheld = benchmarkYear(2024, {
      quick_ratio: { value: 0.1, group: null, n: null },
      current_ratio: { value: 0.1, group: null, n: null },
    });
    expect(yearAlerts(withheld)).toEqual([]);
  });

  it('flags negative equity from a negative equity ratio only', () => {
    const equity = (value: number | null) =>
      benchmarkYear(2024, { equity_ratio: { value, group: group(2024), n: 30, p25: 0.2 } });
    // Below p25 too, but the equity ratio is not a liquidity figure.
    expect(yearAlerts(equity(-0.05))).toEqual([{ kind: 'negative-equity' }]);
    expect(yearAlerts(equity(0))).toEqual([]);
    expect(yearAlerts(equity(0.35))).toEqual([]);
    expect(yearAlerts(equity(null))).toEqual([]);
  });
});

describe('noticeAlerts', () => {
  const today = '2026-03-15';
  const terms = (
    endMonth: string | null,
    noticeMonths: number,
    renewalMonths: number | null = null,
  ): NoticeTerms => ({ endMonth, noticeMonths, renewalMonths });

  it('counts agreements whose notice date is within 60 days, naming the nearest', () => {
    const due = [
      // 2026-06 with 3 months' notice: by 2026-03-31.
      terms('2026-06', 3),
      // Renews yearly; 2025-03-31 has passed, so the next term's date 2026-03-31 counts.
      terms('2025-04', 1, 12),
      // Today itself still counts: 2026-04 with 1 month → 2026-03-31; 2026-03 with 0 → 03-31.
      terms('2026-03', 0),
    ];
    const notDue = [
      terms('2026-12', 3), // 2026-09-30
      terms('2026-02', 1), // passed, no renewal: it just ends
      terms(null, 3), // open-ended: notice any day
      terms('2025-12', 1, 12), // rolled to 2026-12 → 2026-11-30
    ];
    expect(noticeAlerts([...notDue, ...due], today)).toEqual([
      { kind: 'notice-soon', count: 3, nearest: '2026-03-31' },
    ]);
    expect(noticeAlerts(notDue, today)).toEqual([]);
    expect(noticeAlerts([], today)).toEqual([]);
  });

  it('uses the reminder window inclusively', () => {
    const one = [terms('2026-04', 1)]; // notice by 2026-03-31
    const days = daysBetween(today, '2026-03-31');
    expect(noticeAlerts(one, today, days)).toHaveLength(1);
    expect(noticeAlerts(one, today, days - 1)).toEqual([]);
    expect(noticeAlerts(one, '2026-03-31', 0)).toHaveLength(1);
    expect(noticeAlerts(one, '2026-04-01')).toEqual([]);
  });

  it('reports the nearest of several dates', () => {
    // By 2026-04-30 and by 2026-03-31; 2026-07 with 1 month (2026-06-30) is too far off.
    const found = noticeAlerts(
      [terms('2026-06', 2), terms('2026-07', 1), terms('2026-05', 2)],
      today,
    );
    expect(found).toEqual([{ kind: 'notice-soon', count: 2, nearest: '2026-03-31' }]);
  });
});

describe('alerts', () => {
  const weak = benchmarkYear(2024, {
    quick_ratio: { value: 0.3, group: group(2024), n: 40, p25: 0.9 },
    equity_ratio: { value: -0.2, group: group(2024), n: 40, p25: 0.1 },
  });
  const dueSoon: NoticeTerms[] = [{ endMonth: '2026-04', noticeMonths: 1, renewalMonths: null }];

  it('lists the most pressing first', () => {
    expect(
      alerts({ year: weak, uploaded: true, agreements: dueSoon, today: '2026-03-15' }).map(
        (a) => a.kind,
      ),
    ).toEqual(['notice-soon', 'negative-equity', 'liquidity-below-p25']);
  });

  it('says when nothing is uploaded, with the agreements still checked', () => {
    expect(
      alerts({ year: null, uploaded: false, agreements: dueSoon, today: '2026-03-15' }),
    ).toEqual([{ kind: 'no-year' }, { kind: 'notice-soon', count: 1, nearest: '2026-03-31' }]);
    expect(alerts({ year: null, uploaded: true, agreements: [], today: '2026-03-15' })).toEqual([]);
  });
});
