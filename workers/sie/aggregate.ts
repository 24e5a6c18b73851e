/**
 * On-the-fly aggregation of balances, results and voucher rows into 2-digit BAS groups.
 * Nothing per voucher is stored: voucher rows go straight into per-day group buckets (bounded
 * by the number of distinct dates, not by file size), and years are assembled at the end so
 * that record order in the file does not matter.
 *
 * Accounts arrive as an "account code": the first four digits as a number (1930 → 1930,
 * 0351 → 351), already filtered by the parser to classes 1–8.
 */
import { groupKey } from '../../domain/bas.ts';
import { formatOre } from '../../domain/sie-diagnostics.ts';
import type { BalanceGroups, LocalYear, ResultGroups } from '../../domain/sie-summary.ts';
import { ymdToIso } from './amount.ts';
import type { DiagnosticSink } from './diagnostics.ts';

export const KIND_IB = 0;
export const KIND_UB = 1;
export const KIND_RES = 2;
export type BalanceKind = typeof KIND_IB | typeof KIND_UB | typeof KIND_RES;

const GROUPS = 100;

interface GroupSums {
  sum: Float64Array;
  seen: Uint8Array;
  any: boolean;
}

const newSums = (): GroupSums => ({
  sum: new Float64Array(GROUPS),
  seen: new Uint8Array(GROUPS),
  any: false,
});

function addTo(s: GroupSums, group: number, amount: number): void {
  s.sum[group] = (s.sum[group] ?? 0) + amount;
  s.seen[group] = 1;
  s.any = true;
}

interface YearAcc {
  ib: GroupSums;
  ub: GroupSums;
  res: GroupSums;
  /** Class 1–8 totals (including 8990–8999) for the balance identity check. */
  rawIb: number;
  rawUb: number;
  rawRes: number;
}

interface FiscalYear {
  index: number;
  start: number;
  end: number;
  line: number;
}

interface DayBucket {
  sums: GroupSums;
  vouchers: number;
}

/** Balance identity differences up to this many öre (1 SEK) are rounding, not errors. */
export const BALANCE_IDENTITY_TOLERANCE = 100;

export interface Aggregator {
  rar(index: number, start: number, end: number, line: number): void;
  hasYears(): boolean;
  rarIndexKnown(index: number): boolean;
  /** True when `ymd` lies inside some #RAR year (always true before any #RAR). */
  dateInYears(ymd: number): boolean;
  balance(kind: BalanceKind, index: number, account: number, amount: number): void;
  psaldo(index: number, period: number, account: number, amount: number): void;
  /** Starts a voucher dated `ymd` (-1: unknown date; its rows are not dated). */
  voucherStart(ymd: number): void;
  trans(account: number, amount: number): void;
  /** Ends the voucher; returns the sum of its rows (0 when balanced). */
  voucherEnd(): number;
  readonly voucherCount: number;
  finish(diag: DiagnosticSink, anchorLine: number): LocalYear[];
}

function isYearResult(account: number): boolean {
  return account >= 8990 && account <= 8999;
}

export function createAggregator(): Aggregator {
  const years = new Map<number, FiscalYear>();
  const accs = new Map<number, YearAcc>();
  const psaldo = new Map<number, Map<number, GroupSums>>();
  const days = new Map<number, DayBucket>();
  let voucherCount = 0;
  // A typed-array slot instead of a closure `let`: storing non-small-integer doubles into a
  // closure variable allocates a heap number per #TRANS row.
  const voucherSum = new Float64Array(1);
  let lastStart = 0;
  let lastEnd = -1;
  let bucket: DayBucket | null = null;

  const acc = (index: number): YearAcc => {
    let a = accs.get(index);
    if (!a) {
      a = { ib: newSums(), ub: newSums(), res: newSums(), rawIb: 0, rawUb: 0, rawRes: 0 };
      accs.set(index, a);
    }
    return a;
  };

  const dateInYears = (ymd: number): boolean => {
    if (years.size === 0) return true;
    if (ymd >= lastStart && ymd <= lastEnd) return true;
    for (const y of years.values()) {
      if (ymd >= y.start && ymd <= y.end) {
        lastStart = y.start;
        lastEnd = y.end;
        return true;
      }
    }
    return false;
  };

  return {
    rar(index, start, end, line) {
      if (!years.has(index)) years.set(index, { index, start, end, line });
    },
    hasYears: () => years.size > 0,
    rarIndexKnown: (index) => years.has(index),
    dateInYears,
    balance(kind, index, account, amount) {
      const a = acc(index);
      const group = Math.floor(account / 100);
      const cls = Math.floor(account / 1000);
      if (kind === KIND_RES) {
        if (cls >= 3) a.rawRes += amount;
        if (group >= 30 && group <= 89 && !isYearResult(account)) addTo(a.res, group, amount);
        else a.res.any = true; // the year has #RES even if only 8999 (or balance accounts)
      } else {
        const target = kind === KIND_IB ? a.ib : a.ub;
        if (cls <= 2) {
          if (kind === KIND_IB) a.rawIb += amount;
          else a.rawUb += amount;
        }
        if (group >= 10 && group <= 29) addTo(target, group, amount);
        else target.any = true;
      }
    },
    psaldo(index, period, account, amount) {
      const group = Math.floor(account / 100);
      if (group < 30 || group > 89 || isYearResult(account)) return;
      let perYear = psaldo.get(index);
      if (!perYear) {
        perYear = new Map();
        psaldo.set(index, perYear);
      }
      let sums = perYear.get(period);
      if (!sums) {
        sums = newSums();
        perYear.set(period, sums);
      }
      addTo(sums, group, amount);
    },
    voucherStart(ymd) {
      voucherCount++;
      voucherSum[0] = 0;
      if (ymd < 0) {
        bucket = null;
        return;
      }
      let b = days.get(ymd);
      if (!b) {
        b = { sums: newSums(), vouchers: 0 };
        days.set(ymd, b);
      }
      b.vouchers++;
      bucket = b;
    },
    trans(account, amount) {
      voucherSum[0] = (voucherSum[0] ?? 0) + amount;
      if (bucket === null || isYearResult(account)) return;
      const group = Math.floor(account / 100);
      if (group >= 10) addTo(bucket.sums, group, amount);
    },
    voucherEnd() {
      bucket = null;
      return voucherSum[0] ?? 0;
    },
    get voucherCount() {
      return voucherCount;
    },
    finish(diag, anchorLine) {
      let fiscal = [...years.values()];
      if (fiscal.length === 0 && days.size > 0) {
        // No #RAR: calendar years that have vouchers, newest = index 0.
        const calendarYears = [...new Set([...days.keys()].map((d) => Math.floor(d / 10000)))].sort(
          (a, b) => b - a,
        );
        const newest = calendarYears[0] ?? 0;
        fiscal = calendarYears.map((y) => ({
          index: y - newest,
          start: y * 10000 + 101,
          end: y * 10000 + 1231,
          line: anchorLine,
        }));
        diag.add('YEAR_INFERRED', anchorLine, { years: calendarYears.join(', ') });
      }
      fiscal.sort((a, b) => b.index - a.index);

      const dayList = [...days.entries()].sort((a, b) => a[0] - b[0]);
      const out: LocalYear[] = [];
      for (const fy of fiscal) {
        const a = accs.get(fy.index);
        const prev = accs.get(fy.index - 1);
        const hasIb = a?.ib.any ?? false;
        const hasUb = a?.ub.any ?? false;
        const hasRes = a?.res.any ?? false;
        const ibFromPrev = !hasIb && (prev?.ub.any ?? false);
        const ibSums = hasIb ? a?.ib : ibFromPrev ? prev?.ub : undefined;

        // Voucher rows dated within the year.
        const tx = newSums();
        const txMonths = new Map<number, GroupSums>();
        let vouchers = 0;
        for (const [ymd, b] of dayList) {
          if (ymd < fy.start || ymd > fy.end) continue;
          vouchers += b.vouchers;
          const month = Math.floor(ymd / 100);
          let m = txMonths.get(month);
          if (!m) {
            m = newSums();
            txMonths.set(month, m);
          }
          for (let g = 10; g < GROUPS; g++) {
            if (!b.sums.seen[g]) continue;
            const v = b.sums.sum[g] ?? 0;
            addTo(tx, g, v);
            if (g >= 30 && g <= 89) addTo(m, g, v);
          }
        }

        const balance: BalanceGroups = {};
        for (let g = 10; g <= 29; g++) {
          const inIb = ibSums?.seen[g] === 1;
          const inUb = a?.ub.seen[g] === 1;
          if (!inIb && !inUb) continue;
          balance[groupKey(g)] = { ib: ibSums?.sum[g] ?? 0, ub: inUb ? (a?.ub.sum[g] ?? 0) : 0 };
        }
        const result: ResultGroups = {};
        const resultSource = hasRes ? a?.res : tx;
        for (let g = 30; g <= 89; g++) {
          if (resultSource?.seen[g]) result[groupKey(g)] = resultSource.sum[g] ?? 0;
        }

        // Monthly movements: #PSALDO (empty object list) when present, else vouchers.
        const ps = psaldo.get(fy.index);
        const monthSource = ps && ps.size > 0 ? ps : txMonths;
        const months: Record<string, ResultGroups> = {};
        for (const [period, sums] of [...monthSource.entries()].sort((x, y) => x[0] - y[0])) {
          const groups: ResultGroups = {};
          for (let g = 30; g <= 89; g++) if (sums.seen[g]) groups[groupKey(g)] = sums.sum[g] ?? 0;
          const p = String(period);
          months[`${p.slice(0, 4)}-${p.slice(4, 6)}`] = groups;
        }

        const start = ymdToIso(fy.start);
        const end = ymdToIso(fy.end);
        const hasBalances = Object.keys(balance).length > 0 || hasUb || hasIb;
        const hasResult = hasRes || vouchers > 0;
        if (!hasBalances && !hasResult) {
          diag.add('YEAR_WITHOUT_DATA', fy.line, { index: fy.index, start, end });
        }

        // Balance identity (SIE signs, classes 1–8 incl. 8990–8999): with the year result
        // booked, ΣUB + ΣRES = 0; with opening balances that still hold last year's unbooked
        // result, ΣUB − ΣIB + ΣRES = 0. Real exports satisfy one or the other (corpus), so a
        // warning is raised only when both are off by more than the tolerance.
        if (a && hasUb && hasRes) {
          const closing = a.rawUb + a.rawRes;
          const ibTotal = hasIb ? a.rawIb : ibFromPrev ? (prev?.rawUb ?? 0) : null;
          const movement = ibTotal === null ? closing : closing - ibTotal;
          if (
            Math.abs(closing) > BALANCE_IDENTITY_TOLERANCE &&
            Math.abs(movement) > BALANCE_IDENTITY_TOLERANCE
          ) {
            const diff = Math.abs(movement) < Math.abs(closing) ? movement : closing;
            diag.add('BALANCE_IDENTITY_OFF', fy.line, {
              year: `${start}–${end}`,
              diff: formatOre(diff),
            });
          }
        }

        const values = [
          ...Object.values(balance).flatMap((v) => [v.ib, v.ub]),
          ...Object.values(result),
        ];
        if (values.some((v) => !Number.isSafeInteger(v))) {
          diag.add('AMOUNT_OVERFLOW', fy.line, { index: fy.index });
        }

        out.push({
          index: fy.index,
          start,
          end,
          source: hasRes ? 'balances' : 'transactions',
          balance,
          result,
          ibSource: hasIb ? 'ib' : ibFromPrev ? 'previous-ub' : 'none',
          hasBalances,
          hasResult,
          vouchers,
          monthly: {
            source: ps && ps.size > 0 ? 'psaldo' : txMonths.size > 0 ? 'transactions' : 'none',
            months,
          },
        });
      }
      return out;
    },
  };
}
