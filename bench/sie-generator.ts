/**
 * Deterministic synthetic SIE 4E generator for benchmarks and tests.
 *
 * The file is streamed in chunks and never held in memory. Because #IB/#UB/#RES precede the
 * vouchers but depend on them, the generator first makes a dry run of the (seeded, hence
 * repeatable) voucher sequence to accumulate per-account sums, then replays the identical
 * sequence while emitting. The dry run also yields the expected per-year group sums, the exact
 * byte and line counts, which `summary()` exposes and the stream returns as its value.
 *
 * Book-keeping is internally valid: every voucher balances; each fiscal year ends with a tax
 * voucher (8910/2512, when profitable) and a closing voucher (8999/2099) so that Σ UB = 0 and
 * Σ RES = 0; the next year opens with IB = previous UB and moves 2099 to 2091.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { CHART, DIMENSIONS, OBJECTS } from './sie-chart.ts';
import { createRng, deriveSeed } from '../domain/prng.ts';
import { daysOfYear, formatOre, isoDate, quote } from './sie-format.ts';
import { encodeText, encodedLength, type SyntheticEncoding } from './text-encoding.ts';
import { randomVoucher, type Row, type VoucherDraft } from './sie-vouchers.ts';

/** Bump when the output for a given set of options changes (invalidates cached files). */
export const GENERATOR_VERSION = 1;

export type { SyntheticEncoding };
export type LineEnd = '\r\n' | '\n';
export type YearCount = 1 | 2 | 3;

export interface SieGeneratorOptions {
  /** PRNG seed (uint32); same options and seed → byte-identical output. Default 1. */
  readonly seed?: number;
  /** Approximate output size in bytes (exact size: `summary().bytes`). */
  readonly targetBytes?: number;
  /** Approximate number of #TRANS rows (default 1000 when no size is given). */
  readonly transactions?: number;
  readonly encoding?: SyntheticEncoding;
  readonly lineEnd?: LineEnd;
  /** Number of fiscal years (#RAR 0, -1, -2); vouchers are spread evenly over them. */
  readonly years?: YearCount;
  /** Calendar year of fiscal year 0. Default 2024. */
  readonly lastYear?: number;
  readonly companyName?: string;
  /** Default: a Luhn-valid 55xxxx-xxxx number derived from the seed. */
  readonly orgNumber?: string;
  /** Approximate chunk size in bytes. Default 256 KiB. */
  readonly chunkSize?: number;
}

export interface ResolvedSieOptions {
  readonly seed: number;
  readonly size: { readonly unit: 'bytes' | 'transactions'; readonly value: number };
  readonly encoding: SyntheticEncoding;
  readonly lineEnd: LineEnd;
  readonly years: YearCount;
  readonly lastYear: number;
  readonly companyName: string;
  readonly orgNumber: string;
  readonly chunkSize: number;
}

/** Expected figures for one fiscal year, shaped like the CLI summary (amounts in öre). */
export interface ExpectedYear {
  readonly index: number;
  /** YYYY-MM-DD */
  readonly start: string;
  readonly end: string;
  readonly vouchers: number;
  readonly transactions: number;
  /** Groups 10–29 from #IB/#UB. */
  readonly balance: Readonly<Record<string, { readonly ib: number; readonly ub: number }>>;
  /** Groups 30–89 from #RES, excluding accounts 8990–8999. */
  readonly result: Readonly<Record<string, number>>;
}

export interface SyntheticSieSummary {
  readonly generator: 'nyckel-synthetic-sie';
  readonly version: number;
  readonly seed: number;
  readonly encoding: SyntheticEncoding;
  readonly lineEnd: 'crlf' | 'lf';
  readonly bytes: number;
  readonly lines: number;
  readonly vouchers: number;
  readonly transactions: number;
  readonly accounts: number;
  /** Newest first (index 0, -1, …), like the CLI contract. */
  readonly years: readonly ExpectedYear[];
}

export interface SieGenerator {
  readonly options: ResolvedSieOptions;
  /** Expected content; computed by a dry run on first call (no output), then memoised. */
  readonly summary: () => SyntheticSieSummary;
  /** Streams the file as encoded chunks; the generator's return value is the summary. */
  readonly chunks: () => AsyncGenerator<Uint8Array, SyntheticSieSummary, undefined>;
}

const DEFAULT_COMPANY = 'Syntetiska Bolaget Räksmörgås AB';
const ACCOUNT_SLOTS = 10_000;
const TAX_RATE = 0.206;

interface FiscalYear {
  readonly index: number;
  readonly days: readonly string[];
}

interface GeneratedVoucher {
  /** Position in the oldest-first year list. */
  readonly year: number;
  readonly text: string;
  readonly rows: readonly Row[];
}

interface YearTotals {
  readonly movement: Float64Array;
  readonly touched: Uint8Array;
  vouchers: number;
  transactions: number;
}

interface DryRun {
  readonly totals: readonly YearTotals[];
  readonly voucherBytes: number;
  readonly voucherLines: number;
}

const luhnOrgNumber = (seed: number): string => {
  const rng = createRng(deriveSeed(seed, 'orgnr'));
  const digits = [5, 5, ...Array.from({ length: 7 }, () => rng.int(0, 9))];
  const sum = digits.reduce((acc, d, i) => {
    const v = i % 2 === 0 ? d * 2 : d;
    return acc + (v > 9 ? v - 9 : v);
  }, 0);
  const all = [...digits, (10 - (sum % 10)) % 10].join('');
  return `${all.slice(0, 6)}-${all.slice(6)}`;
};

export const resolveSieOptions = (options: SieGeneratorOptions = {}): ResolvedSieOptions => {
  if (options.targetBytes !== undefined && options.transactions !== undefined) {
    throw new TypeError('Give either targetBytes or transactions, not both');
  }
  const size =
    options.targetBytes !== undefined
      ? { unit: 'bytes' as const, value: options.targetBytes }
      : { unit: 'transactions' as const, value: options.transactions ?? 1000 };
  if (!Number.isFinite(size.value) || size.value <= 0) {
    throw new RangeError(`Size must be a positive number, got ${size.value}`);
  }
  const seed = (options.seed ?? 1) >>> 0;
  const years = options.years ?? 2;
  if (![1, 2, 3].includes(years)) throw new RangeError(`years must be 1, 2 or 3, got ${years}`);
  return {
    seed,
    size,
    encoding: options.encoding ?? 'cp437',
    lineEnd: options.lineEnd ?? '\r\n',
    years,
    lastYear: options.lastYear ?? 2024,
    companyName: options.companyName ?? DEFAULT_COMPANY,
    orgNumber: options.orgNumber ?? luhnOrgNumber(seed),
    chunkSize: Math.max(1024, options.chunkSize ?? 256 * 1024),
  };
};

/** Fiscal years, oldest first. */
const fiscalYears = (o: ResolvedSieOptions): readonly FiscalYear[] =>
  Array.from({ length: o.years }, (_, i) => {
    const back = o.years - 1 - i;
    return { index: back === 0 ? 0 : -back, days: daysOfYear(o.lastYear - back) };
  });

const firstDay = (y: FiscalYear): string => y.days[0] ?? '';
const lastDay = (y: FiscalYear): string => y.days[y.days.length - 1] ?? '';

/** Opening balances of the oldest year: plausible assets and liabilities, balanced by 2091. */
const openingBalances = (seed: number): ReadonlyMap<number, number> => {
  const rng = createRng(deriveSeed(seed, 'opening'));
  const entries: [number, number][] = [
    [1220, rng.amount(5_000_000, 80_000_000)],
    [1229, -rng.amount(1_000_000, 4_000_000)],
    [1240, rng.amount(10_000_000, 60_000_000)],
    [1249, -rng.amount(2_000_000, 9_000_000)],
    [1250, rng.amount(1_000_000, 10_000_000)],
    [1259, -rng.amount(200_000, 900_000)],
    [1460, rng.amount(5_000_000, 90_000_000)],
    [1510, rng.amount(10_000_000, 200_000_000)],
    [1630, rng.amount(10_000, 5_000_000)],
    [1710, rng.amount(500_000, 5_000_000)],
    [1910, rng.amount(100_000, 2_000_000)],
    [1930, rng.amount(20_000_000, 400_000_000)],
    [1931, rng.amount(1_000_000, 50_000_000)],
    [2081, -5_000_000],
    [2350, -rng.amount(10_000_000, 100_000_000)],
    [2393, -rng.amount(1_000_000, 10_000_000)],
    [2440, -rng.amount(5_000_000, 150_000_000)],
    [2512, -rng.amount(500_000, 20_000_000)],
    [2611, -rng.amount(1_000_000, 30_000_000)],
    [2641, rng.amount(500_000, 20_000_000)],
    [2710, -rng.amount(1_000_000, 10_000_000)],
    [2731, -rng.amount(1_000_000, 10_000_000)],
    [2920, -rng.amount(1_000_000, 15_000_000)],
    [2990, -rng.amount(100_000, 5_000_000)],
  ];
  const sum = entries.reduce((acc, [, amount]) => acc + amount, 0);
  return new Map([...entries, [2091, -sum]]);
};

const sumRows = (rows: readonly Row[], accept: (account: number) => boolean): number =>
  rows.reduce((acc, r) => (accept(r.account) ? acc + r.amount : acc), 0);

const isResultAccount = (account: number): boolean => account >= 3000;

const renderVoucher = (
  number: number,
  date: string,
  draft: VoucherDraft,
  withRowTexts: boolean,
  eol: LineEnd,
): string => {
  const rowEnd = withRowTexts ? ` ${date} ${quote(draft.rowText)}${eol}` : eol;
  let text = `#VER "A" ${number} ${date} ${quote(draft.text)}${eol}{${eol}`;
  for (const r of draft.rows) {
    text += `  #TRANS ${r.account} ${r.objects} ${formatOre(r.amount)}${rowEnd}`;
  }
  return `${text}}${eol}`;
};

const estimatedBalanceBytes = (o: ResolvedSieOptions): number => o.years * CHART.length * 24;

/** The voucher sequence: a pure function of the options (replayable). */
function* generateVouchers(
  o: ResolvedSieOptions,
  years: readonly FiscalYear[],
  fixedHeaderBytes: number,
): Generator<GeneratedVoucher, void, undefined> {
  const rng = createRng(deriveSeed(o.seed, 'vouchers'));
  const budgetTotal =
    o.size.unit === 'bytes'
      ? Math.max(1, o.size.value - fixedHeaderBytes - estimatedBalanceBytes(o))
      : o.size.value;
  const perYear = budgetTotal / years.length;
  let carried2099 = 0;
  for (let y = 0; y < years.length; y++) {
    const fiscal = years[y];
    if (fiscal === undefined) continue;
    let number = 0;
    let consumed = 0;
    let result = 0;
    const make = (date: string, draft: VoucherDraft, withRowTexts: boolean): GeneratedVoucher => {
      number += 1;
      const text = renderVoucher(number, date, draft, withRowTexts, o.lineEnd);
      consumed += o.size.unit === 'bytes' ? encodedLength(text, o.encoding) : draft.rows.length;
      result += sumRows(draft.rows, isResultAccount);
      return { year: y, text, rows: draft.rows };
    };
    if (carried2099 !== 0) {
      yield make(
        firstDay(fiscal),
        {
          text: 'Omföring av föregående års resultat',
          rowText: 'Resultatdisposition',
          rows: [
            { account: 2099, amount: -carried2099, objects: '{}' },
            { account: 2091, amount: carried2099, objects: '{}' },
          ],
        },
        true,
      );
    }
    const dayCount = fiscal.days.length;
    while (consumed < perYear) {
      const day = Math.min(dayCount - 1, Math.floor((consumed / perYear) * dayCount));
      const date = fiscal.days[day] ?? lastDay(fiscal);
      const draft = randomVoucher(rng, Number(date.slice(4, 6)) - 1);
      yield make(date, draft, rng.chance(0.35));
    }
    if (result < 0) {
      const tax = Math.round(-result * TAX_RATE);
      yield make(
        lastDay(fiscal),
        {
          text: 'Skatt på årets resultat',
          rowText: 'Bokslut',
          rows: [
            { account: 8910, amount: tax, objects: '{}' },
            { account: 2512, amount: -tax, objects: '{}' },
          ],
        },
        true,
      );
    }
    const closing = result;
    if (closing !== 0) {
      yield make(
        lastDay(fiscal),
        {
          text: 'Årets resultat "bokslut"',
          rowText: 'Bokslut',
          rows: [
            { account: 8999, amount: -closing, objects: '{}' },
            { account: 2099, amount: closing, objects: '{}' },
          ],
        },
        true,
      );
    }
    carried2099 = closing;
  }
}

const newTotals = (): YearTotals => ({
  movement: new Float64Array(ACCOUNT_SLOTS),
  touched: new Uint8Array(ACCOUNT_SLOTS),
  vouchers: 0,
  transactions: 0,
});

const dryRun = (o: ResolvedSieOptions, years: readonly FiscalYear[], fixed: number): DryRun => {
  const totals = years.map(newTotals);
  let voucherBytes = 0;
  let voucherLines = 0;
  for (const v of generateVouchers(o, years, fixed)) {
    const t = totals[v.year];
    if (t === undefined) continue;
    t.vouchers += 1;
    t.transactions += v.rows.length;
    for (const r of v.rows) {
      t.movement[r.account] = (t.movement[r.account] ?? 0) + r.amount;
      t.touched[r.account] = 1;
    }
    voucherBytes += encodedLength(v.text, o.encoding);
    voucherLines += v.rows.length + 3;
  }
  return { totals, voucherBytes, voucherLines };
};

interface AccountYear {
  readonly account: number;
  readonly ib: number;
  readonly ub: number;
  readonly movement: number;
}

/** Per year (oldest first): the balance and result accounts that get records. */
const accountYears = (
  o: ResolvedSieOptions,
  run: DryRun,
): readonly { readonly balance: AccountYear[]; readonly result: AccountYear[] }[] => {
  const opening = openingBalances(o.seed);
  let ib = new Map(opening);
  return run.totals.map((t) => {
    const balance: AccountYear[] = [];
    const result: AccountYear[] = [];
    const next = new Map<number, number>();
    for (const { number: account } of CHART) {
      const movement = t.movement[account] ?? 0;
      const touched = t.touched[account] === 1;
      if (account < 3000) {
        const open = ib.get(account) ?? 0;
        const ub = open + movement;
        next.set(account, ub);
        if (open !== 0 || ub !== 0 || touched) balance.push({ account, ib: open, ub, movement });
      } else if (touched) {
        result.push({ account, ib: 0, ub: 0, movement });
      }
    }
    ib = next;
    return { balance, result };
  });
};

const renderHeaderPrefix = (o: ResolvedSieOptions, years: readonly FiscalYear[]): string => {
  const lines = [
    '#FLAGGA 0',
    `#PROGRAM ${quote('Nyckel syntetisk SIE-generator')} ${GENERATOR_VERSION}.0`,
    '#FORMAT PC8',
    `#GEN ${o.lastYear + 1}0215 ${quote('Nyckel bench')}`,
    '#SIETYP 4',
    `#PROSA ${quote(`Syntetisk testfil (seed ${o.seed}), inga verkliga siffror`)}`,
    `#FNR ${quote(`SYNT${o.seed}`)}`,
    `#ORGNR ${o.orgNumber}`,
    `#ADRESS ${['Åsa Öberg', 'Storgatan 1', '702 10 Örebro', '019-10 20 30'].map(quote).join(' ')}`,
    `#FNAMN ${quote(o.companyName)}`,
    ...[...years].reverse().map((y) => `#RAR ${y.index} ${firstDay(y)} ${lastDay(y)}`),
    `#TAXAR ${o.lastYear + 1}`,
    '#KPTYP BAS2014',
    '#VALUTA SEK',
    ...CHART.flatMap((a) => [`#KONTO ${a.number} ${quote(a.name)}`, `#KTYP ${a.number} ${a.type}`]),
    ...DIMENSIONS.map((d) => `#DIM ${d.id} ${quote(d.name)}`),
    ...OBJECTS.map((x) => `#OBJEKT ${x.dimension} ${quote(x.id)} ${quote(x.name)}`),
  ];
  return lines.map((line) => line + o.lineEnd).join('');
};

const renderBalances = (
  o: ResolvedSieOptions,
  years: readonly FiscalYear[],
  accounts: ReturnType<typeof accountYears>,
): string => {
  const newestFirst = years.map((y, i) => ({ y, a: accounts[i] })).reverse();
  const lines = [
    ...newestFirst.flatMap(({ y, a }) =>
      (a?.balance ?? []).map((b) => `#IB ${y.index} ${b.account} ${formatOre(b.ib)}`),
    ),
    ...newestFirst.flatMap(({ y, a }) =>
      (a?.balance ?? []).map((b) => `#UB ${y.index} ${b.account} ${formatOre(b.ub)}`),
    ),
    ...newestFirst.flatMap(({ y, a }) =>
      (a?.result ?? []).map((r) => `#RES ${y.index} ${r.account} ${formatOre(r.movement)}`),
    ),
  ];
  return lines.map((line) => line + o.lineEnd).join('');
};

const groupOf = (account: number): string => String(Math.floor(account / 100));

const expectedYear = (
  fiscal: FiscalYear,
  totals: YearTotals,
  accounts: ReturnType<typeof accountYears>[number],
): ExpectedYear => {
  const balance: Record<string, { ib: number; ub: number }> = {};
  for (const b of accounts.balance) {
    const group = (balance[groupOf(b.account)] ??= { ib: 0, ub: 0 });
    group.ib += b.ib;
    group.ub += b.ub;
  }
  const result: Record<string, number> = {};
  for (const r of accounts.result) {
    if (r.account >= 8990) continue;
    const g = groupOf(r.account);
    result[g] = (result[g] ?? 0) + r.movement;
  }
  return {
    index: fiscal.index,
    start: isoDate(firstDay(fiscal)),
    end: isoDate(lastDay(fiscal)),
    vouchers: totals.vouchers,
    transactions: totals.transactions,
    balance,
    result,
  };
};

const countLines = (text: string): number => {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
};

interface Prepared {
  readonly header: string;
  readonly fixedHeaderBytes: number;
  readonly summary: SyntheticSieSummary;
}

const prepare = (o: ResolvedSieOptions, years: readonly FiscalYear[]): Prepared => {
  const prefix = renderHeaderPrefix(o, years);
  const fixedHeaderBytes = encodedLength(prefix, o.encoding);
  const run = dryRun(o, years, fixedHeaderBytes);
  const accounts = accountYears(o, run);
  const header = prefix + renderBalances(o, years, accounts);
  const perYear = years.map((fiscal, i) => {
    const totals = run.totals[i];
    const a = accounts[i];
    if (totals === undefined || a === undefined) throw new Error('internal: year mismatch');
    return expectedYear(fiscal, totals, a);
  });
  const summary: SyntheticSieSummary = {
    generator: 'nyckel-synthetic-sie',
    version: GENERATOR_VERSION,
    seed: o.seed,
    encoding: o.encoding,
    lineEnd: o.lineEnd === '\r\n' ? 'crlf' : 'lf',
    bytes: encodedLength(header, o.encoding) + run.voucherBytes,
    lines: countLines(header) + run.voucherLines,
    vouchers: perYear.reduce((n, y) => n + y.vouchers, 0),
    transactions: perYear.reduce((n, y) => n + y.transactions, 0),
    accounts: CHART.length,
    years: perYear.reverse(),
  };
  return { header, fixedHeaderBytes, summary };
};

export const createSieGenerator = (options: SieGeneratorOptions = {}): SieGenerator => {
  const o = resolveSieOptions(options);
  const years = fiscalYears(o);
  let prepared: Prepared | undefined;
  const ready = (): Prepared => (prepared ??= prepare(o, years));

  async function* chunks(): AsyncGenerator<Uint8Array, SyntheticSieSummary, undefined> {
    const { header, fixedHeaderBytes, summary } = ready();
    let pending: string[] = [header];
    let pendingLength = header.length;
    let written = 0;
    for (const v of generateVouchers(o, years, fixedHeaderBytes)) {
      pending.push(v.text);
      pendingLength += v.text.length;
      if (pendingLength >= o.chunkSize) {
        const chunk = encodeText(pending.join(''), o.encoding);
        pending = [];
        pendingLength = 0;
        written += chunk.length;
        yield chunk;
      }
    }
    if (pending.length > 0) {
      const chunk = encodeText(pending.join(''), o.encoding);
      written += chunk.length;
      yield chunk;
    }
    if (written !== summary.bytes) {
      throw new Error(`internal: wrote ${written} bytes, dry run predicted ${summary.bytes}`);
    }
    return summary;
  }

  return { options: o, summary: () => ready().summary, chunks };
};

/** Convenience for small files (tests): the whole output in one buffer plus the summary. */
export const generateSieBytes = async (
  options: SieGeneratorOptions = {},
): Promise<{ readonly bytes: Uint8Array; readonly summary: SyntheticSieSummary }> => {
  const generator = createSieGenerator(options);
  const parts: Uint8Array[] = [];
  const iterator = generator.chunks();
  for (let step = await iterator.next(); ; step = await iterator.next()) {
    if (step.done === true) {
      const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      parts.reduce((offset, p) => (bytes.set(p, offset), offset + p.length), 0);
      return { bytes, summary: step.value };
    }
    parts.push(step.value);
  }
};

/** Streams a synthetic file to disk (respecting backpressure) and returns its summary. */
export const writeSyntheticSie = async (
  path: string,
  options: SieGeneratorOptions = {},
): Promise<SyntheticSieSummary> => {
  const generator = createSieGenerator(options);
  const out = createWriteStream(path);
  let failure: unknown;
  out.on('error', (error) => {
    failure = error;
  });
  try {
    for await (const chunk of generator.chunks()) {
      if (failure !== undefined) throw failure;
      if (!out.write(chunk)) await once(out, 'drain');
    }
    out.end();
    await finished(out);
  } catch (error) {
    out.destroy();
    throw error;
  }
  return generator.summary();
};
