import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ENTITY_ID_BYTES } from '../capability';
import { derivedOf } from '../contracts/store';
import type { FinanceStore } from '../store';
import { demoContractsOf } from './contracts';
import {
  demoPopulationOptionsSchema,
  generateDemoPopulation,
  type DemoPopulationOptions,
} from './population';

/**
 * Loads the synthetic demo population into the finance store, and removes it again.
 *
 * Demo rows are ordinary `entity` / `year_summary` rows with `synthetic = 1`. Their ids are
 * fresh 128-bit values from the CSPRNG, like every entity id. Their capability hashes are 256
 * random bits that are not the hash of anything: no capability exists whose SHA-256 matches,
 * so no one can ever authenticate as a demo entity. Times are months, like every finance row.
 */

export const loadDemoOptionsSchema = demoPopulationOptionsSchema.extend({
  /** Clock for `created_month` / `uploaded_month` (ms since the epoch); default: now. */
  now: z.number().optional(),
});
export type LoadDemoOptions = DemoPopulationOptions & { now?: number };

const CAPABILITY_HASH_BYTES = 32;

const monthOf = (ms: number) => new Date(ms).toISOString().slice(0, 7);

/**
 * `count` distinct random values of `bytes` bytes as lowercase hex, in ascending order.
 * Handing them out in order makes every insert an append to the id and hash indexes, which
 * nearly halves the work of the load; the values themselves are as random as any entity's.
 */
function sortedRandomHex(count: number, bytes: number): string[] {
  for (;;) {
    const random = randomBytes(count * bytes);
    const values = Array.from({ length: count }, (_, i) =>
      random.toString('hex', i * bytes, (i + 1) * bytes),
    ).sort();
    // 128 random bits never collide in practice; the check only makes it certain.
    if (values.every((value, i) => i === 0 || value !== values[i - 1])) return values;
  }
}

/**
 * Inserts the demo population, in one transaction with prepared statements, if and only if
 * the store has no entity at all (real or synthetic). Returns how many entities it loaded:
 * 0 when the store was not empty.
 */
export function loadDemoPopulation(
  store: FinanceStore,
  options: LoadDemoOptions,
): { loaded: number } {
  const { now, ...population } = loadDemoOptionsSchema.parse(options);
  const month = monthOf(now ?? Date.now());
  const { sqlite } = store;
  const anyEntity = sqlite.prepare('SELECT 1 FROM entity LIMIT 1');
  const insertEntity = sqlite.prepare(
    `INSERT INTO entity (id, capability_hash, sni3, employee_band, county, created_month, synthetic)
     VALUES (?, ?, ?, ?, ?, ?, 1)`,
  );
  const insertYear = sqlite.prepare(
    `INSERT INTO year_summary
       (entity_id, fiscal_start, fiscal_end, employees, balance, result, uploaded_month)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  // Demo agreements (issue #7): comparable terms only, no sealed part (nobody can open one).
  const insertContract = sqlite.prepare(
    `INSERT INTO contract
       (entity_id, contract_id, category, unit_metric, quantity, annual_cost, unit_price,
        start_month, end_month, term_months, notice_months, renewal_months, price_model,
        price_area, county, sealed, updated_month)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)`,
  );
  const load = sqlite.transaction((): number => {
    if (anyEntity.get() !== undefined) return 0;
    const ids = sortedRandomHex(population.entities, ENTITY_ID_BYTES);
    const capabilityHashes = sortedRandomHex(population.entities, CAPABILITY_HASH_BYTES);
    let loaded = 0;
    for (const entity of generateDemoPopulation(population)) {
      const id = ids[loaded];
      const capabilityHash = capabilityHashes[loaded];
      insertEntity.run(id, capabilityHash, entity.sni3, entity.employeeBand, entity.county, month);
      for (const year of entity.years) {
        insertYear.run(
          id,
          year.start,
          year.end,
          year.employees,
          JSON.stringify(year.balance),
          JSON.stringify(year.result),
          month,
        );
      }
      for (const terms of demoContractsOf(entity, loaded, population.seed, month)) {
        const derived = derivedOf(terms);
        insertContract.run(
          id,
          randomUUID(),
          terms.category,
          derived.unitMetric,
          terms.quantity,
          terms.annualCost,
          derived.unitPrice,
          terms.startMonth,
          terms.endMonth,
          derived.termMonths,
          terms.noticeMonths,
          terms.renewalMonths,
          terms.priceModel,
          terms.priceArea,
          terms.county,
          month,
        );
      }
      loaded += 1;
    }
    return loaded;
  });
  const loaded = load.immediate();
  // Keep the write-ahead log small: the load writes tens of megabytes at once.
  if (loaded > 0) sqlite.pragma('wal_checkpoint(TRUNCATE)');
  return { loaded };
}

/** Deletes every synthetic entity (their years go with them). Real entities stay. */
export function removeDemoPopulation(store: FinanceStore): { removed: number } {
  const { changes } = store.sqlite.prepare('DELETE FROM entity WHERE synthetic = 1').run();
  if (changes > 0) store.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  return { removed: changes };
}

/** Number of synthetic entities in the store. */
export function countDemoEntities(store: FinanceStore): number {
  const count = store.sqlite
    .prepare('SELECT count(*) FROM entity WHERE synthetic = 1')
    .pluck()
    .get();
  return z.int().min(0).parse(count);
}
