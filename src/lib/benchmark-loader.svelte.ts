import { _, locale } from 'svelte-i18n';
import { get } from 'svelte/store';
import type { BenchmarkResult } from '../../domain/benchmark';
import type { OpenEntity } from './core/finance/entities';
import { errorReason, userMessage } from './errors';
import { cachedBenchmark } from './offline/benchmarks';

/** Why no benchmark is shown: the entity has no figures in it yet, or anything else. */
export interface BenchmarkFailure {
  reason: 'no-contribution' | 'other';
  text: string;
}

export type BenchmarkQuestion = {
  entity: OpenEntity;
  options: NonNullable<Parameters<typeof cachedBenchmark>[1]>;
};

export interface BenchmarkLoader {
  /** The last answer; kept while a new question is loading, null after a failure. */
  readonly result: BenchmarkResult | null;
  readonly failure: BenchmarkFailure | null;
  readonly loading: boolean;
}

/**
 * The benchmark answer for whatever `question` returns (null: nothing to ask yet), fetched
 * again whenever what it reads changes (dashboard, reports). Only the newest question's answer
 * or failure is kept: a slower earlier one never overwrites it. Call while a component
 * initialises.
 */
export function benchmarkLoader(question: () => BenchmarkQuestion | null): BenchmarkLoader {
  let result = $state.raw<BenchmarkResult | null>(null);
  let failure = $state<BenchmarkFailure | null>(null);
  let loading = $state(false);

  let request = 0;
  $effect(() => {
    const asked = question();
    if (!asked) return;
    const id = ++request;
    loading = true;
    failure = null;
    cachedBenchmark(asked.entity, asked.options)
      .then((answer) => {
        if (id === request) result = answer;
      })
      .catch((cause: unknown) => {
        if (id !== request) return;
        result = null;
        failure = failureOf(cause);
      })
      .finally(() => {
        if (id === request) loading = false;
      });
  });

  return {
    get result() {
      return result;
    },
    get failure() {
      return failure;
    },
    get loading() {
      return loading;
    },
  };
}

/** The failure in the language shown now; `NO_CONTRIBUTION` gets its own sentence. */
function failureOf(cause: unknown): BenchmarkFailure {
  const translate = get(_);
  return errorReason(cause) === 'NO_CONTRIBUTION'
    ? { reason: 'no-contribution', text: translate('benchmark.noContribution') }
    : {
        reason: 'other',
        text: userMessage(cause, get(locale), String(cause)) ?? translate('auth.errors.network'),
      };
}
