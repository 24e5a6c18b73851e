/**
 * The value order of one fiscal year and metric, kept next to the cell runs of the rank index
 * (layout.ts): the cells of all present values listed by ascending value. Because every cell
 * run is itself ascending, the i-th time a cell appears in the order stands for the cell's
 * i-th smallest value, so the order needs 4 bytes per value and no copy of the values.
 *
 * With it, one pass over a year's values finds the order statistics of every group at once
 * (release.ts). It is sorted for that pass and not kept.
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

/**
 * Arrays reused from one order to the next (sized for the largest): without them, sorting
 * every metric's order of a year leaves some 40 bytes per value for the collector each time.
 */
export interface OrderWorkspace {
  values: Float64Array;
  cells: Int32Array;
  low: Uint32Array;
  high: Uint32Array;
  nextLow: Uint32Array;
  nextHigh: Uint32Array;
  owner: Int32Array;
  nextOwner: Int32Array;
}

export const orderWorkspace = (capacity: number): OrderWorkspace => ({
  values: new Float64Array(capacity),
  cells: new Int32Array(capacity),
  low: new Uint32Array(capacity),
  high: new Uint32Array(capacity),
  nextLow: new Uint32Array(capacity),
  nextHigh: new Uint32Array(capacity),
  owner: new Int32Array(capacity),
  nextOwner: new Int32Array(capacity),
});

/**
 * The order from scratch: every present value with its cell, radix-sorted by value. With a
 * workspace the result lives in it, valid until the workspace is used again.
 */
export function buildOrder(
  runs: CellRuns,
  metric: number,
  cellCount: number,
  workspace?: OrderWorkspace,
): Int32Array {
  let total = 0;
  for (let cell = 0; cell < cellCount; cell += 1) total += presentOf(runs, cell, metric);
  const values = workspace ? workspace.values.subarray(0, total) : new Float64Array(total);
  const cells = workspace ? workspace.cells.subarray(0, total) : new Int32Array(total);
  let at = 0;
  for (let cell = 0; cell < cellCount; cell += 1) {
    const start = runs.offsets[cell]!;
    const count = presentOf(runs, cell, metric);
    for (let i = 0; i < count; i += 1) {
      values[at] = runs.values[start + i]!;
      cells[at] = cell;
      at += 1;
    }
  }
  return sortCellsByValue(values, cells, workspace);
}

/** Below this many values a comparison sort is cheaper than four 65 536-bucket passes. */
const RADIX_FROM = 4_096;

function sortCellsByComparison(values: Float64Array, cells: Int32Array): Int32Array {
  const byValue = Int32Array.from({ length: values.length }, (_, i) => i).sort(
    (a, b) => values[a]! - values[b]!,
  );
  return byValue.map((i) => cells[i]!);
}

/** The cells reordered by ascending value. */
export const sortCellsByValue = (
  values: Float64Array,
  cells: Int32Array,
  workspace?: OrderWorkspace,
): Int32Array =>
  values.length < RADIX_FROM
    ? sortCellsByComparison(values, cells)
    : radixSortCells(values, cells, workspace);

/**
 * The cells reordered by ascending value: an LSD radix sort on the IEEE-754 bits (flipped so
 * that unsigned order is numeric order), four passes of 16 bits, no comparisons. Exact for
 * every finite double; ties keep their input order.
 */
export function radixSortCells(
  values: Float64Array,
  cells: Int32Array,
  workspace?: OrderWorkspace,
): Int32Array {
  const n = values.length;
  const bits = new Uint32Array(values.buffer, values.byteOffset, 2 * n);
  let low = workspace ? workspace.low.subarray(0, n) : new Uint32Array(n);
  let high = workspace ? workspace.high.subarray(0, n) : new Uint32Array(n);
  let owner = workspace ? workspace.owner.subarray(0, n) : new Int32Array(n);
  owner.set(cells);
  for (let i = 0; i < n; i += 1) {
    const lo = bits[2 * i]!;
    const hi = bits[2 * i + 1]!;
    const negative = hi >>> 31 === 1;
    low[i] = negative ? ~lo >>> 0 : lo;
    high[i] = negative ? ~hi >>> 0 : (hi | 0x80000000) >>> 0;
  }
  let nextLow = workspace ? workspace.nextLow.subarray(0, n) : new Uint32Array(n);
  let nextHigh = workspace ? workspace.nextHigh.subarray(0, n) : new Uint32Array(n);
  let nextOwner = workspace ? workspace.nextOwner.subarray(0, n) : new Int32Array(n);
  const counts = new Int32Array(65_536);
  for (let pass = 0; pass < 4; pass += 1) {
    const word = pass < 2 ? low : high;
    const shift = pass % 2 === 0 ? 0 : 16;
    counts.fill(0);
    for (let i = 0; i < n; i += 1) counts[(word[i]! >>> shift) & 0xffff]! += 1;
    let sum = 0;
    for (let digit = 0; digit < 65_536; digit += 1) {
      const count = counts[digit]!;
      counts[digit] = sum;
      sum += count;
    }
    for (let i = 0; i < n; i += 1) {
      const to = counts[(word[i]! >>> shift) & 0xffff]!;
      counts[(word[i]! >>> shift) & 0xffff] = to + 1;
      nextLow[to] = low[i]!;
      nextHigh[to] = high[i]!;
      nextOwner[to] = owner[i]!;
    }
    [low, nextLow] = [nextLow, low];
    [high, nextHigh] = [nextHigh, high];
    [owner, nextOwner] = [nextOwner, owner];
  }
  return owner;
}
