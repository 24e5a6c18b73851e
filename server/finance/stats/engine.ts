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
  withChanges,
  type CellChange,
  type ChangedLayout,
  type MemberFigures,
  type YearLayout,
} from './layout';
import { createPublishedStore, type PublishedGroups } from './published';
import { carrySortedCopies } from './ranks';
import { newReleaseTally, releaseGroups, type ReleasedGroup, type ReleaseTally } from './release';
import { statsSpace } from './stored-stats';
import { DEFAULT_WINDOW_FROM } from './windows';
import type { LayoutBuilder } from './layout';

/**
 * The peer-statistics engine of the finance store (DESIGN §7, P8). It keeps three things in
 * step:
 *
 * 1. `entity_metric`: each entity-year's figures, rewritten in the same transaction as the
 *    upload, profile change or erasure that changes them ({@link PeerStatistics.trackEntity});
 * 2. the in-memory {@link YearLayout} per fiscal year (for percentile ranks);
 * 3. `peer_group`: the published, disclosure-controlled statistics, and the same in memory
 *    for the benchmark query (published.ts), replaced only once the database has committed.
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
  /**
   * Published (group, metric) pairs with at least this many values keep quantile windows
   * (windows.ts) so that a refresh reads their quantiles instead of selecting them again.
   */
  windowFrom: number;
}

export const DEFAULT_STATS_REFRESH_MS = 2_000;
export const DEFAULT_DEMO_EXCLUDE_AT = 200;

export const DEFAULT_STATISTICS_SETTINGS: StatisticsSettings = {
  minGroupSize: DEFAULT_MIN_GROUP_SIZE,
  refreshMs: DEFAULT_STATS_REFRESH_MS,
  demo: { enabled: true, excludeAt: DEFAULT_DEMO_EXCLUDE_AT },
  windowFrom: DEFAULT_WINDOW_FROM,
};

/** What the engine reports to the server log: counts and timings, never ids or figures. */
export interface StatisticsLog {
  info: (fields: Record<string, unknown>, message: string) => void;
  error: (fields: Record<string, unknown>, message: string) => void;
}

/** Where a refresh or rebuild spent its time: the rank index, quantiles, the database. */
export interface PhaseMs {
  layout: number;
  release: number;
  write: number;
}

const roundedPhases = (phases: PhaseMs): PhaseMs => ({
  layout: Math.round(phases.layout),
  release: Math.round(phases.release),
  write: Math.round(phases.write),
});

export interface RebuildReport {
  /** Entities whose figures were (re)computed from their group sums first. */
  computedEntities: number;
  entityYears: number;
  publishedGroups: number;
  demoIncluded: boolean;
  ms: number;
  phaseMs: PhaseMs;
}

export interface RefreshReport {
  cells: number;
  groups: number;
  publishedGroups: number;
  ms: number;
  phaseMs: PhaseMs;
  quantiles: ReleaseTally;
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
  /** The published statistics, as `peer_group` holds them (built on first use). */
  published: () => PublishedGroups;
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
  if (!Number.isInteger(settings.windowFrom) || settings.windowFrom < 1) {
    throw new Error('windowFrom must be a whole number ≥ 1');
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
 * The groups whose published statistics may differ after a change: every group of a replaced
 * cell, and every group where some search now stops or no longer stops.
 */
function changedGroups(
  { layout, rechosen }: ChangedLayout,
  replaced: readonly CellChange[],
): Set<number> {
  const ids = new Set(rechosen);
  for (const { cell } of replaced) {
    const index = layout.cellIndex.get(cellKey(cell))!;
    for (let slot = 0; slot < SLOTS_PER_CELL; slot += 1) {
      const id = layout.cellGroups[index * SLOTS_PER_CELL + slot]!;
      if (id >= 0) ids.add(id);
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
  const deleteAllGroups = sqlite.prepare('DELETE FROM peer_group');
  const deleteGroup = sqlite.prepare('DELETE FROM peer_group WHERE group_key = ?');
  // An upsert rewrites a republished group in place instead of freeing and refilling pages.
  const insertGroup = sqlite.prepare(
    `INSERT INTO peer_group
       (group_key, fiscal_year, level, sni, employee_band, county, n, mean_net_sales,
        includes_synthetic, stats)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (group_key) DO UPDATE SET
       n = excluded.n, mean_net_sales = excluded.mean_net_sales,
       includes_synthetic = excluded.includes_synthetic, stats = excluded.stats`,
  );

  /** What `peer_group` holds, in memory for the benchmark query (published.ts). */
  const published = createPublishedStore();
  /** Room for the releases, reused from one to the next (stored-stats.ts). */
  const space = statsSpace();
  let layouts = new Map<number, YearLayout>();
  let built = false;
  let demoIncluded = false;
  let realContributors = 0;
  let rebuildDue = false;
  /**
   * Changes not yet in the layouts, per fiscal year and entity: what the layout holds for it
   * (`old`, as at the first change since the last refresh) and what it should hold now.
   */
  let pending = new Map<
    number,
    Map<string, { old: MetricRow | null; current: MetricRow | null }>
  >();
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
        group.stats,
      );
    }
  };

  const rebuild = (options: { syncMetrics?: boolean } = {}): RebuildReport => {
    const started = performance.now();
    const computedEntities = options.syncMetrics ? syncEntityMetrics(sqlite).entities : 0;
    realContributors = Number(countRealContributors.get());
    demoIncluded = shouldIncludeDemo();
    let step = performance.now();
    const next = loadLayouts(demoIncluded ? 1 : 0);
    const phaseMs = { layout: performance.now() - step, release: 0, write: 0 };
    step = performance.now();
    let publishedGroups = 0;
    // What is released is read from the room of `space` until it has been published.
    try {
      const released = [...next.values()].flatMap((layout) =>
        releaseGroups(layout, layout.groups.keys(), 'auto', newReleaseTally(), space),
      );
      publishedGroups = released.length;
      phaseMs.release = performance.now() - step;
      step = performance.now();
      const publish = published.stage('all', released);
      sqlite.transaction(() => {
        deleteAllGroups.run();
        writeReleased(released);
      })();
      publish();
    } finally {
      space.reuse();
    }
    phaseMs.write = performance.now() - step;
    layouts = next;
    built = true;
    rebuildDue = false;
    pending = new Map();
    const report: RebuildReport = {
      computedEntities,
      entityYears: [...next.values()].reduce((sum, l) => sum + l.offsets[l.cells.length]!, 0),
      publishedGroups,
      demoIncluded,
      ms: Math.round(performance.now() - started),
      phaseMs: roundedPhases(phaseMs),
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
        builder = layoutBuilder(
          year,
          METRIC_COUNT,
          capacity.get(year) ?? 0,
          settings.minGroupSize,
          settings.windowFrom,
        );
        builders.set(year, builder);
      }
      builder.add(cellOf(sni3, band, county), synthetic === 1, netSales, blob);
    }
    return new Map([...builders].map(([year, builder]) => [year, builder.finish()]));
  };

  const refresh = (): RefreshReport | RebuildReport => {
    if (!built || rebuildDue) return rebuild({ syncMetrics: !built });
    try {
      return refreshLayouts();
    } catch (error) {
      // withChanges changes the layouts in place: after a failure part-way none is trusted
      // (no percentile ranks) until the rebuild the next change brings.
      layouts = new Map();
      rebuildDue = true;
      throw error;
    } finally {
      // What was released has been published, or the refresh failed: its room is free.
      space.reuse();
    }
  };

  const refreshLayouts = (): RefreshReport => {
    const started = performance.now();
    const work = pending;
    pending = new Map();
    const counts = (row: MetricRow | null) => row !== null && (demoIncluded || !row.synthetic);
    const next = new Map(layouts);
    const released: ReleasedGroup[] = [];
    const dirtyGroups: string[] = [];
    const phaseMs = { layout: 0, release: 0, write: 0 };
    const tally = newReleaseTally();
    let cellCount = 0;
    for (const [year, entities] of work) {
      const changes = new Map<
        string,
        { cell: Cell; removed: MemberFigures[]; added: MemberFigures[] }
      >();
      const change = (row: MetricRow) => {
        const key = cellKey(row.cell);
        const entry = changes.get(key) ?? { cell: row.cell, removed: [], added: [] };
        changes.set(key, entry);
        return entry;
      };
      for (const { old, current } of entities.values()) {
        if (counts(old)) change(old!).removed.push(figuresOf(old!));
        if (counts(current)) change(current!).added.push(figuresOf(current!));
      }
      if (changes.size === 0) continue;
      cellCount += changes.size;
      const before =
        layouts.get(year) ??
        emptyLayout(year, METRIC_COUNT, settings.minGroupSize, settings.windowFrom);
      let step = performance.now();
      const changed = withChanges(before, [...changes.values()]);
      const layout = changed.layout;
      next.set(year, layout);
      carrySortedCopies(
        before,
        layout,
        [...changes.values()].map(({ cell }) => layout.cellIndex.get(cellKey(cell))!),
      );
      const ids = changedGroups(changed, [...changes.values()]);
      for (const id of ids) dirtyGroups.push(layout.groups[id]!.key);
      phaseMs.layout += performance.now() - step;
      step = performance.now();
      released.push(...releaseGroups(layout, ids, 'auto', tally, space));
      phaseMs.release += performance.now() - step;
    }
    const step = performance.now();
    const republished = new Set(released.map((group) => group.key));
    const withdrawn = dirtyGroups.filter((key) => !republished.has(key));
    const publish = published.stage(withdrawn, released);
    sqlite.transaction(() => {
      for (const key of withdrawn) deleteGroup.run(key);
      writeReleased(released);
    })();
    publish();
    phaseMs.write = performance.now() - step;
    layouts = next;
    return {
      cells: cellCount,
      groups: dirtyGroups.length,
      publishedGroups: released.length,
      ms: Math.round(performance.now() - started),
      phaseMs: roundedPhases(phaseMs),
      quantiles: tally,
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

  /** Notes what changed for one entity; the first change since a refresh keeps `old`. */
  const markChanged = (entityId: string, before: MetricRow[], after: MetricRow[]) => {
    const years = new Set([...before, ...after].map((row) => row.fiscalYear));
    for (const year of years) {
      let entities = pending.get(year);
      if (entities === undefined) {
        entities = new Map();
        pending.set(year, entities);
      }
      const current = after.find((row) => row.fiscalYear === year) ?? null;
      const entry = entities.get(entityId);
      if (entry === undefined) {
        const old = before.find((row) => row.fiscalYear === year) ?? null;
        entities.set(entityId, { old, current });
      } else {
        entry.current = current;
      }
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
    if (before.length > 0 || after.length > 0 || rebuildDue) {
      markChanged(entityId, before, after);
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
    published: () => {
      if (!built) rebuild({ syncMetrics: true });
      return published;
    },
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

const figuresOf = (row: MetricRow): MemberFigures => ({
  values: row.values,
  netSales: row.netSales,
  synthetic: row.synthetic,
});
