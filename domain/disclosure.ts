/**
 * Disclosure control for published peer statistics (DESIGN §7, privacy invariant P8), as pure
 * functions shared by the server's statistics engine, the UI, the CLI and the tests. Every
 * rule lives here once:
 *
 * - a group is released only with n ≥ the minimum group size (default 10, never below 5);
 * - released: p25, p50, p75; p10 and p90 only with n ≥ 20; never min, max or a mean of a ratio;
 * - every released number is rounded to 3 significant digits;
 * - an amount aggregate (a sum or mean of amounts) only if it passes the p%-rule (p = 15);
 * - quantiles are "type 7" (Hyndman & Fan 1996; the default of R and NumPy): for n sorted
 *   values x₀ ≤ … ≤ xₙ₋₁ and percentile p, h = (n − 1)·p/100 and
 *   Q = x⌊h⌋ + (h − ⌊h⌋)·(x⌊h⌋₊₁ − x⌊h⌋), i.e. linear interpolation between order statistics.
 *
 * Nothing here throws; invalid input (an empty list, a non-finite value) is the caller's to
 * avoid and yields `null` where a result could not mean anything.
 */

/** Smallest group the configuration may allow (DESIGN §7: "never below 5"). */
export const MIN_GROUP_SIZE_FLOOR = 5;
/** Default minimum number of distinct entities for a group to be released. */
export const DEFAULT_MIN_GROUP_SIZE = 10;
/** p10 and p90 are released only from this many values on. */
export const DECILE_MIN_GROUP_SIZE = 20;
/** Significant digits of every released number. */
export const SIGNIFICANT_DIGITS = 3;
/** The p of the p%-rule for amount aggregates. */
export const P_PERCENT_RULE = 15;

/** The percentiles a group may publish, as whole percents. */
export const PERCENTILES = [10, 25, 50, 75, 90] as const;
export type Percentile = (typeof PERCENTILES)[number];
export type QuantileKey = `p${Percentile}`;

export const quantileKey = (percentile: Percentile): QuantileKey => `p${percentile}`;

/**
 * Where percentile `percentile` of `n` sorted values lies (type 7): the index of the lower
 * order statistic and the fraction towards the next one. Integer arithmetic, so e.g. p10 of
 * 21 values is exactly x₂ (no 1.9999999 from 20 × 0.1).
 */
export function quantilePosition(
  n: number,
  percentile: number,
): { lower: number; fraction: number } {
  const scaled = (n - 1) * percentile;
  const lower = Math.floor(scaled / 100);
  return { lower, fraction: (scaled - lower * 100) / 100 };
}

/** Type-7 interpolation between the two order statistics around a quantile's position. */
export function interpolate(lowerValue: number, upperValue: number, fraction: number): number {
  return fraction === 0 ? lowerValue : lowerValue + fraction * (upperValue - lowerValue);
}

/** Percentile `percentile` (0–100) of ascending `sorted` values, type 7; null when empty. */
export function quantileOfSorted(sorted: ArrayLike<number>, percentile: number): number | null {
  if (sorted.length === 0) return null;
  const { lower, fraction } = quantilePosition(sorted.length, percentile);
  const lowerValue = sorted[lower]!;
  const upperValue = lower + 1 < sorted.length ? sorted[lower + 1]! : lowerValue;
  return interpolate(lowerValue, upperValue, fraction);
}

/** Powers of ten that are exact doubles (parsed, not multiplied up). */
const EXACT_POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

/**
 * `value` rounded to `digits` significant digits, exactly as `Number(value.toPrecision(digits))`
 * (half away from zero on the exact decimal expansion of the binary value). `-0` becomes `0`.
 * A quick path scales by an exact power of ten; anything near a rounding tie, or where the
 * decimal exponent is in doubt, goes through `toPrecision` itself.
 */
export function roundSignificant(value: number, digits: number = SIGNIFICANT_DIGITS): number {
  if (!Number.isFinite(value) || value === 0) return value === 0 ? 0 : value;
  const magnitude = Math.abs(value);
  const shift = digits - 1 - Math.floor(Math.log10(magnitude));
  const power = EXACT_POWERS_OF_TEN[Math.abs(shift)];
  if (power !== undefined) {
    const scaled = shift >= 0 ? magnitude * power : magnitude / power;
    const fraction = scaled - Math.floor(scaled);
    const lowest = EXACT_POWERS_OF_TEN[digits - 1]!;
    if (scaled >= lowest && scaled < lowest * 10 && Math.abs(fraction - 0.5) > 1e-6) {
      const rounded = Math.round(scaled);
      const result = shift >= 0 ? rounded / power : rounded * power;
      return (value < 0 ? -result : result) + 0;
    }
  }
  // `+ 0` turns -0 into 0.
  return Number(value.toPrecision(digits)) + 0;
}

/** The percentiles a group of `n` values may publish under the minimum group size. */
export function releasedPercentiles(n: number, minGroupSize: number): readonly Percentile[] {
  if (n < Math.max(minGroupSize, MIN_GROUP_SIZE_FLOOR)) return [];
  if (n < Math.max(DECILE_MIN_GROUP_SIZE, minGroupSize)) return [25, 50, 75];
  return PERCENTILES;
}

export type ReleasedQuantiles = { n: number } & Partial<Record<QuantileKey, number>>;

/**
 * Everything a group of ascending `sorted` (finite) values may publish: its size and the
 * released quantiles, rounded; null when the group is too small to release anything.
 */
export function discloseSorted(
  sorted: ArrayLike<number>,
  minGroupSize: number,
): ReleasedQuantiles | null {
  const percentiles = releasedPercentiles(sorted.length, minGroupSize);
  if (percentiles.length === 0) return null;
  const released: ReleasedQuantiles = { n: sorted.length };
  for (const percentile of percentiles) {
    released[quantileKey(percentile)] = roundSignificant(quantileOfSorted(sorted, percentile)!);
  }
  return released;
}

/**
 * The p%-rule for an amount aggregate over `contributions` (one per entity, by magnitude):
 * the aggregate may be published only if what the others contribute, leaving out the two
 * largest contributors, is at least p % of the largest contribution. Otherwise the
 * second-largest contributor could estimate the largest one to within p %.
 */
export function passesPPercentRule(
  contributions: readonly number[],
  p: number = P_PERCENT_RULE,
): boolean {
  const magnitudes = contributions.map((value) => Math.abs(value));
  let largest = 0;
  let second = 0;
  let total = 0;
  for (const magnitude of magnitudes) {
    total += magnitude;
    if (magnitude > largest) {
      second = largest;
      largest = magnitude;
    } else if (magnitude > second) {
      second = magnitude;
    }
  }
  return passesPPercentRuleFor({ total, largest, second }, p);
}

/** The p%-rule from the sum of magnitudes and the two largest ones (for merged aggregates). */
export function passesPPercentRuleFor(
  magnitudes: { total: number; largest: number; second: number },
  p: number = P_PERCENT_RULE,
): boolean {
  const others = magnitudes.total - magnitudes.largest - magnitudes.second;
  return others * 100 >= p * magnitudes.largest;
}

/** How many of ascending `sorted` values lie below `value` and how many equal it. */
export function countBelowAndEqual(
  sorted: ArrayLike<number>,
  value: number,
  from = 0,
  to = sorted.length,
): { below: number; equal: number } {
  const notBelow = firstNotBelow(sorted, value, from, to);
  return { below: notBelow - from, equal: firstAbove(sorted, value, notBelow, to) - notBelow };
}

/**
 * First index in [from, to) of ascending `sorted` whose value is above `value`, or with
 * `orEqual` not below it (`to` if none). A flag, not a predicate callback: the benchmark query
 * runs this twice per cell of a group for every figure.
 */
function firstPast(
  sorted: ArrayLike<number>,
  value: number,
  from: number,
  to: number,
  orEqual: boolean,
): number {
  let low = from;
  let high = to;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const x = sorted[middle]!;
    if (x > value || (orEqual && x === value)) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** First index in [from, to) of ascending `sorted` whose value is not below `value`. */
export const firstNotBelow = (sorted: ArrayLike<number>, value: number, from: number, to: number) =>
  firstPast(sorted, value, from, to, true);

/** First index in [from, to) of ascending `sorted` whose value is above `value`. */
export const firstAbove = (sorted: ArrayLike<number>, value: number, from: number, to: number) =>
  firstPast(sorted, value, from, to, false);

/**
 * Mid-rank percentile of a value in a group of `n` values, `below` of them smaller and
 * `equal` of them equal: 100 × (below + ½·equal) / n. Null for an empty group.
 */
export function percentileRank(counts: { below: number; equal: number; n: number }): number | null {
  if (counts.n <= 0) return null;
  return (100 * (counts.below + 0.5 * counts.equal)) / counts.n;
}

/**
 * The 0–100 index of an item: the percentile rank when higher values are better, 100 minus it
 * when lower values are better, so that higher is always better and 50 is the median.
 * Rounded to a whole number (halves up).
 */
export function itemIndex(rank: number, direction: 'higher' | 'lower'): number {
  return Math.round(direction === 'higher' ? rank : 100 - rank);
}

/** The overall index: the mean of the item indices present, rounded; null if there are none. */
export function overallIndex(indices: readonly (number | null)[]): number | null {
  const present = indices.filter((index): index is number => index !== null);
  if (present.length === 0) return null;
  return Math.round(present.reduce((sum, index) => sum + index, 0) / present.length);
}
