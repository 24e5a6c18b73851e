import { interpolate, PERCENTILES, quantilePosition } from '../../../domain/disclosure';

/**
 * Quantiles of an unsorted group without sorting it: the order statistics a type-7 quantile
 * needs (domain/disclosure.ts `quantilePosition`) are found by Floyd–Rivest selection, in
 * place, in expected linear time; a group of at most 64 values is simply sorted by insertion,
 * which is faster there. The result is exactly what sorting and interpolating would give (the
 * tests compare it with `quantileOfSorted`). The statistics' other short runs are sorted here
 * too (`sortRun`, `insertInOrder`).
 */

/**
 * Rearranges `values[left..right]` so that `values[k]` is the value a full sort would put
 * there, everything before it ≤ it and everything after it ≥ it (Floyd & Rivest 1975,
 * algorithm 489, with the sampling step for ranges above 600 values).
 */
export function selectInPlace(values: Float64Array, k: number, left: number, right: number): void {
  let low = left;
  let high = right;
  while (high > low) {
    if (high - low > 600) {
      const n = high - low + 1;
      const m = k - low + 1;
      const z = Math.log(n);
      const s = 0.5 * Math.exp((2 * z) / 3);
      const sd = 0.5 * Math.sqrt((z * s * (n - s)) / n) * (m - n / 2 < 0 ? -1 : 1);
      const sampleLow = Math.max(low, Math.floor(k - (m * s) / n + sd));
      const sampleHigh = Math.min(high, Math.floor(k + ((n - m) * s) / n + sd));
      selectInPlace(values, k, sampleLow, sampleHigh);
    }
    const pivot = values[k]!;
    let i = low;
    let j = high;
    swap(values, low, k);
    if (values[high]! > pivot) swap(values, low, high);
    while (i < j) {
      swap(values, i, j);
      i += 1;
      j -= 1;
      while (values[i]! < pivot) i += 1;
      while (values[j]! > pivot) j -= 1;
    }
    if (values[low] === pivot) {
      swap(values, low, j);
    } else {
      j += 1;
      swap(values, j, high);
    }
    if (j <= k) low = j + 1;
    if (k <= j) high = j - 1;
  }
}

function swap(values: Float64Array, i: number, j: number): void {
  const held = values[i]!;
  values[i] = values[j]!;
  values[j] = held;
}

/**
 * Runs of up to this many values are sorted by insertion: faster than the native sort for
 * them, and than selecting the ten ranks of a small group (about twice as fast, measured on
 * 10–64 random values).
 */
const INSERTION_UP_TO = 64;

/**
 * Puts the values of the given ascending, distinct ranks of `values[0..n)` (finite numbers)
 * where a full sort would put them. Each selection splits the range for the ranks left and
 * right of it, so ten ranks cost little more than one; a small range is simply sorted.
 */
export function selectRanks(
  values: Float64Array,
  n: number,
  ranks: ArrayLike<number>,
  count: number = ranks.length,
): void {
  if (n <= INSERTION_UP_TO) insertInOrder(values, 0, 1, n);
  else visitRanks(values, ranks, 0, n - 1, 0, count);
}

/** Sorts `array[from, to)` ascending with NaN last. */
export function sortRun(array: Float64Array, from: number, to: number): void {
  if (to - from > INSERTION_UP_TO) array.subarray(from, to).sort();
  else insertInOrder(array, from, from + 1, to);
}

/**
 * Makes `array[from, to)` ascending (NaN last) when `[from, sortedUpTo)` already is, by
 * inserting the others one by one (for short runs, or few values added to a long one).
 */
export function insertInOrder(
  array: Float64Array,
  from: number,
  sortedUpTo: number,
  to: number,
): void {
  for (let i = Math.max(sortedUpTo, from + 1); i < to; i += 1) {
    const value = array[i]!;
    let j = i - 1;
    while (j >= from && sortsAfter(array[j]!, value)) {
      array[j + 1] = array[j]!;
      j -= 1;
    }
    array[j + 1] = value;
  }
}

/** Whether `a` sorts after `b` (NaN after every number). */
const sortsAfter = (a: number, b: number) =>
  Number.isNaN(a) ? !Number.isNaN(b) : !Number.isNaN(b) && a > b;

/** Selects the middle wanted rank, then the ranks left and right of it in their halves. */
function visitRanks(
  values: Float64Array,
  ranks: ArrayLike<number>,
  left: number,
  right: number,
  from: number,
  to: number,
): void {
  if (from >= to) return;
  const middle = (from + to) >>> 1;
  const k = ranks[middle]!;
  selectInPlace(values, k, left, right);
  visitRanks(values, ranks, left, k - 1, from, middle);
  visitRanks(values, ranks, k + 1, right, middle + 1, to);
}

const rankScratch = new Int32Array(2 * PERCENTILES.length);

/**
 * Type-7 quantiles of `values[0..n)` (finite numbers, n ≥ 1) for ascending `percentiles`,
 * written to `out` in the same order; reorders the array. Equal to `quantileOfSorted` on the
 * sorted values.
 */
export function quantilesInPlace(
  values: Float64Array,
  n: number,
  percentiles: readonly number[],
  out: Float64Array,
): void {
  let count = 0;
  for (const percentile of percentiles) {
    const { lower, fraction } = quantilePosition(n, percentile);
    if (count === 0 || rankScratch[count - 1]! < lower) rankScratch[count++] = lower;
    if (fraction > 0 && lower + 1 < n && rankScratch[count - 1]! < lower + 1) {
      rankScratch[count++] = lower + 1;
    }
  }
  selectRanks(values, n, rankScratch, count);
  percentiles.forEach((percentile, i) => {
    const { lower, fraction } = quantilePosition(n, percentile);
    out[i] = interpolate(
      values[lower]!,
      lower + 1 < n ? values[lower + 1]! : values[lower]!,
      fraction,
    );
  });
}
