/**
 * Fetching every client's benchmark without flooding the finance API: at most `limit` calls
 * in flight (each call is one entity's capability; the finance API takes at most 10 calls per
 * batched request), progress after every client, a NO_CONTRIBUTION refusal turned into the
 * client's state rather than an error.
 */
import type { BenchmarkResult } from '../../../domain/benchmark';
import type { ClientOutcome } from './rows';

/** Benchmarks fetched at the same time. */
export const BENCHMARK_CONCURRENCY = 4;

/**
 * `task` over every item with at most `limit` running at once, in item order as slots free
 * up; `onSettled` after each item (with its index); resolves with the results in item order.
 * A task that throws rejects the whole run (callers turn failures into values first).
 */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
  onSettled?: (index: number, result: R) => void,
): Promise<R[]> {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be at least 1');
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      const result = await task(items[index]!, index);
      results[index] = result;
      onSettled?.(index, result);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export interface Progress {
  done: number;
  total: number;
}

/**
 * Every client's outcome: `fetch` its benchmark, classify a failure by its API reason
 * (`reasonOf`: NO_CONTRIBUTION means nothing uploaded yet) or describe it (`describe`).
 * `onOutcome` reports each client as soon as it is known, with the progress so far.
 */
export async function fetchOutcomes<C>(
  clients: readonly C[],
  options: {
    fetch: (client: C) => Promise<BenchmarkResult>;
    reasonOf: (error: unknown) => string | undefined;
    describe: (error: unknown) => string;
    onOutcome?: (client: C, outcome: ClientOutcome, progress: Progress) => void;
    limit?: number;
  },
): Promise<ClientOutcome[]> {
  let done = 0;
  const outcomeOf = async (client: C): Promise<ClientOutcome> => {
    try {
      return { state: 'benchmarked', result: await options.fetch(client) };
    } catch (error) {
      return options.reasonOf(error) === 'NO_CONTRIBUTION'
        ? { state: 'no-upload' }
        : { state: 'failed', message: options.describe(error) };
    }
  };
  return mapBounded(
    clients,
    options.limit ?? BENCHMARK_CONCURRENCY,
    outcomeOf,
    (index, outcome) => {
      done += 1;
      options.onOutcome?.(clients[index]!, outcome, { done, total: clients.length });
    },
  );
}
