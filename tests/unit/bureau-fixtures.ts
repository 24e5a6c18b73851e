/**
 * Benchmark answers for the bureau console's tests, built from the catalogue and checked
 * against the API's own schema so they have the shape the finance API returns.
 */
import {
  benchmarkResultSchema,
  type BenchmarkGroup,
  type BenchmarkItem,
  type BenchmarkResult,
  type BenchmarkYear,
} from '../../domain/benchmark';
import { METRIC_IDS, type MetricId } from '../../domain/ratios';
import type { ConsoleClient } from '../../src/lib/bureau/rows';

export const group = (year: number, sni = '62'): BenchmarkGroup => ({
  level: 'sni2',
  sni,
  employeeBand: '5-9',
  county: '01',
  year,
});

type ItemSpec = Partial<Omit<BenchmarkItem, 'id'>>;

/** One fiscal year: every catalogue figure, absent unless `items` gives it. */
export function benchmarkYear(
  year: number,
  items: Partial<Record<MetricId, ItemSpec>> = {},
  overallIndex: number | null = null,
): BenchmarkYear {
  return {
    year,
    start: `${year}-01-01`,
    end: `${year}-12-31`,
    overallIndex,
    items: METRIC_IDS.map((id) => ({
      id,
      value: null,
      group: null,
      n: null,
      rank: null,
      index: null,
      ...items[id],
    })),
  };
}

/** A benchmark answer: `history` newest first, the newest selected. */
export function benchmarkResult(history: BenchmarkYear[]): BenchmarkResult {
  const newestFirst = [...history].sort((a, b) => b.year - a.year);
  return benchmarkResultSchema.parse({
    demo: true,
    minGroupSize: 10,
    years: newestFirst.map((y) => y.year),
    selected: newestFirst[0],
    history: newestFirst,
    contracts: [],
  });
}

export const client = (label: string, orgId = 'org-1'): ConsoleClient => ({
  key: `link-${orgId}-${label}`,
  orgId,
  orgName: orgId === 'org-1' ? 'Siffer & Co' : 'Andra byrån',
  label,
});
