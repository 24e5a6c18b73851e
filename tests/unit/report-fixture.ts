import {
  benchmarkResultSchema,
  type BenchmarkGroup,
  type BenchmarkItem,
  type BenchmarkResult,
} from '../../domain/benchmark';
import { METRIC_IDS, type MetricId } from '../../domain/ratios';

/** The group most figures of the fixture are compared with: IT consultancies in Kronoberg. */
export const MAIN_GROUP: BenchmarkGroup = {
  level: 'sni3',
  sni: '620',
  employeeBand: '10-19',
  county: '07',
  year: 2024,
};

/** A wider group a few figures fall back to. */
export const WIDER_GROUP: BenchmarkGroup = { ...MAIN_GROUP, level: 'sni2', sni: '62' };

type Figure = Partial<Omit<BenchmarkItem, 'id'>>;

const released = (n: number, quantiles: Figure, group = MAIN_GROUP): Figure => ({
  group,
  n,
  ...quantiles,
});

/**
 * The figures the report tests read, each a case the report must handle: ratios, amounts,
 * days and times; a negative value; a figure the company cannot compute; a figure whose group
 * is withheld; one compared with a wider group; cost items the company has, has not, or
 * cannot be compared on.
 */
export const FIGURES: Partial<Record<MetricId, Figure>> = {
  growth: { value: null, ...released(143, { p25: -0.021, p50: 0.048, p75: 0.132 }) },
  operating_margin: {
    value: 0.125,
    rank: 76.4,
    index: 76,
    ...released(143, { p25: 0.031, p50: 0.0712, p75: 0.118 }),
  },
  net_margin: {
    value: -0.034,
    rank: 8.2,
    index: 8,
    ...released(143, { p25: 0.012, p50: 0.046, p75: 0.091 }),
  },
  quick_ratio: { value: 1.23 },
  equity_ratio: {
    value: 0.452,
    rank: 61.8,
    index: 62,
    ...released(143, { p10: 0.081, p25: 0.21, p50: 0.366, p75: 0.511, p90: 0.672 }),
  },
  debt_equity: {
    value: 1.5,
    rank: 52.1,
    index: 48,
    ...released(143, { p25: 0.62, p50: 1.41, p75: 2.97 }),
  },
  revenue_per_employee: {
    value: 1_234_567,
    rank: 50.3,
    index: 50,
    ...released(512, { p25: 890_000, p50: 1_230_000, p75: 1_560_000 }, WIDER_GROUP),
  },
  personnel_cost_share: {
    value: 0.55,
    rank: 12.4,
    index: 12,
    ...released(143, { p25: 0.31, p50: 0.4, p75: 0.47 }),
  },
  receivable_days: {
    value: 42.3,
    rank: 40.1,
    index: 60,
    ...released(143, { p25: 28.4, p50: 39.5, p75: 51.2 }),
  },
  cost_share_50: {
    value: 0.08,
    rank: 70.2,
    index: 30,
    ...released(143, { p25: 0.021, p50: 0.046, p75: 0.0712 }),
  },
  cost_share_51: { value: 0, rank: 50, index: 50, ...released(143, { p25: 0, p50: 0, p75: 0 }) },
  cost_share_52: { value: 0.02 },
  cost_share_69: {
    value: 0.004,
    rank: 45,
    index: 55,
    ...released(143, { p25: 0.001, p50: 0.005, p75: 0.011 }),
  },
  cost_per_employee_50: {
    value: 45_000,
    rank: 66,
    index: 34,
    ...released(143, { p25: 12_000, p50: 24_500, p75: 39_800 }),
  },
};

const itemOf = (id: MetricId, figure: Figure = {}): BenchmarkItem => ({
  id,
  value: null,
  group: null,
  n: null,
  rank: null,
  index: null,
  ...figure,
});

/**
 * A benchmark answer as the finance API gives it (validated against the API's own schema):
 * every catalogue figure in catalogue order, the figures above filled in, and two older
 * years of history, newest first, the middle one without an overall index.
 */
export function benchmarkAnswer(
  options: { demo?: boolean; minGroupSize?: number; figures?: typeof FIGURES } = {},
): BenchmarkResult {
  const figures = options.figures ?? FIGURES;
  const selected = {
    year: 2024,
    start: '2024-01-01',
    end: '2024-12-31',
    overallIndex: 47,
    items: METRIC_IDS.map((id) => itemOf(id, figures[id])),
  };
  const older = {
    year: 2023,
    start: '2023-01-01',
    end: '2023-12-31',
    overallIndex: null,
    items: METRIC_IDS.map((id) => itemOf(id)),
  };
  const earliest = { ...older, year: 2022, start: '2022-01-01', end: '2022-12-31' };
  return benchmarkResultSchema.parse({
    // Supplier agreements (issue #7): the report does not read them.
    contracts: [],
    demo: options.demo ?? true,
    minGroupSize: options.minGroupSize ?? 10,
    years: [2024, 2023, 2022],
    selected,
    history: [selected, older, { ...earliest, overallIndex: 55 }],
  });
}
