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

/** A metric's entry in `peer_group.stats`: n, then the quantiles in `PERCENTILES` order. */
const STAT_FIELDS = 1 + PERCENTILES.length;
const QUANTILE_KEYS: readonly QuantileKey[] = PERCENTILES.map(quantileKey);
/** Position of each figure in the catalogue, which is also its metric index in the layout. */
const METRIC_INDEX: ReadonlyMap<string, number> = new Map(
  METRICS.map((metric, index) => [metric.id, index]),
);

/**
 * A published group as the query reads it: n and the quantiles of the metric at catalogue
 * position m at `m × STAT_FIELDS`, NaN where the metric is not published or a quantile is
 * withheld. One typed array rather than a map of objects, so that keeping it between
 * requests gives the garbage collector nothing to trace.
 */
interface PublishedGroup {
  includesSynthetic: boolean;
  stats: Float64Array;
}

const statTuple = (value: unknown): value is [number, ...(number | null)[]] =>
  Array.isArray(value) &&
  value.length === STAT_FIELDS &&
  Number.isInteger(value[0]) &&
  value.every((x, i) => (i > 0 && x === null) || (typeof x === 'number' && Number.isFinite(x)));

/**
 * A stored `peer_group` row, checked by hand (a zod parse of 72 tuples per group would cost
 * more than the rest of the query). A figure no longer in the catalogue is checked and
 * skipped: nobody asks for it.
 */
function publishedGroupOf(row: unknown): PublishedGroup {
  if (!Array.isArray(row) || row.length !== 2 || typeof row[1] !== 'string') {
    throw new Error('bad peer_group row');
  }
  const parsed: unknown = JSON.parse(row[1]);
  if (parsed === null || typeof parsed !== 'object') throw new Error('bad peer_group stats');
  const stats = new Float64Array(METRICS.length * STAT_FIELDS).fill(Number.NaN);
  for (const [metric, stat] of Object.entries(parsed)) {
    if (!statTuple(stat)) throw new Error('bad peer_group stats');
    const index = METRIC_INDEX.get(metric);
    if (index === undefined) continue;
    stat.forEach((x, field) => {
      stats[index * STAT_FIELDS + field] = x ?? Number.NaN;
    });
  }
  return { includesSynthetic: row[0] === 1, stats };
}

/** Published groups kept between requests, read or found missing (≈ 3.5 kB each). */
export const PUBLISHED_GROUPS_KEPT = 8_192;

const isCount = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x);

/**
 * Published groups, parsed once and kept between requests (the oldest go first beyond
 * `kept`). Only a write changes `peer_group`: the engine's refresh or rebuild on this
 * connection, or another connection to the same file. So each request first compares the
 * connection's count of changed rows (`total_changes()`) and the file's `data_version` with
 * what they were at the last request, and drops every kept group if either moved. That is
 * any write at all (an upload too), more often than needed but never too late: nothing the
 * engine has withdrawn or replaced is answered from here.
 */
export function publishedGroupReader(sqlite: Database.Database, kept = PUBLISHED_GROUPS_KEPT) {
  const selectGroup = sqlite
    .prepare('SELECT includes_synthetic, stats FROM peer_group WHERE group_key = ?')
    .raw();
  const selectStamp = sqlite
    .prepare('SELECT total_changes(), data_version FROM pragma_data_version')
    .raw();
  const groups = new Map<string, PublishedGroup | null>();
  let stamp: readonly unknown[] = [];

  const read = (key: string): PublishedGroup | null => {
    const cached = groups.get(key);
    if (cached !== undefined) return cached;
    const row = selectGroup.get(key);
    const published = row === undefined ? null : publishedGroupOf(row);
    if (groups.size >= kept) groups.delete(groups.keys().next().value!);
    groups.set(key, published);
    return published;
  };

  /** The reader for one request: the kept groups, unless the database changed since. */
  return (): ((key: string) => PublishedGroup | null) => {
    const now: unknown = selectStamp.get();
    if (!Array.isArray(now) || now.length !== 2 || !now.every(isCount)) {
      throw new Error('bad database stamp');
    }
    if (now[0] !== stamp[0] || now[1] !== stamp[1]) {
      groups.clear();
      stamp = now;
    }
    return read;
  };
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
  const publishedGroups = publishedGroupReader(sqlite);

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

    const published = publishedGroups();
    let demo = false;
    const contracts = contractComparisons(entityId);
    const contractIndices = contracts.map((contract) => contract.index);
    const yearOf = (row: StoredYear): BenchmarkYear => {
      const fiscalYear = fiscalYearOf(row);
      const own = metricsOfYear(stored, row);
      const levels = searchLevels(options.level);
      const candidates = levels
        .flatMap((level) => candidateGroups(profile.cell, level, fiscalYear))
        .map((group) => ({ group, key: groupKey(group) }));
      const layout = statistics.layoutOf(fiscalYear);
      const items = METRICS.map((metric, index) => {
        const item = benchmarkItem(metric.id, index, metric.direction, own[metric.id] ?? null, {
          candidates,
          published,
          rankOf: (key, value) => rankIn(layout, key, index, value),
        });
        if (item.synthetic) demo = true;
        return item.item;
      });
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
  context: {
    candidates: readonly { group: PeerGroup; key: string }[];
    published: (key: string) => PublishedGroup | null;
    rankOf: (key: string, value: number) => number | null;
  },
): { item: BenchmarkItem; synthetic: boolean } {
  const at = metric * STAT_FIELDS;
  for (const { group, key } of context.candidates) {
    const published = context.published(key);
    const n = published?.stats[at] ?? Number.NaN;
    if (published == null || Number.isNaN(n)) continue;
    const rank = value === null ? null : context.rankOf(key, value);
    return {
      // Keys in the order of `benchmarkItemSchema`, as when the answer was re-parsed with it.
      item: {
        id,
        value,
        group,
        n,
        ...releasedQuantiles(published.stats, at),
        rank,
        index: rank === null ? null : itemIndex(rank, direction),
      },
      synthetic: published.includesSynthetic,
    };
  }
  return {
    item: { id, value, group: null, n: null, rank: null, index: null },
    synthetic: false,
  };
}

/** The quantiles of the metric at `at` that were released, p10 to p90 (withheld: absent). */
function releasedQuantiles(stats: Float64Array, at: number): Partial<Record<QuantileKey, number>> {
  const quantiles: Partial<Record<QuantileKey, number>> = {};
  QUANTILE_KEYS.forEach((key, i) => {
    const value = stats[at + 1 + i]!;
    if (!Number.isNaN(value)) quantiles[key] = value;
  });
  return quantiles;
}

export type BenchmarkQuery = ReturnType<typeof createBenchmarkQuery>;
