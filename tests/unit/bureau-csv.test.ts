import { describe, expect, it } from 'vitest';
import { metricById } from '../../domain/ratios';
import type { Alert } from '../../src/lib/bureau/alerts';
import {
  BOM,
  consoleCsv,
  csvDocument,
  csvField,
  csvFileName,
  csvNumber,
  type ConsoleCsvTexts,
} from '../../src/lib/bureau/csv';
import { consoleRow, perKeyFigure } from '../../src/lib/bureau/rows';
import { benchmarkResult, benchmarkYear, client, group } from './bureau-fixtures';

/** A minimal RFC 4180 reader, to prove what a spreadsheet program would read back. */
function readCsv(text: string, separator: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === separator) {
      row.push(field);
      field = '';
    } else if (char === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 1;
    } else field += char;
  }
  return rows;
}

describe('csvNumber', () => {
  it('writes a decimal comma in Swedish and a point in English, without grouping', () => {
    expect(csvNumber(1234567.891, 1, 'sv')).toBe('1234567,9');
    expect(csvNumber(1234567.891, 1, 'en')).toBe('1234567.9');
    expect(csvNumber(-12.34, 1, 'sv')).toBe('-12,3');
    expect(csvNumber(42, 0, 'sv')).toBe('42');
  });

  it('never writes a negative zero', () => {
    expect(csvNumber(-0.04, 1, 'sv')).toBe('0,0');
    expect(csvNumber(-0, 0, 'en')).toBe('0');
  });
});

describe('csvField and csvDocument', () => {
  it('quotes fields with the separator, quotes or line breaks, doubling quotes', () => {
    expect(csvField('plain', ';')).toBe('plain');
    expect(csvField('a;b', ';')).toBe('"a;b"');
    expect(csvField('a,b', ';')).toBe('a,b');
    expect(csvField('a,b', ',')).toBe('"a,b"');
    expect(csvField('say "hi"', ',')).toBe('"say ""hi"""');
    expect(csvField('two\nlines', ',')).toBe('"two\nlines"');
  });

  it('starts with a BOM, ends every line with CRLF and keeps formulas as text', () => {
    const text = csvDocument(
      [
        ['Kund', 'Värde'],
        ['=SUM(A1)', { number: 0.5, digits: 1 }],
        ['"Citat"; och semikolon', null],
      ],
      'sv',
    );
    expect(text.startsWith(BOM)).toBe(true);
    expect(text.slice(1)).toBe('Kund;Värde\r\n\'=SUM(A1);0,5\r\n"""Citat""; och semikolon";\r\n');
    expect(readCsv(text.slice(1), ';')).toEqual([
      ['Kund', 'Värde'],
      ["'=SUM(A1)", '0,5'],
      ['"Citat"; och semikolon', ''],
    ]);
    // UTF-8 bytes of the BOM, as Excel looks for them.
    expect([...new TextEncoder().encode(text).slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });
});

describe('consoleCsv', () => {
  const textsFor = (lang: 'sv' | 'en'): ConsoleCsvTexts => ({
    label: lang === 'sv' ? 'Kundnummer' : 'Customer number',
    bureau: lang === 'sv' ? 'Byrå' : 'Bureau',
    year: lang === 'sv' ? 'Räkenskapsår' : 'Fiscal year',
    noUpload: lang === 'sv' ? 'Inget uppladdat' : 'Nothing uploaded',
    overall: lang === 'sv' ? 'Totalindex' : 'Overall index',
    figure: perKeyFigure((id) => `${metricById(id)!.name[lang]} (%)`),
    figureIndex: perKeyFigure((id) => `${metricById(id)!.name[lang]}, index`),
    peers: 'n',
    alerts: lang === 'sv' ? 'Att titta på' : 'To look at',
    alert: (alert: Alert) => alert.kind,
  });
  const context = { year: null, agreements: [], today: '2026-03-15' };
  const result = benchmarkResult([
    benchmarkYear(
      2024,
      {
        net_margin: { value: 0.0834, group: group(2024), n: 31, index: 71 },
        equity_ratio: { value: -0.125, group: group(2024), n: 31, index: 4 },
        quick_ratio: { value: 0.61, group: group(2024), n: 31, p25: 0.9, index: 12 },
      },
      29,
    ),
  ]);
  const rows = [
    consoleRow(client('1001; "AB"'), { state: 'benchmarked', result }, context),
    consoleRow(client('1002'), { state: 'no-upload' }, context),
  ];

  it('in Swedish: semicolons, decimal commas, percentages, the rows given and no more', () => {
    const text = consoleCsv(rows, 'sv', textsFor('sv'));
    const table = readCsv(text.slice(1), ';');
    expect(table).toEqual([
      [
        'Kundnummer',
        'Räkenskapsår',
        'Totalindex',
        'Nettomarginal (%)',
        'Nettomarginal, index',
        'Soliditet (%)',
        'Soliditet, index',
        'Kassalikviditet (%)',
        'Kassalikviditet, index',
        'n',
        'Att titta på',
      ],
      [
        '1001; "AB"',
        '2024',
        '29',
        '8,3',
        '71',
        '-12,5',
        '4',
        '61,0',
        '12',
        '31',
        'negative-equity · liquidity-below-p25',
      ],
      ['1002', 'Inget uppladdat', '', '', '', '', '', '', '', '', 'no-year'],
    ]);
    expect(consoleCsv(rows.slice(1), 'sv', textsFor('sv')).split('\r\n')).toHaveLength(3);
  });

  it('in English: commas and decimal points', () => {
    const text = consoleCsv(rows, 'en', textsFor('en'));
    const lines = text.slice(1).split('\r\n');
    expect(lines[0]).toBe(
      'Customer number,Fiscal year,Overall index,Net margin (%),"Net margin, index",Equity ratio (%),"Equity ratio, index",Quick ratio (%),"Quick ratio, index",n,To look at',
    );
    expect(lines[1]).toBe(
      '"1001; ""AB""",2024,29,8.3,71,-12.5,4,61.0,12,31,negative-equity · liquidity-below-p25',
    );
  });

  it('adds the bureau column only when the rows span several bureaus', () => {
    const mixed = [...rows, consoleRow(client('7', 'org-2'), { state: 'no-upload' }, context)];
    const table = readCsv(consoleCsv(mixed, 'en', textsFor('en')).slice(1), ',');
    expect(table[0]!.slice(0, 3)).toEqual(['Customer number', 'Bureau', 'Fiscal year']);
    expect(table.map((line) => line[1])).toEqual([
      'Bureau',
      'Siffer & Co',
      'Siffer & Co',
      'Andra byrån',
    ]);
  });
});

describe('csvFileName', () => {
  it('is Nyckel-klienter-YYYY-MM-DD.csv in local time', () => {
    expect(csvFileName(new Date(2026, 0, 5, 23, 59))).toBe('Nyckel-klienter-2026-01-05.csv');
    expect(csvFileName(new Date(2025, 11, 31, 0, 1))).toBe('Nyckel-klienter-2025-12-31.csv');
  });
});
