/**
 * The DESIGN §7 figures of one fiscal year, computed from its 2-digit BAS group sums
 * (integer öre, SIE signs: debit positive, credit negative) and returned in SEK (öre / 100).
 * The ratio catalogue (ratios.ts) is built on these; nothing else re-derives them.
 */
import type { BalanceGroups, ResultGroups } from './sie-summary.ts';
import { corporateTaxRate } from './tax-rates.ts';

/** Exactly one stored `year_summary` row (DESIGN §5). */
export interface YearInput {
  /** Fiscal year bounds, `YYYY-MM-DD`. */
  start: string;
  end: string;
  /** Integer öre, SIE signs. */
  balance: BalanceGroups;
  /** Integer öre, SIE signs. */
  result: ResultGroups;
  /** Head count stated by the user; null when not stated. */
  employees: number | null;
}

/** DESIGN §7 figures in SEK. Flows cover the whole fiscal year as booked (not annualised). */
export interface YearFigures {
  /** Nettoomsättning: −Σ result 30–37. */
  netSales: number;
  /** Varukostnad incl. inventory change: Σ 40–49. */
  goodsCosts: number;
  /** Bruttoresultat: net sales − Σ 40–49. */
  grossProfit: number;
  /** Övriga externa kostnader: Σ 50–69. */
  externalCosts: number;
  /** Personalkostnader: Σ 70–76. */
  personnelCosts: number;
  /** Av- och nedskrivningar: Σ 77–78. */
  depreciation: number;
  /** Rörelseresultat före av- och nedskrivningar: EBIT + Σ 77–78. */
  ebitda: number;
  /** Rörelseresultat: −Σ 30–79. */
  ebit: number;
  /** Finansiella intäkter: −Σ 80–83. */
  financialIncome: number;
  /** Räntekostnader m.m.: Σ 84. */
  financialCosts: number;
  /** Resultat efter finansiella poster: −Σ 30–87. */
  resultAfterFinancialItems: number;
  /** Årets resultat: −Σ 30–89. */
  yearResult: number;
  /** Balansomslutning: Σ ub 10–19. */
  totalAssets: number;
  /** Omsättningstillgångar: Σ ub 14–19. */
  currentAssets: number;
  /** Varulager: ub 14. */
  inventory: number;
  /** Kundfordringar: ub 15. */
  receivables: number;
  /** Obeskattade reserver: −ub 21. */
  untaxedReserves: number;
  /** Avsättningar och skulder: −Σ ub 22–29. */
  liabilities: number;
  /** Kortfristiga skulder: −Σ ub 24–29. */
  currentLiabilities: number;
  /** Kortfristiga skulder i kontogrupp 24 (leverantörsskulder m.m.): −ub 24. */
  payables: number;
  /** Eget kapital: −ub 20 + Σ ub 10–29 (includes the year result when not yet booked). */
  equity: number;
  /** Bolagsskatt (fraction) of the fiscal year, by its start date. */
  taxRate: number;
  /** Justerat eget kapital: equity + (1 − tax rate) × untaxed reserves. */
  adjustedEquity: number;
}

const ORE_PER_SEK = 100;
const GROUP_SLOTS = 100;

/**
 * A year's group sums as dense arrays indexed by group number, in öre (exact integers):
 * `result[30..89]` and the closing balances `closing[10..29]`; every other slot is 0.
 */
export interface GroupSums {
  readonly result: Float64Array;
  readonly closing: Float64Array;
}

/**
 * Dense group sums of a year; keys outside 10–29 / 30–89 are ignored. Groups 10–89 are
 * canonical integer keys, so `record[g]` with a number reads the same property as `record['g']`
 * — without building a string (this runs for every stored year when statistics are rebuilt).
 */
export function groupSums(year: Pick<YearInput, 'result' | 'balance'>): GroupSums {
  const result = new Float64Array(GROUP_SLOTS);
  const closing = new Float64Array(GROUP_SLOTS);
  for (let g = 30; g <= 89; g += 1) {
    const value = year.result[g];
    if (value !== undefined) result[g] = value;
  }
  for (let g = 10; g <= 29; g += 1) {
    const value = year.balance[g];
    if (value !== undefined) closing[g] = value.ub;
  }
  return { result, closing };
}

/** Σ dense[from..to] in öre, both inclusive. */
function sumOre(dense: Float64Array, from: number, to: number): number {
  let sum = 0;
  for (let g = from; g <= to; g += 1) sum += dense[g] ?? 0;
  return sum;
}

/** öre → SEK; −0 becomes 0 (figures are compared and printed, and −0 shows as "-0"). */
function sek(ore: number): number {
  return ore / ORE_PER_SEK + 0;
}

/** One group's amount in SEK from dense sums (SIE sign: costs positive). */
export function groupSek(dense: Float64Array, group: number): number {
  return sek(dense[group] ?? 0);
}

/** Figures from precomputed group sums (see {@link yearFigures}). */
export function figuresFromSums(sums: GroupSums, fiscalStart: string): YearFigures {
  const { result: r, closing: ub } = sums;
  const netSales = sek(-sumOre(r, 30, 37));
  const goodsCosts = sek(sumOre(r, 40, 49));
  const depreciation = sek(sumOre(r, 77, 78));
  const ebit = sek(-sumOre(r, 30, 79));
  const untaxedReserves = sek(-(ub[21] ?? 0));
  const equity = sek(-(ub[20] ?? 0) + sumOre(ub, 10, 29));
  const taxRate = corporateTaxRate(fiscalStart);
  return {
    netSales,
    goodsCosts,
    grossProfit: netSales - goodsCosts,
    externalCosts: sek(sumOre(r, 50, 69)),
    personnelCosts: sek(sumOre(r, 70, 76)),
    depreciation,
    ebitda: ebit + depreciation,
    ebit,
    financialIncome: sek(-sumOre(r, 80, 83)),
    financialCosts: sek(r[84] ?? 0),
    resultAfterFinancialItems: sek(-sumOre(r, 30, 87)),
    yearResult: sek(-sumOre(r, 30, 89)),
    totalAssets: sek(sumOre(ub, 10, 19)),
    currentAssets: sek(sumOre(ub, 14, 19)),
    inventory: sek(ub[14] ?? 0),
    receivables: sek(ub[15] ?? 0),
    untaxedReserves,
    liabilities: sek(-sumOre(ub, 22, 29)),
    currentLiabilities: sek(-sumOre(ub, 24, 29)),
    payables: sek(-(ub[24] ?? 0)),
    equity,
    taxRate,
    adjustedEquity: equity + (1 - taxRate) * untaxedReserves,
  };
}

/** Figures of one year, exactly as DESIGN §7 defines them (sums in öre, then SEK). */
export function yearFigures(year: YearInput): YearFigures {
  return figuresFromSums(groupSums(year), year.start);
}

/** Net sales (−Σ result 30–37) in SEK, without the other figures. */
export function netSalesOf(year: Pick<YearInput, 'result'>): number {
  let ore = 0;
  for (let g = 30; g <= 37; g += 1) ore += year.result[g] ?? 0;
  return sek(-ore);
}

const DAY_MS = 86_400_000;
const DAYS_PER_YEAR = 365.25;

const ZERO = 48;

/** The number written by `length` ASCII digits of `text` from `at`, or -1. */
function digitsAt(text: string, at: number, length: number): number {
  let value = 0;
  for (let i = at; i < at + length; i += 1) {
    const digit = text.charCodeAt(i) - ZERO;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** Milliseconds of a valid ISO calendar date (`YYYY-MM-DD`) at UTC midnight, else undefined. */
export function isoDayMs(iso: string): number | undefined {
  if (iso.length !== 10 || iso[4] !== '-' || iso[7] !== '-') return undefined;
  const year = digitsAt(iso, 0, 4);
  const month = digitsAt(iso, 5, 2);
  const day = digitsAt(iso, 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  // setUTCFullYear, unlike Date.UTC, keeps years below 100 as written.
  const date = new Date(0);
  const ms = date.setUTCFullYear(year, month - 1, day);
  // A day past the month's end rolls over (2023-02-29 → 1 March): not a calendar date.
  return date.getUTCDate() === day ? ms : undefined;
}

/**
 * Length of a fiscal year in whole months (a Swedish fiscal year is 12 months, or 6–18 when
 * started or changed): days × 12 / 365.25, rounded, at least 1. Undefined for invalid dates or
 * an end before the start.
 */
export function fiscalYearMonths(year: Pick<YearInput, 'start' | 'end'>): number | undefined {
  const start = isoDayMs(year.start);
  const end = isoDayMs(year.end);
  if (start === undefined || end === undefined || end < start) return undefined;
  const days = (end - start) / DAY_MS + 1;
  return Math.max(1, Math.round((days * 12) / DAYS_PER_YEAR));
}
