/** The measured operations of the SIE benchmark, shared by the main run and the RSS probe. */
import { createReadStream, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SieResult } from '../domain/sie-summary.ts';
import type { SummarizeOptions } from '../workers/sie/types.ts';

export type SummarizeStream = (
  chunks: AsyncIterable<Uint8Array>,
  options?: SummarizeOptions,
) => Promise<SieResult>;

export const SUMMARIZE_MODULE = fileURLToPath(
  new URL('../workers/sie/summarize.ts', import.meta.url),
);

/** The parser's summarizeStream, or null (with the reason) when it is not there yet. */
export const loadSummarize = async (): Promise<
  { readonly summarize: SummarizeStream } | { readonly missing: string }
> => {
  if (!existsSync(SUMMARIZE_MODULE)) return { missing: `${SUMMARIZE_MODULE} does not exist` };
  try {
    const mod = await import('../workers/sie/summarize.ts');
    return { summarize: mod.summarizeStream };
  } catch (error) {
    return { missing: `import failed: ${error instanceof Error ? error.message : String(error)}` };
  }
};

const chunksOf = (path: string, chunkBytes: number): AsyncIterable<Buffer> =>
  createReadStream(path, { highWaterMark: chunkBytes });

/** LF bytes in one chunk (kept a separate monomorphic function so V8 optimises it fully). */
const countLf = (bytes: Uint8Array): number => {
  let lines = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 10) lines++;
  return lines;
};

/** Baseline 1: count LF bytes with a tight JavaScript loop over each chunk. */
export const countNewlinesLoop = async (path: string, chunkBytes: number): Promise<number> => {
  let lines = 0;
  for await (const chunk of chunksOf(path, chunkBytes)) lines += countLf(chunk);
  return lines;
};

/** Baseline 2: count LF bytes with Buffer#indexOf (native memchr). */
export const countNewlinesIndexOf = async (path: string, chunkBytes: number): Promise<number> => {
  let lines = 0;
  for await (const chunk of chunksOf(path, chunkBytes)) {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
  }
  return lines;
};

export const runSummarize = (
  summarize: SummarizeStream,
  path: string,
  chunkBytes: number,
  totalBytes: number,
): Promise<SieResult> =>
  summarize(chunksOf(path, chunkBytes), {
    fileName: path.split('/').pop() ?? 'bench.se',
    totalBytes,
  });

export const MODES = ['summarize', 'newlines-loop', 'newlines-indexof'] as const;
export type Mode = (typeof MODES)[number];
