import { and, asc, eq, sql } from 'drizzle-orm';
import {
  contractCategory,
  termMonths,
  unitPrice,
  type ContractCategory,
  type ContractTerms,
  type SealedContract,
} from '../../../domain/contracts';
import { contract } from '../schema';
import type { FinanceStore } from '../store';

/**
 * Agreement rows of one entity (issue #7). Every statement is parameterised and names the
 * entity: an agreement is found by (entity id, contract id) only, so no call can reach
 * another entity's agreement, whatever id it names.
 */
export type ContractRow = typeof contract.$inferSelect;

/** What the server derives from the terms, by the domain's one definition. */
export const derivedOf = (terms: ContractTerms) => ({
  unitMetric: contractCategory(terms.category).unitMetric,
  unitPrice: unitPrice(terms),
  termMonths: termMonths(terms),
});

/** The terms of a stored row, in the wire shape. */
export const termsOf = (row: ContractRow): ContractTerms => ({
  category: row.category,
  quantity: row.quantity,
  annualCost: row.annualCost,
  startMonth: row.startMonth,
  endMonth: row.endMonth,
  noticeMonths: row.noticeMonths,
  renewalMonths: row.renewalMonths,
  priceModel: row.priceModel,
  priceArea: row.priceArea,
  county: row.county,
});

/**
 * The entity's agreements, prepared once per store: every benchmark query reads them, and
 * building the statement each time cost about 0.3 ms of it (issue #6).
 */
const prepareOfEntity = (db: FinanceStore['db']) =>
  db
    .select()
    .from(contract)
    .where(eq(contract.entityId, sql.placeholder('entityId')))
    .orderBy(asc(contract.contractId))
    .prepare();

const ofEntityStatements = new WeakMap<FinanceStore, ReturnType<typeof prepareOfEntity>>();

export function contractRows(store: FinanceStore) {
  const { db } = store;
  let ofEntity = ofEntityStatements.get(store);
  if (ofEntity === undefined) {
    ofEntity = prepareOfEntity(db);
    ofEntityStatements.set(store, ofEntity);
  }
  const prepared = ofEntity;
  return {
    /** The entity's agreements, oldest id first (ids are random: a stable, meaningless order). */
    ofEntity: (entityId: string): ContractRow[] => prepared.all({ entityId }),

    count: (entityId: string): number =>
      db
        .select({ n: sql<number>`count(*)` })
        .from(contract)
        .where(eq(contract.entityId, entityId))
        .get()?.n ?? 0,

    exists: (entityId: string, contractId: string): boolean =>
      db
        .select({ id: contract.contractId })
        .from(contract)
        .where(and(eq(contract.entityId, entityId), eq(contract.contractId, contractId)))
        .get() !== undefined,

    categoriesOf: (entityId: string): ContractCategory[] =>
      db
        .selectDistinct({ category: contract.category })
        .from(contract)
        .where(eq(contract.entityId, entityId))
        .all()
        .map((row) => row.category),

    /** Inserts or replaces the agreement `contractId` of the entity. */
    save: (
      entityId: string,
      contractId: string,
      terms: ContractTerms,
      sealed: SealedContract,
      month: string,
    ): void => {
      const values = { ...terms, ...derivedOf(terms), sealed, updatedMonth: month };
      db.insert(contract)
        .values({ entityId, contractId, ...values })
        .onConflictDoUpdate({ target: [contract.entityId, contract.contractId], set: values })
        .run();
    },

    /** Deletes one agreement of the entity; false when it has none by that id. */
    remove: (entityId: string, contractId: string): boolean =>
      db
        .delete(contract)
        .where(and(eq(contract.entityId, entityId), eq(contract.contractId, contractId)))
        .run().changes > 0,
  };
}

export type ContractRows = ReturnType<typeof contractRows>;
