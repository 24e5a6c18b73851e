import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { BENCHMARK_CONCURRENCY, fetchOutcomes, mapBounded } from '../../src/lib/bureau/fetch';
import type { ClientOutcome } from '../../src/lib/bureau/rows';
import { benchmarkResult, benchmarkYear } from './bureau-fixtures';

describe('mapBounded', () => {
  it('never runs more than the limit at once and keeps the item order', async () => {
    let running = 0;
    let peak = 0;
    const items = Array.from({ length: 23 }, (_, i) => i);
    const settled: number[] = [];
    const results = await mapBounded(
      items,
      4,
      async (item) => {
        running += 1;
        peak = Math.max(peak, running);
        // Uneven durations, so slots free up out of order.
        await sleep((item * 7) % 5);
        running -= 1;
        return item * item;
      },
      (index) => settled.push(index),
    );
    expect(peak).toBe(4);
    expect(results).toEqual(items.map((i) => i * i));
    expect([...settled].sort((a, b) => a - b)).toEqual(items);
  });

  it('handles fewer items than the limit, none at all, and refuses a limit below 1', async () => {
    expect(await mapBounded([1, 2], 10, async (x) => x + 1)).toEqual([2, 3]);
    expect(await mapBounded([], 4, async (x: number) => x)).toEqual([]);
    await expect(mapBounded([1], 0, async (x) => x)).rejects.toThrow(RangeError);
  });
});

describe('fetchOutcomes', () => {
  const result = benchmarkResult([benchmarkYear(2024, {}, 50)]);
  const refusal = (reason: string) => Object.assign(new Error(reason), { reason });

  it('turns NO_CONTRIBUTION into the client’s state and other failures into messages', async () => {
    const progress: string[] = [];
    const outcomes = await fetchOutcomes(['ok', 'empty', 'broken'], {
      fetch: async (name) => {
        if (name === 'empty') throw refusal('NO_CONTRIBUTION');
        if (name === 'broken') throw refusal('CAPABILITY_REFUSED');
        return result;
      },
      reasonOf: (error) => (error as { reason?: string }).reason,
      describe: (error) => `failed: ${(error as Error).message}`,
      onOutcome: (name, outcome, { done, total }) =>
        progress.push(`${done}/${total} ${name} ${outcome.state}`),
    });
    expect(outcomes).toEqual([
      { state: 'benchmarked', result },
      { state: 'no-upload' },
      { state: 'failed', message: 'failed: CAPABILITY_REFUSED' },
    ] satisfies ClientOutcome[]);
    expect(progress.map((line) => line.split(' ')[0])).toEqual(['1/3', '2/3', '3/3']);
    expect(progress.map((line) => line.split(' ').slice(1).join(' ')).sort()).toEqual([
      'broken failed',
      'empty no-upload',
      'ok benchmarked',
    ]);
  });

  it('fetches four at a time by default', async () => {
    let running = 0;
    let peak = 0;
    await fetchOutcomes(
      Array.from({ length: 12 }, (_, i) => i),
      {
        fetch: async () => {
          running += 1;
          peak = Math.max(peak, running);
          await sleep(2);
          running -= 1;
          return result;
        },
        reasonOf: () => undefined,
        describe: String,
      },
    );
    expect(peak).toBe(BENCHMARK_CONCURRENCY);
    expect(BENCHMARK_CONCURRENCY).toBe(4);
  });
});
