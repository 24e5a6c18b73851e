/**
 * The value order of one fiscal year and metric, kept next to the cell runs of the rank index
 * (layout.ts): the cells of all present values listed by ascending value. Because every cell
 * run is itself ascending, the i-th time a cell appears in the order stands for the cell's
 * i-th smallest value, so the order needs 4 bytes per value and no copy of the values.
 *
 * With it, one pass over a year's values finds the order statistics of every group at once
 * (release.ts), and a refresh keeps it up to date by one merge instead of a sort.
 */

/** Where each cell's present values of one metric are: run start and count. */
export interface CellRuns {
  values: Float64Array;
  offsets: Int32Array;
  /** `present[cell * metricCount + metric]` */
  present: Int32Array;
  metricCount: number;
}

const presentOf = (runs: CellRuns, cell: number, metric: number) =>
  runs.present[cell * runs.metricCount + metric]!;

/** The order from scratch: a sort of all values, then each value's cell put in its place. */
export function buildOrder(runs: CellRuns, metric: number, cellCount: number): Int32Array {
  let total = 0;
  for (let cell = 0; cell < cellCount; cell += 1) total += presentOf(runs, cell, metric);
  const sorted = new Float64Array(total);
  let at = 0;
  for (let cell = 0; cell < cellCount; cell += 1) {
    const start = runs.offsets[cell]!;
    const count = presentOf(runs, cell, metric);
    for (let i = 0; i < count; i += 1) sorted[at++] = runs.values[start + i]!;
  }
  sorted.sort();
  // Equal values share a first index; `taken` hands out the places after it one by one.
  const taken = new Int32Array(total);
  const order = new Int32Array(total);
  for (let cell = 0; cell < cellCount; cell += 1) {
    const start = runs.offsets[cell]!;
    const count = presentOf(runs, cell, metric);
    for (let i = 0; i < count; i += 1) {
      const first = lowerBound(sorted, runs.values[start + i]!);
      order[first + taken[first]!] = cell;
      taken[first] = taken[first]! + 1;
    }
  }
  return order;
}

function lowerBound(sorted: Float64Array, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * The order after the cells marked in `replaced` changed: their old values leave, their new
 * ones (from `after`) are merged in. Cells keep their indices between `before` and `after`.
 * Cost: one pass over the old order plus sorting the replaced cells' values.
 */
export function mergeOrder(
  previous: Int32Array,
  before: CellRuns,
  after: CellRuns,
  metric: number,
  replaced: readonly number[],
): Int32Array {
  const isReplaced = new Uint8Array(after.offsets.length - 1);
  for (const cell of replaced) isReplaced[cell] = 1;

  let added = 0;
  for (const cell of replaced) added += presentOf(after, cell, metric);
  const addedValues = new Float64Array(added);
  const addedCells = new Int32Array(added);
  let at = 0;
  for (const cell of replaced) {
    const start = after.offsets[cell]!;
    const count = presentOf(after, cell, metric);
    for (let i = 0; i < count; i += 1) {
      addedValues[at] = after.values[start + i]!;
      addedCells[at] = cell;
      at += 1;
    }
  }
  const byValue = Int32Array.from({ length: added }, (_, i) => i).sort(
    (a, b) => addedValues[a]! - addedValues[b]!,
  );

  let total = 0;
  for (let cell = 0; cell < isReplaced.length; cell += 1) total += presentOf(after, cell, metric);
  const next = new Int32Array(total);
  const seen = new Int32Array(before.offsets.length - 1);
  let written = 0;
  let j = 0;
  for (let p = 0; p < previous.length; p += 1) {
    const cell = previous[p]!;
    const value = before.values[before.offsets[cell]! + seen[cell]!]!;
    seen[cell] = seen[cell]! + 1;
    if (isReplaced[cell] === 1) continue;
    while (j < added && addedValues[byValue[j]!]! < value)
      next[written++] = addedCells[byValue[j++]!]!;
    next[written++] = cell;
  }
  while (j < added) next[written++] = addedCells[byValue[j++]!]!;
  return next;
}
