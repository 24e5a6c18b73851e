/**
 * Child process of the SIE benchmark: runs ONE measurement on one file and prints a JSON line
 * with timing and memory. Run as `node --import tsx bench/sie-rss-probe.ts FILE [MODE] [CHUNK]`.
 * RSS is sampled every 2 ms (the parser yields to the event loop between chunks) and the
 * kernel's peak (`resourceUsage().maxRSS`) is reported as well.
 */
import { statSync } from 'node:fs';
import {
  MODES,
  countNewlinesIndexOf,
  countNewlinesLoop,
  loadSummarize,
  runSummarize,
  type Mode,
} from './sie-measure.ts';

export interface ProbeReport {
  readonly mode: Mode;
  readonly file: string;
  readonly bytes: number;
  readonly ms: number;
  readonly ok: boolean;
  readonly note: string;
  readonly rssStart: number;
  readonly rssPeakSampled: number;
  readonly maxRss: number;
  readonly heapUsedPeak: number;
  readonly samples: number;
}

const isMode = (value: string): value is Mode => MODES.some((m) => m === value);

const main = async (): Promise<void> => {
  const [file, modeArg = 'summarize', chunkArg = '65536'] = process.argv.slice(2);
  if (file === undefined || !isMode(modeArg)) {
    throw new Error(`usage: sie-rss-probe.ts FILE [${MODES.join('|')}] [CHUNK_BYTES]`);
  }
  const chunk = Number(chunkArg);
  const bytes = statSync(file).size;
  const loaded = modeArg === 'summarize' ? await loadSummarize() : null;
  const rssStart = process.memoryUsage.rss();
  let rssPeak = rssStart;
  let heapPeak = process.memoryUsage().heapUsed;
  let samples = 0;
  const sample = (): void => {
    samples++;
    rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
    if (samples % 10 === 0) heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
  };
  const timer = setInterval(sample, 2);
  const started = performance.now();
  let ok = true;
  let note = '';
  try {
    if (modeArg === 'newlines-loop') note = `${await countNewlinesLoop(file, chunk)} lines`;
    else if (modeArg === 'newlines-indexof')
      note = `${await countNewlinesIndexOf(file, chunk)} lines`;
    else if (loaded !== null && 'summarize' in loaded) {
      const result = await runSummarize(loaded.summarize, file, chunk, bytes);
      ok = result.data !== null;
      note = `${result.data?.counts.transactions ?? 0} transactions`;
    } else {
      ok = false;
      note = loaded?.missing ?? 'parser missing';
    }
  } finally {
    clearInterval(timer);
  }
  const ms = performance.now() - started;
  sample();
  const report: ProbeReport = {
    mode: modeArg,
    file,
    bytes,
    ms,
    ok,
    note,
    rssStart,
    rssPeakSampled: rssPeak,
    maxRss: process.resourceUsage().maxRSS * 1024,
    heapUsedPeak: heapPeak,
    samples,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
};

await main();
