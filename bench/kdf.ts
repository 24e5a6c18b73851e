/**
 * Argon2id (m=64 MiB, t=3, p=1) timing in Node and in Chromium's KDF worker — the same
 * code (src/lib/core/crypto/kdf-worker-api.ts) in both. Prints numbers; never fails on time.
 * Needs a build (npm run build) and Debian's Chromium. Run: npx tsx bench/kdf.ts
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { DEFAULT_KDF } from '../src/lib/core/crypto/kdf.ts';
import { kdfWorkerApi } from '../src/lib/core/crypto/kdf-worker-api.ts';
import { repoRoot, startTestServer } from '../tests/helpers/server.ts';

const RUNS = 5;
const cost = { alg: DEFAULT_KDF.alg, m: DEFAULT_KDF.m, t: DEFAULT_KDF.t, p: DEFAULT_KDF.p };
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const fmt = (values: number[]) =>
  `median ${median(values).toFixed(0)} ms (runs: ${values.map((v) => v.toFixed(0)).join(', ')})`;

const node: number[] = [];
for (let i = 0; i < RUNS; i += 1) node.push(await kdfWorkerApi.timeKdf(cost));

const workerFile = readdirSync(join(repoRoot, 'build/_app/immutable/workers')).find((f) =>
  f.startsWith('kdf.worker'),
);
if (!workerFile) throw new Error('no built KDF worker: run npm run build first');

const server = await startTestServer();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-background-networking'],
});
try {
  const page = await browser.newPage();
  await page.goto(server.url);
  // Speak comlink's wire protocol directly to the production worker bundle. The script is
  // a string so the bundler's helpers (tsx keeps function names) do not leak into the page.
  const script = `(async () => {
    const worker = new Worker(${JSON.stringify(`/_app/immutable/workers/${workerFile}`)}, { type: 'module' });
    const times = [];
    for (let i = 0; i < ${RUNS}; i += 1) {
      times.push(await new Promise((resolve) => {
        const id = 'run-' + i;
        worker.addEventListener('message', function listener(event) {
          if (!event.data || event.data.id !== id) return;
          worker.removeEventListener('message', listener);
          resolve(event.data.value);
        });
        worker.postMessage({ id, type: 'APPLY', path: ['timeKdf'],
          argumentList: [{ type: 'RAW', value: ${JSON.stringify(cost)} }] });
      }));
    }
    worker.terminate();
    return times;
  })()`;
  const browserRuns = (await page.evaluate(script)) as number[];
  console.log(`Argon2id m=${cost.m} KiB t=${cost.t} p=${cost.p}`);
  console.log(`  Node ${process.version}: ${fmt(node)}`);
  console.log(`  Chromium worker:     ${fmt(browserRuns)}`);
  console.log(`  ratio browser/Node:  ${(median(browserRuns) / median(node)).toFixed(2)}×`);
} finally {
  await browser.close();
  await server.dispose();
}
