/**
 * How a benchmark answer is summed up, the same on every screen (dashboard, PDF report,
 * bureau console): the peer group the headline names, the weakest figures, and which cost
 * items are worth a row.
 */
import type { BenchmarkGroup, BenchmarkItem } from '../../domain/benchmark';

/** How many of the weakest figures a summary names. */
export const WEAKEST_COUNT = 3;

export const sameGroup = (a: BenchmarkGroup | null, b: BenchmarkGroup | null): boolean =>
  a === b ||
  (a !== null &&
    b !== null &&
    a.level === b.level &&
    a.sni === b.sni &&
    a.employeeBand === b.employeeBand &&
    a.county === b.county &&
    a.year === b.year);

/**
 * The group most figures were compared with (the headline's), with the largest n any of
 * them had in it; null when no figure has a released group.
 */
export function mainPeerGroup(
  items: readonly BenchmarkItem[],
): { group: BenchmarkGroup; n: number | null } | null {
  const counts: Array<{ group: BenchmarkGroup; n: number | null; count: number }> = [];
  for (const item of items) {
    if (item.group === null) continue;
    const entry = counts.find((c) => sameGroup(c.group, item.group));
    if (entry === undefined) counts.push({ group: item.group, n: item.n, count: 1 });
    else {
      entry.count += 1;
      if ((item.n ?? 0) > (entry.n ?? 0)) entry.n = item.n;
    }
  }
  const best = counts.reduce<(typeof counts)[number] | null>(
    (top, entry) => (top === null || entry.count > top.count ? entry : top),
    null,
  );
  return best === null ? null : { group: best.group, n: best.n };
}

/**
 * A cost item worth a row: the company has the cost's figure and a released group, and it
 * is not a cost that neither the company nor most peers book (0 against a p75 of 0).
 */
export const isInformativeCostItem = (item: BenchmarkItem): boolean =>
  item.value !== null && item.group !== null && (item.value !== 0 || (item.p75 ?? 0) !== 0);

/** The figures with the lowest index, lowest first (catalogue order among equals). */
export const weakestItems = <T extends { item: BenchmarkItem }>(lines: readonly T[]): T[] =>
  lines
    .filter((l) => l.item.index !== null)
    .sort((a, b) => a.item.index! - b.item.index!)
    .slice(0, WEAKEST_COUNT);
