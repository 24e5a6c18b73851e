/**
 * Synthetic SIE file for end-to-end tests (e.g. dropping a ~30 MB file into the browser).
 * Generated once per size and cached (see cache.ts); later calls return the cached path.
 */
import { benchCacheDir, ensureCachedSie } from './cache.ts';
import type { SieGeneratorOptions, SyntheticSieSummary } from './sie-generator.ts';

export const E2E_SEED = 20_250;

/** Options used for e2e files: realistic SIE 4E, CP437, CRLF, two fiscal years. */
export const e2eOptions = (sizeBytes: number): SieGeneratorOptions => ({
  seed: E2E_SEED,
  targetBytes: sizeBytes,
  encoding: 'cp437',
  lineEnd: '\r\n',
  years: 2,
});

/** Path of a cached synthetic SIE 4E file of about `sizeBytes` bytes. */
export const ensureSyntheticFile = async (
  sizeBytes: number,
  dir: string = benchCacheDir(),
): Promise<string> => (await ensureCachedSie(e2eOptions(sizeBytes), dir)).path;

/** Same as {@link ensureSyntheticFile}, plus the expected figures for assertions. */
export const ensureSyntheticFileWithSummary = async (
  sizeBytes: number,
  dir: string = benchCacheDir(),
): Promise<{ readonly path: string; readonly summary: SyntheticSieSummary }> => {
  const { path, summary } = await ensureCachedSie(e2eOptions(sizeBytes), dir);
  return { path, summary };
};
