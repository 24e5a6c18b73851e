import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BENCHMARK_LEVELS,
  benchmarkResultSchema,
  type BenchmarkLevel,
  type BenchmarkResult,
} from '../../../domain/benchmark';
import { METRICS } from '../../../domain/ratios';
import type { FinancePayload } from '../../../domain/sie-summary';
import { createFinanceApi } from '../api';
import { generateDemoPopulation, loadDemoPopulation, type DemoEntity } from '../demo';
import { financeRouter } from '../router';
import { openFinanceStore, type FinanceStore } from '../store';
import { groupKey } from './groups';
import { createBenchmarkQuery, publishedGroupReader, type PublishedGroups } from './query';
import { decodeStats, encodeStats } from './stored-stats';

/**
 * The benchmark answer leaves the server without being parsed again with
 * `benchmarkResultSchema` (router.ts): here real answers (demo peers, every level and year,
 * withheld deciles, figures without a group, agreements) are parsed with it, and must come
 * out the same, down to the JSON text. Also the published groups the query keeps between
 * requests: dropped on any write, by this connection or another one.
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

  it('answers as a query that has kept nothing, after uploads change the statistics', async () => {
    const kept = createBenchmarkQuery(store.sqlite, api.statistics);
    const target = companies[1]!;
    const before = kept(target.entityId);
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
    const after = kept(target.entityId);
    expect(after).toStrictEqual(
      createBenchmarkQuery(store.sqlite, api.statistics)(target.entityId),
    );
    // Not vacuous: quantiles the query had kept changed.
    const medians = (outcome: typeof before) =>
      outcome.ok
        ? outcome.result.history.flatMap((year) => year.items.map((item) => item.p50))
        : [];
    expect(medians(after)).not.toStrictEqual(medians(before));
  });
  it('gives a figure exactly the quantiles its group has stored, in the schema order', async () => {
    const auth = { entityId: companies[0]!.entityId, capability: companies[0]!.capability };
    const item = (await caller.benchmark(auth)).selected.items.find((i) => i.group !== null)!;
    const key = groupKey(item.group!);
    const select = store.sqlite.prepare('SELECT stats FROM peer_group WHERE group_key = ?');
    const stats = decodeStats(select.pluck().get(key));
    // Not a shape disclosure control releases: the answer still carries exactly what is stored.
    stats[item.id] = [item.n!, null, null, 0.5, null, 0.9];
    store.sqlite
      .prepare('UPDATE peer_group SET stats = ? WHERE group_key = ?')
      .run(encodeStats(stats), key);
    const answer = await caller.benchmark(auth);
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

describe('published groups kept between requests', () => {
  let dir: string;
  let store: FinanceStore;
  const insert = (key: string, stats: Buffer) =>
    store.sqlite
      .prepare(
        `INSERT INTO peer_group
           (group_key, fiscal_year, level, sni, employee_band, county, n, includes_synthetic, stats)
         VALUES (?, 2025, 'all', NULL, NULL, NULL, 10, 0, ?)
         ON CONFLICT (group_key) DO UPDATE SET stats = excluded.stats`,
      )
      .run(key, stats);
  const key = (name: string) => `all=*|band=${name}|county=*|year=2025`;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'nyckel-published-'));
    store = openFinanceStore(dir);
  });
  afterAll(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** n and the quantiles of net margin in the kept group at `slot`. */
  const netMargin = (published: PublishedGroups, slot: number) => {
    const metric = METRICS.findIndex((m) => m.id === 'net_margin');
    return [0, 1, 2, 3, 4, 5].map((field) => published.stat(slot, metric, field));
  };

  it('keeps what it read until the database changes, by this connection or another', () => {
    insert(key('a'), encodeStats({ net_margin: [12, null, 0.1, 0.2, 0.3, null] }));
    insert(key('a2'), encodeStats({}));
    const reader = publishedGroupReader(store.sqlite);
    let published = reader();
    const slot = published.find(key('a'));
    expect(netMargin(published, slot)).toStrictEqual([12, NaN, 0.1, 0.2, 0.3, NaN]);
    expect(published.includesSynthetic(slot)).toBe(false);
    expect(published.find(key('missing'))).toBe(-1);
    // Kept: found again in the same slot, in this request and the next.
    expect(published.find(key('a'))).toBe(slot);
    expect(reader().find(key('a'))).toBe(slot);
    expect(reader().find(key('a2'))).toBe(slot + 1);

    insert(key('a'), encodeStats({ net_margin: [13, null, 0.1, 0.25, 0.3, null] }));
    published = reader();
    expect(netMargin(published, published.find(key('a')))).toStrictEqual([
      13,
      NaN,
      0.1,
      0.25,
      0.3,
      NaN,
    ]);

    const other = new Database(join(dir, 'finance.db'));
    try {
      other
        .prepare('UPDATE peer_group SET stats = ? WHERE group_key = ?')
        .run(encodeStats({ net_margin: [14, 0.05, 0.1, 0.25, 0.3, 0.4] }), key('a'));
    } finally {
      other.close();
    }
    published = reader();
    expect(netMargin(published, published.find(key('a')))).toStrictEqual([
      14, 0.05, 0.1, 0.25, 0.3, 0.4,
    ]);
  });

  it('keeps at most as many groups as it was told, reusing the oldest slot first', () => {
    for (const name of ['b', 'c', 'd']) insert(key(name), encodeStats({}));
    const published = publishedGroupReader(store.sqlite, 2)();
    expect(published.find(key('b'))).toBe(0);
    expect(published.find(key('c'))).toBe(1);
    expect(published.find(key('d'))).toBe(0);
    expect(published.find(key('c'))).toBe(1);
    // b was forgotten: read again, into the oldest slot (c's).
    expect(published.find(key('b'))).toBe(1);
    expect(published.find(key('d'))).toBe(0);
  });

  it('keeps groups across blocks of slots and reuses the oldest slot when full', () => {
    const many = Array.from({ length: 1_030 }, (_, i) => `m${i}`);
    for (const [i, name] of many.entries()) {
      insert(key(name), encodeStats({ net_margin: [10 + i, null, i, i + 0.5, i + 1, null] }));
    }
    const published = publishedGroupReader(store.sqlite, many.length - 1)();
    const slotsRead = many.slice(0, -1).map((name) => published.find(key(name)));
    expect(slotsRead).toStrictEqual(many.slice(0, -1).map((_, i) => i));
    // Every kept group, in the first block and the last, still reads as stored.
    for (const i of [0, 511, 512, 1_023, 1_024, many.length - 2]) {
      expect(netMargin(published, i)).toStrictEqual([10 + i, NaN, i, i + 0.5, i + 1, NaN]);
    }
    const last = many.length - 1;
    expect(published.find(key(many[last]!))).toBe(0);
    expect(netMargin(published, 0)).toStrictEqual([
      10 + last,
      NaN,
      last,
      last + 0.5,
      last + 1,
      NaN,
    ]);
  });

  it('forgets keys found unpublished apart from the groups it keeps', () => {
    for (const name of ['u1', 'u2']) insert(key(name), encodeStats({}));
    const published = publishedGroupReader(store.sqlite, 2)();
    expect(published.find(key('u1'))).toBe(0);
    expect(published.find(key('u2'))).toBe(1);
    // More unpublished keys than slots: those are started again, the kept groups stay (had
    // they been forgotten, u2 would be read again into slot 0).
    for (const name of ['x1', 'x2', 'x3', 'x4']) expect(published.find(key(name))).toBe(-1);
    expect(published.find(key('u2'))).toBe(1);
    expect(published.find(key('u1'))).toBe(0);
  });

  it('refuses a stored group of another catalogue or with numbers no release makes', () => {
    const withoutN = encodeStats({ net_margin: [12, null, 1, 2, 3, null] });
    withoutN.writeDoubleLE(Number.NaN, METRICS.findIndex((m) => m.id === 'net_margin') * 48);
    const bad = {
      // One figure fewer than the catalogue has, as an older release would have stored.
      e: encodeStats({}).subarray(48),
      f: encodeStats({ net_margin: [12, null, 1, Number.POSITIVE_INFINITY, 3, null] }),
      g: encodeStats({ net_margin: [12.5, null, 1, 2, 3, null] }),
      h: withoutN,
    };
    for (const [name, stats] of Object.entries(bad)) insert(key(name), stats);
    insert(key('ok'), encodeStats({ net_margin: [12, null, 1, 2, 3, null] }));
    const published = publishedGroupReader(store.sqlite)();
    for (const name of Object.keys(bad)) {
      expect(() => published.find(key(name))).toThrow('bad peer_group stats');
    }
    expect(netMargin(published, published.find(key('ok')))).toStrictEqual([12, NaN, 1, 2, 3, NaN]);
  });
});
