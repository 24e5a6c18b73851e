import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createSieGenerator,
  generateSieBytes,
  writeSyntheticSie,
  type SieGeneratorOptions,
  type SyntheticSieSummary,
} from '../../../bench/sie-generator.ts';

/* A tiny, independent SIE line reader: enough to re-derive every figure the generator claims. */

const tokenize = (line: string): string[] => {
  const tokens: string[] = [];
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (c === ' ' || c === '\t') {
      i++;
    } else if (c === '"') {
      let value = '';
      for (i++; i < line.length && line[i] !== '"'; i++) {
        if (line[i] === '\\' && line[i + 1] === '"') i++;
        value += line[i];
      }
      tokens.push(value);
      i++;
    } else if (c === '{') {
      const close = line.indexOf('}', i);
      const end = close === -1 ? line.length : close + 1;
      tokens.push(line.slice(i, end));
      i = end;
    } else {
      let end = i;
      while (end < line.length && line[end] !== ' ' && line[end] !== '\t') end++;
      tokens.push(line.slice(i, end));
      i = end;
    }
  }
  return tokens;
};

const toOre = (amount: string): number => {
  expect(amount).toMatch(/^-?\d+\.\d\d$/);
  const negative = amount.startsWith('-');
  const [kronor = '0', ore = '0'] = amount.replace('-', '').split('.');
  const value = Number(kronor) * 100 + Number(ore);
  return negative ? -value : value;
};

interface Parsed {
  readonly lines: string[];
  readonly accounts: Set<number>;
  readonly years: Map<number, { start: string; end: string }>;
  readonly ib: Map<string, number>;
  readonly ub: Map<string, number>;
  readonly res: Map<string, number>;
  readonly vouchers: { date: string; rows: { account: number; amount: number; date?: string }[] }[];
}

const key = (year: number, account: number): string => `${year}:${account}`;

const parse = (text: string): Parsed => {
  const lines = text.split(/\r?\n/);
  const parsed: Parsed = {
    lines,
    accounts: new Set(),
    years: new Map(),
    ib: new Map(),
    ub: new Map(),
    res: new Map(),
    vouchers: [],
  };
  let open: Parsed['vouchers'][number] | undefined;
  let pendingDate: string | undefined;
  for (const line of lines) {
    const [label, ...f] = tokenize(line);
    if (label === '{') {
      open = { date: pendingDate ?? '', rows: [] };
    } else if (label === '}') {
      if (open) parsed.vouchers.push(open);
      open = undefined;
    } else if (label === '#KONTO') {
      parsed.accounts.add(Number(f[0]));
    } else if (label === '#RAR') {
      parsed.years.set(Number(f[0]), { start: f[1] ?? '', end: f[2] ?? '' });
    } else if (label === '#IB' || label === '#UB' || label === '#RES') {
      const map = label === '#IB' ? parsed.ib : label === '#UB' ? parsed.ub : parsed.res;
      map.set(key(Number(f[0]), Number(f[1])), toOre(f[2] ?? ''));
    } else if (label === '#VER') {
      pendingDate = f[2];
    } else if (label === '#TRANS') {
      expect(open).toBeDefined();
      open?.rows.push({ account: Number(f[0]), amount: toOre(f[2] ?? ''), date: f[3] });
    }
  }
  return parsed;
};

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');

const SMALL: SieGeneratorOptions = { seed: 7, transactions: 3000, years: 2 };

describe('synthetic SIE generator', () => {
  it('is deterministic for a seed and differs between seeds', async () => {
    const a = await generateSieBytes(SMALL);
    const b = await generateSieBytes(SMALL);
    const c = await generateSieBytes({ ...SMALL, seed: 8 });
    expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true);
    expect(Buffer.from(a.bytes).equals(Buffer.from(c.bytes))).toBe(false);
    expect(a.summary).toEqual(b.summary);
  });

  it('exposes the summary before streaming, and returns it from the stream', async () => {
    const generator = createSieGenerator(SMALL);
    const early: SyntheticSieSummary = generator.summary();
    const { bytes, summary } = await generateSieBytes(SMALL);
    expect(summary).toEqual(early);
    expect(summary.bytes).toBe(bytes.length);
    const parsed = parse(latin1.decode(bytes));
    expect(parsed.lines.length - 1).toBe(summary.lines);
    expect(parsed.vouchers.length).toBe(summary.vouchers);
    expect(parsed.vouchers.reduce((n, v) => n + v.rows.length, 0)).toBe(summary.transactions);
    expect(summary.transactions).toBeGreaterThanOrEqual(3000);
    expect(summary.transactions).toBeLessThan(3100);
  });

  it('writes balanced vouchers of 2–6 rows on known accounts, dated inside a fiscal year', async () => {
    const { bytes } = await generateSieBytes({ ...SMALL, years: 3 });
    const parsed = parse(latin1.decode(bytes));
    expect([...parsed.years.keys()]).toEqual([0, -1, -2]);
    const ranges = [...parsed.years.values()];
    expect(parsed.accounts.size).toBeGreaterThanOrEqual(280);
    for (const v of parsed.vouchers) {
      expect(v.rows.length).toBeGreaterThanOrEqual(2);
      expect(v.rows.length).toBeLessThanOrEqual(6);
      expect(v.rows.reduce((sum, r) => sum + r.amount, 0)).toBe(0);
      expect(ranges.some((y) => v.date >= y.start && v.date <= y.end)).toBe(true);
      for (const r of v.rows) {
        expect(parsed.accounts.has(r.account)).toBe(true);
        if (r.date !== undefined) expect(r.date).toBe(v.date);
      }
    }
  });

  it('keeps IB, UB and RES consistent with the vouchers and with each other', async () => {
    const { bytes } = await generateSieBytes({ ...SMALL, years: 3 });
    const parsed = parse(latin1.decode(bytes));
    for (const [index, range] of parsed.years) {
      const movement = new Map<number, number>();
      for (const v of parsed.vouchers) {
        if (v.date < range.start || v.date > range.end) continue;
        for (const r of v.rows) movement.set(r.account, (movement.get(r.account) ?? 0) + r.amount);
      }
      const sums = { ib: 0, ub: 0, res: 0 };
      for (const account of parsed.accounts) {
        const ib = parsed.ib.get(key(index, account)) ?? 0;
        const ub = parsed.ub.get(key(index, account)) ?? 0;
        const moved = movement.get(account) ?? 0;
        if (account < 3000) {
          expect(ub, `UB ${index} ${account}`).toBe(ib + moved);
          if (parsed.years.has(index - 1)) {
            expect(ib).toBe(parsed.ub.get(key(index - 1, account)) ?? 0);
          }
          sums.ib += ib;
          sums.ub += ub;
        } else {
          expect(parsed.res.get(key(index, account)) ?? 0, `RES ${index} ${account}`).toBe(moved);
          sums.res += moved;
        }
      }
      // Books closed: 8999/2099 carries the year result, so every side balances on its own.
      expect(sums).toEqual({ ib: 0, ub: 0, res: 0 });
    }
  });

  it('reports group sums that match the records it emitted', async () => {
    const { bytes, summary } = await generateSieBytes({ ...SMALL, years: 3 });
    const parsed = parse(latin1.decode(bytes));
    expect(summary.years.map((y) => y.index)).toEqual([0, -1, -2]);
    for (const year of summary.years) {
      const balance: Record<string, { ib: number; ub: number }> = {};
      const result: Record<string, number> = {};
      for (const [k, ib] of parsed.ib) {
        const [y, account] = k.split(':').map(Number);
        if (y !== year.index || account === undefined) continue;
        const g = (balance[String(Math.floor(account / 100))] ??= { ib: 0, ub: 0 });
        g.ib += ib;
        g.ub += parsed.ub.get(k) ?? 0;
      }
      for (const [k, amount] of parsed.res) {
        const [y, account] = k.split(':').map(Number);
        if (y !== year.index || account === undefined || account >= 8990) continue;
        const g = String(Math.floor(account / 100));
        result[g] = (result[g] ?? 0) + amount;
      }
      expect(year.balance).toEqual(balance);
      expect(year.result).toEqual(result);
      expect(Object.keys(year.result).every((g) => Number(g) >= 30 && Number(g) <= 89)).toBe(true);
      expect(Object.keys(year.balance).every((g) => Number(g) >= 10 && Number(g) <= 29)).toBe(true);
      expect(year.result['89']).toBeDefined(); // 8910 tax counts, 8999 does not
      expect(parsed.res.has(key(year.index, 8999))).toBe(true);
      const range = parsed.years.get(year.index);
      expect(year.start.replaceAll('-', '')).toBe(range?.start);
      expect(year.end.replaceAll('-', '')).toBe(range?.end);
    }
  });

  it('writes CRLF or LF line ends as asked', async () => {
    const crlf = latin1.decode((await generateSieBytes(SMALL)).bytes);
    expect(crlf.endsWith('\r\n')).toBe(true);
    expect(crlf.match(/\n/g)?.length).toBe(crlf.match(/\r\n/g)?.length);
    const lf = latin1.decode((await generateSieBytes({ ...SMALL, lineEnd: '\n' })).bytes);
    expect(lf.endsWith('}\n')).toBe(true);
    expect(lf.includes('\r')).toBe(false);
  });

  it('encodes å, ä, ö as CP437 bytes, or as UTF-8 when asked', async () => {
    const fnamn = (bytes: Uint8Array): number[] => {
      const start = Buffer.from(bytes).indexOf('#FNAMN');
      return [...bytes.subarray(start, Buffer.from(bytes).indexOf(0x0d, start))];
    };
    const cp437 = fnamn((await generateSieBytes(SMALL)).bytes);
    // "Räksmörgås": ä = 0x84, ö = 0x94, å = 0x86 in code page 437.
    expect(cp437).toEqual([
      ...Buffer.from('#FNAMN "Syntetiska Bolaget R'),
      0x84,
      ...Buffer.from('ksm'),
      0x94,
      ...Buffer.from('rg'),
      0x86,
      ...Buffer.from('s AB"'),
    ]);
    const { bytes: utfBytes } = await generateSieBytes({ ...SMALL, encoding: 'utf-8' });
    expect(utf8.decode(Uint8Array.from(fnamn(utfBytes)))).toBe(
      '#FNAMN "Syntetiska Bolaget Räksmörgås AB"',
    );
    const cpText = latin1.decode((await generateSieBytes(SMALL)).bytes);
    expect(cpText.includes('\u00c3')).toBe(false); // no UTF-8 lead bytes in the CP437 file
    expect(cpText).toContain('#OBJEKT 1 "500" "Utveckling \\"R&D\\""');
  });

  it('rejects text that has no CP437 form', async () => {
    await expect(
      generateSieBytes({ ...SMALL, companyName: 'Bolaget – med tankstreck' }),
    ).rejects.toThrow(/CP437/);
    await expect(
      generateSieBytes({ ...SMALL, companyName: 'Bolaget – med tankstreck', encoding: 'utf-8' }),
    ).resolves.toBeDefined();
  });

  it('hits a byte target closely', async () => {
    const { bytes } = await generateSieBytes({ seed: 3, targetBytes: 1_000_000, years: 1 });
    expect(Math.abs(bytes.length - 1_000_000)).toBeLessThan(20_000);
    expect(latin1.decode(bytes)).toContain('#RAR 0 20240101 20241231');
    expect(latin1.decode(bytes)).not.toContain('#RAR -1');
  });

  it('validates its options', () => {
    expect(() => createSieGenerator({ targetBytes: 10, transactions: 10 })).toThrow(/either/);
    expect(() => createSieGenerator({ transactions: 0 })).toThrow(/positive/);
  });

  it('streams to a file with the same bytes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nyckel-gen-'));
    try {
      const path = join(dir, 'small.se');
      const summary = await writeSyntheticSie(path, { ...SMALL, chunkSize: 4096 });
      const onDisk = await readFile(path);
      expect(onDisk.length).toBe(summary.bytes);
      expect(onDisk.equals(Buffer.from((await generateSieBytes(SMALL)).bytes))).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
