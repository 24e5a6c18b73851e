/**
 * Sorting and filtering of the console's rows. Missing values (no upload, a figure that
 * cannot be computed) always sort last, whichever the direction, so the clients with figures
 * stay together at the top.
 */
import type { ConsoleRow, KeyFigure } from './rows';
import { KEY_FIGURES } from './rows';

export const SORT_COLUMNS = [
  'label',
  'year',
  'overall',
  ...KEY_FIGURES,
  'peers',
  'alerts',
] as const;
export type SortColumn = (typeof SORT_COLUMNS)[number];
export type SortDirection = 'ascending' | 'descending';
export interface Sort {
  column: SortColumn;
  direction: SortDirection;
}

/** Customer numbers sort as people read them: "2" before "10", case and accents aside. */
const labelOrder = new Intl.Collator('sv', { numeric: true, sensitivity: 'base' });

const isKeyFigure = (column: SortColumn): column is KeyFigure =>
  (KEY_FIGURES as readonly string[]).includes(column);

/** The value a column sorts by (null: missing). */
function sortValue(row: ConsoleRow, column: Exclude<SortColumn, 'label'>): number | null {
  if (isKeyFigure(column)) return row.figures[column].value;
  switch (column) {
    case 'year':
      return row.year;
    case 'overall':
      return row.overallIndex;
    case 'peers':
      return row.peers;
    case 'alerts':
      return row.alerts.length;
  }
}

function compareBy(column: SortColumn): (a: ConsoleRow, b: ConsoleRow) => number {
  if (column === 'label') return (a, b) => labelOrder.compare(a.label, b.label);
  return (a, b) => {
    const x = sortValue(a, column);
    const y = sortValue(b, column);
    return x === null || y === null ? 0 : x - y;
  };
}

const missing = (row: ConsoleRow, column: SortColumn): boolean =>
  column !== 'label' && sortValue(row, column) === null;

/** A sorted copy: by the column, then by label; missing values last in both directions. */
export function sortRows(rows: readonly ConsoleRow[], sort: Sort): ConsoleRow[] {
  const sign = sort.direction === 'ascending' ? 1 : -1;
  const byColumn = compareBy(sort.column);
  const byLabel = compareBy('label');
  return [...rows].sort((a, b) => {
    const gap = Number(missing(a, sort.column)) - Number(missing(b, sort.column));
    if (gap !== 0) return gap;
    return sign * byColumn(a, b) || byLabel(a, b) || a.key.localeCompare(b.key);
  });
}

/** A click on a column header: the same column flips, another starts ascending. */
export const nextSort = (current: Sort, column: SortColumn): Sort =>
  current.column === column
    ? { column, direction: current.direction === 'ascending' ? 'descending' : 'ascending' }
    : { column, direction: 'ascending' };

/** The header's `aria-sort`: the direction on the sorted column, `none` elsewhere. */
export const ariaSort = (sort: Sort, column: SortColumn): SortDirection | 'none' =>
  sort.column === column ? sort.direction : 'none';

export interface RowFilter {
  /** Part of the customer number or label (case-insensitive); empty: every row. */
  text: string;
  onlyAlerts: boolean;
  /** Only clients that have uploaded this fiscal year; null: every row. */
  year: number | null;
  /** Only this bureau's clients (for users in several bureaus); null: every bureau. */
  orgId: string | null;
}

export const NO_FILTER: RowFilter = { text: '', onlyAlerts: false, year: null, orgId: null };

const normalised = (text: string) => text.trim().toLocaleLowerCase('sv');

export function filterRows(rows: readonly ConsoleRow[], filter: RowFilter): ConsoleRow[] {
  const text = normalised(filter.text);
  return rows.filter(
    (row) =>
      (text === '' || normalised(row.label).includes(text)) &&
      (!filter.onlyAlerts || row.alerts.length > 0) &&
      (filter.year === null || row.years.includes(filter.year)) &&
      (filter.orgId === null || row.orgId === filter.orgId),
  );
}

/** The fiscal years any client has uploaded, newest first: the year filter's choices. */
export const yearChoices = (rows: readonly ConsoleRow[]): number[] =>
  [...new Set(rows.flatMap((row) => row.years))].sort((a, b) => b - a);
