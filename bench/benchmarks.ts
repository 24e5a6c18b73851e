/**
 * `npm run bench:benchmarks`: the peer statistics and the benchmark query at scale (issue #6).
 * Prints numbers; never fails on time. Targets: query p95 ≤ 10 ms, refresh after 1 000
 * uploads ≤ 5 s.
 *
 * 1. A finance store with N entities × 3 fiscal years of group sums from the demo generator
 *    (server/finance/demo), inserted as REAL entities with capabilities this script knows.
 * 2. Time to build every statistic from scratch: the figures of every entity-year
 *    (`entity_metric`), then the rank index and every published group.
 * 3. 1 000 new uploads (new entities, 3 years each) through the finance router, then the time
 *    of the one refresh that publishes them.
 * 4. The real server (`nyckel server`) on that data: start-up (includes the rebuild), then the
 *    latency of the benchmark query over HTTP on loopback through the client core (tRPC's
 *    client on Node's fetch, as the CLI sends it), and, interleaved with it at the default
 *    level, through a plain keep-alive `node:http` client: the same request and answer
 *    without the Node client's own work (a browser's fetch is native). Then RSS and the
 *    database size.
 *
 * Options (environment): BENCH_ENTITIES (default 200000), BENCH_QUERIES (default 2000).
 * The generated population is cached in `~/.cache/nyckel-bench/` (or $NYCKEL_BENCH_CACHE)
 * before any statistic exists, so later runs skip the generation; every statistic is still
 * built from scratch. Times are wall clock, with the process's CPU time where it ran in this
 * process (on a shared machine the two differ).
 */
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createFinanceClient } from '../src/lib/core/api/clients.ts';
import { benchmark } from '../src/lib/core/finance/entities.ts';
import { createFinanceApi } from '../server/finance/api.ts';
import { generateDemoPopulation, type DemoEntity } from '../server/finance/demo/index.ts';
import { financeRouter } from '../server/finance/router.ts';
import { syncEntityMetrics } from '../server/finance/stats/entity-metrics.ts';
import { openFinanceStore } from '../server/finance/store.ts';
import { repoRoot } from '../tests/helpers/server.ts';
import { benchCacheDir } from './cache.ts';
import { mb, table, thousands } from './format-table.ts';

const ENTITIES = Number(process.env['BENCH_ENTITIES'] ?? 200_000);
const QUERIES = Number(process.env['BENCH_QUERIES'] ?? 2_000);
const UPLOADS = 1_000;
const SEED = 6_062_025;

/** The bench's i-th capability: 32 bytes it can recompute, and the hash the store keeps. */
const capabilityOf = (i: number) => {
  const raw = createHash('sha256').update(`nyckel-bench-capability-${i}`).digest();
  return {
    capability: raw.toString('base64url'),
    hash: createHash('sha256').update(raw).digest('hex'),
  };
};
const entityIdOf = (i: number) =>
  createHash('sha256').update(`nyckel-bench-entity-${i}`).digest('hex').slice(0, 32);

/**
 * `nyckel server` on the bench's data directory (not the test helper: at this size the start,
 * which rebuilds every statistic, takes longer than a test would wait).
 */
async function startServer(dataDir: string) {
  const child = spawn(
    process.execPath,
    ['bin/nyckel.mjs', 'server', '--port', '0', '--host', '127.0.0.1', '--data', dataDir],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        NYCKEL_DEMO: 'off',
        NYCKEL_STATS_REFRESH_MS: '2000',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /running at (http:\/\/\S+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  return {
    url,
    pid: child.pid!,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const since = (started: number) => performance.now() - started;
/** Wall time and this process's CPU time (user + system) of a step. */
const measure = async <T>(step: () => T | Promise<T>) => {
  const cpu = process.cpuUsage();
  const wall = performance.now();
  const result = await step();
  const used = process.cpuUsage(cpu);
  return { result, wallMs: since(wall), cpuMs: (used.user + used.system) / 1000 };
};
const wallAndCpu = (timing: { wallMs: number; cpuMs: number }) =>
  `${seconds(timing.wallMs)} (CPU ${seconds(timing.cpuMs)})`;
const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

const dir = mkdtempSync(join(tmpdir(), 'nyckel-bench-benchmarks-'));
const rows: string[][] = [];
const note = (what: string, value: string) => {
  rows.push([what, value]);
  console.log(`  ${what}: ${value}`);
};
console.log(`Peer statistics with ${thousands(ENTITIES)} entities × 3 fiscal years (${dir})`);

/** Steps 2 and 3 in this process; returns nothing, so their rank index can be collected. */
async function buildAndRefresh(dir: string): Promise<void> {
  const store = openFinanceStore(dir);

  // 2. From scratch: every entity-year's figures, then the rank index and published groups.
  const synced = await measure(() => syncEntityMetrics(store.sqlite));
  note(
    `figures of every entity-year (${thousands(synced.result.entities)} entities; once per catalogue version)`,
    wallAndCpu(synced),
  );
  const api = createFinanceApi({
    store,
    statistics: { refreshMs: 3_600_000, demo: { enabled: false, excludeAt: 0 } },
  });
  const rebuilt = await measure(() => api.statistics.rebuild());
  note(
    `rank index + published groups (${thousands(rebuilt.result.entityYears)} entity-years, ${thousands(rebuilt.result.publishedGroups)} groups; at every start)`,
    wallAndCpu(rebuilt),
  );
  note(
    '… of that: rank index / quantiles / database',
    `${seconds(rebuilt.result.phaseMs.layout)} / ${seconds(rebuilt.result.phaseMs.release)} / ${seconds(rebuilt.result.phaseMs.write)}`,
  );
  note(
    'build all statistics from scratch (total)',
    wallAndCpu({
      wallMs: synced.wallMs + rebuilt.wallMs,
      cpuMs: synced.cpuMs + rebuilt.cpuMs,
    }),
  );

  // 3. 1 000 new uploads, then one refresh.
  const caller = financeRouter.createCaller(api.createContext());
  const fresh: DemoEntity[] = [...generateDemoPopulation({ entities: UPLOADS, seed: SEED + 1 })];
  const started = performance.now();
  for (const [i, entity] of fresh.entries()) {
    const { capability, hash } = capabilityOf(ENTITIES + i);
    const { entityId } = await caller.createEntity({
      capabilityHash: hash,
      profile: { sni: entity.sni3, employeeBand: entity.employeeBand, county: entity.county },
    });
    await caller.uploadYears({
      entityId,
      capability,
      payload: {
        format: 'nyckel.finance-payload/1',
        profile: { sni: null, employeeBand: null, county: null },
        years: entity.years.map((year) => ({ ...year })),
      },
    });
  }
  note(`${UPLOADS} uploads (3 years each), request time`, seconds(since(started)));
  const refreshed = await measure(() => api.statistics.refresh());
  const report = refreshed.result;
  note(
    `refresh after ${UPLOADS} uploads (${'cells' in report ? `${thousands(report.cells)} cells, ${thousands(report.groups)} groups` : 'full rebuild'})`,
    wallAndCpu(refreshed),
  );
  if ('quantiles' in report) {
    const { phaseMs, quantiles } = report;
    note(
      '… of that: rank index / quantiles / database',
      `${seconds(phaseMs.layout)} / ${seconds(phaseMs.release)} / ${seconds(phaseMs.write)}`,
    );
    note(
      '… (group, metric) pairs read from quantile windows / gathered (values)',
      `${thousands(quantiles.fromWindows)} / ${thousands(quantiles.gathered)} (${thousands(quantiles.gatheredValues)})`,
    );
  }
  note('RSS of this process after the refresh', `${mb(process.memoryUsage().rss)} MB`);
  api.statistics.close();
  store.close();
}

type BenchmarkOptions = Parameters<typeof benchmark>[2];

/**
 * The benchmark query as the client core sends it (one POST of the input as JSON, no
 * credentials), on a keep-alive `node:http` agent, its answer parsed as the client core
 * would. Checked against the client core's answer before it is timed.
 */
function plainBenchmarkClient(baseUrl: string) {
  const url = new URL(`${baseUrl}/api/finance/benchmark`);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  return (
    entity: { financeEntityId: string; capability: string },
    options: BenchmarkOptions = {},
  ): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const body = JSON.stringify({
        entityId: entity.financeEntityId,
        capability: entity.capability,
        ...options,
      });
      const headers = {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
      };
      request(url, { method: 'POST', agent, headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const answer = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
            result?: { data?: unknown };
          };
          if (response.statusCode !== 200 || answer.result?.data === undefined) {
            reject(new Error(`benchmark answered ${response.statusCode}`));
          } else {
            resolve(answer.result.data);
          }
        });
        response.on('error', reject);
      })
        .on('error', reject)
        .end(body);
    });
}

/**
 * A full garbage collection now (V8's `gc`, exposed for this call only), so that what the
 * in-process steps left behind is not collected in the middle of the latency measurement.
 */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  const gc: unknown = runInNewContext('gc');
  if (typeof gc === 'function') gc();
}

try {
  // 1. The population (generated once, cached before any statistic exists).
  const cached = join(benchCacheDir(), `benchmarks-${ENTITIES}-${SEED}-v1.db`);
  let started = performance.now();
  if (existsSync(cached)) {
    copyFileSync(cached, join(dir, 'finance.db'));
    note('population copied from the cache (setup)', seconds(since(started)));
  } else {
    const generating = openFinanceStore(dir);
    const insertEntity = generating.sqlite.prepare(
      `INSERT INTO entity (id, capability_hash, sni3, employee_band, county, created_month, synthetic)
       VALUES (?, ?, ?, ?, ?, '2026-01', 0)`,
    );
    const insertYear = generating.sqlite.prepare(
      `INSERT INTO year_summary
         (entity_id, fiscal_start, fiscal_end, employees, balance, result, uploaded_month)
       VALUES (?, ?, ?, ?, ?, ?, '2026-01')`,
    );
    generating.sqlite.transaction(() => {
      let i = 0;
      for (const entity of generateDemoPopulation({ entities: ENTITIES, seed: SEED })) {
        const id = entityIdOf(i);
        insertEntity.run(id, capabilityOf(i).hash, entity.sni3, entity.employeeBand, entity.county);
        for (const year of entity.years) {
          insertYear.run(
            id,
            year.start,
            year.end,
            year.employees,
            JSON.stringify(year.balance),
            JSON.stringify(year.result),
          );
        }
        i += 1;
      }
    })();
    generating.close();
    mkdirSync(benchCacheDir(), { recursive: true });
    copyFileSync(join(dir, 'finance.db'), `${cached}.tmp`);
    renameSync(`${cached}.tmp`, cached);
    note('population generated and stored (setup, cached for later runs)', seconds(since(started)));
  }
  // Steps 2 and 3 keep their rank index in this process's heap; it must be gone before the
  // HTTP latencies are measured, or this client's garbage collection is timed with them.
  await buildAndRefresh(dir);
  collectGarbage();

  // 4. The real server over HTTP.
  started = performance.now();
  const server = await startServer(dir);
  note('server start (opens the stores, rebuilds the statistics)', seconds(since(started)));
  try {
    const finance = createFinanceClient({ baseUrl: server.url });
    const pick = (q: number) => (q * 7_919) % ENTITIES;
    const entityOf = (i: number) => ({
      financeEntityId: entityIdOf(i),
      capability: capabilityOf(i).capability,
    });
    const plain = plainBenchmarkClient(server.url);
    for (let q = 0; q < 50; q += 1) {
      const viaCore = await benchmark(finance, entityOf(pick(q)));
      const viaPlain = await plain(entityOf(pick(q)));
      if (JSON.stringify(viaCore) !== JSON.stringify(viaPlain)) {
        throw new Error('the plain client read another answer than the client core');
      }
    }
    const clients = {
      core: (i: number, options: BenchmarkOptions) => benchmark(finance, entityOf(i), options),
      plain: (i: number, options: BenchmarkOptions) => plain(entityOf(i), options),
    };
    /** QUERIES sequential queries per client, the clients taking turns (one cache state). */
    const measure = async (options: BenchmarkOptions, names: readonly (keyof typeof clients)[]) => {
      const times = names.map((): number[] => []);
      let bytes = 0;
      for (let q = 0; q < QUERIES; q += 1) {
        for (const [c, name] of names.entries()) {
          const t0 = performance.now();
          const result = await clients[name](pick(50 + q * names.length + c), options);
          times[c]!.push(performance.now() - t0);
          bytes += JSON.stringify(result).length;
        }
      }
      return names.map((name, c) => ({
        name,
        times: times[c]!.sort((a, b) => a - b),
        bytes: bytes / (QUERIES * names.length),
      }));
    };
    const clientLabel = {
      core: 'client core',
      plain: 'plain node:http client',
    } as const;
    for (const [label, options, names] of [
      ['default (most specific group)', {}, ['core', 'plain']],
      ['level=sni2', { level: 'sni2' as const }, ['core']],
      ['level=all', { level: 'all' as const }, ['core']],
    ] as const) {
      for (const { name, times, bytes } of await measure(options, names)) {
        note(
          `benchmark query over HTTP, ${label}, ${clientLabel[name]}, ${thousands(QUERIES)} sequential (p50 / p95 / p99, ~${thousands(bytes)} B JSON)`,
          `${percentile(times, 50).toFixed(2)} / ${percentile(times, 95).toFixed(2)} / ${percentile(times, 99).toFixed(2)} ms`,
        );
      }
    }
    const status = readFileSync(`/proc/${server.pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
    note('server RSS now / peak', `${mb(kb('VmRSS') * 1024)} / ${mb(kb('VmHWM') * 1024)} MB`);
  } finally {
    await server.stop();
  }
  const size = (file: string) => {
    try {
      return statSync(join(dir, file)).size;
    } catch {
      return 0;
    }
  };
  note('finance.db size', `${mb(size('finance.db') + size('finance.db-wal'))} MB`);
  console.log(`\n${table(['measure', 'value'], rows)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
