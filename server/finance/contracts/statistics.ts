import type Database from 'better-sqlite3';
import { z } from 'zod';
import {
  CONTRACT_CATEGORIES,
  contractCategory,
  contractGroupKey,
  weightedUnitPrice,
  type ContractCategory,
  type ContractGroup,
} from '../../../domain/contracts';
import { countBelowAndEqual, discloseSorted } from '../../../domain/disclosure';

/**
 * Agreement statistics (issue #7, DESIGN §7, P8), materialised like the key-ratio
 * statistics: published quantiles live in `contract_peer_group` and are rebuilt after changes
 * (debounced), never computed per request.
 *
 * Groups: a category in one region (price area for electricity, county for rent) and the
 * category in all regions. Each entity counts once per group, with the quantity-weighted unit
 * price of its agreements there (total cost over total quantity). Counted are agreements that
 * run in the current month (open-ended, automatically renewing, or ending this month or
 * later). A group is published only with n ≥ the minimum group size; p10/p90 only from 20;
 * every number rounded to 3 significant digits (domain/disclosure.ts). The synthetic demo
 * population counts exactly while the key-ratio statistics include it.
 *
 * For percentile ranks the engine keeps, in memory only, the sorted unit prices of each
 * published group; a rank is a binary search there.
 */
export interface ContractStatisticsSettings {
  minGroupSize: number;
  /** How long changes gather before a refresh; 0 refreshes synchronously. */
  refreshMs: number;
}

export interface ContractStatisticsDeps {
  sqlite: Database.Database;
  settings: ContractStatisticsSettings;
  /** Whether the demo population counts (the key-ratio statistics decide). */
  includeDemo: () => boolean;
  now: () => number;
}

export interface PublishedContractGroup {
  group: ContractGroup;
  n: number;
  p10: number | null;
  p25: number;
  p50: number;
  p75: number;
  p90: number | null;
  includesSynthetic: boolean;
}

export interface ContractStatisticsReport {
  categories: number;
  /** Running agreements read. */
  agreements: number;
  publishedGroups: number;
  ms: number;
}

export interface ContractStatistics {
  readonly settings: ContractStatisticsSettings;
  /**
   * Runs `mutate` (which changes one entity's agreements or removes the entity) and schedules
   * the refresh of every category the entity had or has agreements in.
   */
  trackEntity: <T>(entityId: string, mutate: () => T) => T;
  /** Marks categories (default: all) as changed and schedules their refresh. */
  changed: (categories?: Iterable<ContractCategory>) => void;
  /** Applies pending changes now. */
  refresh: () => ContractStatisticsReport;
  /** Everything from scratch. */
  rebuild: () => ContractStatisticsReport;
  /** The published group (null: not published), after bringing the statistics up to date. */
  published: (group: ContractGroup) => PublishedContractGroup | null;
  /** Where `price` falls in a published group: values below and equal, and n. */
  countIn: (group: ContractGroup, price: number) => { below: number; equal: number; n: number };
  close: () => void;
}

const monthOf = (ms: number) => new Date(ms).toISOString().slice(0, 7);

const quantile = z.number().refine(Number.isFinite);
/** A stored `contract_peer_group` row (checked: it feeds the answer). */
const publishedRowSchema = z.object({
  n: z.int().min(1),
  p10: quantile.nullable(),
  p25: quantile,
  p50: quantile,
  p75: quantile,
  p90: quantile.nullable(),
  includes_synthetic: z.union([z.literal(0), z.literal(1)]),
});

interface Member {
  cost: number;
  quantity: number;
  synthetic: boolean;
}

export function createContractStatistics(deps: ContractStatisticsDeps): ContractStatistics {
  const { sqlite, settings } = deps;
  const selectRunning = sqlite.prepare(
    `SELECT c.entity_id, c.category, c.quantity, c.annual_cost, c.price_area, c.county,
            e.synthetic
       FROM contract c JOIN entity e ON e.id = c.entity_id
      WHERE c.category = ?
        AND (e.synthetic = 0 OR ?)
        AND (c.end_month IS NULL OR c.renewal_months IS NOT NULL OR c.end_month >= ?)`,
  );
  const categoriesOfEntity = sqlite
    .prepare('SELECT DISTINCT category FROM contract WHERE entity_id = ?')
    .pluck();
  const deleteCategory = sqlite.prepare('DELETE FROM contract_peer_group WHERE category = ?');
  const insertGroup = sqlite.prepare(
    `INSERT INTO contract_peer_group
       (group_key, category, region, n, p10, p25, p50, p75, p90, includes_synthetic)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const selectGroup = sqlite.prepare(
    `SELECT n, p10, p25, p50, p75, p90, includes_synthetic
       FROM contract_peer_group WHERE group_key = ?`,
  );

  /** Sorted unit prices of each published group (memory only, for ranks). */
  let orders = new Map<string, Float64Array>();
  let built = false;
  let builtMonth = '';
  let builtDemo = false;
  const dirty = new Set<ContractCategory>();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  /** The groups of one category from the store: members per group key, each entity once. */
  const gather = (category: ContractCategory, demo: boolean, month: string) => {
    const { region: regionKind } = contractCategory(category);
    const groups = new Map<string, { group: ContractGroup; members: Map<string, Member> }>();
    const add = (group: ContractGroup, entityId: string, row: Member) => {
      const key = contractGroupKey(group);
      let entry = groups.get(key);
      if (entry === undefined) {
        entry = { group, members: new Map() };
        groups.set(key, entry);
      }
      const member = entry.members.get(entityId);
      if (member === undefined) entry.members.set(entityId, { ...row });
      else {
        member.cost += row.cost;
        member.quantity += row.quantity;
      }
    };
    let rows = 0;
    for (const raw of selectRunning.raw().iterate(category, demo ? 1 : 0, month) as Iterable<
      unknown[]
    >) {
      const [entityId, , quantity, cost, priceArea, county, synthetic] = raw;
      if (
        typeof entityId !== 'string' ||
        typeof quantity !== 'number' ||
        typeof cost !== 'number'
      ) {
        throw new Error('bad contract row');
      }
      rows += 1;
      const member = { cost, quantity, synthetic: synthetic === 1 };
      add({ category, region: null }, entityId, member);
      const region =
        regionKind === 'price-area' ? priceArea : regionKind === 'county' ? county : null;
      if (typeof region === 'string') add({ category, region }, entityId, member);
    }
    return { groups, rows };
  };

  /** Recomputes the published groups of `categories` in one transaction. */
  const recompute = (categories: readonly ContractCategory[]): ContractStatisticsReport => {
    const started = performance.now();
    const demo = deps.includeDemo();
    const month = monthOf(deps.now());
    const nextOrders = new Map(orders);
    const rows: unknown[][] = [];
    let agreements = 0;
    for (const category of categories) {
      for (const key of [...nextOrders.keys()]) {
        if (key.startsWith(`${category}|`)) nextOrders.delete(key);
      }
      const gathered = gather(category, demo, month);
      agreements += gathered.rows;
      for (const [key, { group, members }] of gathered.groups) {
        const prices = new Float64Array(members.size);
        let i = 0;
        let synthetic = false;
        for (const member of members.values()) {
          prices[i++] = weightedUnitPrice(category, [
            { quantity: member.quantity, annualCost: member.cost },
          ])!;
          synthetic ||= member.synthetic;
        }
        prices.sort();
        const released = discloseSorted(prices, settings.minGroupSize);
        if (released === null) continue;
        nextOrders.set(key, prices);
        rows.push([
          key,
          category,
          group.region,
          released.n,
          released.p10 ?? null,
          released.p25!,
          released.p50!,
          released.p75!,
          released.p90 ?? null,
          synthetic ? 1 : 0,
        ]);
      }
    }
    sqlite.transaction(() => {
      for (const category of categories) deleteCategory.run(category);
      for (const row of rows) insertGroup.run(...row);
    })();
    orders = nextOrders;
    for (const category of categories) dirty.delete(category);
    return {
      categories: categories.length,
      agreements,
      publishedGroups: rows.length,
      ms: Math.round(performance.now() - started),
    };
  };

  const rebuild = (): ContractStatisticsReport => {
    builtDemo = deps.includeDemo();
    builtMonth = monthOf(deps.now());
    orders = new Map();
    const report = recompute(CONTRACT_CATEGORIES);
    built = true;
    return report;
  };

  const refresh = (): ContractStatisticsReport => {
    if (!built || builtMonth !== monthOf(deps.now()) || builtDemo !== deps.includeDemo()) {
      return rebuild();
    }
    return recompute([...dirty]);
  };

  const runScheduled = () => {
    timer = undefined;
    if (closed || !sqlite.open) return;
    try {
      refresh();
    } catch {
      // The old statistics stay published; the next use rebuilds from scratch.
      built = false;
    }
  };

  const changed = (categories: Iterable<ContractCategory> = CONTRACT_CATEGORIES) => {
    for (const category of categories) dirty.add(category);
    if (closed || dirty.size === 0) return;
    if (settings.refreshMs === 0) {
      refresh();
      return;
    }
    if (timer === undefined) {
      timer = setTimeout(runScheduled, settings.refreshMs);
      timer.unref();
    }
  };

  const categoriesOf = (entityId: string) =>
    (categoriesOfEntity.all(entityId) as unknown[]).filter(
      (c): c is ContractCategory => typeof c === 'string',
    );

  /** Built, of this month, with the demo rule in force (a rebuild when any is not so). */
  const current = () => {
    if (!built || builtMonth !== monthOf(deps.now()) || builtDemo !== deps.includeDemo()) {
      rebuild();
    }
  };

  return {
    settings,
    trackEntity: (entityId, mutate) => {
      const before = categoriesOf(entityId);
      const result = mutate();
      changed(new Set([...before, ...categoriesOf(entityId)]));
      return result;
    },
    changed,
    refresh,
    rebuild,
    published: (group) => {
      current();
      const stored: unknown = selectGroup.get(contractGroupKey(group));
      if (stored === undefined) return null;
      const row = publishedRowSchema.parse(stored);
      return {
        group,
        n: row.n,
        p10: row.p10,
        p25: row.p25,
        p50: row.p50,
        p75: row.p75,
        p90: row.p90,
        includesSynthetic: row.includes_synthetic === 1,
      };
    },
    countIn: (group, price) => {
      current();
      const values = orders.get(contractGroupKey(group));
      if (values === undefined) return { below: 0, equal: 0, n: 0 };
      return { ...countBelowAndEqual(values, price), n: values.length };
    },
    close: () => {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}
