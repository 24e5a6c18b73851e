/**
 * The API the SIE worker exposes over comlink (kept free of worker globals so Node tests and
 * the CLI can call it directly with a Blob).
 */
import type { ProfileInput } from '../../domain/profile.ts';
import type { CliSummary, LocalSummary, PayloadResult } from '../../domain/sie-summary.ts';
import { buildPayload, toCliSummary } from '../../domain/sie-summary.ts';
import type { Diagnostic } from '../../domain/sie-diagnostics.ts';
import { readableChunks } from './stream.ts';
import { summarizeStream } from './summarize.ts';
import type { SummarizeProgress } from './types.ts';

export interface SieWorkerResult {
  /** Null when the file was rejected (then `diagnostics` holds exactly one error). */
  summary: LocalSummary | null;
  cli: CliSummary | null;
  /** The upload payload, when a profile was given and the file was accepted. */
  payload: PayloadResult | null;
  diagnostics: Diagnostic[];
}

export interface SummarizeJobOptions {
  /** Caller-chosen id; pass it to `cancel` to stop this file only. */
  jobId?: string;
  profile?: ProfileInput;
}

const jobs = new Map<string, AbortController>();

export const sieWorkerApi = {
  async summarize(
    file: Blob,
    options: SummarizeJobOptions = {},
    onProgress?: (p: SummarizeProgress) => void,
  ): Promise<SieWorkerResult> {
    const controller = new AbortController();
    const jobId = options.jobId;
    if (jobId !== undefined) {
      jobs.get(jobId)?.abort();
      jobs.set(jobId, controller);
    }
    try {
      const name = 'name' in file && typeof file.name === 'string' ? file.name : undefined;
      const result = await summarizeStream(readableChunks(file.stream()), {
        fileName: name,
        totalBytes: file.size,
        signal: controller.signal,
        onProgress: onProgress
          ? (p) => {
              // Fire-and-forget over comlink; a slow UI must not stall parsing.
              void Promise.resolve(onProgress(p)).catch(() => undefined);
            }
          : undefined,
      });
      const summary = result.data;
      return {
        summary,
        cli: summary ? toCliSummary(summary, result.diagnostics) : null,
        payload: summary && options.profile ? buildPayload(summary, options.profile) : null,
        diagnostics: result.diagnostics,
      };
    } finally {
      if (jobId !== undefined && jobs.get(jobId) === controller) jobs.delete(jobId);
    }
  },

  /** Cancels one running job; returns false when no such job runs. */
  cancel(jobId: string): boolean {
    const c = jobs.get(jobId);
    if (!c) return false;
    c.abort();
    jobs.delete(jobId);
    return true;
  },
};

export type SieWorkerApi = typeof sieWorkerApi;
