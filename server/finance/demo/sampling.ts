import type { Rng } from '../../../domain/prng';

/**
 * Sampling helpers for the demo population on top of the seeded PRNG. Pure: every draw comes
 * from the `Rng` passed in, so the same seed gives the same population, byte for byte.
 */

/** A picker over fixed weights: cumulative table and binary search (O(log n) per draw). */
export function weightedPicker<T>(entries: readonly (readonly [T, number])[]): (rng: Rng) => T {
  const items = entries.filter(([, weight]) => weight > 0);
  if (items.length === 0) throw new Error('weightedPicker needs a positive weight');
  const cumulative: number[] = [];
  let total = 0;
  for (const [, weight] of items) {
    total += weight;
    cumulative.push(total);
  }
  return (rng) => {
    const target = rng.next() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] ?? 0) > target) hi = mid;
      else lo = mid + 1;
    }
    return (items[lo] ?? items[items.length - 1]!)[0];
  };
}

/**
 * Splits `total` into whole counts proportional to `weights` (largest remainder), each at
 * least `minimum` when `total` allows it; the extra units come from the largest counts.
 */
export function apportion(weights: readonly number[], total: number, minimum: number): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const quotas = weights.map((w) => (w / sum) * total);
  const counts = quotas.map(Math.floor);
  const byRemainder = quotas
    .map((quota, index) => ({ index, remainder: quota - Math.floor(quota) }))
    .sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  let missing = total - counts.reduce((a, b) => a + b, 0);
  for (const { index } of byRemainder) {
    if (missing <= 0) break;
    counts[index] = (counts[index] ?? 0) + 1;
    missing -= 1;
  }
  const floor = weights.length * minimum <= total ? minimum : 0;
  for (let i = 0; i < counts.length; i += 1) {
    while ((counts[i] ?? 0) < floor) {
      const largest = counts.indexOf(Math.max(...counts));
      counts[largest] = (counts[largest] ?? 0) - 1;
      counts[i] = (counts[i] ?? 0) + 1;
    }
  }
  return counts;
}

/** Fisher–Yates shuffle of a copy. */
export function shuffled<T>(items: readonly T[], rng: Rng): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(rng.next() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

export const clamp = (value: number, lo: number, hi: number): number =>
  Math.min(hi, Math.max(lo, value));

/** A standard normal draw cut at ±limit, so no tail produces an absurd company. */
export const boundedNormal = (rng: Rng, limit = 3): number => clamp(rng.normal(), -limit, limit);

/** Normal with the given mean and standard deviation, cut at ±3 sd. */
export const gaussian = (rng: Rng, mean: number, sd: number): number =>
  mean + sd * boundedNormal(rng);

/** Log-normal factor with median 1 and log-sd `sigma` (cut at ±3 sigma). */
export const logNormalFactor = (rng: Rng, sigma: number): number =>
  Math.exp(sigma * boundedNormal(rng));

/** Uniform in [lo, hi). */
export const uniform = (rng: Rng, lo: number, hi: number): number => lo + (hi - lo) * rng.next();

/** SEK (a float) → integer öre (never −0). */
export const toOre = (sek: number): number => Math.round(sek * 100) || 0;

/** −amount for a credit balance in SIE signs (never −0). */
export const credit = (amount: number): number => (amount === 0 ? 0 : -amount);
