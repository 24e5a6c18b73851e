import { PERCENTILES, quantilePosition } from '../../../domain/disclosure';
import { selectRanks } from './select';

/**
 * Quantile windows: what lets a refresh publish a large group's quantiles without gathering
 * and selecting its values again (issue #6, refresh after 1 000 uploads ≤ 5 s).
 *
 * For a (group, metric) pair with at least `from` values, each of the five percentile
 * positions keeps a window: up to {@link WINDOW_VALUES} consecutive values of the group's
 * sorted order around the position, and the rank of the first of them. A value joining or
 * leaving the group either lies below the window (its rank moves by one), above it (nothing
 * changes), or between its ends (it enters or leaves the window). Equal values are
 * interchangeable, so a value equal to an end may be put in or taken from the window. After a
 * refresh, a quantile whose order statistics are still inside its window is read from it;
 * otherwise the pair is gathered and selected as before and its windows are centred again.
 *
 * The windows hold values of the rank index only: they never leave the process.
 * Memory: 5 × 7 doubles and 5 × 5 bytes per pair that has them.
 */
export const WINDOW_VALUES = 6;

/** Pairs with at least this many values keep windows (smaller ones are cheap to gather). */
export const DEFAULT_WINDOW_FROM = 64;

const SPANS = PERCENTILES.length;
/** One spare place: a value is put in first, and an end dropped after. */
const STRIDE = WINDOW_VALUES + 1;
/** Ranks kept below the percentile position when a window is (re)centred. */
const BELOW = 2;

export interface QuantileWindows {
  /** Pairs with at least this many present values keep windows. */
  readonly from: number;
  /** Per pair (`group id × metric count + metric`): its slot, or -1. */
  slotOf: Int32Array;
  /** Per slot and span: `STRIDE` values, ascending from the start. */
  values: Float64Array;
  /** Per slot and span: the rank of the window's first value, or -1 when lost. */
  start: Int32Array;
  /** Per slot and span: values in the window. */
  size: Uint8Array;
  free: number[];
  /** Slots handed out so far (free ones included). */
  slots: number;
}

export function createWindows(from: number = DEFAULT_WINDOW_FROM): QuantileWindows {
  return {
    from,
    slotOf: new Int32Array(0),
    values: new Float64Array(0),
    start: new Int32Array(0),
    size: new Uint8Array(0),
    free: [],
    slots: 0,
  };
}

/** Makes room for `pairCount` pairs (groups were added). */
export function ensurePairs(windows: QuantileWindows, pairCount: number): void {
  if (windows.slotOf.length >= pairCount) return;
  // Room for the groups later refreshes add: growing copies, and a large allocation during a
  // refresh can set off a full collection of the heap.
  const slotOf = new Int32Array(Math.ceil(Math.max(pairCount, windows.slotOf.length) * 1.25));
  slotOf.fill(-1);
  slotOf.set(windows.slotOf);
  windows.slotOf = slotOf;
}

function allocateSlot(windows: QuantileWindows): number {
  const reused = windows.free.pop();
  if (reused !== undefined) return reused;
  const slot = windows.slots;
  windows.slots += 1;
  if (windows.start.length < windows.slots * SPANS) {
    const capacity = Math.max(1_024, Math.ceil(windows.slots * 1.5));
    const values = new Float64Array(capacity * SPANS * STRIDE);
    values.set(windows.values);
    const start = new Int32Array(capacity * SPANS);
    start.set(windows.start);
    const size = new Uint8Array(capacity * SPANS);
    size.set(windows.size);
    Object.assign(windows, { values, start, size });
  }
  return slot;
}

/** Forgets a pair's windows (it fell below `from`, or nothing publishes it). */
export function dropWindows(windows: QuantileWindows, pair: number): void {
  const slot = pair < windows.slotOf.length ? windows.slotOf[pair]! : -1;
  if (slot < 0) return;
  windows.slotOf[pair] = -1;
  windows.free.push(slot);
}

export const hasWindows = (windows: QuantileWindows, pair: number): boolean =>
  pair < windows.slotOf.length && windows.slotOf[pair]! >= 0;

/**
 * One value joins (`sign` 1) or leaves (-1) a pair's group. `n` is the pair's number of
 * values once every change of this refresh is in: a full window drops the end farther from
 * where the percentile will be. NaN (an absent value) changes nothing.
 */
export function moveValue(
  windows: QuantileWindows,
  pair: number,
  value: number,
  sign: 1 | -1,
  n: number,
): void {
  if (Number.isNaN(value) || pair >= windows.slotOf.length) return;
  const slot = windows.slotOf[pair]!;
  if (slot < 0) return;
  const { values, start, size } = windows;
  for (let span = 0; span < SPANS; span += 1) {
    const at = slot * SPANS + span;
    const first = start[at]!;
    if (first < 0) continue;
    const count = size[at]!;
    const offset = at * STRIDE;
    if (count === 0) {
      // Nothing to compare with: where the value goes is unknown.
      start[at] = -1;
      continue;
    }
    const low = values[offset]!;
    const high = values[offset + count - 1]!;
    if (sign === 1) {
      if (value < low) {
        start[at] = first + 1;
      } else if (value <= high) {
        let i = offset + count;
        while (i > offset && values[i - 1]! > value) {
          values[i] = values[i - 1]!;
          i -= 1;
        }
        values[i] = value;
        if (count + 1 > WINDOW_VALUES) {
          const target = quantilePosition(n, PERCENTILES[span]!).lower;
          if (first + count - target > target - first) {
            size[at] = count; // the last value goes
          } else {
            values.copyWithin(offset, offset + 1, offset + count + 1);
            start[at] = first + 1;
            size[at] = count;
          }
        } else {
          size[at] = count + 1;
        }
      }
    } else if (value < low) {
      start[at] = first - 1;
    } else if (value <= high) {
      let i = offset;
      while (i < offset + count && values[i] !== value) i += 1;
      if (i === offset + count) {
        start[at] = -1; // cannot happen for a value the group holds
        continue;
      }
      values.copyWithin(i, i + 1, offset + count);
      size[at] = count - 1;
    }
  }
}

/**
 * The values of ranks `ranks[0..count)` (ascending, distinct) of a pair from its windows, in
 * `out`; false when one of them is outside its percentile's window (or the pair has none).
 * `spanOf[i]` names the percentile window rank i belongs to.
 */
export function readRanks(
  windows: QuantileWindows,
  pair: number,
  ranks: ArrayLike<number>,
  spanOf: ArrayLike<number>,
  count: number,
  out: Float64Array,
): boolean {
  if (pair >= windows.slotOf.length) return false;
  const slot = windows.slotOf[pair]!;
  if (slot < 0) return false;
  for (let i = 0; i < count; i += 1) {
    const at = slot * SPANS + spanOf[i]!;
    const first = windows.start[at]!;
    const rank = ranks[i]!;
    if (first < 0 || rank < first || rank >= first + windows.size[at]!) return false;
    out[i] = windows.values[at * STRIDE + rank - first]!;
  }
  return true;
}

/** The ranks a centred window of percentile span `span` covers in a group of `n` values. */
function windowBounds(n: number, span: number): { first: number; last: number } {
  const lower = quantilePosition(n, PERCENTILES[span]!).lower;
  const first = Math.max(0, Math.min(lower - BELOW, n - WINDOW_VALUES));
  return { first, last: Math.min(n - 1, first + WINDOW_VALUES - 1) };
}

/** Every rank the centred windows of a group of `n` values cover, ascending, once each. */
export function windowRanks(n: number): Int32Array {
  const ranks = new Set<number>();
  for (let span = 0; span < SPANS; span += 1) {
    const { first, last } = windowBounds(n, span);
    for (let rank = first; rank <= last; rank += 1) ranks.add(rank);
  }
  return Int32Array.from([...ranks].sort((a, b) => a - b));
}

/** Centres a pair's windows, with `valueAt(rank)` giving the group's order statistics. */
export function fillWindowsFrom(
  windows: QuantileWindows,
  pair: number,
  n: number,
  valueAt: (rank: number) => number,
): void {
  let slot = windows.slotOf[pair]!;
  if (slot < 0) {
    slot = allocateSlot(windows);
    windows.slotOf[pair] = slot;
  }
  for (let span = 0; span < SPANS; span += 1) {
    const { first, last } = windowBounds(n, span);
    const at = slot * SPANS + span;
    for (let rank = first; rank <= last; rank += 1) {
      windows.values[at * STRIDE + rank - first] = valueAt(rank);
    }
    windows.start[at] = first;
    windows.size[at] = last - first + 1;
  }
}

const boundaries = new Int32Array(2 * SPANS);

/**
 * Centres a pair's windows on its `n` gathered values in `scratch` (reordered: afterwards each
 * window's ranks hold their sorted values).
 */
export function fillWindows(
  windows: QuantileWindows,
  pair: number,
  scratch: Float64Array,
  n: number,
): void {
  let count = 0;
  for (let span = 0; span < SPANS; span += 1) {
    const { first, last } = windowBounds(n, span);
    for (const rank of [first, last]) {
      // Windows of neighbouring percentiles may overlap in small groups: keep ranks distinct.
      let i = count;
      while (i > 0 && boundaries[i - 1]! > rank) i -= 1;
      if (i > 0 && boundaries[i - 1] === rank) continue;
      boundaries.copyWithin(i + 1, i, count);
      boundaries[i] = rank;
      count += 1;
    }
  }
  selectRanks(scratch, n, boundaries, count);
  for (let span = 0; span < SPANS; span += 1) {
    const { first, last } = windowBounds(n, span);
    // Between two selected ranks lie exactly the values of the ranks between, unsorted.
    scratch.subarray(first, last + 1).sort();
  }
  fillWindowsFrom(windows, pair, n, (rank) => scratch[rank]!);
}
