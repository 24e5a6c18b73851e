/** Compares a parser summary with the generator's expected group sums. */
import type { ExpectedYear } from './sie-generator.ts';

/** The parts of a parser year this comparison reads (LocalYear / CLI year are supersets). */
export interface ActualYear {
  readonly index: number;
  readonly start: string;
  readonly end: string;
  readonly balance: Readonly<Record<string, { readonly ib: number; readonly ub: number }>>;
  readonly result: Readonly<Record<string, number>>;
}

export interface Comparison {
  readonly ok: boolean;
  /** Human-readable differences (capped). */
  readonly differences: readonly string[];
}

const MAX_REPORTED = 12;

const nonZeroBalance = (
  groups: ActualYear['balance'],
): Map<string, { readonly ib: number; readonly ub: number }> =>
  new Map(Object.entries(groups).filter(([, v]) => v.ib !== 0 || v.ub !== 0));

const nonZeroResult = (groups: ActualYear['result']): Map<string, number> =>
  new Map(Object.entries(groups).filter(([, v]) => v !== 0));

const compareYear = (expected: ExpectedYear, actual: ActualYear | undefined): string[] => {
  const label = `year ${expected.index}`;
  if (actual === undefined) return [`${label}: missing in parser output`];
  const out: string[] = [];
  if (actual.start !== expected.start || actual.end !== expected.end) {
    out.push(
      `${label}: range ${actual.start}..${actual.end}, expected ${expected.start}..${expected.end}`,
    );
  }
  const eb = nonZeroBalance(expected.balance);
  const ab = nonZeroBalance(actual.balance);
  for (const g of new Set([...eb.keys(), ...ab.keys()])) {
    const e = eb.get(g) ?? { ib: 0, ub: 0 };
    const a = ab.get(g) ?? { ib: 0, ub: 0 };
    if (e.ib !== a.ib || e.ub !== a.ub) {
      out.push(`${label} balance ${g}: ib/ub ${a.ib}/${a.ub}, expected ${e.ib}/${e.ub}`);
    }
  }
  const er = nonZeroResult(expected.result);
  const ar = nonZeroResult(actual.result);
  for (const g of new Set([...er.keys(), ...ar.keys()])) {
    if ((er.get(g) ?? 0) !== (ar.get(g) ?? 0)) {
      out.push(`${label} result ${g}: ${ar.get(g) ?? 0}, expected ${er.get(g) ?? 0}`);
    }
  }
  return out;
};

/** Zero-valued groups are treated as absent on both sides. */
export const compareSummary = (
  expected: readonly ExpectedYear[],
  actual: readonly ActualYear[],
): Comparison => {
  const byIndex = new Map(actual.map((y) => [y.index, y]));
  const differences = expected.flatMap((e) => compareYear(e, byIndex.get(e.index)));
  const expectedIndexes = new Set(expected.map((e) => e.index));
  const extra = actual
    .filter((a) => !expectedIndexes.has(a.index))
    .map((a) => `year ${a.index}: not expected`);
  const all = [...differences, ...extra];
  return { ok: all.length === 0, differences: all.slice(0, MAX_REPORTED) };
};
