import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchmarkResultSchema, type BenchmarkResult } from '../../domain/benchmark';
import { itemIndex, percentileRank, roundSignificant } from '../../domain/disclosure';
import { METRICS, type MetricId } from '../../domain/ratios';
import { buildPayload } from '../../domain/sie-summary';
import { createFinanceClient, type FinanceClient } from '../../src/lib/core/api/clients';
import {
  benchmark,
  capabilityHash,
  listYears,
  uploadPayload,
} from '../../src/lib/core/finance/entities';
import { summarizeBytes } from '../../workers/sie/summarize';
import { expectFailure } from '../helpers/identity-http';
import { repoRoot, startTestServer, type TestServer } from '../helpers/server';
import {
  calendarYear,
  contributedValue,
  groupValues,
  newCapability,
  type Company,
  type PayloadYear,
  type Profile,
} from '../unit/stats-fixtures';

/**
 * The benchmark query end to end: the real server (statistics refreshed in the same request,
 * no demo population), HTTP through the client core. Capability and give-to-get rules, and
 * that an entity only ever sees its own values and released (rounded) numbers.
 */
let server: TestServer;
let finance: FinanceClient;

beforeAll(async () => {
  server = await startTestServer({ env: { NYCKEL_STATS_REFRESH_MS: '0', NYCKEL_DEMO: 'off' } });
  finance = createFinanceClient({ baseUrl: server.url });
});
afterAll(async () => {
  await server.dispose();
});

const noProfile = { sni: null, employeeBand: null, county: null };

async function newCompany(profile: Profile, years: PayloadYear[]): Promise<Company> {
  const cap = newCapability();
  const { entityId } = await finance.createEntity.mutate({
    capabilityHash: await capabilityHash(cap.capability),
    profile,
  });
  const company: Company = { entityId, capability: cap.capability, profile, years };
  if (years.length > 0) {
    await uploadPayload(finance, link(company), {
      format: 'nyckel.finance-payload/1',
      profile: noProfile,
      years,
    });
  }
  return company;
}

const link = (company: Company) => ({
  financeEntityId: company.entityId,
  capability: company.capability,
});

/** Figures with many digits, different for every company (so a leak would be findable). */
const distinctYear = (year: number, i: number) =>
  calendarYear(year, {
    sales: 1_234_567 + i * 98_761,
    goods: 345_679 + i * 12_347,
    external: 111_113 + i * 7_919,
    personnel: 401_017 + i * 31_337,
    employees: 5 + (i % 4),
    cash: 250_001 + i * 4_447,
  });

describe('benchmark over HTTP', () => {
  const companies: Company[] = [];
  const it620: Profile = { sni: '620', employeeBand: '5-9', county: '01' };

  beforeAll(async () => {
    for (let i = 0; i < 14; i += 1) {
      companies.push(
        await newCompany(i < 12 ? it620 : { ...it620, county: '03' }, [
          distinctYear(2023, i),
          distinctYear(2024, i + 100),
        ]),
      );
    }
  });

  it('is refused until the entity has contributed a year (give-to-get)', async () => {
    // Elsewhere (Skåne), so that the Stockholm group stays the 12 companies above.
    const newcomer = await newCompany({ ...it620, county: '12' }, []);
    const error = await expectFailure(benchmark(finance, link(newcomer)), {
      code: 'FORBIDDEN',
      reason: 'NO_CONTRIBUTION',
    });
    expect(error.message).toMatch(/uploaded at least one fiscal year/);
    expect(error.messageSv).toMatch(/minst ett räkenskapsår/);
    await uploadPayload(finance, link(newcomer), {
      format: 'nyckel.finance-payload/1',
      profile: noProfile,
      years: [distinctYear(2024, 777)],
    });
    const result = await benchmark(finance, link(newcomer));
    expect(result.years).toEqual([2024]);
  });

  it('refuses a wrong or foreign capability, and throttles like listYears', async () => {
    const target = await newCompany({ ...it620, county: '12' }, [distinctYear(2024, 555)]);
    const wrong = { financeEntityId: target.entityId, capability: newCapability().capability };
    await expectFailure(benchmark(finance, wrong), { reason: 'CAPABILITY_REFUSED' });
    // Another company's real capability does not open this one.
    const foreign = { financeEntityId: target.entityId, capability: companies[0]!.capability };
    await expectFailure(benchmark(finance, foreign), { reason: 'CAPABILITY_REFUSED' });
    // An unknown entity id is refused the same way.
    const unknown = { financeEntityId: '0'.repeat(32), capability: companies[0]!.capability };
    await expectFailure(benchmark(finance, unknown), { reason: 'CAPABILITY_REFUSED' });
    // Ten failures on one id (two above, eight here) and even the right capability waits.
    for (let i = 0; i < 8; i += 1) {
      await expectFailure(benchmark(finance, wrong), { reason: 'CAPABILITY_REFUSED' });
    }
    const throttled = await expectFailure(benchmark(finance, link(target)), {
      code: 'TOO_MANY_REQUESTS',
      reason: 'CAPABILITY_THROTTLED',
    });
    expect(throttled.details?.retryAfterSeconds).toBeGreaterThan(0);
    await expectFailure(listYears(finance, link(target)), { reason: 'CAPABILITY_THROTTLED' });
  });

  it('answers with the schema: own values, released quantiles, rank and index', async () => {
    const me = companies[3]!;
    const result: BenchmarkResult = await benchmark(finance, link(me));
    expect(benchmarkResultSchema.parse(result)).toEqual(result);
    expect(result).toMatchObject({ demo: false, minGroupSize: 10, years: [2024, 2023] });
    expect(result.history.map((y) => y.year)).toEqual([2024, 2023]);
    expect(result.selected).toEqual(result.history[0]);
    expect(result.selected.items.map((item) => item.id)).toEqual(METRICS.map((m) => m.id));

    const indices: number[] = [];
    for (const item of result.selected.items) {
      const own = contributedValue(me, 2024, item.id);
      expect(item.value).toBe(own ?? null);
      if (item.group === null) continue;
      // The 12 Stockholm companies form the group; the 2 in Uppsala are not in it.
      expect(item.group).toEqual({
        level: 'sni3',
        sni: '620',
        employeeBand: '5-9',
        county: '01',
        year: 2024,
      });
      const values = groupValues(companies, item.group, item.id);
      expect(item.n).toBe(values.length);
      if (item.value === null) continue;
      const below = values.filter((v) => v < item.value!).length;
      const equal = values.filter((v) => v === item.value).length;
      const rank = percentileRank({ below, equal, n: values.length })!;
      expect(item.rank).toBeCloseTo(rank, 9);
      const direction = METRICS.find((m) => m.id === item.id)!.direction;
      expect(item.index).toBe(itemIndex(rank, direction));
      indices.push(item.index!);
    }
    expect(indices.length).toBeGreaterThan(10);
    expect(result.selected.overallIndex).toBe(
      Math.round(indices.reduce((a, b) => a + b, 0) / indices.length),
    );
  });

  it('an entity only ever sees its own values and numbers rounded to 3 digits', async () => {
    const ownValues = (company: Company) =>
      new Set(
        company.years.flatMap((year) =>
          METRICS.map((m) => contributedValue(company, Number(year.end.slice(0, 4)), m.id)),
        ),
      );
    for (const me of companies) {
      const result = await benchmark(finance, link(me));
      // Every number in the answer, as the client parses it.
      const numbers = new Set(
        [...JSON.stringify(result).matchAll(/-?\d+(\.\d+)?(e[+-]?\d+)?/gi)].map((m) =>
          Number(m[0]),
        ),
      );
      const mine = ownValues(me);
      for (const other of companies) {
        if (other === me) continue;
        for (const value of ownValues(other)) {
          if (value === undefined || mine.has(value)) continue;
          // A full-precision figure of another company is nowhere in the answer (a value
          // that happens to have at most 3 significant digits could equal a quantile).
          if (roundSignificant(value) === value) continue;
          expect(numbers.has(value), `${value} leaked`).toBe(false);
        }
      }
      for (const year of result.history) {
        for (const item of year.items) {
          for (const key of ['p10', 'p25', 'p50', 'p75', 'p90'] as const) {
            const q = item[key];
            if (q !== undefined) expect(roundSignificant(q)).toBe(q);
          }
        }
      }
    }
  });

  it('follows the asked level and year, and refuses a year the entity does not have', async () => {
    const me = companies[0]!;
    const wide = await benchmark(finance, link(me), { level: 'all', year: 2023 });
    expect(wide.selected.year).toBe(2023);
    const gross = wide.selected.items.find((item) => item.id === ('gross_margin' as MetricId))!;
    // Level "all", own band and county first: the 12 Stockholm companies again.
    expect(gross.group).toEqual({
      level: 'all',
      sni: null,
      employeeBand: '5-9',
      county: '01',
      year: 2023,
    });
    expect(wide.history).toHaveLength(2);
    await expectFailure(benchmark(finance, link(me), { year: 2019 }), {
      code: 'NOT_FOUND',
      reason: 'YEAR_NOT_FOUND',
    });
  });

  it('benchmarks the years of a real SIE file', async () => {
    const file = resolve(repoRoot, '../shared/sie-corpus/Sie4.se');
    const summary = await summarizeBytes(new Uint8Array(readFileSync(file)), {
      fileName: 'Sie4.se',
    });
    const built = buildPayload(summary.data!, { sni: '62010', employees: 7, county: '01' });
    if (!built.ok) throw new Error('corpus file gives no payload');
    const company = await newCompany({ ...it620, county: '12' }, []);
    await uploadPayload(finance, link(company), built.payload);
    const result = await benchmark(finance, link(company));
    expect(benchmarkResultSchema.safeParse(result).success).toBe(true);
    expect(result.history).toHaveLength(built.payload.years.length);
    expect(result.selected.start).toBe(built.payload.years[0]!.start);
  });
});

describe('with the demo population', () => {
  let demoServer: TestServer;
  beforeAll(async () => {
    demoServer = await startTestServer({
      env: { NYCKEL_DEMO: 'on', NYCKEL_DEMO_ENTITIES: '3000', NYCKEL_STATS_REFRESH_MS: '0' },
    });
  });
  afterAll(async () => {
    await demoServer.dispose();
  });

  it('a newcomer is compared with labelled synthetic peers', async () => {
    const client = createFinanceClient({ baseUrl: demoServer.url });
    const cap = newCapability();
    const profile: Profile = { sni: '620', employeeBand: '1-4', county: '01' };
    const { entityId } = await client.createEntity.mutate({
      capabilityHash: await capabilityHash(cap.capability),
      profile,
    });
    const company = { financeEntityId: entityId, capability: cap.capability };
    await uploadPayload(client, company, {
      format: 'nyckel.finance-payload/1',
      profile: noProfile,
      years: [distinctYear(2025, 1)],
    });
    const result = await benchmark(client, company);
    expect(result.demo).toBe(true);
    const withGroup = result.selected.items.filter((item) => item.group !== null);
    expect(withGroup.length).toBeGreaterThan(METRICS.length / 2);
    for (const item of withGroup) expect(item.n).toBeGreaterThanOrEqual(10);
    expect(result.selected.overallIndex).not.toBeNull();
  });
});
