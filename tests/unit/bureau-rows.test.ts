import { describe, expect, it } from 'vitest';
import { consoleRow, headlineGroup, yearShown, type RowContext } from '../../src/lib/bureau/rows';
import { benchmarkResult, benchmarkYear, client, group } from './bureau-fixtures';

const context: RowContext = { year: null, agreements: [], today: '2026-03-15' };

const older = benchmarkYear(
  2023,
  {
    net_margin: { value: 0.02, group: group(2023), n: 25, p25: 0.01, index: 38 },
    quick_ratio: { value: 0.7, group: group(2023), n: 25, p25: 0.9, index: 20 },
  },
  41,
);
const newer = benchmarkYear(
  2024,
  {
    net_margin: { value: 0.08, group: group(2024), n: 31, p25: 0.01, index: 71 },
    equity_ratio: { value: 0.45, group: group(2024), n: 31, p25: 0.2, index: 66 },
    quick_ratio: { value: 1.6, group: group(2024), n: 31, p25: 0.9, index: 74 },
    current_ratio: { value: 1.9, group: group(2024, '620'), n: 12, p25: 1, index: 70 },
  },
  69,
);
const result = benchmarkResult([older, newer]);

describe('consoleRow', () => {
  it('shows the newest year with its overall index, key figures, peers and no alerts', () => {
    const row = consoleRow(client('1001'), { state: 'benchmarked', result }, context);
    expect(row).toMatchObject({
      label: '1001',
      state: 'benchmarked',
      years: [2024, 2023],
      year: 2024,
      overallIndex: 69,
      peers: 31,
      alerts: [],
      failure: null,
    });
    expect(row.figures).toEqual({
      net_margin: { value: 0.08, index: 71 },
      equity_ratio: { value: 0.45, index: 66 },
      quick_ratio: { value: 1.6, index: 74 },
    });
  });

  it('shows a chosen older year from the history, with that year’s alerts', () => {
    const row = consoleRow(
      client('1001'),
      { state: 'benchmarked', result },
      { ...context, year: 2023 },
    );
    expect(row.year).toBe(2023);
    expect(row.overallIndex).toBe(41);
    expect(row.figures.quick_ratio).toEqual({ value: 0.7, index: 20 });
    expect(row.figures.equity_ratio).toEqual({ value: null, index: null });
    expect(row.peers).toBe(25);
    expect(row.alerts).toEqual([{ kind: 'liquidity-below-p25', metrics: ['quick_ratio'] }]);
  });

  it('shows a year the client lacks as no year (the year filter hides such rows)', () => {
    const row = consoleRow(
      client('1001'),
      { state: 'benchmarked', result },
      { ...context, year: 2019 },
    );
    expect(row).toMatchObject({ year: null, overallIndex: null, peers: null, years: [2024, 2023] });
  });

  it('shows a client without an upload as its state, with the no-year alert', () => {
    const row = consoleRow(client('1002'), { state: 'no-upload' }, context);
    expect(row).toMatchObject({ state: 'no-upload', years: [], year: null, overallIndex: null });
    expect(row.alerts).toEqual([{ kind: 'no-year' }]);
  });

  it('keeps pending and failed clients free of guesses', () => {
    const pending = consoleRow(client('1003'), { state: 'pending' }, context);
    expect(pending).toMatchObject({ state: 'pending', alerts: [], failure: null });
    const failed = consoleRow(client('1003'), { state: 'failed', message: 'offline' }, context);
    expect(failed).toMatchObject({ state: 'failed', alerts: [], failure: 'offline' });
  });

  it('adds the notice alert from the client’s agreements in every state', () => {
    const agreements = [{ endMonth: '2026-04', noticeMonths: 1, renewalMonths: null }];
    for (const outcome of [
      { state: 'no-upload' as const },
      { state: 'benchmarked' as const, result },
    ]) {
      const row = consoleRow(client('1004'), outcome, { ...context, agreements });
      expect(row.alerts).toContainEqual({ kind: 'notice-soon', count: 1, nearest: '2026-03-31' });
    }
  });
});

describe('headlineGroup', () => {
  it('is the group most figures were compared with, with its largest n', () => {
    const year = benchmarkYear(2024, {
      net_margin: { value: 0.1, group: group(2024), n: 30 },
      equity_ratio: { value: 0.1, group: group(2024), n: 33 },
      quick_ratio: { value: 0.1, group: group(2024, '620'), n: 12 },
    });
    expect(headlineGroup(year.items)).toEqual({ group: group(2024), n: 33 });
    expect(headlineGroup(benchmarkYear(2024).items)).toBeNull();
  });
});

describe('yearShown', () => {
  it('is the selected (newest) year unless one is asked for', () => {
    expect(yearShown(result, null)?.year).toBe(2024);
    expect(yearShown(result, 2023)?.year).toBe(2023);
    expect(yearShown(result, 2022)).toBeNull();
  });
});
