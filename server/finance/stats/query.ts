import type Database from 'better-sqlite3';
import type {
  BenchmarkItem,
  BenchmarkLevel,
  BenchmarkResult,
  BenchmarkYear,
} from '../../../domain/benchmark';
import type { ContractComparison } from '../../../domain/contracts';
import { itemIndex, overallIndex, percentileRank } from '../../../domain/disclosure';
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

interface PublishedStat {
  n: number;
  p10: number | null;
  p25: number | null;
  p50: number | null;
  p75: number | null;
  p90: number | null;
}

interface PublishedGroup {
  includesSynthetic: boolean;
  stats: Map<string, PublishedStat>;
}

const statTuple = (value: unknown): value is [number, ...(number | null)[]] =>
  Array.isArray(value) &&
  value.length === 6 &&
  Number.isInteger(value[0]) &&
  value.every((x, i) => (i > 0 && x === null) || (typeof x === 'number' && Number.isFinite(x)));

/**
 * A stored `peer_group` row, checked by hand (a zod parse of 72 tuples per group would cost
 * more than the rest of the query; the answer as a whole is validated against
 * `benchmarkResultSchema`).
 */
function publishedGroupOf(row: unknown): PublishedGroup {
  if (!Array.isArray(row) || row.length !== 2 || typeof row[1] !== 'string') {
    throw new Error('bad peer_group row');
  }
  const parsed: unknown = JSON.parse(row[1]);
  if (parsed === null || typeof parsed !== 'object') throw new Error('bad peer_group stats');
  const stats = new Map<string, PublishedStat>();
  for (const [metric, stat] of Object.entries(parsed)) {
    if (!statTuple(stat)) throw new Error('bad peer_group stats');
    const [n, p10 = null, p25 = null, p50 = null, p75 = null, p90 = null] = stat;
    stats.set(metric, { n, p10, p25, p50, p75, p90 });
  }
  return { includesSynthetic: row[0] === 1, stats };
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
  const selectGroup = sqlite.prepare(
    'SELECT includes_synthetic, stats FROM peer_group WHERE group_key = ?',
  );

  /** Published statistics of a group (null: not published), read once per request. */
  const publishedReader = () => {
    const cache = new Map<string, PublishedGroup | null>();
    return (key: string): PublishedGroup | null => {
      const cached = cache.get(key);
      if (cached !== undefined) return cached;
      const row = selectGroup.raw().get(key);
      const published = row === undefined ? null : publishedGroupOf(row);
      cache.set(key, published);
      return published;
    };
  };

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

    const published = publishedReader();
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
        const item = benchmarkItem(metric.id, metric.direction, own[metric.id] ?? null, {
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
 * One figure: the first candidate group that publishes it, its quantiles, and the entity's
 * rank and index there.
 */
function benchmarkItem(
  id: MetricId,
  direction: 'higher' | 'lower',
  value: number | null,
  context: {
    candidates: readonly { group: PeerGroup; key: string }[];
    published: (key: string) => PublishedGroup | null;
    rankOf: (key: string, value: number) => number | null;
  },
): { item: BenchmarkItem; synthetic: boolean } {
  for (const { group, key } of context.candidates) {
    const published = context.published(key);
    const stat = published?.stats.get(id);
    if (published == null || stat === undefined) continue;
    const rank = value === null ? null : context.rankOf(key, value);
    return {
      item: {
        id,
        value,
        group,
        n: stat.n,
        ...quantiles(stat),
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

const quantiles = (stat: PublishedStat) => ({
  ...(stat.p10 !== null ? { p10: stat.p10 } : {}),
  ...(stat.p25 !== null ? { p25: stat.p25 } : {}),
  ...(stat.p50 !== null ? { p50: stat.p50 } : {}),
  ...(stat.p75 !== null ? { p75: stat.p75 } : {}),
  ...(stat.p90 !== null ? { p90: stat.p90 } : {}),
});

export type BenchmarkQuery = ReturnType<typeof createBenchmarkQuery>;
