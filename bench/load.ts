/**
 * `npm run bench:load`: the operations issue's load proof (#9). The real server (`nyckel
 * server`, loopback only) with a demo population; N companies are registered and upload
 * their years over HTTP; then, at the same time, LOAD_QUERY_CONNECTIONS connections ask for
 * benchmarks and LOAD_UPLOAD_CONNECTIONS connections upload years (autocannon, one request
 * in flight per connection) for LOAD_SECONDS. Prints throughput, p50/p99 latency and every
 * error; exits 1 if any request failed (a socket error, a timeout or a non-2xx answer).
 * Never fails on time.
 *
 * The bench's server gets rate limits far above what the bench sends (NYCKEL_RATE_LIMITS):
 * the bench sends only valid capabilities, so no limit should count anything, and the
 * setting makes sure a limit can never be what the bench measures.
 *
 * Options (environment): LOAD_SECONDS (30), LOAD_QUERY_CONNECTIONS (200),
 * LOAD_UPLOAD_CONNECTIONS (50), LOAD_ENTITIES (500), LOAD_DEMO_ENTITIES (5000).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { z } from 'zod';
import { LIMITER_NAMES } from '../server/http/rate-limit-config.ts';
import { repoRoot } from '../tests/helpers/server.ts';
import { createEntityWithYears, demoPayloads } from '../tests/security/helpers.ts';
import { mb, table, thousands } from './format-table.ts';

const setting = (name: string, fallback: number, max: number) => {
  const value = z.coerce
    .number()
    .int()
    .min(1)
    .max(max)
    .safeParse(process.env[name] ?? fallback);
  if (!value.success) throw new Error(`${name} must be a whole number from 1 to ${max}`);
  return value.data;
};

const SECONDS = setting('LOAD_SECONDS', 30, 3600);
const QUERY_CONNECTIONS = setting('LOAD_QUERY_CONNECTIONS', 200, 2000);
const UPLOAD_CONNECTIONS = setting('LOAD_UPLOAD_CONNECTIONS', 50, 1000);
const ENTITIES = setting('LOAD_ENTITIES', 500, 100_000);
const DEMO_ENTITIES = setting('LOAD_DEMO_ENTITIES', 5000, 300_000);

/** Limits no bench reaches (and, with valid capabilities only, none that counts anything). */
const BENCH_RATE_LIMITS = LIMITER_NAMES.map((name) => `${name}=1000000/1`).join(',');

/** `nyckel server` on loopback, with a longer start than a test would wait (demo load). */
async function startServer(dataDir: string) {
  const child = spawn(
    process.execPath,
    ['bin/nyckel.mjs', 'server', '--port', '0', '--host', '127.0.0.1', '--data', dataDir],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        NYCKEL_DEMO: 'on',
        NYCKEL_DEMO_ENTITIES: String(DEMO_ENTITIES),
        NYCKEL_RATE_LIMITS: BENCH_RATE_LIMITS,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const exited = new Promise((resolvePromise) => child.on('exit', resolvePromise));
  const url = await new Promise<string>((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start in 5 min:\n${output}`)), 300_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /running at (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolvePromise(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  return {
    url,
    output: () => output,
    rssBytes: () => {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
    },
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Runs `work` over `items` with at most `limit` at a time. */
async function inParallel<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>) {
  const results: R[] = [];
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await work(items[index]!);
    }
  });
  await Promise.all(lanes);
  return results;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

const dataDir = mkdtempSync(join(tmpdir(), 'nyckel-bench-load-'));
console.log(
  `Load: ${QUERY_CONNECTIONS} benchmark + ${UPLOAD_CONNECTIONS} upload connections for ${SECONDS} s; ` +
    `${thousands(ENTITIES)} companies over a demo population of ${thousands(DEMO_ENTITIES)} (${dataDir})`,
);

let started = performance.now();
const server = await startServer(dataDir);
console.log(`  server start (demo load, statistics): ${seconds(performance.now() - started)}`);
let failed = false;
try {
  // The companies: each created and given three fiscal years, over HTTP like the app does.
  started = performance.now();
  const payloads = demoPayloads(ENTITIES, 4_242_025);
  const companies = await inParallel(payloads, 16, async (payload) => ({
    ...(await createEntityWithYears(server.url, payload)),
    payload,
  }));
  console.log(
    `  ${thousands(ENTITIES)} companies created and uploaded: ${seconds(performance.now() - started)}`,
  );

  let queryTurn = 0;
  let uploadTurn = 0;
  const json = { 'content-type': 'application/json' };
  const run = (title: string, connections: number, path: string, body: () => string) =>
    autocannon({
      title,
      url: server.url,
      connections,
      pipelining: 1,
      duration: SECONDS,
      timeout: 60,
      requests: [
        {
          method: 'POST',
          path,
          headers: json,
          setupRequest: (request) => ({ ...request, body: body() }),
        },
      ],
    });
  const [queries, uploads] = await Promise.all([
    run('benchmark queries', QUERY_CONNECTIONS, '/api/finance/benchmark', () => {
      const company = companies[(queryTurn += 1) % companies.length]!;
      return JSON.stringify({ entityId: company.entityId, capability: company.capability });
    }),
    run('uploads', UPLOAD_CONNECTIONS, '/api/finance/uploadYears', () => {
      const company = companies[(uploadTurn += 7) % companies.length]!;
      return JSON.stringify({
        entityId: company.entityId,
        capability: company.capability,
        payload: company.payload,
      });
    }),
  ]);

  const rows = [queries, uploads].map((result) => {
    const errors = result.errors + result.non2xx;
    if (errors > 0) failed = true;
    return [
      result.title ?? '',
      String(result.connections),
      thousands(result.requests.total),
      result.requests.average.toFixed(0),
      result.latency.p50.toFixed(0),
      result.latency.p99.toFixed(0),
      result.latency.max.toFixed(0),
      `${errors} (${result.errors} socket, ${result.timeouts} timeouts, ${result.non2xx} non-2xx)`,
    ];
  });
  console.log();
  console.log(
    table(
      ['load', 'connections', 'requests', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'errors'],
      rows,
    ),
  );
  console.log();
  // The server's own count: uploads stored, and proof that no rate limit counted anything.
  const metrics = await (await fetch(new URL('/metrics', server.url))).text();
  const samples = metrics
    .split('\n')
    .filter((line) => line.startsWith('nyckel_'))
    .map((line) => {
      const [series = '', value = '0'] = line.split(' ');
      return { series, value: Number(value) };
    });
  const total = (prefix: string) =>
    samples.filter((s) => s.series.startsWith(prefix)).reduce((sum, s) => sum + s.value, 0);
  const accepted = total('nyckel_uploads_total{outcome="accepted"}');
  const limited = total('nyckel_rate_limit_hits_total');
  console.log(`  uploads the server stored during the whole run: ${thousands(accepted)}`);
  console.log(`  requests refused by a rate limit: ${limited}`);
  if (limited > 0) failed = true;
  console.log(`  server RSS after the run: ${mb(server.rssBytes())} MB`);
  const warnings = server
    .output()
    .split('\n')
    .filter((line) => line.includes('"level":50') || line.includes('"level":40'));
  console.log(`  server warnings and errors logged: ${warnings.length}`);
  for (const line of warnings.slice(0, 5)) console.log(`    ${line.slice(0, 200)}`);
} finally {
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
if (failed) {
  console.error('Some requests failed: the load proof asks for zero errors.');
  process.exitCode = 1;
}
