import {
  benchmarkResultSchema,
  type BenchmarkLevel,
  type BenchmarkResult,
} from '../../../domain/benchmark';
import { financeApi } from '../api';
import { benchmark, type OpenEntity } from '../core/finance/entities';
import { deviceCache } from './device';
import { isUnreachable } from './network';
import { entryRecord, putEntryRecord } from './store';
import { entryId, openEntry, sealEntry } from './vault';

/**
 * The last benchmark fetched per entity and year/level, sealed with the userKey on this
 * device, answers when the finance API cannot be reached. Such an answer is marked (see
 * `cachedAt`) so the dashboard can say it is from an earlier date and offline.
 */
type Options = { year?: number; level?: BenchmarkLevel };

/** Results that came from the device cache, with the time they were fetched. */
const fromCache = new WeakMap<BenchmarkResult, number>();

/** When `result` was fetched, if it is a cached answer shown offline; else null. */
export const cachedAt = (result: BenchmarkResult | null | undefined): number | null =>
  (result && fromCache.get(result)) ?? null;

/** The question a benchmark answers: entity, fiscal year (or newest) and level (or auto). */
export const benchmarkKey = (entityId: string, options: Options) =>
  `${entityId}|${options.year ?? 'newest'}|${options.level ?? 'auto'}`;

async function keep(key: string, result: BenchmarkResult): Promise<void> {
  const cache = deviceCache();
  if (cache) await putEntryRecord(await sealEntry(cache, 'benchmark', key, result));
}

async function kept(key: string): Promise<{ value: BenchmarkResult; savedAt: number } | null> {
  const cache = deviceCache();
  if (!cache) return null;
  const record = await entryRecord(await entryId(cache.indexKey, 'benchmark', key));
  if (!record) return null;
  try {
    return await openEntry(cache, 'benchmark', key, record, benchmarkResultSchema);
  } catch {
    return null;
  }
}

/**
 * The entity's benchmark from the finance API, kept sealed on this device; when the API
 * cannot be reached, the last one kept for the same question (marked by `cachedAt`). Errors
 * the server answers with (e.g. `NO_CONTRIBUTION`) are passed on unchanged.
 */
export async function cachedBenchmark(
  entity: Pick<OpenEntity, 'financeEntityId' | 'capability'>,
  options: Options = {},
): Promise<BenchmarkResult> {
  const key = benchmarkKey(entity.financeEntityId, options);
  try {
    const result = await benchmark(financeApi, entity, options);
    await keep(key, result).catch(() => undefined);
    return result;
  } catch (error) {
    if (!isUnreachable(error)) throw error;
    const found = await kept(key);
    if (!found) throw error;
    fromCache.set(found.value, found.savedAt);
    return found.value;
  }
}
