import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  contractTermsSchema,
  regionOf,
  runsIn,
  unitPrice,
  type ContractTerms,
} from '../../domain/contracts';
import { quantileOfSorted } from '../../domain/disclosure';
import { DEMO_SEED, generateDemoPopulation, loadDemoPopulation } from '../../server/finance/demo';
import { renderDemoContractTables } from '../../server/finance/demo/contract-docs';
import {
  DEMO_CONTRACT_ASSUMPTIONS,
  DEMO_ELECTRICITY_PRICE_FACTOR,
  DEMO_RENT_FACTOR,
  demoContractsOf,
} from '../../server/finance/demo/contracts';
import { openFinanceStore } from '../../server/finance/store';

/**
 * The demo population's agreements: deterministic, valid, running in the load month, with
 * unit prices where the documented assumptions put them; the document holds exactly the
 * generator's tables.
 */
const MONTH = '2026-11';

function population(entities: number): ContractTerms[][] {
  return [...generateDemoPopulation({ entities })].map((entity, index) =>
    demoContractsOf(entity, index, DEMO_SEED, MONTH),
  );
}

const median = (values: number[]) =>
  quantileOfSorted(
    [...values].sort((a, b) => a - b),
    50,
  )!;

describe('demo agreements', () => {
  const drawn = population(3_000);
  const all = drawn.flat();

  it('are the same for the same seed, position and month', () => {
    const [entity] = generateDemoPopulation({ entities: 1 });
    expect(demoContractsOf(entity!, 0, DEMO_SEED, MONTH)).toEqual(
      demoContractsOf(entity!, 0, DEMO_SEED, MONTH),
    );
    expect(population(50)).toEqual(population(50));
    expect(demoContractsOf(entity!, 0, DEMO_SEED + 1, MONTH)).not.toEqual(
      demoContractsOf(entity!, 0, DEMO_SEED, MONTH),
    );
  });

  it('are valid terms that run in the load month, at most one per category and company', () => {
    for (const terms of all) {
      expect(contractTermsSchema.safeParse(terms).success, JSON.stringify(terms)).toBe(true);
      expect(runsIn(terms, MONTH)).toBe(true);
    }
    for (const company of drawn) {
      expect(new Set(company.map((c) => c.category)).size).toBe(company.length);
    }
    expect(all.length / drawn.length).toBeGreaterThan(4);
    expect(all.length / drawn.length).toBeLessThan(7);
  });

  it('have unit prices around the documented medians, by price area and county', () => {
    const prices = (filter: (terms: ContractTerms) => boolean) =>
      all.filter(filter).map((terms) => unitPrice(terms));
    for (const assumption of DEMO_CONTRACT_ASSUMPTIONS) {
      if (assumption.category === 'electricity' || assumption.category === 'rent') continue;
      const observed = median(prices((t) => t.category === assumption.category));
      expect(observed / assumption.price.median, assumption.category).toBeGreaterThan(0.85);
      expect(observed / assumption.price.median, assumption.category).toBeLessThan(1.15);
    }
    const electricity = DEMO_CONTRACT_ASSUMPTIONS.find((a) => a.category === 'electricity')!;
    for (const area of ['SE3', 'SE4'] as const) {
      const observed = median(prices((t) => t.category === 'electricity' && regionOf(t) === area));
      const expected = electricity.price.median * DEMO_ELECTRICITY_PRICE_FACTOR[area];
      expect(observed / expected, area).toBeGreaterThan(0.9);
      expect(observed / expected, area).toBeLessThan(1.1);
    }
    const rent = DEMO_CONTRACT_ASSUMPTIONS.find((a) => a.category === 'rent')!;
    const stockholm = median(prices((t) => t.category === 'rent' && t.county === '01'));
    expect(stockholm / (rent.price.median * DEMO_RENT_FACTOR['01'])).toBeGreaterThan(0.85);
    expect(stockholm / (rent.price.median * DEMO_RENT_FACTOR['01'])).toBeLessThan(1.15);
    // Electricity is dearer in the south, rent in Stockholm.
    expect(
      median(prices((t) => t.category === 'electricity' && t.priceArea === 'SE4')),
    ).toBeGreaterThan(median(prices((t) => t.category === 'electricity' && t.priceArea === 'SE1')));
    expect(stockholm).toBeGreaterThan(
      median(prices((t) => t.category === 'rent' && t.county === '25')),
    );
  });

  it('are loaded with the population: terms only, no sealed part, gone with it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nyckel-demo-contracts-'));
    const store = openFinanceStore(dir);
    try {
      loadDemoPopulation(store, { entities: 200, now: Date.UTC(2026, 10, 15) });
      const rows = store.sqlite
        .prepare(`SELECT c.*, e.synthetic FROM contract c JOIN entity e ON e.id = c.entity_id`)
        .all() as Record<string, unknown>[];
      const expected = population(200).flat();
      expect(rows).toHaveLength(expected.length);
      for (const row of rows) {
        expect(row).toMatchObject({ synthetic: 1, sealed: null, updated_month: MONTH });
        expect(row.contract_id).toMatch(/^[0-9a-f-]{36}$/);
        expect(row.unit_price).toBeCloseTo(
          unitPrice({
            category: row.category as ContractTerms['category'],
            quantity: row.quantity as number,
            annualCost: row.annual_cost as number,
          }),
          9,
        );
      }
      store.sqlite.prepare('DELETE FROM entity WHERE synthetic = 1').run();
      expect(store.sqlite.prepare('SELECT count(*) FROM contract').pluck().get()).toBe(0);
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('docs/DEMO-DATA.md', () => {
  /** Markdown with Prettier's table padding taken out, so only the content is compared. */
  const normalise = (markdown: string): string =>
    markdown
      .split('\n')
      .map((line) =>
        line.trim().startsWith('|')
          ? line
              .trim()
              .split('|')
              .map((cell) => cell.trim().replace(/^-+$/, '-'))
              .join('|')
          : line.trim(),
      )
      .join('\n');

  it('holds exactly the agreement tables the generator uses', () => {
    // On a mismatch: `npx tsx server/finance/demo/contract-docs.ts`, paste, `npx prettier --write`.
    const doc = readFileSync(join(import.meta.dirname, '../../docs/DEMO-DATA.md'), 'utf8');
    expect(normalise(doc)).toContain(normalise(renderDemoContractTables()));
  });
});
