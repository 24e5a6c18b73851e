import { describe, expect, it } from 'vitest';
import type { SieResult } from '../../../domain/sie-summary.ts';
import { summarizeBytes } from '../../../workers/sie/summarize.ts';
import { readFixture } from './helpers.ts';

async function run(name: string, transform?: (text: string) => string): Promise<SieResult> {
  let bytes = readFixture(name);
  if (transform) bytes = new TextEncoder().encode(transform(new TextDecoder().decode(bytes)));
  return summarizeBytes(bytes, { fileName: name });
}

const codes = (r: SieResult) => r.diagnostics.map((d) => d.code);
const year = (r: SieResult, index: number) => r.data?.years.find((y) => y.index === index);

describe('fixtures: one rule each', () => {
  it('escapes: \\" inside quoted fields, braces inside texts', async () => {
    const r = await run('escapes.se');
    expect(r.data?.company.name).toBe('Citat "AB"');
    expect(r.data?.company.address).toEqual({
      contact: 'Kalle "K" Anka',
      street: 'Gata 1',
      postal: '123 45 Ort',
      phone: '08-123',
    });
    expect(r.data?.program).toEqual({ name: 'Exp "Pro"', version: '2.1' });
    expect(r.data?.accounts).toEqual({ '1930': 'Bank "konto"', '3010': 'Forsaljning {tjanster}' });
    expect(year(r, 0)).toMatchObject({
      source: 'balances',
      balance: { '19': { ib: 100000, ub: 150050 } },
      result: { '30': -50050 },
    });
    expect(r.data?.counts).toMatchObject({ vouchers: 1, transactions: 2 });
    expect(codes(r).filter((c) => c !== 'MISSING_MANDATORY_RECORD')).toEqual([]);
  });

  it('quoted dims and objects; object balances and object PSALDO ignored', async () => {
    const r = await run('quoted-dims.se');
    const y = year(r, 0);
    expect(y?.source).toBe('transactions');
    expect(y?.result).toEqual({ '30': -1000000, '50': 30025 });
    expect(y?.balance).toEqual({});
    expect(y?.monthly.source).toBe('transactions');
    expect(y?.monthly.months).toEqual({
      '2024-02': { '30': -1000000 },
      '2024-03': { '50': 30025 },
    });
    expect(codes(r)).not.toContain('UNBALANCED_VOUCHER');
  });

  it('tabs, indentation and whitespace-only lines', async () => {
    const r = await run('tabs-indent.se');
    expect(year(r, 0)).toMatchObject({
      balance: { '19': { ib: 20000, ub: 25000 } },
      result: { '30': -5000 },
    });
    expect(r.data?.counts.transactions).toBe(2);
  });

  it('CRLF line ends give the same result as LF', async () => {
    const lf = await run('escapes.se');
    const crlf = await run('escapes.se', (t) => t.replace(/\n/g, '\r\n'));
    expect(crlf.diagnostics).toEqual(lf.diagnostics);
    expect({ ...crlf.data, counts: null }).toEqual({ ...lf.data, counts: null });
    expect(crlf.data?.counts.bytes).toBe(
      (lf.data?.counts.bytes ?? 0) + (lf.data?.counts.lines ?? 0),
    );
  });

  it('missing #IB 0 is taken from #UB -1', async () => {
    const r = await run('missing-ib0.se');
    expect(year(r, 0)).toMatchObject({
      ibSource: 'previous-ub',
      balance: { '19': { ib: 70000, ub: 90000 }, '20': { ib: -10000, ub: -70000 } },
      result: { '30': -20000 },
    });
    expect(year(r, -1)).toMatchObject({
      ibSource: 'ib',
      balance: { '19': { ib: 10000, ub: 70000 }, '20': { ib: -10000, ub: -10000 } },
      result: { '30': -60000 },
    });
    expect(codes(r)).not.toContain('BALANCE_IDENTITY_OFF');
  });

  it('missing #RES: result groups derived from vouchers dated in the year', async () => {
    const r = await run('missing-res.se');
    expect(r.data?.years.map((y) => y.index)).toEqual([0, -1]);
    expect(year(r, 0)).toMatchObject({
      source: 'transactions',
      result: { '30': -100000, '50': 40000 },
      balance: { '19': { ib: 100000, ub: 165001 } },
    });
    expect(year(r, -1)).toMatchObject({ source: 'transactions', result: { '61': 9999 } });
    const outside = r.diagnostics.filter((d) => d.code === 'DATE_OUTSIDE_YEAR');
    expect(outside.map((d) => d.line)).toEqual([34]);
  });

  it('8990–8999 never enter result groups (from vouchers or #RES)', async () => {
    const r = await run('closing-8999.se');
    expect(year(r, 0)).toMatchObject({
      source: 'transactions',
      result: { '30': -100000, '89': 10000 },
    });
    expect(year(r, -1)).toMatchObject({ source: 'balances', result: { '30': -50000 } });
    expect(year(r, -1)?.result['89']).toBeUndefined();
  });

  it('class 9, short and non-numeric accounts are skipped with one warning per account', async () => {
    const r = await run('class9.se');
    expect(year(r, 0)?.result).toEqual({ '30': -10000 });
    const skipped = r.diagnostics.filter((d) => d.code === 'SKIPPED_ACCOUNT');
    expect(skipped.map((d) => d.params['account'])).toEqual(['9010', '123', '9999', 'ABC']);
    expect(codes(r)).not.toContain('UNBALANCED_VOUCHER');
  });

  it('#RTRANS and #BTRANS rows never count', async () => {
    const r = await run('rtrans.se');
    expect(year(r, 0)?.result).toEqual({ '30': -10000 });
    expect(r.data?.counts).toMatchObject({ transactions: 3, ignoredTransactions: 3 });
    expect(codes(r)).not.toContain('UNBALANCED_VOUCHER');
  });

  it('decimal comma is read exactly and warned once', async () => {
    const r = await run('decimal-comma.se');
    expect(year(r, 0)).toMatchObject({
      balance: { '19': { ib: 100050, ub: 223456 } },
      result: { '30': -123406 },
    });
    expect(codes(r).filter((c) => c === 'DECIMAL_COMMA')).toHaveLength(1);
  });

  it('no #RAR but vouchers: calendar years inferred, with a warning', async () => {
    const r = await run('no-rar-vouchers.si');
    expect(r.data?.sieType).toBe('4I');
    expect(r.data?.years.map((y) => [y.index, y.start, y.end, y.result])).toEqual([
      [0, '2024-01-01', '2024-12-31', { '30': -50000 }],
      [-1, '2023-01-01', '2023-12-31', { '50': 20000 }],
    ]);
    expect(codes(r)).toContain('YEAR_INFERRED');
  });

  const rejected: Array<[string, string, number]> = [
    ['truncated-ksumma.se', 'TRUNCATED', 2],
    ['unterminated-voucher.se', 'TRUNCATED', 13],
    ['html-page.se', 'NOT_SIE', 1],
    ['no-year.se', 'NO_FISCAL_YEAR', 1],
  ];
  for (const [name, code, line] of rejected) {
    it(`${name} is rejected with ${code} at line ${line}`, async () => {
      const r = await run(name);
      expect(r.data).toBeNull();
      expect(r.diagnostics).toHaveLength(1);
      expect(r.diagnostics[0]).toMatchObject({ severity: 'error', code, line });
      expect(r.diagnostics[0]?.message).toMatch(/\S/);
      expect(r.diagnostics[0]?.messageSv).toMatch(/\S/);
    });
  }

  it('an empty file and a binary file are not SIE', async () => {
    expect((await summarizeBytes(new Uint8Array(0))).diagnostics[0]?.code).toBe('NOT_SIE');
    const pdf = new TextEncoder().encode('%PDF-1.4\n\u0000\u0001binary');
    expect((await summarizeBytes(pdf)).diagnostics[0]?.code).toBe('NOT_SIE');
  });
});
