import { newFileJob, type FileJob } from './jobs';
import { parseSieFile, type ParseJob } from './parse-file';

export interface FileQueue {
  /** Queues files; returns their jobs, which then change through `onChange`. */
  add: (files: File[]) => FileJob[];
  cancel: (id: string) => void;
  /** Cancels everything (the page is going away). */
  dispose: () => void;
  readonly busy: () => boolean;
}

/**
 * Parses chosen files in Web Workers, at most `maxParallel` at a time, in the order they
 * were chosen. The File objects stay here, outside any reactive state.
 */
export function createFileQueue(
  maxParallel: number,
  onChange: (id: string, change: Partial<FileJob>) => void,
): FileQueue {
  const waiting: { id: string; file: File }[] = [];
  const running = new Map<string, ParseJob>();

  const startNext = () => {
    while (running.size < maxParallel && waiting.length > 0) {
      const { id, file } = waiting.shift()!;
      onChange(id, { status: 'parsing', startedAt: Date.now() });
      const parse = parseSieFile(file, ({ bytesDone }) => onChange(id, { bytesDone }));
      running.set(id, parse);
      parse.result
        .then((result) =>
          onChange(id, {
            status: result.summary ? 'done' : 'rejected',
            result,
            bytesDone: file.size,
            finishedAt: Date.now(),
          }),
        )
        .catch((error: unknown) =>
          onChange(
            id,
            error instanceof DOMException && error.name === 'AbortError'
              ? { status: 'cancelled', finishedAt: Date.now() }
              : {
                  status: 'failed',
                  error: error instanceof Error ? error.message : String(error),
                  finishedAt: Date.now(),
                },
          ),
        )
        .finally(() => {
          running.delete(id);
          startNext();
        });
    }
  };

  return {
    add: (files) => {
      const jobs = files.map((file) => {
        const job = newFileJob(file);
        waiting.push({ id: job.id, file });
        return job;
      });
      queueMicrotask(startNext);
      return jobs;
    },
    cancel: (id) => {
      const parse = running.get(id);
      if (parse) {
        parse.cancel();
        return;
      }
      const index = waiting.findIndex((entry) => entry.id === id);
      if (index >= 0) {
        waiting.splice(index, 1);
        onChange(id, { status: 'cancelled', finishedAt: Date.now() });
      }
    },
    dispose: () => {
      waiting.length = 0;
      for (const parse of running.values()) parse.cancel();
    },
    busy: () => running.size > 0,
  };
}
