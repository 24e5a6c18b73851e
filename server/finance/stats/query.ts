import type Database from 'better-sqlite3';
import type {
  BenchmarkItem,
  BenchmarkLevel,
  BenchmarkResult,
  BenchmarkYear,
} from '../../../domain/benchmark';
import type { ContractComparison } from '../../../domain/contracts';
import {
  itemIndex,
  overallIndex,
  PERCENTILES,
  percentileRank,
  quantileKey,
  type QuantileKey,
} from '../../../domain/disclosure';
import { fiscalYearOf, METRICS, type MetricId } from '../../../domain/ratios';
import type { PeerStatistics } from './engine';
import { entityMetricStatements, metricsOfYear, type StoredYear } from './entity-metrics';
import { candidateGroups, groupKey, searchLevels, type PeerGroup } from './groups';
import type { YearLayout } from './layout';
import type { PublishedGroups } from './published';
import { groupRankCounts } from './ranks';

/**
 * The benchmark query (issue #6): for one entity, each catalogue figure of each of its years
 * against the most specific published peer group (or the groups of the level asked for), with
 * its percentile rank and 0–100 index. It reads published statistics and the rank index only;
 * the only figures of any single entity in the answer are the caller's own.
 */
export type BenchmarkOutcome =
  | { ok: true; result: BenchmarkResult }
  | { ok: false; reason: 'NO_CONTRIBUTION' | 'YEAR_NOT_FOUND' };

export interface BenchmarkOptions {
  year?: number;
  level?: BenchmarkLevel;
}

const QUANTILE_KEYS: readonly QuantileKey[] = PERCENTILES.map(quantileKey);

/** What the search for one figure needs of its year. */
interface YearContext {
  candidates: readonly { group: PeerGroup; key: string }[];
  published: PublishedGroups;
  /** The percentile rank of `value` among the group's values of the figure at `metric`. */
  rankOf: (key: string, metric: number, value: number) => number | null;
  /** Called when a figure is compared with a group that includes the demo population. */
  onSynthetic: () => void;
}

/**
 * `contractComparisons` gives the entity's supplier agreements against their peers (issue #7):
 * they are part of the answer and their indices join the overall index of the entity's newest
 * fiscal year (agreements are current, not of a past year).
 */
export function createBenchmarkQuery(
  sqlite: Database.Database,
  statistics: PeerStatistics,
  contractComparisons: (entityId: string) => ContractComparison[] = () => [],
) {
  const statements = entityMetricStatements(sqlite);

  return (entityId: string, options: BenchmarkOptions = {}): BenchmarkOutcome => {
    const profile = statements.profileOf(entityId);
    const stored = statements.yearsOf(entityId);
    if (profile === undefined || stored.length === 0)
      return { ok: false, reason: 'NO_CONTRIBUTION' };
    const newestFirst = [...stored].sort((a, b) =>
      a.end !== b.end ? (a.end < b.end ? 1 : -1) : a.start < b.start ? 1 : -1,
    );
    const years = [...new Set(newestFirst.map(fiscalYearOf))];
    const selectedRow =
      options.year === undefined
        ? newestFirst[0]
        : newestFirst.find((year) => fiscalYearOf(year) === options.year);
    if (selectedRow === undefined) return { ok: false, reason: 'YEAR_NOT_FOUND' };

    const published = statistics.published();
    let demo = false;
    const contracts = contractComparisons(entityId);
    const contractIndices = contracts.map((contract) => contract.index);
    const yearOf = (row: StoredYear): BenchmarkYear => {
      const fiscalYear = fiscalYearOf(row);
      const own = metricsOfYear(stored, row);
      const layout = statistics.layoutOf(fiscalYear);
      const context: YearContext = {
        candidates: searchLevels(options.level)
          .flatMap((level) => candidateGroups(profile.cell, level, fiscalYear))
          .map((group) => ({ group, key: groupKey(group) })),
        published,
        rankOf: (key, metric, value) => rankIn(layout, key, metric, value),
        onSynthetic: () => {
          demo = true;
        },
      };
      const items = METRICS.map((metric, index) =>
        benchmarkItem(metric.id, index, metric.direction, own[metric.id] ?? null, context),
      );
      return {
        year: fiscalYear,
        start: row.start,
        end: row.end,
        overallIndex: overallIndex([
          ...items.map((item) => item.index),
          ...(row === newestFirst[0] ? contractIndices : []),
        ]),
        items,
      };
    };

    /** The rank among the group's values: counts from the rank index, nothing else. */
    const rankIn = (
      layout: YearLayout | undefined,
      key: string,
      metric: number,
      value: number,
    ): number | null => {
      const id = layout?.groupIndex.get(key);
      if (layout === undefined || id === undefined) return null;
      return percentileRank(groupRankCounts(layout, id, metric, value));
    };

    const history = newestFirst.map(yearOf);
    const selected = history[newestFirst.indexOf(selectedRow)]!;
    return {
      ok: true,
      result: {
        demo,
        minGroupSize: statistics.settings.minGroupSize,
        years,
        selected,
        history,
        contracts,
      },
    };
  };
}

/**
 * One figure (`metric`: its catalogue position): the first candidate group that publishes it,
 * its quantiles, and the entity's rank and index there.
 */
function benchmarkItem(
  id: MetricId,
  metric: number,
  direction: 'higher' | 'lower',
  value: number | null,
  { candidates, published, rankOf, onSynthetic }: YearContext,
): BenchmarkItem {
  for (const { group, key } of candidates) {
    const slot = published.find(key);
    if (slot < 0) continue;
    const n = published.stat(slot, metric, 0);
    if (Number.isNaN(n)) continue;
    if (published.includesSynthetic(slot)) onSynthetic();
    const rank = value === null ? null : rankOf(key, metric, value);
    const index = rank === null ? null : itemIndex(rank, direction);
    return releasedItem({ id, value, group, n, rank, index }, published, slot, metric);
  }
  return { id, value, group: null, n: null, rank: null, index: null };
}

const isReleased = (quantile: number) => !Number.isNaN(quantile);

/**
 * The item with the figure's quantiles in the group at `slot` that were released (withheld:
 * absent), its keys in the order of `benchmarkItemSchema`, as when the answer was re-parsed
 * with it. The two shapes disclosure control releases (all five; p25 to p75 below 20 values)
 * are written out, so that those items are plain objects of one shape each.
 */
function releasedItem(
  { id, value, group, n, rank, index }: Omit<BenchmarkItem, QuantileKey>,
  published: PublishedGroups,
  slot: number,
  metric: number,
): BenchmarkItem {
  // Read one by one, no closure: this runs for every figure of every year of every query.
  const p10 = published.stat(slot, metric, 1);
  const p25 = published.stat(slot, metric, 2);
  const p50 = published.stat(slot, metric, 3);
  const p75 = published.stat(slot, metric, 4);
  const p90 = published.stat(slot, metric, 5);
  const middle = isReleased(p25) && isReleased(p50) && isReleased(p75);
  if (middle && isReleased(p10) && isReleased(p90)) {
    return { id, value, group, n, p10, p25, p50, p75, p90, rank, index };
  }
  if (middle && !isReleased(p10) && !isReleased(p90)) {
    return { id, value, group, n, p25, p50, p75, rank, index };
  }
  const quantiles: Partial<Record<QuantileKey, number>> = {};
  QUANTILE_KEYS.forEach((key, i) => {
    const quantile = published.stat(slot, metric, 1 + i);
    if (isReleased(quantile)) quantiles[key] = quantile;
  });
  return { id, value, group, n, ...quantiles, rank, index };
}

export type BenchmarkQuery = ReturnType<typeof createBenchmarkQuery>;
