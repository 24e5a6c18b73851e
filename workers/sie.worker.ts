/**
 * SIE Web Worker (comlink). Thin shell around workers/sie/: reads `file.stream()` in the
 * worker so raw bytes never touch the UI thread or the network (P1).
 *
 * UI usage:
 *   const api = wrap<SieWorkerApi>(new Worker(new URL('./sie.worker.ts', import.meta.url), { type: 'module' }));
 *   const job = crypto.randomUUID();
 *   const res = await api.summarize(file, { jobId: job, profile }, proxy((p) => …));
 *   api.cancel(job); // rejects that summarize() with an AbortError
 */
import '../src/lib/zod-jitless.ts';
import { expose } from 'comlink';
import { sieWorkerApi } from './sie/worker-api.ts';

export type { SieWorkerApi, SieWorkerResult, SummarizeJobOptions } from './sie/worker-api.ts';

expose(sieWorkerApi);
