import type { SieWorkerResult } from '../../../workers/sie.worker';

export type FileJobStatus = 'queued' | 'parsing' | 'done' | 'rejected' | 'cancelled' | 'failed';

/** One file the user chose, from the moment it is picked until it is removed. */
export interface FileJob {
  id: string;
  name: string;
  size: number;
  status: FileJobStatus;
  bytesDone: number;
  startedAt: number | null;
  finishedAt: number | null;
  result: SieWorkerResult | null;
  /** Only for `failed`: an unexpected error (a rejected file is `rejected`, with diagnostics). */
  error: string | null;
}

export const newFileJob = (file: File): FileJob => ({
  id: crypto.randomUUID(),
  name: file.name,
  size: file.size,
  status: 'queued',
  bytesDone: 0,
  startedAt: null,
  finishedAt: null,
  result: null,
  error: null,
});

export const isActive = (job: FileJob) => job.status === 'queued' || job.status === 'parsing';

export const progressPercent = (job: FileJob) =>
  job.size === 0 ? 100 : Math.min(100, Math.floor((job.bytesDone / job.size) * 100));

/** Throughput in MB/s (10^6 bytes), once there is enough elapsed time to mean something. */
export const throughputMb = (job: FileJob, now: number) => {
  if (!job.startedAt) return null;
  const seconds = ((job.finishedAt ?? now) - job.startedAt) / 1000;
  return seconds < 0.2 ? null : job.bytesDone / 1e6 / seconds;
};
