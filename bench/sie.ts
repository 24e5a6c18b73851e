/**
 * SIE engine benchmark (`npm run bench:sie`, i.e. `npx tsx bench/sie.ts`).
 *
 * Generates (once, cached outside the repo) a ≥100 MB synthetic SIE 4E file (CP437, CRLF) and
 * one 10× smaller, then reports:
 * - summarize throughput vs. a plain newline-counting pass over the same bytes (target ≤ 2.5×);
 * - peak RSS of summarize for each size, each in its own child process (target: large/small
 *   within 1.5×, large under 250 MB);
 * - whether the summary equals the generator's expected group sums.
 * Numbers are reported, never judged: the exit code is 0 unless something crashed.
 *
 * Options: --large-mb N (default 104.9, i.e. 100 MiB)  --runs N (3)  --chunk-kib N (64)
 *          --seed N (42)  --no-rss. Cache: $NYCKEL_BENCH_CACHE or ~/.cache/nyckel-bench.
 */
import { spawn } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchCacheDir, ensureCachedSie, type CachedSie } from './cache.ts';
import { compareSummary, type Comparison } from './sie-compare.ts';
import {
  countNewlinesIndexOf,
  countNewlinesLoop,
  loadSummarize,
  runSummarize,
  type Mode,
  type SummarizeStream,
} from './sie-measure.ts';
import type { ProbeReport } from './sie-rss-probe.ts';
import { mb, mbPerSecond, median, ms, ratio, table, thousands } from './format-table.ts';

const RATIO_TARGET = 2.5;
const RSS_RATIO_TARGET = 1.5;
const RSS_LIMIT_BYTES = 250e6;

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const PROBE = fileURLToPath(new URL('./sie-rss-probe.ts', import.meta.url));

interface Settings {
  readonly largeBytes: number;
  readonly runs: number;
  readonly chunkBytes: number;
  readonly seed: number;
  readonly rss: boolean;
}

const readSettings = (): Settings => {
  const { values } = parseArgs({
    options: {
      'large-mb': { type: 'string' },
      runs: { type: 'string' },
      'chunk-kib': { type: 'string' },
      seed: { type: 'string' },
      'no-rss': { type: 'boolean' },
    },
  });
  const largeMb = values['large-mb'];
  return {
    largeBytes: largeMb === undefined ? 100 * 2 ** 20 : Math.round(Number(largeMb) * 1e6),
    runs: Math.max(1, Number(values.runs ?? 3)),
    chunkBytes: Math.max(1, Number(values['chunk-kib'] ?? 64)) * 1024,
    seed: Number(values.seed ?? 42),
    rss: values['no-rss'] !== true,
  };
};

interface BenchFile {
  readonly label: string;
  readonly cached: CachedSie;
}

interface Throughput {
  readonly file: BenchFile;
  readonly loopMs: readonly number[];
  readonly indexOfMs: readonly number[];
  readonly summarizeMs: readonly number[];
  readonly comparison: Comparison | null;
  readonly diagnostics: number;
  readonly rejected: string | null;
}

const timed = async <T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> => {
  const started = performance.now();
  const value = await run();
  return { value, ms: performance.now() - started };
};

const measureThroughput = async (
  file: BenchFile,
  summarize: SummarizeStream | null,
  s: Settings,
): Promise<Throughput> => {
  const { path, summary } = file.cached;
  await countNewlinesLoop(path, s.chunkBytes); // warm the page cache
  const loopMs: number[] = [];
  const indexOfMs: number[] = [];
  const summarizeMs: number[] = [];
  let comparison: Comparison | null = null;
  let diagnostics = 0;
  let rejected: string | null = null;
  for (let run = 0; run < s.runs; run++) {
    const loop = await timed(() => countNewlinesLoop(path, s.chunkBytes));
    if (loop.value !== summary.lines)
      throw new Error(`line count ${loop.value} ≠ ${summary.lines}`);
    loopMs.push(loop.ms);
    indexOfMs.push((await timed(() => countNewlinesIndexOf(path, s.chunkBytes))).ms);
    if (summarize === null) continue;
    const result = await timed(() => runSummarize(summarize, path, s.chunkBytes, summary.bytes));
    summarizeMs.push(result.ms);
    const data = result.value.data;
    diagnostics = result.value.diagnostics.length;
    if (data === null) {
      rejected = result.value.diagnostics[0]?.message ?? 'rejected';
      comparison = { ok: false, differences: [`file rejected: ${rejected}`] };
    } else {
      comparison = compareSummary(summary.years, data.years);
      if (data.counts.transactions !== summary.transactions) {
        comparison = {
          ok: false,
          differences: [
            ...comparison.differences,
            `transactions ${data.counts.transactions}, expected ${summary.transactions}`,
          ],
        };
      }
    }
  }
  return { file, loopMs, indexOfMs, summarizeMs, comparison, diagnostics, rejected };
};

const isProbeReport = (value: unknown): value is ProbeReport =>
  typeof value === 'object' &&
  value !== null &&
  'maxRss' in value &&
  typeof value.maxRss === 'number' &&
  'rssPeakSampled' in value &&
  typeof value.rssPeakSampled === 'number' &&
  'rssStart' in value &&
  typeof value.rssStart === 'number' &&
  'ms' in value &&
  typeof value.ms === 'number';

/** One measurement in a fresh `node --import tsx` child, so peaks are independent. */
const probe = (path: string, mode: Mode, chunkBytes: number): Promise<ProbeReport> =>
  new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', PROBE, path, mode, String(chunkBytes)],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      try {
        const value: unknown = JSON.parse(last);
        if (code === 0 && isProbeReport(value)) return resolve(value);
      } catch {
        // fall through
      }
      reject(new Error(`probe ${mode} exited ${code}: ${err.trim() || out.trim()}`));
    });
  });

const prepareFiles = async (s: Settings): Promise<readonly BenchFile[]> => {
  const specs = [
    { label: 'large', targetBytes: s.largeBytes },
    { label: 'small', targetBytes: Math.round(s.largeBytes / 10) },
  ];
  const files: BenchFile[] = [];
  for (const spec of specs) {
    process.stdout.write(`  ${spec.label}: preparing ${mb(spec.targetBytes)} MB … `);
    const cached = await ensureCachedSie({
      seed: s.seed,
      targetBytes: spec.targetBytes,
      encoding: 'cp437',
      lineEnd: '\r\n',
      years: 2,
    });
    const how = cached.generated
      ? `generated in ${(cached.generationMs / 1000).toFixed(1)} s ` +
        `(${mbPerSecond(cached.summary.bytes, cached.generationMs)} MB/s)`
      : 'cached';
    process.stdout.write(
      `${mb(cached.summary.bytes)} MB, ${thousands(cached.summary.transactions)} #TRANS, ` +
        `${thousands(cached.summary.vouchers)} #VER, ${how}\n    ${cached.path}\n`,
    );
    files.push({ label: spec.label, cached });
  }
  return files;
};

const printThroughput = (results: readonly Throughput[], s: Settings): void => {
  console.log(
    `\nThroughput — median of ${s.runs} run(s), ${s.chunkBytes / 1024} KiB read chunks, ` +
      'MB = 10^6 bytes, file in page cache',
  );
  const rows = results.map((r) => {
    const bytes = r.file.cached.summary.bytes;
    const loop = median(r.loopMs);
    const idx = median(r.indexOfMs);
    const sum = r.summarizeMs.length > 0 ? median(r.summarizeMs) : NaN;
    const has = r.summarizeMs.length > 0;
    return [
      r.file.label,
      mb(bytes),
      `${ms(loop)} ms / ${mbPerSecond(bytes, loop)}`,
      `${ms(idx)} ms / ${mbPerSecond(bytes, idx)}`,
      has ? `${ms(sum)} ms / ${mbPerSecond(bytes, sum)}` : 'parser missing',
      has ? ratio(sum, loop) : '–',
      has ? ratio(sum, idx) : '–',
      has ? (sum / loop <= RATIO_TARGET ? 'yes' : 'NO') : '–',
    ];
  });
  console.log(
    table(
      [
        'file',
        'MB',
        'newline loop (MB/s)',
        'newline indexOf (MB/s)',
        'summarize (MB/s)',
        'ratio vs loop',
        'ratio vs indexOf',
        `≤ ${RATIO_TARGET}× (loop)`,
      ],
      rows,
    ),
  );
  const best = results
    .filter((r) => r.summarizeMs.length > 0)
    .map((r) => {
      const sum = Math.min(...r.summarizeMs);
      return `${r.file.label} ${ratio(sum, Math.min(...r.loopMs))} (indexOf ${ratio(sum, Math.min(...r.indexOfMs))})`;
    });
  if (best.length > 0) console.log(`  best-of-${s.runs} ratio vs loop: ${best.join(', ')}`);
};

const printVerification = (results: readonly Throughput[]): void => {
  console.log('\nVerification against the generator’s expected group sums');
  for (const r of results) {
    if (r.comparison === null) {
      console.log(`  ${r.file.label}: skipped (parser missing)`);
      continue;
    }
    console.log(
      `  ${r.file.label}: ${r.comparison.ok ? 'OK' : 'MISMATCH'} ` +
        `(${r.file.cached.summary.years.length} years, ${r.diagnostics} diagnostics)`,
    );
    for (const d of r.comparison.differences) console.log(`    ${d}`);
  }
};

const printMemory = async (files: readonly BenchFile[], s: Settings): Promise<void> => {
  console.log('\nPeak memory — one child process per measurement (node --import tsx)');
  const reports: { file: BenchFile; summarize: ProbeReport; floor: ProbeReport }[] = [];
  for (const file of files) {
    const floor = await probe(file.cached.path, 'newlines-loop', s.chunkBytes);
    const summarize = await probe(file.cached.path, 'summarize', s.chunkBytes);
    reports.push({ file, summarize, floor });
  }
  console.log(
    table(
      [
        'file',
        'MB',
        'summarize maxRSS',
        'sampled peak RSS',
        'RSS at start',
        'heap peak',
        'newline-pass maxRSS',
        'ok',
      ],
      reports.map(({ file, summarize, floor }) => [
        file.label,
        mb(file.cached.summary.bytes),
        `${mb(summarize.maxRss)} MB`,
        `${mb(summarize.rssPeakSampled)} MB`,
        `${mb(summarize.rssStart)} MB`,
        `${mb(summarize.heapUsedPeak)} MB`,
        `${mb(floor.maxRss)} MB`,
        summarize.ok ? 'yes' : summarize.note,
      ]),
    ),
  );
  const large = reports.find((r) => r.file.label === 'large')?.summarize;
  const small = reports.find((r) => r.file.label === 'small')?.summarize;
  if (large && small && large.ok && small.ok) {
    const r = large.maxRss / small.maxRss;
    console.log(
      `  maxRSS large/small: ${r.toFixed(2)}× (target ≤ ${RSS_RATIO_TARGET}×: ` +
        `${r <= RSS_RATIO_TARGET ? 'yes' : 'NO'}); large under ${mb(RSS_LIMIT_BYTES)} MB: ` +
        `${large.maxRss < RSS_LIMIT_BYTES ? 'yes' : 'NO'}`,
    );
  }
};

const main = async (): Promise<void> => {
  const s = readSettings();
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(`Nyckel SIE benchmark — ${new Date().toISOString()}`);
  console.log(
    `  node ${process.version}, ${process.platform}/${process.arch}, ${cpus().length}× ${cpu}, ` +
      `${mb(totalmem())} MB RAM`,
  );
  console.log(`  cache: ${benchCacheDir()}`);
  const files = await prepareFiles(s);
  const loaded = await loadSummarize();
  const summarize = 'summarize' in loaded ? loaded.summarize : null;
  if ('missing' in loaded) {
    console.log(`\nParser module missing (${loaded.missing}); measuring the baseline only.`);
  }
  const results: Throughput[] = [];
  for (const file of files) results.push(await measureThroughput(file, summarize, s));
  printThroughput(results, s);
  printVerification(results);
  if (s.rss && summarize !== null) await printMemory(files, s);
  else if (s.rss) console.log('\nPeak memory: skipped (parser missing)');
};

try {
  await main();
} catch (error) {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
}
