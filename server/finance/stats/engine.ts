import type Database from 'better-sqlite3';
import { z } from 'zod';
import { DEFAULT_MIN_GROUP_SIZE, MIN_GROUP_SIZE_FLOOR } from '../../../domain/disclosure';
import { EMPLOYEE_BANDS } from '../../../domain/profile';
import {
  entityMetricStatements,
  METRIC_COUNT,
  syncEntityMetrics,
  type MetricRow,
} from './entity-metrics';
import { cellKey, SLOTS_PER_CELL, type Cell } from './groups';
import {
  emptyLayout,
  layoutBuilder,
  readVector,
  withCells,
  type CellMembers,
  type MemberFigures,
  type YearLayout,
} from './layout';
import { releaseGroups, type ReleasedGroup } from './release';
import type { LayoutBuilder } from './layout';

/**
 * The peer-statistics engine of the finance store (DESIGN §7, P8). It keeps three things in
 * step:
 *
 * 1. `entity_metric`: each entity-year's figures, rewritten in the same transaction as the
 *    upload, profile change or erasure that changes them ({@link PeerStatistics.trackEntity});
 * 2. the in-memory {@link YearLayout} per fiscal year (for percentile ranks);
 * 3. `peer_group` / `peer_stat`: the published, disclosure-controlled statistics.
 *
 * Changes mark their (fiscal year, cell) dirty; a refresh, at most `refreshMs` after the first
 * change (0: synchronously, in the same request), rebuilds only the dirty cells and recomputes
 * only the groups containing them, all in one transaction. A full rebuild runs at start
 * (after the demo population is loaded) and whenever the demo population enters or leaves the
 * statistics. Requests never compute a quantile.
 */
export interface StatisticsSettings {
  /** Minimum distinct entities for a group (and a metric in it) to be published; ≥ 5. */
  minGroupSize: number;
  /** How long changes gather before a refresh; 0 refreshes synchronously. */
  refreshMs: number;
  /**
   * The synthetic demo population counts while `enabled` and fewer than `excludeAt` real
   * entities have at least one stored year.
   */
  demo: { enabled: boolean; excludeAt: number };
}

export const DEFAULT_STATS_REFRESH_MS = 2_000;
export const DEFAULT_DEMO_EXCLUDE_AT = 200;

export const DEFAULT_STATISTICS_SETTINGS: StatisticsSettings = {
  minGroupSize: DEFAULT_MIN_GROUP_SIZE,
  refreshMs: DEFAULT_STATS_REFRESH_MS,
  demo: { enabled: true, excludeAt: DEFAULT_DEMO_EXCLUDE_AT },
};

/** What the engine reports to the server log: counts and timings, never ids or figures. */
export interface StatisticsLog {
  info: (fields: Record<string, unknown>, message: string) => void;
  error: (fields: Record<string, unknown>, message: string) => void;
}

export interface RebuildReport {
  /** Entities whose figures were (re)computed from their group sums first. */
  computedEntities: number;
  entityYears: number;
  publishedGroups: number;
  demoIncluded: boolean;
  ms: number;
}

export interface RefreshReport {
  cells: number;
  groups: number;
  publishedGroups: number;
  ms: number;
}

export interface PeerStatistics {
  readonly settings: StatisticsSettings;
  /**
   * Runs `mutate` (which changes one entity's years, profile or existence) in a transaction
   * together with rewriting the entity's figures, then schedules the refresh of the groups it
   * touched. If `mutate` throws, nothing changes.
   */
  trackEntity: <T>(entityId: string, mutate: () => T) => T;
  /** Everything from scratch; `syncMetrics` first brings the stored figures up to date. */
  rebuild: (options?: { syncMetrics?: boolean }) => RebuildReport;
  /** Applies the pending changes now (a rebuild when one is due). */
  refresh: () => RefreshReport | RebuildReport;
  /** The rank index of a fiscal year (built on first use). */
  layoutOf: (fiscalYear: number) => YearLayout | undefined;
  /** Whether the statistics currently include the synthetic demo population. */
  includesDemo: () => boolean;
  /** Stops the refresh timer (pending changes are dropped; the next start rebuilds). */
  close: () => void;
}

/** Reads a settings object, refusing a minimum group size below the floor of DESIGN §7. */
export function statisticsSettings(partial: Partial<StatisticsSettings> = {}): StatisticsSettings {
  const settings = { ...DEFAULT_STATISTICS_SETTINGS, ...partial };
  if (!Number.isInteger(settings.minGroupSize) || settings.minGroupSize < MIN_GROUP_SIZE_FLOOR) {
    throw new Error(`minimum group size must be a whole number ≥ ${MIN_GROUP_SIZE_FLOOR}`);
  }
  return settings;
}

const employeeBandSchema = z.enum(EMPLOYEE_BANDS).nullable();

/** A cell from stored columns (checked: they feed group keys). */
function cellOf(sni3: unknown, band: unknown, county: unknown): Cell {
  if (
    (sni3 !== null && typeof sni3 !== 'string') ||
    (county !== null && typeof county !== 'string')
  ) {
    throw new Error('bad metric row');
  }
  return { sni3, employeeBand: employeeBandSchema.parse(band), county };
}

/**
 * The groups whose published statistics may differ between two layouts: every group of a
 * replaced cell, and every group where some search now stops or no longer stops.
 */
function changedGroups(
  before: YearLayout,
  after: YearLayout,
  replaced: readonly CellMembers[],
): Set<number> {
  const ids = new Set<number>();
  for (const { cell } of replaced) {
    const index = after.cellIndex.get(cellKey(cell))!;
    for (let slot = 0; slot < SLOTS_PER_CELL; slot += 1) {
      const id = after.cellGroups[index * SLOTS_PER_CELL + slot]!;
      if (id >= 0) ids.add(id);
    }
  }
  const metrics = after.metricCount;
  for (let id = 0; id < after.groups.length; id += 1) {
    if (ids.has(id)) continue;
    for (let metric = 0; metric < metrics; metric += 1) {
      const was = id < before.groups.length ? before.chosen[id * metrics + metric]! : 0;
      if (was !== after.chosen[id * metrics + metric]!) {
        ids.add(id);
        break;
      }
    }
  }
  return ids;
}

export function createPeerStatistics(
  sqlite: Database.Database,
  partialSettings: Partial<StatisticsSettings> = {},
  log?: StatisticsLog,
): PeerStatistics {
  const settings = statisticsSettings(partialSettings);
  const statements = entityMetricStatements(sqlite);
  const countRealContributors = sqlite
    .prepare('SELECT count(DISTINCT entity_id) FROM entity_metric WHERE synthetic = 0')
    .pluck();
  const countRowsPerYear = sqlite.prepare(
    `SELECT fiscal_year, count(*) FROM entity_metric WHERE synthetic = 0 OR ?
       GROUP BY fiscal_year`,
  );
  const selectAllRows = sqlite.prepare(
    `SELECT fiscal_year, sni3, employee_band, county, synthetic, net_sales, metric_values
       FROM entity_metric WHERE synthetic = 0 OR ?
       ORDER BY fiscal_year, sni3, employee_band, county`,
  );
  const selectCellRows = sqlite.prepare(
    `SELECT synthetic, net_sales, metric_values FROM entity_metric
       WHERE fiscal_year = ? AND sni3 IS ? AND employee_band IS ? AND county IS ?
         AND (synthetic = 0 OR ?)`,
  );
  const deleteAllGroups = sqlite.prepare('DELETE FROM peer_group');
  const deleteGroup = sqlite.prepare('DELETE FROM peer_group WHERE group_key = ?');
  const insertGroup = sqlite.prepare(
    `INSERT INTO peer_group
       (group_key, fiscal_year, level, sni, employee_band, county, n, mean_net_sales,
        includes_synthetic, stats)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );

  let layouts = new Map<number, YearLayout>();
  let built = false;
  let demoIncluded = false;
  let realContributors = 0;
  let rebuildDue = false;
  let pending = new Map<number, Map<string, Cell>>();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const shouldIncludeDemo = () =>
    settings.demo.enabled && realContributors < settings.demo.excludeAt;

  const writeReleased = (released: readonly ReleasedGroup[]) => {
    for (const group of released) {
      insertGroup.run(
        group.key,
        group.group.year,
        group.group.level,
        group.group.sni,
        group.group.employeeBand,
        group.group.county,
        group.n,
        group.meanNetSales,
        group.includesSynthetic ? 1 : 0,
        JSON.stringify(statsColumn(group)),
      );
    }
  };

  const rebuild = (options: { syncMetrics?: boolean } = {}): RebuildReport => {
    const started = performance.now();
    const computedEntities = options.syncMetrics ? syncEntityMetrics(sqlite).entities : 0;
    realContributors = Number(countRealContributors.get());
    demoIncluded = shouldIncludeDemo();
    const next = loadLayouts(demoIncluded ? 1 : 0);
    const released = [...next.values()].flatMap((layout) =>
      releaseGroups(layout, layout.groups.keys()),
    );
    sqlite.transaction(() => {
      deleteAllGroups.run();
      writeReleased(released);
    })();
    layouts = next;
    built = true;
    rebuildDue = false;
    pending = new Map();
    const report: RebuildReport = {
      computedEntities,
      entityYears: [...next.values()].reduce((sum, l) => sum + l.offsets[l.cells.length]!, 0),
      publishedGroups: released.length,
      demoIncluded,
      ms: Math.round(performance.now() - started),
    };
    log?.info({ ...report }, 'peer statistics rebuilt');
    return report;
  };

  /** Every included entity-year, streamed in cell order straight into the layouts. */
  const loadLayouts = (includeSynthetic: number): Map<number, YearLayout> => {
    const capacity = new Map<number, number>();
    for (const [year, count] of countRowsPerYear.raw().all(includeSynthetic) as unknown[][]) {
      capacity.set(Number(year), Number(count));
    }
    const builders = new Map<number, LayoutBuilder>();
    for (const raw of selectAllRows.raw().iterate(includeSynthetic) as Iterable<unknown[]>) {
      const [year, sni3, band, county, synthetic, netSales, blob] = raw;
      if (typeof year !== 'number' || typeof netSales !== 'number' || !Buffer.isBuffer(blob)) {
        throw new Error('bad metric row');
      }
      let builder = builders.get(year);
      if (builder === undefined) {
        builder = layoutBuilder(year, METRIC_COUNT, capacity.get(year) ?? 0, settings.minGroupSize);
        builders.set(year, builder);
      }
      builder.add(cellOf(sni3, band, county), synthetic === 1, netSales, blob);
    }
    return new Map([...builders].map(([year, builder]) => [year, builder.finish()]));
  };

  const refresh = (): RefreshReport | RebuildReport => {
    if (!built || rebuildDue) return rebuild({ syncMetrics: !built });
    const started = performance.now();
    const work = pending;
    pending = new Map();
    const include = demoIncluded ? 1 : 0;
    const next = new Map(layouts);
    const released: ReleasedGroup[] = [];
    const dirtyGroups: string[] = [];
    let cellCount = 0;
    for (const [year, cells] of work) {
      const replaced: CellMembers[] = [...cells.values()].map((cell) => ({
        cell,
        members: (
          selectCellRows
            .raw()
            .all(year, cell.sni3, cell.employeeBand, cell.county, include) as unknown[][]
        ).map(memberOf),
      }));
      cellCount += replaced.length;
      const before = layouts.get(year) ?? emptyLayout(year, METRIC_COUNT, settings.minGroupSize);
      const layout = withCells(before, replaced);
      next.set(year, layout);
      const ids = changedGroups(before, layout, replaced);
      for (const id of ids) dirtyGroups.push(layout.groups[id]!.key);
      released.push(...releaseGroups(layout, ids));
    }
    sqlite.transaction(() => {
      for (const key of dirtyGroups) deleteGroup.run(key);
      writeReleased(released);
    })();
    layouts = next;
    return {
      cells: cellCount,
      groups: dirtyGroups.length,
      publishedGroups: released.length,
      ms: Math.round(performance.now() - started),
    };
  };

  const runScheduled = () => {
    timer = undefined;
    if (closed || !sqlite.open) return;
    try {
      refresh();
    } catch (error) {
      // Retried as a full rebuild with the next change; the old statistics stay published.
      rebuildDue = true;
      log?.error(
        { errors: [error instanceof Error ? error.constructor.name : 'unknown'] },
        'peer statistics refresh failed',
      );
    }
  };

  const schedule = () => {
    if (closed) return;
    if (settings.refreshMs === 0) {
      refresh();
      return;
    }
    if (timer === undefined) {
      timer = setTimeout(runScheduled, settings.refreshMs);
      timer.unref();
    }
  };

  const markDirty = (rows: readonly MetricRow[]) => {
    for (const row of rows) {
      let cells = pending.get(row.fiscalYear);
      if (cells === undefined) {
        cells = new Map();
        pending.set(row.fiscalYear, cells);
      }
      cells.set(cellKey(row.cell), row.cell);
    }
  };

  const trackEntity = <T>(entityId: string, mutate: () => T): T => {
    const { result, before, after } = sqlite.transaction(() => {
      const previous = statements.rowsOf(entityId);
      const outcome = mutate();
      return { result: outcome, before: previous, after: statements.recompute(entityId) };
    })();
    const wasReal = before.some((row) => !row.synthetic);
    const isReal = after.some((row) => !row.synthetic);
    realContributors += Number(isReal) - Number(wasReal);
    if (built && shouldIncludeDemo() !== demoIncluded) rebuildDue = true;
    const changed = [...before, ...after].filter((row) => demoIncluded || !row.synthetic);
    if (changed.length > 0 || rebuildDue) {
      markDirty(changed);
      schedule();
    }
    return result;
  };

  const layoutOf = (fiscalYear: number) => {
    if (!built) rebuild({ syncMetrics: true });
    return layouts.get(fiscalYear);
  };

  return {
    settings,
    trackEntity,
    rebuild,
    refresh,
    layoutOf,
    includesDemo: () => {
      if (!built) rebuild({ syncMetrics: true });
      return demoIncluded;
    },
    close: () => {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}

/** The `stats` column: per metric `[n, p10, p25, p50, p75, p90]`, null where withheld. */
function statsColumn(group: ReleasedGroup): Record<string, (number | null)[]> {
  return Object.fromEntries(
    group.metrics.map((stat) => [
      stat.metric,
      [
        stat.n,
        stat.p10 ?? null,
        stat.p25 ?? null,
        stat.p50 ?? null,
        stat.p75 ?? null,
        stat.p90 ?? null,
      ],
    ]),
  );
}

function memberOf(raw: unknown[]): MemberFigures {
  const [synthetic, netSales, blob] = raw;
  if (typeof netSales !== 'number' || !Buffer.isBuffer(blob)) throw new Error('bad metric row');
  const values = new Float64Array(METRIC_COUNT);
  readVector(blob, values, 0, METRIC_COUNT);
  return { values, netSales, synthetic: synthetic === 1 };
}
