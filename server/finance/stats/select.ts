import { interpolate, PERCENTILES, quantilePosition } from '../../../domain/disclosure';

/**
 * Quantiles of an unsorted group without sorting it: the order statistics a type-7 quantile
 * needs (domain/disclosure.ts `quantilePosition`) are found by Floyd–Rivest selection, in
 * place, in expected linear time. The result is exactly what sorting and interpolating would
 * give (the tests compare it with `quantileOfSorted`).
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
 * Up to this many values are simply sorted, by insertion: for the ten ranks of a small
 * group that is about twice as fast as selecting them (measured on 10–64 random values).
 */
const SORT_UP_TO = 64;

/**
 * Puts the values of the given ascending, distinct ranks of `values[0..n)` (finite numbers)
 * where a full sort would put them. Each selection splits the range for the ranks left and
 * right of it, so ten ranks cost little more than one.
 */
export function selectRanks(
  values: Float64Array,
  n: number,
  ranks: ArrayLike<number>,
  count: number = ranks.length,
): void {
  if (n <= SORT_UP_TO) insertionSort(values, n);
  else visitRanks(values, ranks, 0, n - 1, 0, count);
}

function insertionSort(values: Float64Array, n: number): void {
  for (let i = 1; i < n; i += 1) {
    const value = values[i]!;
    let j = i - 1;
    while (j >= 0 && values[j]! > value) {
      values[j + 1] = values[j]!;
      j -= 1;
    }
    values[j + 1] = value;
  }
}

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
