import {
  interpolate,
  passesPPercentRuleFor,
  PERCENTILES,
  quantilePosition,
  releasedPercentiles,
  roundSignificant,
  type Percentile,
} from '../../../domain/disclosure';
import { SLOTS_PER_CELL, type PeerGroup } from './groups';
import { gatherGroup, orderOfMetric, presentInYear, type YearLayout } from './layout';
import { orderWorkspace, type OrderWorkspace } from './order';
import { selectRanks } from './select';
import { METRIC_COUNT } from './entity-metrics';
import { GROUP_STATS, STAT_FIELDS, statsSpace, storedStats, type StatsSpace } from './stored-stats';
import {
  dropWindows,
  ensurePairs,
  fillWindows,
  fillWindowsFrom,
  readRanks,
  WINDOW_VALUES,
  windowRanks,
} from './windows';

/**
 * Step 2 of the peer statistics: what groups may publish, under the disclosure rules of
 * domain/disclosure.ts. Only this module turns stored figures into published numbers.
 *
 * A pair (group, metric) of at least `windows.from` values reads its order statistics from its
 * quantile windows (windows.ts), which every change since the last release has moved along:
 * a refresh after a batch of uploads finds most large groups' quantiles without touching
 * their values. The other pairs, and windows that ran out, are found one of two ways,
 * whichever touches fewer values: per group, by copying its values and selecting the order
 * statistics (cost: the groups' sizes); or for all groups at once, by one pass over the
 * year's value order counting each group's members until their order statistics go by
 * (cost: the year's values × 16 groups per cell). All give exactly the type-7 quantiles of
 * the sorted values.
 */
export interface ReleasedGroup {
  key: string;
  group: PeerGroup;
  /** Distinct entities in the group this year. */
  n: number;
  /** Mean net sales (SEK, 3 significant digits) or null when the p%-rule withholds it. */
  meanNetSales: number | null;
  includesSynthetic: boolean;
  /**
   * `peer_group.stats` (stored-stats.ts): a view of the room `space` gave the release (valid
   * until its next `reuse`; a new buffer when no space is given), copied when stored.
   */
  stats: Buffer;
}

export type QuantileStrategy = 'auto' | 'gather' | 'pass';

/** How a release found its quantiles: (group, metric) pairs read from windows or gathered. */
export interface ReleaseTally {
  fromWindows: number;
  gathered: number;
  /** Values the gathered pairs held together. */
  gatheredValues: number;
}

export const newReleaseTally = (): ReleaseTally => ({
  fromWindows: 0,
  gathered: 0,
  gatheredValues: 0,
});

/**
 * The walk costs about one step per value plus one per (value, wanted group it is in), after
 * sorting the year's values of the metric (a radix sort, a few steps per value); copying and
 * selecting costs a few steps per (value, wanted group). The walk pays from this ratio of
 * wanted values to the year's values on (measured: at 200 000 entities both took the same
 * time at a ratio of 5.6; at 50 000, for every group of a year (8.4), the walk was 1.5 times
 * faster).
 */
const PASS_FROM = 6;

/** At most two order statistics per released percentile. */
const MAX_RANKS = 2 * PERCENTILES.length;
/** The one-pass search finds up to this many ranks per group: every rank of its windows. */
const MAX_TARGETS = PERCENTILES.length * WINDOW_VALUES;

/**
 * The released statistics of the groups `ids` (those with anything to publish): groups of at
 * least the minimum size, with the metrics some benchmark search stops at (which implies
 * enough values for them).
 */
export function releaseGroups(
  layout: YearLayout,
  ids: Iterable<number>,
  strategy: QuantileStrategy = 'auto',
  tally: ReleaseTally = newReleaseTally(),
  space: StatsSpace = statsSpace(),
): ReleasedGroup[] {
  const metricCount = layout.metricCount;
  const windows = layout.windows;
  ensurePairs(windows, layout.groups.length * metricCount);
  const eligible = [...ids].filter((id) => layout.groupSize[id]! >= layout.minGroupSize);
  // Per eligible group, its stored statistics (stored-stats.ts) as they are released.
  if (metricCount > METRIC_COUNT) throw new Error('more metrics than the catalogue has');
  const tuples = space.take(eligible.length);
  let scratchSpace: Float64Array | undefined;
  const scratch = () => (scratchSpace ??= new Float64Array(layout.offsets[layout.cells.length]!));
  let passSpace: ReturnType<typeof passState> | undefined;
  const pass = () => (passSpace ??= passState(layout));
  const quantiles = new Float64Array(PERCENTILES.length);
  const rankValues = new Float64Array(MAX_RANKS);
  const publish = (position: number, metric: number, plan: RankPlan) => {
    const at = position * GROUP_STATS + metric * STAT_FIELDS;
    tuples[at] = plan.n;
    for (let i = 0; i < plan.percentiles.length; i += 1) {
      tuples[at + 1 + plan.spans[i]!] = roundSignificant(quantiles[i]!);
    }
  };

  const fromWindowsOf = (id: number, metric: number, plan: RankPlan): boolean => {
    const pair = id * metricCount + metric;
    if (!readRanks(windows, pair, plan.ranks, plan.rankSpans, plan.ranks.length, rankValues)) {
      return false;
    }
    for (let i = 0; i < plan.percentiles.length; i += 1) {
      quantiles[i] = interpolate(rankValues[2 * i]!, rankValues[2 * i + 1]!, plan.fractions[i]!);
    }
    return true;
  };

  for (let metric = 0; metric < metricCount; metric += 1) {
    // Pairs of at least `windows.from` values are read from their windows (windows.ts); the
    // others, and windows to (re)fill, are gathered and selected, or found in one pass.
    // Positions in `eligible` of the pairs to gather or find in one pass.
    const plain: number[] = [];
    const refill: number[] = [];
    let toFind = 0;
    for (let position = 0; position < eligible.length; position += 1) {
      const id = eligible[position]!;
      const pair = id * metricCount + metric;
      const n = layout.groupPresent[pair]!;
      if (layout.chosen[pair] !== 1) {
        dropWindows(windows, pair);
        continue;
      }
      const plan = rankPlan(n, layout.minGroupSize);
      if (n < windows.from) {
        dropWindows(windows, pair);
        plain.push(position);
        toFind += n;
      } else if (fromWindowsOf(id, metric, plan)) {
        tally.fromWindows += 1;
        publish(position, metric, plan);
      } else {
        refill.push(position);
        toFind += n;
      }
    }
    if (plain.length + refill.length === 0) continue;
    tally.gathered += plain.length + refill.length;
    tally.gatheredValues += toFind;
    const viaPass =
      strategy === 'pass' ||
      (strategy === 'auto' && toFind > PASS_FROM * presentInYear(layout, metric));
    const needsWindows = new Set(refill.map((position) => eligible[position]!));
    const found = viaPass
      ? pass().run(
          metric,
          [...refill, ...plain].map((position) => eligible[position]!),
          (id) => {
            const plan = rankPlan(
              layout.groupPresent[id * metricCount + metric]!,
              layout.minGroupSize,
            );
            return needsWindows.has(id) ? plan.windowRanks() : plan.distinctRanks;
          },
        )
      : undefined;
    for (const position of refill) {
      const id = eligible[position]!;
      const pair = id * metricCount + metric;
      const plan = rankPlan(layout.groupPresent[pair]!, layout.minGroupSize);
      if (found) {
        fillWindowsFrom(windows, pair, plan.n, (rank) => found(id, rank));
      } else {
        gatherGroup(layout, layout.groups[id]!.cells, metric, scratch());
        fillWindows(windows, pair, scratch(), plan.n);
      }
      if (!fromWindowsOf(id, metric, plan)) {
        throw new Error('a fresh quantile window misses its percentile');
      }
      publish(position, metric, plan);
    }
    for (const position of plain) {
      const id = eligible[position]!;
      const plan = rankPlan(layout.groupPresent[id * metricCount + metric]!, layout.minGroupSize);
      if (plan.percentiles.length === 0) continue;
      if (found) {
        for (let i = 0; i < plan.percentiles.length; i += 1) {
          quantiles[i] = interpolate(
            found(id, plan.ranks[2 * i]!),
            found(id, plan.ranks[2 * i + 1]!),
            plan.fractions[i]!,
          );
        }
      } else {
        const values = scratch();
        gatherGroup(layout, layout.groups[id]!.cells, metric, values);
        selectRanks(values, plan.n, plan.distinctRanks);
        for (let i = 0; i < plan.percentiles.length; i += 1) {
          quantiles[i] = interpolate(
            values[plan.ranks[2 * i]!]!,
            values[plan.ranks[2 * i + 1]!]!,
            plan.fractions[i]!,
          );
        }
      }
      publish(position, metric, plan);
    }
  }

  return eligible.flatMap((id, position) => {
    const at = position * GROUP_STATS;
    for (let metric = 0; metric < metricCount; metric += 1) {
      if (!Number.isNaN(tuples[at + metric * STAT_FIELDS])) {
        return [describeGroup(layout, id, storedStats(tuples, at))];
      }
    }
    return [];
  });
}

/**
 * What a group of `n` values publishes and which order statistics that takes: per released
 * percentile its window span, the ranks below and above its position (equal when it falls on
 * a rank) and the fraction between them. Made once per n.
 */
interface RankPlan {
  n: number;
  percentiles: readonly Percentile[];
  /** Per released percentile: its index in PERCENTILES (= its window span). */
  spans: Int32Array;
  /** Per released percentile i: ranks `[2i]` (lower) and `[2i + 1]` (upper). */
  ranks: Int32Array;
  rankSpans: Int32Array;
  fractions: Float64Array;
  /** The ranks once each, ascending: what a selection puts in place. */
  distinctRanks: Int32Array;
  /** Every rank the group's quantile windows cover (made on first use). */
  windowRanks: () => Int32Array;
}

/** Plans by minimum group size, then by n. */
const plans = new Map<number, RankPlan[]>();

function rankPlan(n: number, minGroupSize: number): RankPlan {
  let byN = plans.get(minGroupSize);
  if (byN === undefined) {
    byN = [];
    plans.set(minGroupSize, byN);
  }
  const kept = byN[n];
  if (kept !== undefined) return kept;
  const percentiles = releasedPercentiles(n, minGroupSize);
  let covered: Int32Array | undefined;
  const plan: RankPlan = {
    n,
    percentiles,
    spans: Int32Array.from(percentiles, (p) => PERCENTILES.indexOf(p)),
    ranks: new Int32Array(2 * percentiles.length),
    rankSpans: new Int32Array(2 * percentiles.length),
    fractions: new Float64Array(percentiles.length),
    distinctRanks: new Int32Array(0),
    windowRanks: () => (covered ??= windowRanks(n)),
  };
  percentiles.forEach((percentile, i) => {
    const { lower, fraction } = quantilePosition(n, percentile);
    plan.ranks[2 * i] = lower;
    plan.ranks[2 * i + 1] = fraction > 0 ? lower + 1 : lower;
    plan.rankSpans[2 * i] = plan.spans[i]!;
    plan.rankSpans[2 * i + 1] = plan.spans[i]!;
    plan.fractions[i] = fraction;
  });
  plan.distinctRanks = Int32Array.from(new Set(plan.ranks));
  byN[n] = plan;
  return plan;
}

/**
 * The one-pass search: walking the year's value order, each wanted group counts its members
 * and notes the values at its target ranks.
 */
function passState(layout: YearLayout) {
  const groupCount = layout.groups.length;
  const targets = new Int32Array(groupCount * MAX_TARGETS);
  const values = new Float64Array(groupCount * MAX_TARGETS);
  const targetCount = new Uint8Array(groupCount);
  const next = new Uint8Array(groupCount);
  const seen = new Int32Array(groupCount);
  const active = new Uint8Array(groupCount);
  const occurrences = new Int32Array(layout.cells.length);
  // Per cell, the wanted groups among its 16 (so the walk skips the others).
  const cellWanted = new Int32Array(layout.cells.length * SLOTS_PER_CELL);
  const cellWantedCount = new Uint8Array(layout.cells.length);
  let sortSpace: OrderWorkspace | undefined;
  const workspace = () => (sortSpace ??= orderWorkspace(layout.offsets[layout.cells.length]!));

  const run = (
    metric: number,
    wanted: readonly number[],
    ranksOf: (id: number) => ArrayLike<number>,
  ) => {
    let waiting = 0;
    for (const id of wanted) {
      const ranks = ranksOf(id);
      const count = ranks.length;
      if (count > MAX_TARGETS) throw new Error('too many ranks for the one-pass search');
      for (let i = 0; i < count; i += 1) targets[id * MAX_TARGETS + i] = ranks[i]!;
      targetCount[id] = count;
      next[id] = 0;
      seen[id] = 0;
      active[id] = count > 0 ? 1 : 0;
      waiting += active[id]!;
    }
    occurrences.fill(0);
    // Sorted for this walk only: keeping every metric's order costs 4 bytes per value.
    const order = orderOfMetric(layout, metric, workspace());
    const metricValues = layout.values[metric]!;
    const { offsets, cellGroups } = layout;
    for (let cell = 0; cell < layout.cells.length; cell += 1) {
      let count = 0;
      for (let slot = 0; slot < SLOTS_PER_CELL; slot += 1) {
        const id = cellGroups[cell * SLOTS_PER_CELL + slot]!;
        if (id >= 0 && active[id] === 1) cellWanted[cell * SLOTS_PER_CELL + count++] = id;
      }
      cellWantedCount[cell] = count;
    }
    for (let p = 0; p < order.length && waiting > 0; p += 1) {
      const cell = order[p]!;
      const occurrence = occurrences[cell]!;
      occurrences[cell] = occurrence + 1;
      const base = cell * SLOTS_PER_CELL;
      const wantedHere = cellWantedCount[cell]!;
      for (let slot = 0; slot < wantedHere; slot += 1) {
        const id = cellWanted[base + slot]!;
        if (active[id] === 0) continue;
        const rank = seen[id]!;
        seen[id] = rank + 1;
        const at = id * MAX_TARGETS + next[id]!;
        if (rank === targets[at]) {
          values[at] = metricValues[offsets[cell]! + occurrence]!;
          next[id] = next[id]! + 1;
          if (next[id] === targetCount[id]) {
            active[id] = 0;
            waiting -= 1;
          }
        }
      }
    }
    /** The value of rank `rank` in group `id` (one of its targets). */
    return (id: number, rank: number): number => {
      let low = id * MAX_TARGETS;
      let high = low + targetCount[id]! - 1;
      while (low <= high) {
        const middle = (low + high) >>> 1;
        const target = targets[middle]!;
        if (target === rank) return values[middle]!;
        if (target < rank) low = middle + 1;
        else high = middle - 1;
      }
      throw new Error('rank was not a target');
    };
  };
  return { run };
}

/** The group's own published facts: size, demo share, and the p%-ruled mean net sales. */
function describeGroup(layout: YearLayout, id: number, stats: Buffer): ReleasedGroup {
  const entry = layout.groups[id]!;
  const n = layout.groupSize[id]!;
  let syntheticMembers = 0;
  let salesSum = 0;
  let magnitude = 0;
  let largest = 0;
  let second = 0;
  for (const cell of entry.cells) {
    syntheticMembers += layout.synthetic[cell]!;
    salesSum += layout.salesSum[cell]!;
    magnitude += layout.salesMagnitude[cell]!;
    // The two largest of the group are among the two largest of its cells.
    const cellLargest = layout.salesLargest[cell]!;
    const cellSecond = layout.salesSecond[cell]!;
    if (cellLargest > largest) {
      second = Math.max(largest, cellSecond);
      largest = cellLargest;
    } else {
      second = Math.max(second, cellLargest);
    }
  }
  return {
    key: entry.key,
    group: entry.group,
    n,
    meanNetSales: passesPPercentRuleFor({ total: magnitude, largest, second })
      ? roundSignificant(salesSum / n)
      : null,
    includesSynthetic: syntheticMembers > 0,
    stats,
  };
}
