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

/** Group sums indexed by group number (0–99), in SEK; unknown keys are ignored. */
function denseResult(result: ResultGroups): Float64Array {
  const dense = new Float64Array(GROUP_SLOTS);
  for (const [key, value] of Object.entries(result)) {
    if (/^[0-9]{2}$/.test(key)) dense[Number(key)] = value / ORE_PER_SEK;
  }
  return dense;
}

/** Closing balances (ub) indexed by group number, in SEK. */
function denseClosingBalances(balance: BalanceGroups): Float64Array {
  const dense = new Float64Array(GROUP_SLOTS);
  for (const [key, value] of Object.entries(balance)) {
    if (/^[0-9]{2}$/.test(key)) dense[Number(key)] = value.ub / ORE_PER_SEK;
  }
  return dense;
}

/** Σ dense[from..to], both inclusive. */
function sumGroups(dense: Float64Array, from: number, to: number): number {
  let sum = 0;
  for (let g = from; g <= to; g += 1) sum += dense[g] ?? 0;
  return sum;
}

/** −x without producing −0 (figures are compared and printed; −0 would show as "-0"). */
function negated(x: number): number {
  return 0 - x;
}

/** One result group's sum in SEK (SIE sign: costs positive). Missing group → 0. */
export function resultGroupSek(year: Pick<YearInput, 'result'>, group: string): number {
  const value = year.result[group];
  return value === undefined ? 0 : value / ORE_PER_SEK;
}

/** Figures of one year, exactly as DESIGN §7 defines them. */
export function yearFigures(year: YearInput): YearFigures {
  const r = denseResult(year.result);
  const ub = denseClosingBalances(year.balance);
  const netSales = negated(sumGroups(r, 30, 37));
  const goodsCosts = sumGroups(r, 40, 49);
  const depreciation = sumGroups(r, 77, 78);
  const ebit = negated(sumGroups(r, 30, 79));
  const untaxedReserves = negated(ub[21] ?? 0);
  const equity = negated(ub[20] ?? 0) + sumGroups(ub, 10, 29);
  const taxRate = corporateTaxRate(year.start);
  return {
    netSales,
    goodsCosts,
    grossProfit: netSales - goodsCosts,
    externalCosts: sumGroups(r, 50, 69),
    personnelCosts: sumGroups(r, 70, 76),
    depreciation,
    ebitda: ebit + depreciation,
    ebit,
    financialIncome: negated(sumGroups(r, 80, 83)),
    financialCosts: r[84] ?? 0,
    resultAfterFinancialItems: negated(sumGroups(r, 30, 87)),
    yearResult: negated(sumGroups(r, 30, 89)),
    totalAssets: sumGroups(ub, 10, 19),
    currentAssets: sumGroups(ub, 14, 19),
    inventory: ub[14] ?? 0,
    receivables: ub[15] ?? 0,
    untaxedReserves,
    liabilities: negated(sumGroups(ub, 22, 29)),
    currentLiabilities: negated(sumGroups(ub, 24, 29)),
    payables: negated(ub[24] ?? 0),
    equity,
    taxRate,
    adjustedEquity: equity + (1 - taxRate) * untaxedReserves,
  };
}

const DAY_MS = 86_400_000;
const DAYS_PER_YEAR = 365.25;

/** Milliseconds of a valid ISO calendar date at UTC midnight, else undefined. */
export function isoDayMs(iso: string): number | undefined {
  const match = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(iso);
  if (match === null) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  return back.getUTCFullYear() === year &&
    back.getUTCMonth() === month - 1 &&
    back.getUTCDate() === day
    ? ms
    : undefined;
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
