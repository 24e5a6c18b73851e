import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BENCHMARK_LEVELS,
  benchmarkResultSchema,
  type BenchmarkLevel,
  type BenchmarkResult,
} from '../../../domain/benchmark';
import type { FinancePayload } from '../../../domain/sie-summary';
import { createFinanceApi } from '../api';
import { generateDemoPopulation, loadDemoPopulation, type DemoEntity } from '../demo';
import { financeRouter } from '../router';
import { openFinanceStore, type FinanceStore } from '../store';
import { groupKey } from './groups';
import { createPublishedStore } from './published';
import { createBenchmarkQuery } from './query';
import { decodeStats, encodeStats } from './stored-stats';

/**
 * The benchmark answer leaves the server without being parsed again with
 * `benchmarkResultSchema` (router.ts): here real answers (demo peers, every level and year,
 * withheld deciles, figures without a group, agreements) are parsed with it, and must come
 * out the same, down to the JSON text. Also answers after uploads against a rebuild, and an
 * item's quantiles exactly as its group publishes them.
 */
const YEARS = [2023, 2024, 2025].map((year) => ({ start: `${year}-01-01`, end: `${year}-12-31` }));

interface Company {
  entityId: string;
  capability: string;
  profile: FinancePayload['profile'];
}

describe('benchmark answers against the schema', () => {
  let dir: string;
  let store: FinanceStore;
  let api: ReturnType<typeof createFinanceApi>;
  let caller: ReturnType<typeof financeRouter.createCaller>;
  const companies: Company[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nyckel-query-'));
    store = openFinanceStore(dir);
    loadDemoPopulation(store, { entities: 1_500, seed: 11, fiscalYears: YEARS });
    api = createFinanceApi({
      store,
      statistics: { refreshMs: 3_600_000, demo: { enabled: true, excludeAt: 1_000 } },
    });
    api.statistics.rebuild({ syncMetrics: true });
    caller = financeRouter.createCaller(api.createContext());
    // Real companies with the demo generator's books, a few without employees or a county.
    const real: DemoEntity[] = [
      ...generateDemoPopulation({ entities: 24, seed: 12, fiscalYears: YEARS }),
    ];
    for (const [i, entity] of real.entries()) {
      const raw = randomBytes(32);
      const profile = {
        sni: entity.sni3,
        employeeBand: i % 5 === 0 ? null : entity.employeeBand,
        county: i % 7 === 0 ? null : entity.county,
      };
      const { entityId } = await caller.createEntity({
        capabilityHash: createHash('sha256').update(raw).digest('hex'),
        profile,
      });
      const company = { entityId, capability: raw.toString('base64url'), profile };
      await caller.uploadYears({
        entityId,
        capability: company.capability,
        payload: {
          format: 'nyckel.finance-payload/1',
          profile: { sni: null, employeeBand: null, county: null },
          years: entity.years.map((year) => ({
            ...year,
            employees: i % 6 === 0 ? null : year.employees,
          })),
        },
      });
      if (i % 3 === 0) {
        await caller.contracts.save({
          entityId,
          capability: company.capability,
          contractId: randomUUID(),
          terms: {
            category: 'electricity',
            quantity: 20_000 + i * 1_000,
            annualCost: 15_000 + i * 700,
            startMonth: '2025-01',
            endMonth: null,
            noticeMonths: 3,
            renewalMonths: null,
            priceModel: 'variable',
            priceArea: 'SE3',
            county: null,
          },
          sealed: [
            {
              v: 1,
              alg: 'A256GCM',
              kid: `ent:${entityId}:1`,
              iv: randomBytes(12).toString('base64url'),
              ct: randomBytes(40).toString('base64url'),
            },
          ],
        });
      }
      companies.push(company);
    }
    api.statistics.refresh();
  }, 60_000);
  afterAll(() => {
    api.statistics.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('parses every answer with the strict schema into exactly the same answer', async () => {
    const answers: BenchmarkResult[] = [];
    const levels: (BenchmarkLevel | undefined)[] = [undefined, ...BENCHMARK_LEVELS];
    for (const company of companies) {
      for (const level of levels) {
        for (const year of [undefined, 2023, 2024, 2025]) {
          const { entityId, capability } = company;
          answers.push(await caller.benchmark({ entityId, capability, level, year }));
        }
      }
    }
    for (const answer of answers) {
      const parsed = benchmarkResultSchema.parse(answer);
      expect(parsed).toStrictEqual(answer);
      // The same text as when the server sent the schema's parsed copy.
      expect(JSON.stringify(answer)).toBe(JSON.stringify(parsed));
    }
    // The answers cover what the schema allows, not one easy case.
    const items = answers.flatMap((answer) => answer.history.flatMap((year) => year.items));
    expect(answers.some((answer) => answer.demo)).toBe(true);
    expect(items.some((item) => item.p10 !== undefined && item.p90 !== undefined)).toBe(true);
    expect(items.some((item) => item.p25 !== undefined && item.p10 === undefined)).toBe(true);
    expect(items.some((item) => item.group === null)).toBe(true);
    expect(items.some((item) => item.value === null && item.group !== null)).toBe(true);
    expect(items.some((item) => item.index !== null)).toBe(true);
    expect(answers.some((answer) => answer.contracts.some((c) => c.index !== null))).toBe(true);
  });

  it('answers after uploads exactly as after a rebuild from scratch', async () => {
    const query = createBenchmarkQuery(store.sqlite, api.statistics);
    const target = companies[1]!;
    const before = query(target.entityId);
    // Twelve newcomers in the target's own cell, with its books tripled: its groups change.
    const years = await caller.listYears({
      entityId: target.entityId,
      capability: target.capability,
    });
    for (let i = 0; i < 12; i += 1) {
      const raw = randomBytes(32);
      const { entityId } = await caller.createEntity({
        capabilityHash: createHash('sha256').update(raw).digest('hex'),
        profile: target.profile,
      });
      await caller.uploadYears({
        entityId,
        capability: raw.toString('base64url'),
        payload: {
          format: 'nyckel.finance-payload/1',
          profile: { sni: null, employeeBand: null, county: null },
          years: years.map((year) => ({
            start: year.start,
            end: year.end,
            employees: year.employees,
            balance: year.balance,
            result: Object.fromEntries(
              Object.entries(year.result).map(([account, amount]) => [account, amount * (3 + i)]),
            ),
          })),
        },
      });
    }
    api.statistics.refresh();
    const after = query(target.entityId);
    api.statistics.rebuild();
    expect(query(target.entityId)).toStrictEqual(after);
    // Not vacuous: quantiles the query had kept changed.
    const medians = (outcome: typeof before) =>
      outcome.ok
        ? outcome.result.history.flatMap((year) => year.items.map((item) => item.p50))
        : [];
    expect(medians(after)).not.toStrictEqual(medians(before));
  });
  it('gives a figure exactly the quantiles its group publishes, in the schema order', async () => {
    const auth = { entityId: companies[0]!.entityId, capability: companies[0]!.capability };
    const item = (await caller.benchmark(auth)).selected.items.find((i) => i.group !== null)!;
    const key = groupKey(item.group!);
    const row = store.sqlite
      .prepare('SELECT includes_synthetic, stats FROM peer_group WHERE group_key = ?')
      .get(key) as { includes_synthetic: number; stats: Buffer };
    const stats = decodeStats(row.stats);
    // Not a shape disclosure control releases: the answer still carries exactly what is held.
    stats[item.id] = [item.n!, null, null, 0.5, null, 0.9];
    const published = createPublishedStore();
    published.stage('all', [
      {
        key,
        group: item.group!,
        n: item.n!,
        meanNetSales: null,
        includesSynthetic: row.includes_synthetic === 1,
        stats: encodeStats(stats),
      },
    ])();
    const outcome = createBenchmarkQuery(store.sqlite, {
      ...api.statistics,
      published: () => published,
    })(auth.entityId);
    if (!outcome.ok) throw new Error(outcome.reason);
    const answer = outcome.result;
    const changed = answer.selected.items.find((i) => i.id === item.id)!;
    expect(Object.keys(changed)).toStrictEqual([
      'id',
      'value',
      'group',
      'n',
      'p50',
      'p90',
      'rank',
      'index',
    ]);
    const { id, value, group, n, rank, index } = item;
    expect(changed).toStrictEqual({ id, value, group, n, p50: 0.5, p90: 0.9, rank, index });
    expect(JSON.stringify(answer)).toBe(JSON.stringify(benchmarkResultSchema.parse(answer)));
  });
});
