import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SieResult } from '../../../domain/sie-summary.ts';
import { summarizeBytes, summarizeStream } from '../../../workers/sie/summarize.ts';
import { chunked, corpusFiles, readCorpus } from './helpers.ts';

// ---------------------------------------------------------------------------------------------
// Generator of valid SIE 4E text with the expected group sums computed alongside.

const arbAccount = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 1000, max: 2999 }) },
  { weight: 4, arbitrary: fc.integer({ min: 3000, max: 8989 }) },
  { weight: 1, arbitrary: fc.integer({ min: 8990, max: 8999 }) },
  { weight: 1, arbitrary: fc.integer({ min: 9000, max: 9999 }) },
);
const arbOre = fc.integer({ min: -5_000_000_00, max: 5_000_000_00 });
const arbText = fc
  .array(fc.constantFrom('a', 'Z', ' ', '"', '{', '}', '#', '1', '-', '\t'), { maxLength: 12 })
  .map((cs) => cs.join(''));
const arbObjects = fc.array(fc.tuple(fc.integer({ min: 1, max: 9 }), arbText, fc.boolean()), {
  maxLength: 3,
});
const arbSpace = fc.constantFrom(' ', '  ', '\t', ' \t ');

const quote = (s: string) => `"${s.replace(/"/g, '\\"')}"`;
function amountText(ore: number): string {
  const abs = Math.abs(ore);
  const frac = abs % 100;
  const fracText =
    frac === 0 ? '' : frac % 10 === 0 ? `.${frac / 10}` : `.${String(frac).padStart(2, '0')}`;
  return `${ore < 0 ? '-' : ''}${Math.floor(abs / 100)}${fracText}`;
}

const arbVoucher = fc
  .tuple(
    fc.array(fc.tuple(arbAccount, arbOre, arbObjects, arbText), { minLength: 1, maxLength: 6 }),
    arbAccount,
    fc.integer({ min: 0, max: 1 }), // year: 0 → 2024, 1 → 2023
    fc.integer({ min: 1, max: 365 }),
    arbText,
  )
  .map(([rows, balancing, yearOffset, day, text]) => {
    const sum = rows.reduce((acc, [, ore]) => acc + ore, 0);
    const all: Array<[number, number, Array<[number, string, boolean]>, string]> = [
      ...rows,
      [balancing, -sum, [], ''],
    ];
    const date = new Date(Date.UTC(2024 - yearOffset, 0, day));
    const ymd = date.toISOString().slice(0, 10).replace(/-/g, '');
    return { rows: all, yearOffset, ymd, text };
  });

const arbBalances = fc.array(fc.tuple(fc.integer({ min: 1000, max: 2999 }), arbOre), {
  maxLength: 8,
});
const arbResults = fc.array(fc.tuple(fc.integer({ min: 3000, max: 8999 }), arbOre), {
  maxLength: 8,
});

const arbSie = fc
  .record({
    ib: arbBalances,
    ub: arbBalances,
    res0: fc.option(arbResults, { nil: undefined }),
    res1: fc.option(arbResults, { nil: undefined }),
    vouchers: fc.array(arbVoucher, { maxLength: 25 }),
    sp: arbSpace,
    crlf: fc.boolean(),
    name: arbText,
  })
  .map((g) => {
    const sp = g.sp;
    const lines = [
      '#FLAGGA 0',
      '#PROGRAM "Gen" 1.0',
      '#FORMAT PC8',
      '#GEN 20250101',
      '#SIETYP 4',
      `#FNAMN ${quote(g.name)}`,
      '#RAR 0 20240101 20241231',
      '#RAR -1 20230101 20231231',
    ];
    type Exp = {
      balance: Record<string, { ib: number; ub: number }>;
      result: Record<string, number>;
    };
    const exp: [Exp, Exp] = [
      { balance: {}, result: {} },
      { balance: {}, result: {} },
    ];
    const bal = (y: Exp, g2: string) => (y.balance[g2] ??= { ib: 0, ub: 0 });
    for (const [acc, ore] of g.ib) {
      lines.push(`#IB${sp}0${sp}${acc}${sp}${amountText(ore)}`);
      bal(exp[0], String(acc).slice(0, 2)).ib += ore;
    }
    for (const [acc, ore] of g.ub) {
      lines.push(`#UB${sp}0${sp}${acc}${sp}${amountText(ore)}`);
      bal(exp[0], String(acc).slice(0, 2)).ub += ore;
    }
    const resFor = [g.res0, g.res1].map((r) => (r && r.length > 0 ? r : undefined));
    resFor.forEach((res, idx) => {
      if (!res) return;
      for (const [acc, ore] of res) {
        lines.push(`#RES ${-idx} ${acc} ${amountText(ore)}`);
        if (acc >= 8990) continue;
        const key = String(acc).slice(0, 2);
        const y = exp[idx as 0 | 1];
        y.result[key] = (y.result[key] ?? 0) + ore;
      }
    });
    g.vouchers.forEach((v, i) => {
      lines.push(`#VER${sp}A${sp}${i + 1}${sp}${v.ymd}${sp}${quote(v.text)}`);
      lines.push('{');
      for (const [acc, ore, objects, text] of v.rows) {
        const objs = objects
          .map(([d, o, q]) => `${q ? quote(String(d)) : d} ${quote(o)}`)
          .join(' ');
        lines.push(
          `${sp}#TRANS${sp}${acc}${sp}{${objs}}${sp}${amountText(ore)}${sp}${v.ymd}${sp}${quote(text)}`,
        );
        if (resFor[v.yearOffset] || acc >= 8990 || acc < 3000) continue;
        const key = String(acc).slice(0, 2);
        const y = exp[v.yearOffset as 0 | 1];
        y.result[key] = (y.result[key] ?? 0) + ore;
      }
      lines.push('}');
    });
    const text = lines.join(g.crlf ? '\r\n' : '\n') + '\n';
    return { bytes: new TextEncoder().encode(text), expected: exp };
  });

const arbChunks = fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 10 });

describe('property: generated SIE 4E', () => {
  it('summary equals the generator’s group sums, for any chunking', async () => {
    await fc.assert(
      fc.asyncProperty(arbSie, arbChunks, async ({ bytes, expected }, sizes) => {
        const r = await summarizeStream(chunked(bytes, sizes), { fileName: 'gen.se' });
        expect(r.data).not.toBeNull();
        const years = r.data?.years ?? [];
        expect(years.map((y) => y.index)).toEqual([0, -1]);
        expect(years[0]?.balance).toEqual(expected[0].balance);
        expect(years[0]?.result).toEqual(expected[0].result);
        expect(years[1]?.result).toEqual(expected[1].result);
        expect(r.diagnostics.map((d) => d.code)).not.toContain('UNBALANCED_VOUCHER');
      }),
      { numRuns: 150 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Mutation fuzzing of real files: never throws, never hangs, result is well-formed.

const corpus = corpusFiles().map((name) => ({ name, bytes: readCorpus(name) }));

const arbMutation = fc.tuple(
  fc.constantFrom('flip', 'insert', 'delete', 'set'),
  fc.nat(),
  fc.integer({ min: 0, max: 255 }),
);

function mutate(
  bytes: Uint8Array,
  muts: ReadonlyArray<readonly [string, number, number]>,
): Uint8Array {
  let b = Array.from(bytes);
  for (const [kind, pos, value] of muts) {
    const i = b.length === 0 ? 0 : pos % b.length;
    if (kind === 'flip') b[i] = (b[i] ?? 0) ^ (1 << (value % 8));
    else if (kind === 'insert') b.splice(i, 0, value);
    else if (kind === 'delete') b.splice(i, 1);
    else b[i] = [10, 13, 34, 123, 125, 35, 32, 0x84][value % 8] ?? value;
  }
  const out = Uint8Array.from(b);
  b = [];
  return out;
}

function wellFormed(r: SieResult): void {
  if (r.data === null) {
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]?.severity).toBe('error');
  } else {
    expect(r.diagnostics.every((d) => d.severity === 'warning')).toBe(true);
    for (const y of r.data.years) {
      for (const v of Object.values(y.result)) expect(Number.isInteger(v)).toBe(true);
    }
  }
}

describe('property: mutated corpus files', () => {
  it('always yield a summary or one clean error (200 runs)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: corpus.length - 1 }),
        fc.array(arbMutation, { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 5000 }),
        async (fileIdx, muts, chunkSize) => {
          const file = corpus[fileIdx];
          if (!file) return;
          const r = await summarizeBytes(mutate(file.bytes, muts), {
            fileName: file.name,
            chunkSize,
          });
          wellFormed(r);
        },
      ),
      { numRuns: 200 },
    );
  });
});
