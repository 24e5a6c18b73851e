import { describe, expect, it } from 'vitest';
import { consoleRow, type ClientOutcome, type ConsoleRow } from '../../src/lib/bureau/rows';
import {
  ariaSort,
  filterRows,
  NO_FILTER,
  nextSort,
  sortRows,
  yearChoices,
  type Sort,
} from '../../src/lib/bureau/table';
import { benchmarkResult, benchmarkYear, client, group } from './bureau-fixtures';

const benchmarked = (
  years: number[],
  overall: number | null,
  netMargin: number | null,
  quick = 1.2,
): ClientOutcome => ({
  state: 'benchmarked',
  result: benchmarkResult(
    years.map((year) =>
      benchmarkYear(
        year,
        {
          net_margin: { value: netMargin, group: group(year), n: 20 + year - 2020, index: overall },
          quick_ratio: { value: quick, group: group(year), n: 20 + year - 2020, p25: 1 },
        },
        overall,
      ),
    ),
  ),
});

const context = { year: null, agreements: [], today: '2026-03-15' };
const rows: ConsoleRow[] = [
  consoleRow(client('10'), benchmarked([2024, 2023], 55, 0.05), context),
  consoleRow(client('2'), benchmarked([2021], 80, 0.12), context),
  consoleRow(client('A-7'), { state: 'no-upload' }, context),
  consoleRow(client('1b'), benchmarked([2024], 31, -0.03, 0.4), context),
  consoleRow(client('3', 'org-2'), benchmarked([2023], null, null), context),
];
const labels = (list: ConsoleRow[]) => list.map((row) => row.label);

describe('sortRows', () => {
  const by = (column: Sort['column'], direction: Sort['direction'] = 'ascending') =>
    labels(sortRows(rows, { column, direction }));

  it('sorts customer numbers naturally ("2" before "10"), both ways', () => {
    expect(by('label')).toEqual(['1b', '2', '3', '10', 'A-7']);
    expect(by('label', 'descending')).toEqual(['A-7', '10', '3', '2', '1b']);
  });

  it('sorts numbers by value with missing values last in both directions', () => {
    expect(by('overall')).toEqual(['1b', '10', '2', '3', 'A-7']);
    expect(by('overall', 'descending')).toEqual(['2', '10', '1b', '3', 'A-7']);
    expect(by('net_margin', 'descending')).toEqual(['2', '10', '1b', '3', 'A-7']);
    expect(by('year')).toEqual(['2', '3', '1b', '10', 'A-7']);
  });

  it('breaks ties by label and sorts by alert count', () => {
    // 1b has weak liquidity, A-7 nothing uploaded; the rest none.
    expect(by('alerts', 'descending')).toEqual(['1b', 'A-7', '2', '3', '10']);
  });

  it('does not change the rows it is given', () => {
    const before = labels(rows);
    sortRows(rows, { column: 'overall', direction: 'descending' });
    expect(labels(rows)).toEqual(before);
  });
});

describe('nextSort and ariaSort', () => {
  it('flips the same column and starts another ascending', () => {
    const first = nextSort({ column: 'label', direction: 'ascending' }, 'overall');
    expect(first).toEqual({ column: 'overall', direction: 'ascending' });
    const second = nextSort(first, 'overall');
    expect(second).toEqual({ column: 'overall', direction: 'descending' });
    expect(nextSort(second, 'overall').direction).toBe('ascending');
    expect(ariaSort(second, 'overall')).toBe('descending');
    expect(ariaSort(second, 'label')).toBe('none');
  });
});

describe('filterRows', () => {
  it('matches part of the label, case-insensitively, ignoring surrounding spaces', () => {
    expect(labels(filterRows(rows, { ...NO_FILTER, text: ' a-' }))).toEqual(['A-7']);
    expect(labels(filterRows(rows, { ...NO_FILTER, text: '1' }))).toEqual(['10', '1b']);
    expect(filterRows(rows, NO_FILTER)).toHaveLength(rows.length);
  });

  it('keeps only rows with alerts, or with a fiscal year, or of one bureau', () => {
    expect(labels(filterRows(rows, { ...NO_FILTER, onlyAlerts: true }))).toEqual(['A-7', '1b']);
    expect(labels(filterRows(rows, { ...NO_FILTER, year: 2023 }))).toEqual(['10', '3']);
    expect(labels(filterRows(rows, { ...NO_FILTER, orgId: 'org-2' }))).toEqual(['3']);
    expect(
      labels(filterRows(rows, { text: '1', onlyAlerts: true, year: 2024, orgId: 'org-1' })),
    ).toEqual(['1b']);
  });

  it('offers every uploaded year, newest first', () => {
    expect(yearChoices(rows)).toEqual([2024, 2023, 2021]);
  });
});
