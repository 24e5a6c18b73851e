import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  countDemoEntities,
  generateDemoPopulation,
  loadDemoPopulation,
  removeDemoPopulation,
} from '../../server/finance/demo';
import { FINANCE_DB_FILE, openFinanceStore, type FinanceStore } from '../../server/finance/store';

const opened: { store: FinanceStore; dir: string }[] = [];

function freshStore(): FinanceStore {
  const dir = mkdtempSync(join(tmpdir(), 'nyckel-demo-'));
  const store = openFinanceStore(dir);
  opened.push({ store, dir });
  return store;
}

afterEach(() => {
  for (const { store, dir } of opened.splice(0)) {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

/** 15 March 2026, noon UTC. */
const NOW = Date.UTC(2026, 2, 15, 12);

const entityRows = z.array(
  z.object({
    id: z.string(),
    capability_hash: z.string(),
    sni3: z.string(),
    employee_band: z.string(),
    county: z.string(),
    created_month: z.string(),
    synthetic: z.number(),
  }),
);
const yearRows = z.array(
  z.object({
    entity_id: z.string(),
    fiscal_start: z.string(),
    fiscal_end: z.string(),
    employees: z.number().nullable(),
    balance: z.string(),
    result: z.string(),
    uploaded_month: z.string(),
  }),
);

const entitiesOf = (store: FinanceStore) =>
  entityRows.parse(store.sqlite.prepare('SELECT * FROM entity ORDER BY rowid').all());
const yearsOf = (store: FinanceStore) =>
  yearRows.parse(store.sqlite.prepare('SELECT * FROM year_summary ORDER BY rowid').all());
const count = (store: FinanceStore, table: 'entity' | 'year_summary') =>
  z.int().parse(store.sqlite.prepare(`SELECT count(*) FROM ${table}`).pluck().get());

function insertRealEntity(store: FinanceStore, id: string): void {
  store.sqlite
    .prepare(
      `INSERT INTO entity (id, capability_hash, sni3, employee_band, county, created_month)
       VALUES (?, ?, '620', '1-4', '01', '2026-03')`,
    )
    .run(id, 'ab'.repeat(32));
  store.sqlite
    .prepare(
      `INSERT INTO year_summary (entity_id, fiscal_start, fiscal_end, employees, balance, result,
         uploaded_month)
       VALUES (?, '2025-01-01', '2025-12-31', 2, '{}', '{"30":-100}', '2026-03')`,
    )
    .run(id);
}

describe('loadDemoPopulation', () => {
  it('stores exactly the generated population, marked synthetic, with month-granular times', () => {
    const store = freshStore();
    expect(loadDemoPopulation(store, { entities: 300, seed: 5, now: NOW })).toEqual({
      loaded: 300,
    });
    const expected = [...generateDemoPopulation({ entities: 300, seed: 5 })];
    const entities = entitiesOf(store);
    const years = yearsOf(store);
    expect(entities).toHaveLength(300);
    expect(years).toHaveLength(900);
    expect(new Set(entities.map((e) => e.synthetic))).toEqual(new Set([1]));
    expect(new Set(entities.map((e) => e.created_month))).toEqual(new Set(['2026-03']));
    expect(new Set(years.map((y) => y.uploaded_month))).toEqual(new Set(['2026-03']));

    const stored = entities.map((entity) => ({
      sni3: entity.sni3,
      employeeBand: entity.employee_band,
      county: entity.county,
      years: years
        .filter((year) => year.entity_id === entity.id)
        .map((year) => ({
          start: year.fiscal_start,
          end: year.fiscal_end,
          employees: year.employees,
          balance: JSON.parse(year.balance),
          result: JSON.parse(year.result),
        })),
    }));
    expect(stored).toEqual(expected);
  });

  it('gives demo entities fresh random ids and capability hashes that no one holds', () => {
    const first = freshStore();
    const second = freshStore();
    loadDemoPopulation(first, { entities: 200, seed: 9, now: NOW });
    loadDemoPopulation(second, { entities: 200, seed: 9, now: NOW });
    const a = entitiesOf(first);
    const b = entitiesOf(second);
    for (const entity of [...a, ...b]) {
      expect(entity.id).toMatch(/^[0-9a-f]{32}$/);
      expect(entity.capability_hash).toMatch(/^[0-9a-f]{64}$/);
    }
    const ids = new Set([...a, ...b].map((e) => e.id));
    const hashes = new Set([...a, ...b].map((e) => e.capability_hash));
    // Same seed, same figures; but the ids and hashes come from the CSPRNG every time.
    expect(ids.size).toBe(400);
    expect(hashes.size).toBe(400);
    expect(yearsOf(first).map((y) => y.result)).toEqual(yearsOf(second).map((y) => y.result));
  });

  it('loads nothing into a store that already has an entity, real or synthetic', () => {
    const withReal = freshStore();
    insertRealEntity(withReal, 'c'.repeat(32));
    expect(loadDemoPopulation(withReal, { entities: 100 })).toEqual({ loaded: 0 });
    expect(count(withReal, 'entity')).toBe(1);

    const withDemo = freshStore();
    expect(loadDemoPopulation(withDemo, { entities: 100 })).toEqual({ loaded: 100 });
    expect(loadDemoPopulation(withDemo, { entities: 100 })).toEqual({ loaded: 0 });
    expect(count(withDemo, 'entity')).toBe(100);
    expect(count(withDemo, 'year_summary')).toBe(300);
  });

  it('refuses invalid options before writing anything', () => {
    const store = freshStore();
    expect(() => loadDemoPopulation(store, { entities: 0 })).toThrow();
    expect(count(store, 'entity')).toBe(0);
  });

  it('loads 30 000 entities in one transaction within seconds', () => {
    const store = freshStore();
    const started = performance.now();
    expect(loadDemoPopulation(store, { entities: 30_000 })).toEqual({ loaded: 30_000 });
    const ms = performance.now() - started;
    expect(count(store, 'year_summary')).toBe(90_000);
    const bytes = statSync(join(store.file, '..', FINANCE_DB_FILE)).size;
    console.info(`demo population: 30 000 entities in ${Math.round(ms)} ms, ${bytes} bytes`);
    // Generous for a shared 2-core machine; on an idle one it takes a few seconds.
    expect(ms).toBeLessThan(30_000);
  }, 60_000);
});

describe('removeDemoPopulation', () => {
  it('deletes every synthetic entity and its years, and never a real one', () => {
    const store = freshStore();
    loadDemoPopulation(store, { entities: 150, now: NOW });
    const realId = 'd'.repeat(32);
    insertRealEntity(store, realId);
    expect(countDemoEntities(store)).toBe(150);

    expect(removeDemoPopulation(store)).toEqual({ removed: 150 });
    expect(countDemoEntities(store)).toBe(0);
    expect(entitiesOf(store).map((e) => e.id)).toEqual([realId]);
    expect(yearsOf(store).map((y) => y.entity_id)).toEqual([realId]);
    expect(removeDemoPopulation(store)).toEqual({ removed: 0 });
  });
});
