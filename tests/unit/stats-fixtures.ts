import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchmarkGroup } from '../../domain/benchmark';
import { computeMetrics, fiscalYearOf, previousYearOf, type MetricId } from '../../domain/ratios';
import type { FinancePayload } from '../../domain/sie-summary';
import { sniLevelCode } from '../../domain/sni';
import { createFinanceApi } from '../../server/finance/api';
import { financeRouter } from '../../server/finance/router';
import type { StatisticsSettings } from '../../server/finance/stats/engine';
import { openFinanceStore, type FinanceStore } from '../../server/finance/store';

/**
 * Shared fixtures of the statistics tests: a finance store with the real router and engine,
 * companies with figures chosen by the test, and a brute-force reference that decides group
 * membership and values on its own (from the profiles and `computeMetrics`), not through the
 * engine's index.
 */
export type PayloadYear = FinancePayload['years'][number];

/** The coarse profile exactly as the payload carries it. */
export type Profile = FinancePayload['profile'];

/** A calendar fiscal year whose figures the test controls (amounts in SEK). */
export function calendarYear(
  year: number,
  figures: {
    sales: number;
    goods?: number;
    external?: number;
    personnel?: number;
    employees?: number | null;
    cash?: number;
  },
): PayloadYear {
  const ore = (sek: number) => Math.round(sek * 100);
  const cash = figures.cash ?? figures.sales / 4;
  return {
    start: `${year}-01-01`,
    end: `${year}-12-31`,
    employees: figures.employees === undefined ? 5 : figures.employees,
    balance: {
      '15': { ib: ore(figures.sales / 10), ub: ore(figures.sales / 8) },
      '19': { ib: ore(cash / 2), ub: ore(cash) },
      '20': { ib: -ore(cash / 4), ub: -ore(cash / 2) },
      '24': { ib: -ore(figures.sales / 20), ub: -ore(figures.sales / 16) },
    },
    result: {
      '30': -ore(figures.sales),
      '40': ore(figures.goods ?? 0),
      '50': ore(figures.external ?? figures.sales / 10),
      '70': ore(figures.personnel ?? figures.sales / 3),
    },
  };
}

/** A year whose gross margin is exactly `margin` (net sales 1 000 000 SEK). */
export const yearWithGrossMargin = (year: number, margin: number, extra = {}) =>
  calendarYear(year, { sales: 1_000_000, goods: Math.round(1_000_000 * (1 - margin)), ...extra });

export interface Company {
  entityId: string;
  capability: string;
  profile: Profile;
  years: PayloadYear[];
}

export interface Harness {
  store: FinanceStore;
  api: ReturnType<typeof createFinanceApi>;
  caller: ReturnType<typeof financeRouter.createCaller>;
  companies: Company[];
  add: (profile: Profile, years: PayloadYear[]) => Promise<Company>;
  upload: (company: Company, years: PayloadYear[]) => Promise<void>;
  setProfile: (company: Company, profile: Profile) => Promise<void>;
  remove: (company: Company) => Promise<void>;
  close: () => void;
}

export function newCapability() {
  const raw = randomBytes(32);
  return {
    capability: raw.toString('base64url'),
    hash: createHash('sha256').update(raw).digest('hex'),
  };
}

const noProfile = { sni: null, employeeBand: null, county: null };

/** A fresh store, router and statistics engine (synchronous refresh unless told otherwise). */
export function statsHarness(settings: Partial<StatisticsSettings> = {}): Harness {
  const dir = mkdtempSync(join(tmpdir(), 'nyckel-stats-'));
  const store = openFinanceStore(dir);
  const api = createFinanceApi({
    store,
    statistics: { refreshMs: 0, demo: { enabled: false, excludeAt: 200 }, ...settings },
  });
  const caller = financeRouter.createCaller(api.createContext());
  const companies: Company[] = [];
  const upload = async (company: Company, years: PayloadYear[]) => {
    await caller.uploadYears({
      entityId: company.entityId,
      capability: company.capability,
      payload: { format: 'nyckel.finance-payload/1', profile: noProfile, years },
    });
    const starts = new Set(years.map((y) => y.start));
    company.years = [...company.years.filter((y) => !starts.has(y.start)), ...years];
  };
  return {
    store,
    api,
    caller,
    companies,
    async add(profile, years) {
      const cap = newCapability();
      const { entityId } = await caller.createEntity({
        capabilityHash: cap.hash,
        profile,
      });
      const company: Company = { entityId, capability: cap.capability, profile, years: [] };
      if (years.length > 0) await upload(company, years);
      companies.push(company);
      return company;
    },
    upload,
    async setProfile(company, profile) {
      await caller.updateProfile({
        entityId: company.entityId,
        capability: company.capability,
        profile,
      });
      company.profile = profile;
    },
    async remove(company) {
      await caller.deleteEntity({ entityId: company.entityId, capability: company.capability });
      companies.splice(companies.indexOf(company), 1);
    },
    close() {
      api.statistics.close();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Whether a company belongs to a group, decided from its profile alone. */
export function isMember(profile: Profile, group: BenchmarkGroup): boolean {
  if (group.level !== 'all') {
    if (profile.sni === null || sniLevelCode(profile.sni, group.level) !== group.sni) return false;
  }
  if (group.employeeBand !== null && profile.employeeBand !== group.employeeBand) return false;
  if (group.county !== null && profile.county !== group.county) return false;
  return true;
}

/**
 * The value each company contributes to a fiscal year for a metric (brute force): of two
 * fiscal years ending in the same calendar year the later one, previous year for growth.
 */
export function contributedValue(
  company: Company,
  fiscalYear: number,
  metric: MetricId,
): number | undefined {
  const inYear = company.years
    .filter((y) => fiscalYearOf(y) === fiscalYear)
    .sort((a, b) => (a.end < b.end ? 1 : a.end > b.end ? -1 : a.start < b.start ? 1 : -1));
  const year = inYear[0];
  if (year === undefined) return undefined;
  return computeMetrics(year, previousYearOf(company.years, year))[metric];
}

/** Every value of the group for a metric, from the companies' own figures. */
export const groupValues = (
  companies: readonly Company[],
  group: BenchmarkGroup,
  metric: MetricId,
): number[] =>
  companies
    .filter((company) => isMember(company.profile, group))
    .map((company) => contributedValue(company, group.year, metric))
    .filter((value): value is number => value !== undefined);
