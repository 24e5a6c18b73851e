/**
 * The answer of the finance API's `benchmark` query (DESIGN §7, issue #6), shared by the
 * server (its tests parse real answers with it: stats/query.test.ts), the UI and the CLI. An entity sees its
 * own values, the released quantiles of the peer group chosen for each figure, its percentile
 * rank there and the 0–100 index; never another entity's value.
 */
import { z } from 'zod';
import { contractComparisonSchema } from './contracts.ts';
import { isMetricId, type MetricId } from './ratios.ts';
import { SNI_LEVELS, type SniLevel } from './sni.ts';
import { EMPLOYEE_BANDS } from './profile.ts';

/** How specific the peer group is along the industry hierarchy. */
export const BENCHMARK_LEVELS = SNI_LEVELS;
export type BenchmarkLevel = SniLevel;
export const benchmarkLevelSchema = z.enum(BENCHMARK_LEVELS);

const metricIdSchema = z.custom<MetricId>(
  (value) => typeof value === 'string' && isMetricId(value),
  'unknown metric',
);

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const fiscalYear = z.number().int().min(1900).max(2200);
const finite = z.number().refine(Number.isFinite, 'must be finite');
const percent = z.number().min(0).max(100);

/**
 * The peer group a figure was compared with: the industry code at `level` (null for 'all'),
 * the employee band and county (null: all bands / all counties), and the fiscal year (the
 * calendar year in which the fiscal years end).
 */
export const benchmarkGroupSchema = z.strictObject({
  level: benchmarkLevelSchema,
  sni: z
    .string()
    .regex(/^([0-9]{2,3}|[A-U])$/)
    .nullable(),
  employeeBand: z.enum(EMPLOYEE_BANDS).nullable(),
  county: z
    .string()
    .regex(/^[0-9]{2}$/)
    .nullable(),
  year: fiscalYear,
});
export type BenchmarkGroup = z.infer<typeof benchmarkGroupSchema>;

/**
 * One figure: the entity's own value (null: cannot be computed for this year), the group
 * (null: no group passes disclosure control), its size for this figure, the released
 * quantiles (absent where withheld: p10/p90 below 20 values), the entity's percentile rank
 * in the group and its 0–100 index (higher is better, 50 = median).
 */
export const benchmarkItemSchema = z.strictObject({
  id: metricIdSchema,
  value: finite.nullable(),
  group: benchmarkGroupSchema.nullable(),
  n: z.number().int().min(0).nullable(),
  p10: finite.optional(),
  p25: finite.optional(),
  p50: finite.optional(),
  p75: finite.optional(),
  p90: finite.optional(),
  rank: percent.nullable(),
  index: z.number().int().min(0).max(100).nullable(),
});
export type BenchmarkItem = z.infer<typeof benchmarkItemSchema>;

/** One fiscal year of the entity: every catalogue figure, in catalogue order. */
export const benchmarkYearSchema = z.strictObject({
  year: fiscalYear,
  start: isoDate,
  end: isoDate,
  overallIndex: z.number().int().min(0).max(100).nullable(),
  items: z.array(benchmarkItemSchema),
});
export type BenchmarkYear = z.infer<typeof benchmarkYearSchema>;

export const benchmarkResultSchema = z.strictObject({
  /** The statistics used include the synthetic demo population. */
  demo: z.boolean(),
  minGroupSize: z.number().int().min(1),
  /** The entity's fiscal years (by the calendar year they end in), newest first. */
  years: z.array(fiscalYear),
  /** The year asked for, or the newest. */
  selected: benchmarkYearSchema,
  /** Every year of the entity, newest first, for trends. */
  history: z.array(benchmarkYearSchema),
  /**
   * The entity's supplier agreements against their peers (issue #7); their indices join the
   * overall index of the newest year.
   */
  contracts: z.array(contractComparisonSchema),
});
export type BenchmarkResult = z.infer<typeof benchmarkResultSchema>;
