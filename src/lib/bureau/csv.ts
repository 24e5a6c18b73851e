/**
 * CSV made on this device for spreadsheet programs (nothing is sent anywhere): UTF-8 with a
 * byte order mark so Excel reads å, ä and ö; in Swedish `;` between fields and a decimal
 * comma (what Excel expects with Swedish regional settings), in English `,` and a decimal
 * point; RFC 4180 quoting and CRLF line ends.
 */
import { localToday } from '../../../domain/contract-notice';
import { metricById } from '../../../domain/ratios';
import type { Alert } from './alerts';
import { KEY_FIGURES, type ConsoleRow, type KeyFigure } from './rows';

export type CsvLocale = 'sv' | 'en';

/** A cell: text, a number with its decimals, or empty. */
export type CsvCell = string | { number: number; digits: number } | null;

export const BOM = '\uFEFF';
const LINE_END = '\r\n';

export const csvSeparator = (locale: CsvLocale): ';' | ',' => (locale === 'sv' ? ';' : ',');

/**
 * A number as spreadsheets read it: fixed decimals, no grouping, an ASCII minus (never −0),
 * a decimal comma in Swedish.
 */
export function csvNumber(value: number, digits: number, locale: CsvLocale): string {
  const fixed = value.toFixed(digits);
  const text = Number(fixed) === 0 ? fixed.replace('-', '') : fixed;
  return locale === 'sv' ? text.replace('.', ',') : text;
}

/**
 * Text that a spreadsheet would run as a formula (=, +, -, @, tab or CR first) gets a leading
 * apostrophe, so a label like `=HYPERLINK(…)` stays text (OWASP "CSV injection").
 */
const defused = (text: string) => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);

/** A field quoted when it holds the separator, a quote or a line break; quotes doubled. */
export function csvField(text: string, separator: string): string {
  return text.includes(separator) || /["\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const cellText = (cell: CsvCell, locale: CsvLocale): string =>
  cell === null
    ? ''
    : typeof cell === 'string'
      ? defused(cell)
      : csvNumber(cell.number, cell.digits, locale);

/** The whole file: BOM, one line per row, CRLF after every line. */
export function csvDocument(table: readonly (readonly CsvCell[])[], locale: CsvLocale): string {
  const separator = csvSeparator(locale);
  const lines = table.map((cells) =>
    cells.map((cell) => csvField(cellText(cell, locale), separator)).join(separator),
  );
  return BOM + lines.map((line) => line + LINE_END).join('');
}

/** The console's columns in the user's language (headers and words the rows need). */
export interface ConsoleCsvTexts {
  label: string;
  /** Shown only when the rows span several bureaus. */
  bureau: string;
  year: string;
  noUpload: string;
  overall: string;
  /** Header of a key figure's value, e.g. "Nettomarginal (%)". */
  figure: Record<KeyFigure, string>;
  /** Header of a key figure's index, e.g. "Nettomarginal, index". */
  figureIndex: Record<KeyFigure, string>;
  peers: string;
  alerts: string;
  alert: (alert: Alert) => string;
}

const integer = (value: number | null): CsvCell =>
  value === null ? null : { number: value, digits: 0 };
/** A figure in its unit: a ratio as a percentage with one decimal (0.123 → 12.3), kronor whole. */
const figure = (id: KeyFigure, value: number | null): CsvCell => {
  if (value === null) return null;
  const unit = metricById(id)?.unit;
  if (unit === 'ratio') return { number: value * 100, digits: 1 };
  return { number: value, digits: unit === 'sek' ? 0 : 1 };
};

/**
 * The console's rows exactly as given (already filtered and sorted by the caller) as CSV:
 * customer number, (bureau,) year, overall index, each key figure in % with its index, peer
 * group size and the alerts.
 */
export function consoleCsv(
  rows: readonly ConsoleRow[],
  locale: CsvLocale,
  texts: ConsoleCsvTexts,
): string {
  const bureaus = new Set(rows.map((row) => row.orgId)).size > 1;
  const header: CsvCell[] = [
    texts.label,
    ...(bureaus ? [texts.bureau] : []),
    texts.year,
    texts.overall,
    ...KEY_FIGURES.flatMap((id) => [texts.figure[id], texts.figureIndex[id]]),
    texts.peers,
    texts.alerts,
  ];
  const lines = rows.map((row): CsvCell[] => [
    row.label,
    ...(bureaus ? [row.orgName] : []),
    row.state === 'no-upload' ? texts.noUpload : integer(row.year),
    integer(row.overallIndex),
    ...KEY_FIGURES.flatMap((id) => [
      figure(id, row.figures[id].value),
      integer(row.figures[id].index),
    ]),
    integer(row.peers),
    row.alerts.map(texts.alert).join(' · '),
  ]);
  return csvDocument([header, ...lines], locale);
}

/** `Nyckel-klienter-YYYY-MM-DD.csv` with the local date. */
export const csvFileName = (now: Date): string => `Nyckel-klienter-${localToday(now)}.csv`;
