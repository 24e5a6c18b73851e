import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RETENTION,
  isoWeek,
  selectRetained,
  utcDay,
} from '../../server/ops/backup-retention';

const DAY = 24 * 60 * 60 * 1000;
const backupAt = (iso: string) => ({ created: new Date(iso).toISOString() });
const daysOf = (items: { created: string }[]) => items.map((item) => item.created.slice(0, 10));

/** One backup a day at 02:00 UTC from `first` to `last`, inclusive. */
const dailyBackups = (first: string, last: string) => {
  const out: { created: string }[] = [];
  for (let t = Date.parse(`${first}T02:00:00Z`); t <= Date.parse(`${last}T02:00:00Z`); t += DAY) {
    out.push({ created: new Date(t).toISOString() });
  }
  return out;
};

describe('ISO weeks', () => {
  it('follow ISO 8601 at year ends (weeks belong to the year of their Thursday)', () => {
    expect(isoWeek(new Date('2024-12-29T23:59:59.999Z'))).toBe('2024-W52');
    expect(isoWeek(new Date('2024-12-30T00:00:00Z'))).toBe('2025-W01');
    expect(isoWeek(new Date('2021-01-03T12:00:00Z'))).toBe('2020-W53');
    expect(isoWeek(new Date('2021-01-04T00:00:00Z'))).toBe('2021-W01');
    expect(isoWeek(new Date('2026-01-01T00:00:00Z'))).toBe('2026-W01');
    expect(isoWeek(new Date('2027-01-01T00:00:00Z'))).toBe('2026-W53');
    expect(isoWeek(new Date('2025-03-15T02:00:00Z'))).toBe('2025-W11');
  });
});

describe('retention: 7 daily, 4 weekly, 12 monthly', () => {
  it('keeps the newest backup of the last 7 days, 4 ISO weeks and 12 months of a daily series', () => {
    // 2025-03-15 is a Saturday in ISO week 11 (Mon 10 – Sun 16 March).
    const backups = dailyBackups('2024-02-01', '2025-03-15');
    const { keep, drop } = selectRetained(backups);
    expect(daysOf(keep)).toEqual([
      // daily: the 7 newest days
      '2025-03-15',
      '2025-03-14',
      '2025-03-13',
      '2025-03-12',
      '2025-03-11',
      '2025-03-10',
      '2025-03-09',
      // weekly: W11 and W10 are covered above; W09 ends Sunday 2 March, W08 on 23 February
      '2025-03-02',
      '2025-02-28', // monthly: February
      '2025-02-23',
      // monthly: the last day of each earlier month back to April 2024 (12 months in all)
      '2025-01-31',
      '2024-12-31',
      '2024-11-30',
      '2024-10-31',
      '2024-09-30',
      '2024-08-31',
      '2024-07-31',
      '2024-06-30',
      '2024-05-31',
      '2024-04-30',
    ]);
    expect(keep.length + drop.length).toBe(backups.length);
  });

  it('within a day, week or month only the newest backup counts', () => {
    const backups = [
      backupAt('2025-01-31T23:59:59.999Z'), // last instant of January (UTC)
      backupAt('2025-02-01T00:00:00.000Z'), // first of February: another day and month
      backupAt('2025-02-01T13:00:00.000Z'),
      backupAt('2025-02-01T08:00:00.000Z'),
    ];
    const { keep, drop } = selectRetained(backups);
    expect(keep.map((b) => b.created)).toEqual([
      '2025-02-01T13:00:00.000Z',
      '2025-01-31T23:59:59.999Z',
    ]);
    expect(drop.map((b) => b.created)).toEqual([
      '2025-02-01T08:00:00.000Z',
      '2025-02-01T00:00:00.000Z',
    ]);
  });

  it('Sunday 23:59 and Monday 00:00 are different weeks', () => {
    // Ten days, one backup on each Sunday night and Monday morning, plus one per day before.
    const backups = [
      backupAt('2025-03-02T23:59:00Z'), // Sunday, W09
      backupAt('2025-03-03T00:00:00Z'), // Monday, W10
      backupAt('2025-02-23T23:59:00Z'), // Sunday, W08
      backupAt('2025-02-24T00:00:00Z'), // Monday, W09
      backupAt('2025-02-16T23:59:00Z'), // Sunday, W07
      backupAt('2025-02-17T00:00:00Z'), // Monday, W08
    ];
    const weekly = selectRetained(backups, { daily: 0, weekly: 4, monthly: 0 });
    expect(weekly.keep.map((b) => b.created)).toEqual([
      '2025-03-03T00:00:00.000Z',
      '2025-03-02T23:59:00.000Z',
      '2025-02-23T23:59:00.000Z',
      '2025-02-16T23:59:00.000Z',
    ]);
  });

  it('periods without a backup do not use up slots (a server that was down keeps 12 months)', () => {
    const monthly = Array.from({ length: 36 }, (_, i) =>
      backupAt(new Date(Date.UTC(2022, i, 15, 2)).toISOString()),
    );
    const { keep } = selectRetained(monthly);
    expect(keep).toHaveLength(12);
    expect(keep[0]!.created).toBe('2024-12-15T02:00:00.000Z');
    expect(keep.at(-1)!.created).toBe('2024-01-15T02:00:00.000Z');
  });

  it('keeps nothing twice, drops nothing it keeps, is stable under re-application', () => {
    const arbBackups = fc.array(
      fc
        .integer({ min: Date.parse('2020-01-01'), max: Date.parse('2026-12-31') })
        .map((t) => ({ created: new Date(t).toISOString() })),
      { maxLength: 300 },
    );
    fc.assert(
      fc.property(arbBackups, (backups) => {
        const { keep, drop } = selectRetained(backups);
        expect(keep.length + drop.length).toBe(backups.length);
        expect(new Set([...keep, ...drop]).size).toBe(backups.length);
        const limit = DEFAULT_RETENTION.daily + DEFAULT_RETENTION.weekly;
        expect(keep.length).toBeLessThanOrEqual(limit + DEFAULT_RETENTION.monthly);
        if (backups.length === 0) return;
        // The newest backup is always kept, and every kept one is the newest of its day.
        const newest = Math.max(...backups.map((b) => Date.parse(b.created)));
        expect(Date.parse(keep[0]!.created)).toBe(newest);
        for (const kept of keep) {
          const sameDay = backups.filter(
            (b) => utcDay(new Date(b.created)) === kept.created.slice(0, 10),
          );
          expect(Math.max(...sameDay.map((b) => Date.parse(b.created)))).toBe(
            Date.parse(kept.created),
          );
        }
        // The 7 most recent days that have a backup each keep one.
        const recentDays = [...new Set(daysOf(backups).sort().reverse())].slice(0, 7);
        expect(recentDays.every((day) => daysOf(keep).includes(day))).toBe(true);
        // Running retention again on what was kept keeps all of it (daily runs agree).
        expect(selectRetained(keep).keep).toEqual(keep);
      }),
      { numRuns: 300 },
    );
  });
});
