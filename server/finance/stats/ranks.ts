import { countBelowAndEqual } from '../../../domain/disclosure';
import { SLOTS_PER_CELL } from './groups';
import { countInGroup, gatherGroup, type YearLayout } from './layout';

/**
 * Rank counts for the benchmark query. A group of few cells is counted cell by cell (one binary
 * search per cell run); a group of many cells (the upper levels: an industry section or all
 * industries across bands or counties) would cost thousands of searches per figure, so it
 * answers from a sorted copy of its values, made on first use and kept with the layout.
 * The copies hold nothing the layout does not: they are never published and never leave the
 * process; only counts below and equal to the caller's own value come out of here.
 */

/** Groups with at least this many cells answer from a sorted copy. */
export const SORTED_COPY_FROM_CELLS = 32;

/**
 * Values the sorted copies of one layout may hold together (8 bytes each): as many as the
 * layout's own value arrays, at least 4 million (32 MB). The copies a query at one level needs
 * cover the year's values about once, so a smaller budget would be emptied again and again.
 */
export const sortedCopyBudget = (layout: YearLayout): number =>
  Math.max(4_000_000, layout.offsets[layout.cells.length]! * layout.metricCount);

interface SortedCopies {
  /** By `group id × metric count + metric`. */
  byPair: Map<number, Float64Array>;
  values: number;
}

const copiesOf = new WeakMap<YearLayout, SortedCopies>();

const cacheOf = (layout: YearLayout): SortedCopies => {
  let cache = copiesOf.get(layout);
  if (cache === undefined) {
    cache = { byPair: new Map(), values: 0 };
    copiesOf.set(layout, cache);
  }
  return cache;
};

/** The group's present values of one metric, ascending (made once per layout and group). */
function sortedCopy(layout: YearLayout, id: number, metric: number): Float64Array {
  const cache = cacheOf(layout);
  const pair = id * layout.metricCount + metric;
  const kept = cache.byPair.get(pair);
  if (kept !== undefined) return kept;
  const sorted = new Float64Array(layout.groupPresent[pair]!);
  gatherGroup(layout, layout.groups[id]!.cells, metric, sorted);
  sorted.sort();
  // Over budget: start again rather than track use (the copies are remade on demand).
  if (cache.values + sorted.length > sortedCopyBudget(layout)) {
    cache.byPair.clear();
    cache.values = 0;
  }
  cache.byPair.set(pair, sorted);
  cache.values += sorted.length;
  return sorted;
}

/**
 * The group's values of one metric below and equal to `value`, and how many it has: what a
 * percentile rank needs.
 */
export function groupRankCounts(
  layout: YearLayout,
  id: number,
  metric: number,
  value: number,
): { below: number; equal: number; n: number } {
  const cells = layout.groups[id]!.cells;
  if (cells.length < SORTED_COPY_FROM_CELLS) return countInGroup(layout, cells, metric, value);
  const sorted = sortedCopy(layout, id, metric);
  const { below, equal } = countBelowAndEqual(sorted, value);
  return { below, equal, n: sorted.length };
}

/**
 * After a refresh: the sorted copies of groups none of whose cells changed are still right,
 * so the next layout starts with them (group ids stay the same from a layout to the next).
 */
export function carrySortedCopies(
  from: YearLayout,
  to: YearLayout,
  changedCells: Iterable<number>,
): void {
  const previous = copiesOf.get(from);
  if (previous === undefined) return;
  const changedGroups = new Set<number>();
  for (const cell of changedCells) {
    for (let slot = 0; slot < SLOTS_PER_CELL; slot += 1) {
      const id = to.cellGroups[cell * SLOTS_PER_CELL + slot]!;
      if (id >= 0) changedGroups.add(id);
    }
  }
  const next = cacheOf(to);
  for (const [pair, sorted] of previous.byPair) {
    if (changedGroups.has(Math.floor(pair / from.metricCount))) continue;
    next.byPair.set(pair, sorted);
    next.values += sorted.length;
  }
}
