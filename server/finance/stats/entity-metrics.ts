import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { EMPLOYEE_BANDS } from '../../../domain/profile';
import {
  computeMetrics,
  fiscalYearOf,
  METRIC_IDS,
  previousYearOf,
  yearFigures,
  type MetricId,
  type YearInput,
} from '../../../domain/ratios';
import type { BalanceGroups, ResultGroups } from '../../../domain/sie-summary';
import type { Cell } from './groups';

/**
 * Step 1 of the peer statistics: each entity-year's catalogue figures, stored in
 * `entity_metric` so that a refresh reads a few hundred bytes per entity-year instead of
 * re-deriving every figure from the group sums.
 */

export const METRIC_COUNT = METRIC_IDS.length;

/** One stored year of an entity as `computeMetrics` takes it. */
export type StoredYear = YearInput;

/** What an entity contributes to the statistics of one fiscal year. */
export interface EntityYearMetrics {
  fiscalYear: number;
  /** The fiscal year that counts (the later one when two end in the same calendar year). */
  year: StoredYear;
  netSales: number;
  /** One value per METRIC_IDS entry; NaN where the figure cannot be computed. */
  values: Float64Array;
}

/** The catalogue figures of `year` as a dense vector in METRIC_IDS order (NaN = absent). */
export function metricVector(metrics: Partial<Record<MetricId, number>>): Float64Array {
  const vector = new Float64Array(METRIC_COUNT);
  METRIC_IDS.forEach((id, i) => {
    vector[i] = metrics[id] ?? Number.NaN;
  });
  return vector;
}

/** The figures of one year, with the entity's directly preceding year for growth. */
export const metricsOfYear = (years: readonly StoredYear[], year: StoredYear) =>
  computeMetrics(year, previousYearOf(years, year));

/**
 * The entity-years an entity contributes: one per fiscal year (calendar year of the fiscal
 * end). Of two fiscal years ending in the same calendar year (a changed fiscal year) only the
 * later one counts, so that each entity counts once per group and year.
 */
export function contributions(years: readonly StoredYear[]): EntityYearMetrics[] {
  const latest = new Map<number, StoredYear>();
  for (const year of years) {
    const fiscalYear = fiscalYearOf(year);
    const kept = latest.get(fiscalYear);
    if (kept === undefined || isLater(year, kept)) latest.set(fiscalYear, year);
  }
  return [...latest.entries()]
    .sort(([a], [b]) => a - b)
    .map(([fiscalYear, year]) => ({
      fiscalYear,
      year,
      netSales: yearFigures(year).netSales,
      values: metricVector(metricsOfYear(years, year)),
    }));
}

const isLater = (a: StoredYear, b: StoredYear) =>
  a.end !== b.end ? a.end > b.end : a.start > b.start;

/** Float64 little-endian bytes of the vector (the `metric_values` column). */
export const encodeVector = (values: Float64Array): Buffer =>
  Buffer.from(values.buffer, values.byteOffset, values.byteLength);

/** The stored vector back; a blob of another length (older catalogue) gives null. */
export function decodeVector(blob: Buffer): Float64Array | null {
  if (blob.byteLength !== METRIC_COUNT * 8) return null;
  const values = new Float64Array(METRIC_COUNT);
  for (let i = 0; i < METRIC_COUNT; i += 1) values[i] = blob.readDoubleLE(i * 8);
  return values;
}

/**
 * A fingerprint of the catalogue's ids AND formulas: the figures computed for a fixed probe
 * company. Stored next to `entity_metric`; when it differs at start (a new release changed a
 * formula or added a metric), every entity-year is recomputed.
 */
export function catalogueFingerprint(): string {
  const group = (i: number) => String(i).padStart(2, '0');
  const balance: BalanceGroups = {};
  const result: ResultGroups = {};
  for (let i = 10; i <= 29; i += 1) {
    const ub = (i < 20 ? 1 : -1) * (1_000_000 + i * 37_123);
    balance[group(i)] = { ib: Math.round(ub * 0.9), ub };
  }
  for (let i = 30; i <= 89; i += 1) result[group(i)] = (i < 38 ? -1 : 1) * (2_000_000 + i * 7_919);
  const previous: StoredYear = {
    start: '2023-01-01',
    end: '2023-12-31',
    balance,
    result: { ...result, '30': -40_000_000 },
    employees: 7,
  };
  const current: StoredYear = {
    start: '2024-01-01',
    end: '2024-12-31',
    balance,
    result,
    employees: 9,
  };
  const probe = computeMetrics(current, previous);
  return createHash('sha256')
    .update(JSON.stringify({ ids: METRIC_IDS, probe: METRIC_IDS.map((id) => probe[id] ?? null) }))
    .digest('hex');
}

const storedYearRow = z.object({
  fiscal_start: z.string(),
  fiscal_end: z.string(),
  employees: z.number().int().nullable(),
  balance: z.string(),
  result: z.string(),
});

const profileRow = z.object({
  sni3: z.string().nullable(),
  employee_band: z.enum(EMPLOYEE_BANDS).nullable(),
  county: z.string().nullable(),
  synthetic: z.number().int(),
});

const yearWithProfileRow = storedYearRow.extend({ entity_id: z.string() }).extend(profileRow.shape);

export interface EntityProfileRow {
  cell: Cell;
  synthetic: boolean;
}

export const toStoredYear = (row: z.infer<typeof storedYearRow>): StoredYear => ({
  start: row.fiscal_start,
  end: row.fiscal_end,
  employees: row.employees,
  balance: JSON.parse(row.balance) as BalanceGroups,
  result: JSON.parse(row.result) as ResultGroups,
});

/** One stored `entity_metric` row: where it counts and what it holds. */
export interface MetricRow {
  entityId: string;
  fiscalYear: number;
  cell: Cell;
  synthetic: boolean;
  netSales: number;
  /** METRIC_IDS order, NaN = absent. */
  values: Float64Array;
}

/**
 * Prepared statements on `entity_metric` (and the rows it is derived from). All run on the
 * store's one connection, so inside a transaction they see and join its writes.
 */
export function entityMetricStatements(sqlite: Database.Database) {
  const selectProfile = sqlite.prepare(
    'SELECT sni3, employee_band, county, synthetic FROM entity WHERE id = ?',
  );
  const selectYears = sqlite.prepare(
    `SELECT fiscal_start, fiscal_end, employees, balance, result
       FROM year_summary WHERE entity_id = ? ORDER BY fiscal_start`,
  );
  const selectRows = sqlite.prepare(
    `SELECT fiscal_year, sni3, employee_band, county, synthetic, net_sales, metric_values
       FROM entity_metric WHERE entity_id = ?`,
  );
  const deleteRows = sqlite.prepare('DELETE FROM entity_metric WHERE entity_id = ?');
  const insertRow = sqlite.prepare(
    `INSERT INTO entity_metric
       (entity_id, fiscal_year, sni3, employee_band, county, synthetic, net_sales, metric_values)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );

  const profileOf = (entityId: string): EntityProfileRow | undefined => {
    const raw = selectProfile.get(entityId);
    if (raw === undefined) return undefined;
    const row = profileRow.parse(raw);
    return {
      cell: { sni3: row.sni3, employeeBand: row.employee_band, county: row.county },
      synthetic: row.synthetic === 1,
    };
  };

  const yearsOf = (entityId: string): StoredYear[] =>
    selectYears.all(entityId).map((raw) => toStoredYear(storedYearRow.parse(raw)));

  /** The (fiscal year, cell) pairs the entity's stored rows count in right now. */
  const rowsOf = (entityId: string): MetricRow[] =>
    selectRows.all(entityId).map((raw) => {
      const row = metricRowShape.parse(raw);
      return {
        entityId,
        fiscalYear: row.fiscal_year,
        cell: { sni3: row.sni3, employeeBand: row.employee_band, county: row.county },
        synthetic: row.synthetic === 1,
        netSales: row.net_sales,
        values: decodeVector(row.metric_values) ?? new Float64Array(METRIC_COUNT).fill(Number.NaN),
      };
    });

  const insert = (entityId: string, profile: EntityProfileRow, year: EntityYearMetrics) =>
    insertRow.run(
      entityId,
      year.fiscalYear,
      profile.cell.sni3,
      profile.cell.employeeBand,
      profile.cell.county,
      profile.synthetic ? 1 : 0,
      year.netSales,
      encodeVector(year.values),
    );

  /**
   * Replaces the entity's rows by what its stored years and profile give now (none when the
   * entity is gone or has no years) and returns the new rows.
   */
  const recompute = (entityId: string): MetricRow[] => {
    deleteRows.run(entityId);
    const profile = profileOf(entityId);
    if (profile === undefined) return [];
    return contributions(yearsOf(entityId)).map((year) => {
      insert(entityId, profile, year);
      return {
        entityId,
        fiscalYear: year.fiscalYear,
        cell: profile.cell,
        synthetic: profile.synthetic,
        netSales: year.netSales,
        values: year.values,
      };
    });
  };

  return { profileOf, yearsOf, rowsOf, insert, recompute };
}

const metricRowShape = z.object({
  fiscal_year: z.number().int(),
  sni3: z.string().nullable(),
  employee_band: z.enum(EMPLOYEE_BANDS).nullable(),
  county: z.string().nullable(),
  synthetic: z.number().int(),
  net_sales: z.number(),
  metric_values: z.instanceof(Buffer),
});

const STORE_META_KEY = 'stats_catalogue';

/**
 * Brings `entity_metric` in line with `year_summary` at start: after a catalogue change every
 * row is recomputed; otherwise only entities with years but no rows (e.g. the demo population,
 * which is inserted directly) are computed. Returns how many entities were (re)computed.
 */
export function syncEntityMetrics(sqlite: Database.Database): { entities: number; full: boolean } {
  const fingerprint = catalogueFingerprint();
  const stored = sqlite
    .prepare('SELECT value FROM store_meta WHERE key = ?')
    .pluck()
    .get(STORE_META_KEY);
  const full = stored !== fingerprint;
  const statements = entityMetricStatements(sqlite);
  const missing = sqlite
    .prepare(
      full
        ? 'SELECT DISTINCT entity_id FROM year_summary ORDER BY entity_id'
        : `SELECT DISTINCT y.entity_id FROM year_summary y
             WHERE NOT EXISTS (SELECT 1 FROM entity_metric m WHERE m.entity_id = y.entity_id)
             ORDER BY y.entity_id`,
    )
    .pluck();
  const selectYearsOfRange = sqlite.prepare(
    `SELECT y.entity_id, y.fiscal_start, y.fiscal_end, y.employees, y.balance, y.result,
            e.sni3, e.employee_band, e.county, e.synthetic
       FROM year_summary y JOIN entity e ON e.id = y.entity_id
      WHERE y.entity_id >= ? AND y.entity_id <= ?
      ORDER BY y.entity_id, y.fiscal_start`,
  );
  let computed = 0;
  sqlite.transaction(() => {
    if (full) sqlite.prepare('DELETE FROM entity_metric').run();
    const ids = z.array(z.string()).parse(missing.all());
    const wanted = new Set(ids);
    // In slices, so that 600 000 rows of group sums are never all in memory at once.
    const SLICE = 2_000;
    for (let from = 0; from < ids.length; from += SLICE) {
      const slice = ids.slice(from, from + SLICE);
      const byEntity = new Map<string, { profile: EntityProfileRow; years: StoredYear[] }>();
      for (const raw of selectYearsOfRange.all(slice[0], slice[slice.length - 1])) {
        // Checked as one schema per row: 600 000 rows at scale.
        const row = yearWithProfileRow.parse(raw);
        if (!wanted.has(row.entity_id)) continue;
        const entry = byEntity.get(row.entity_id) ?? {
          profile: {
            cell: { sni3: row.sni3, employeeBand: row.employee_band, county: row.county },
            synthetic: row.synthetic === 1,
          },
          years: [],
        };
        entry.years.push(toStoredYear(row));
        byEntity.set(row.entity_id, entry);
      }
      for (const [entityId, { profile, years }] of byEntity) {
        for (const year of contributions(years)) statements.insert(entityId, profile, year);
        computed += 1;
      }
    }
    sqlite
      .prepare(
        `INSERT INTO store_meta (key, value, updated_at) VALUES (?, ?, ?)
           ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      )
      .run(STORE_META_KEY, fingerprint, monthStartSeconds());
  })();
  return { entities: computed, full };
}

/** The start of the current UTC month in seconds: finance rows keep months, not instants. */
function monthStartSeconds(): number {
  const now = new Date();
  return Math.floor(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1) / 1000);
}
