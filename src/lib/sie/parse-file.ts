import { proxy, wrap } from 'comlink';
import type { SieWorkerApi, SieWorkerResult } from '../../../workers/sie.worker';
import type { SummarizeProgress } from '../../../workers/sie/types';

export interface ParseProgress {
  bytesDone: number;
  totalBytes: number;
}

export interface ParseJob {
  /** Resolves with the worker's result; rejects with an AbortError when cancelled. */
  result: Promise<SieWorkerResult>;
  cancel: () => void;
}

/**
 * Parses one file in its own Web Worker, so the page stays responsive and the raw bytes
 * never leave the worker (P1). The worker is terminated when the job ends or is cancelled.
 */
export function parseSieFile(file: File, onProgress: (p: ParseProgress) => void): ParseJob {
  const worker = new Worker(new URL('../../../workers/sie.worker.ts', import.meta.url), {
    type: 'module',
    name: 'sie',
  });
  const api = wrap<SieWorkerApi>(worker);
  const jobId = crypto.randomUUID();
  let rejectCancelled: (reason: unknown) => void = () => undefined;
  const cancelled = new Promise<never>((_, reject) => (rejectCancelled = reject));
  const work = api.summarize(
    file,
    { jobId },
    proxy((p: SummarizeProgress) =>
      onProgress({ bytesDone: p.bytesDone, totalBytes: p.totalBytes ?? file.size }),
    ),
  );
  const result = Promise.race([work, cancelled]).finally(() => worker.terminate());
  return {
    result,
    cancel: () => {
      void api.cancel(jobId).catch(() => undefined);
      rejectCancelled(new DOMException('Parsing cancelled', 'AbortError'));
    },
  };
}
