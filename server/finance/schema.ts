import { sql } from 'drizzle-orm';
import {
  sqliteTable,
  text,
  integer,
  real,
  blob,
  primaryKey,
  check,
  index,
} from 'drizzle-orm/sqlite-core';
import { EMPLOYEE_BANDS } from '../../domain/profile';
import {
  CONTRACT_CATEGORIES,
  PRICE_AREAS,
  PRICE_MODELS,
  UNIT_METRICS,
} from '../../domain/contract-categories';
import type { BalanceGroups, ResultGroups } from '../../domain/sie-summary';

/**
 * Finance store: entities and their yearly group sums (later: contracts, statistics).
 * It never holds a user id, e-mail, organisation, name, org number, address, client label,
 * session token or link id (P4). Entity ids are server-generated random values unrelated to
 * anything in the identity store, and every time on a finance row is a month (`YYYY-MM`),
 * never a day or an instant, so rows cannot be matched with identity events by time.
 *
 * `store_meta` records which store a database file is, so the two can never be swapped.
 */
export const storeMeta = sqliteTable('store_meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: integer('updated_at', { mode: 'timestamp' }).notNull(),
});

const MONTH_GLOB = "'[0-9][0-9][0-9][0-9]-[0-1][0-9]'";
const BAND_LIST = `(${EMPLOYEE_BANDS.map((band) => `'${band}'`).join(', ')})`;
const DATE_GLOB = "'[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'";

/** One company's books as the finance store knows them: a random id and a coarse profile. */
export const entity = sqliteTable(
  'entity',
  {
    /** 128-bit random id from the server's CSPRNG, 32 lowercase hex characters. */
    id: text('id').primaryKey(),
    /** SHA-256 of the raw 32-byte capability, 64 lowercase hex characters. */
    capabilityHash: text('capability_hash').notNull().unique(),
    /** SNI 2007 at 3-digit level. */
    sni3: text('sni3'),
    employeeBand: text('employee_band', { enum: EMPLOYEE_BANDS }),
    /** Län code, 2 digits. */
    county: text('county'),
    /** `YYYY-MM` (UTC) of creation: month granularity only. */
    createdMonth: text('created_month').notNull(),
    /** Member of the labelled synthetic demo population. */
    synthetic: integer('synthetic', { mode: 'boolean' }).notNull().default(false),
  },
  (table) => [
    check('entity_id_format', sql`length(${table.id}) = 32 AND ${table.id} NOT GLOB '*[^0-9a-f]*'`),
    check(
      'entity_capability_hash_format',
      sql`length(${table.capabilityHash}) = 64 AND ${table.capabilityHash} NOT GLOB '*[^0-9a-f]*'`,
    ),
    check('entity_sni3_format', sql`${table.sni3} IS NULL OR ${table.sni3} GLOB '[0-9][0-9][0-9]'`),
    check(
      'entity_employee_band_value',
      sql`${table.employeeBand} IS NULL OR ${table.employeeBand} IN ${sql.raw(BAND_LIST)}`,
    ),
    check(
      'entity_county_format',
      sql`${table.county} IS NULL OR ${table.county} GLOB '[0-9][0-9]'`,
    ),
    check('entity_created_month_format', sql`${table.createdMonth} GLOB ${sql.raw(MONTH_GLOB)}`),
  ],
);

/** One fiscal year's group sums (integer öre, SIE signs); one row per (entity, year start). */
export const yearSummary = sqliteTable(
  'year_summary',
  {
    entityId: text('entity_id')
      .notNull()
      .references(() => entity.id, { onDelete: 'cascade' }),
    /** `YYYY-MM-DD`: the only full dates in the store are fiscal year bounds. */
    fiscalStart: text('fiscal_start').notNull(),
    fiscalEnd: text('fiscal_end').notNull(),
    /** Head count as entered by the user, or null. */
    employees: integer('employees'),
    /** `{ "19": { "ib": 5000000, "ub": 6123400 } }` */
    balance: text('balance', { mode: 'json' }).notNull().$type<BalanceGroups>(),
    /** `{ "30": -98765400 }` */
    result: text('result', { mode: 'json' }).notNull().$type<ResultGroups>(),
    /** `YYYY-MM` (UTC) of the latest upload of this year. */
    uploadedMonth: text('uploaded_month').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.entityId, table.fiscalStart] }),
    check('year_summary_start_format', sql`${table.fiscalStart} GLOB ${sql.raw(DATE_GLOB)}`),
    check('year_summary_end_format', sql`${table.fiscalEnd} GLOB ${sql.raw(DATE_GLOB)}`),
    check(
      'year_summary_uploaded_month_format',
      sql`${table.uploadedMonth} GLOB ${sql.raw(MONTH_GLOB)}`,
    ),
  ],
);

const LEVEL_LIST = "('sni3', 'sni2', 'section', 'all')";

/**
 * Peer statistics, step 1: the catalogue figures (domain/ratios.ts) of one entity in one fiscal
 * year (the calendar year its fiscal year ends in; of two fiscal years ending in the same
 * calendar year only the later one counts), with the entity's coarse profile at the time of
 * computing. Derived from `year_summary` only; recomputed when the entity uploads, changes its
 * profile or is deleted (cascade). Never leaves the server: it feeds `peer_group` and the
 * percentile ranks.
 */
export const entityMetric = sqliteTable(
  'entity_metric',
  {
    entityId: text('entity_id')
      .notNull()
      .references(() => entity.id, { onDelete: 'cascade' }),
    fiscalYear: integer('fiscal_year').notNull(),
    sni3: text('sni3'),
    employeeBand: text('employee_band', { enum: EMPLOYEE_BANDS }),
    county: text('county'),
    synthetic: integer('synthetic', { mode: 'boolean' }).notNull(),
    /** Net sales in SEK: the amount behind the group's p%-ruled mean. */
    netSales: real('net_sales').notNull(),
    /**
     * One little-endian float64 per catalogue metric, in `METRIC_IDS` order; NaN = absent.
     * One row per entity-year rather than one per metric keeps 200 000 entities × 3 years at
     * 600 000 rows instead of 43 million.
     */
    metricValues: blob('metric_values', { mode: 'buffer' }).notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.entityId, table.fiscalYear] }),
    index('entity_metric_cell').on(table.fiscalYear, table.sni3, table.employeeBand, table.county),
  ],
);

/**
 * Peer statistics, step 2: the published statistics, one row per peer group and fiscal year.
 * Only disclosure-controlled numbers are stored (domain/disclosure.ts): groups of at least the
 * minimum group size, and within them only what some benchmark search can show. Rebuilt from
 * `entity_metric` by the statistics engine, never per request.
 *
 * `stats` holds, per catalogue figure, n entities with a value and the released quantiles
 * (type 7, 3 significant digits), NaN where withheld (p10/p90 below 20
 * values). One row per group rather than per group and metric: a refresh rewrites tens of
 * thousands of rows instead of millions.
 */
export const peerGroup = sqliteTable(
  'peer_group',
  {
    /** e.g. `sni2=62|band=10-19|county=01|year=2025` (`*` = all). */
    groupKey: text('group_key').primaryKey(),
    fiscalYear: integer('fiscal_year').notNull(),
    level: text('level', { enum: ['sni3', 'sni2', 'section', 'all'] }).notNull(),
    /** The industry code at `level`; null for level `all`. */
    sni: text('sni'),
    /** Null: all bands. */
    employeeBand: text('employee_band', { enum: EMPLOYEE_BANDS }),
    /** Null: all counties. */
    county: text('county'),
    /** Distinct entities in the group this year. */
    n: integer('n').notNull(),
    /** Mean net sales in SEK, 3 significant digits; null when the p%-rule withholds it. */
    meanNetSales: real('mean_net_sales'),
    includesSynthetic: integer('includes_synthetic', { mode: 'boolean' }).notNull(),
    /**
     * Per catalogue figure in `METRIC_IDS` order: n, p10, p25, p50, p75, p90 as little-endian
     * float64, NaN where not published or withheld (stats/stored-stats.ts).
     */
    stats: blob('stats', { mode: 'buffer' }).notNull(),
  },
  (table) => [
    check('peer_group_level_value', sql`${table.level} IN ${sql.raw(LEVEL_LIST)}`),
    check('peer_group_released_size', sql`${table.n} >= 5`),
    // Six float64 per figure.
    check(
      'peer_group_stats_figures',
      sql`typeof(${table.stats}) = 'blob' AND length(${table.stats}) > 0 AND length(${table.stats}) % 48 = 0`,
    ),
  ],
);

const sqlList = (values: readonly string[]) => `(${values.map((v) => `'${v}'`).join(', ')})`;

/**
 * A supplier agreement (avtal, issue #7) of an entity, under an id the client chose (UUID v4,
 * bound into the sealed part's AAD). Only comparable parameters are plaintext: category, unit
 * metric, quantity, annual cost, the unit price derived from them (domain/contracts.ts), the
 * months of the term, notice and renewal, price model and price area or county. Supplier,
 * notes and the category's extra fields are `sealed`: envelopes under the entity key, which
 * the server never has. Demo agreements (synthetic entities) have no sealed part.
 */
export const contract = sqliteTable(
  'contract',
  {
    entityId: text('entity_id')
      .notNull()
      .references(() => entity.id, { onDelete: 'cascade' }),
    contractId: text('contract_id').notNull(),
    category: text('category', { enum: CONTRACT_CATEGORIES }).notNull(),
    unitMetric: text('unit_metric', { enum: UNIT_METRICS }).notNull(),
    quantity: real('quantity').notNull(),
    /** SEK per year. */
    annualCost: real('annual_cost').notNull(),
    /** In the category's price unit (öre/kWh, SEK/m²/year, …). */
    unitPrice: real('unit_price').notNull(),
    /** `YYYY-MM`: agreements are month-granular like every time on a finance row. */
    startMonth: text('start_month').notNull(),
    /** Null: open-ended. */
    endMonth: text('end_month'),
    termMonths: integer('term_months'),
    noticeMonths: integer('notice_months').notNull(),
    /** Automatic renewal length in months; null: none. */
    renewalMonths: integer('renewal_months'),
    priceModel: text('price_model', { enum: PRICE_MODELS }),
    priceArea: text('price_area', { enum: PRICE_AREAS }),
    county: text('county'),
    /** JSON array of `contract-private` envelopes; null for demo agreements only. */
    sealed: text('sealed', { mode: 'json' }).$type<unknown[]>(),
    /** `YYYY-MM` (UTC) of the latest save. */
    updatedMonth: text('updated_month').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.entityId, table.contractId] }),
    index('contract_category').on(table.category),
    check(
      'contract_category_value',
      sql`${table.category} IN ${sql.raw(sqlList(CONTRACT_CATEGORIES))}`,
    ),
    check(
      'contract_unit_metric_value',
      sql`${table.unitMetric} IN ${sql.raw(sqlList(UNIT_METRICS))}`,
    ),
    check(
      'contract_positive',
      sql`${table.quantity} > 0 AND ${table.annualCost} > 0 AND ${table.unitPrice} > 0`,
    ),
    check('contract_start_month_format', sql`${table.startMonth} GLOB ${sql.raw(MONTH_GLOB)}`),
    check(
      'contract_end_month_format',
      sql`${table.endMonth} IS NULL OR ${table.endMonth} GLOB ${sql.raw(MONTH_GLOB)}`,
    ),
    check('contract_updated_month_format', sql`${table.updatedMonth} GLOB ${sql.raw(MONTH_GLOB)}`),
    check(
      'contract_price_model_value',
      sql`${table.priceModel} IS NULL OR ${table.priceModel} IN ${sql.raw(sqlList(PRICE_MODELS))}`,
    ),
    check(
      'contract_price_area_value',
      sql`${table.priceArea} IS NULL OR ${table.priceArea} IN ${sql.raw(sqlList(PRICE_AREAS))}`,
    ),
    check(
      'contract_county_format',
      sql`${table.county} IS NULL OR ${table.county} GLOB '[0-9][0-9]'`,
    ),
    check('contract_sealed_json', sql`${table.sealed} IS NULL OR json_valid(${table.sealed})`),
  ],
);

/**
 * Published agreement statistics: per category in one region (price area or county) or in
 * all regions (`region` null), the released quantiles of the unit price. Only groups of at
 * least the minimum size are stored; p10/p90 only from 20 entities; every number rounded to
 * 3 significant digits (domain/disclosure.ts). Rebuilt from `contract` by the contract
 * statistics (server/finance/contracts/statistics.ts), never per request.
 */
export const contractPeerGroup = sqliteTable(
  'contract_peer_group',
  {
    /** `electricity|SE3`, `telecom|*`. */
    groupKey: text('group_key').primaryKey(),
    category: text('category', { enum: CONTRACT_CATEGORIES }).notNull(),
    region: text('region'),
    /** Distinct entities in the group. */
    n: integer('n').notNull(),
    p10: real('p10'),
    p25: real('p25').notNull(),
    p50: real('p50').notNull(),
    p75: real('p75').notNull(),
    p90: real('p90'),
    includesSynthetic: integer('includes_synthetic', { mode: 'boolean' }).notNull(),
  },
  (table) => [
    check('contract_peer_group_released_size', sql`${table.n} >= 5`),
    check(
      'contract_peer_group_deciles',
      sql`(${table.p10} IS NULL AND ${table.p90} IS NULL) OR ${table.n} >= 20`,
    ),
  ],
);
