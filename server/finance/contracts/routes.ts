import { z } from 'zod';
import {
  contractIdSchema,
  contractListSchema,
  contractTermsSchema,
  MAX_CONTRACTS_PER_ENTITY,
  sealedContractSchema,
  type ContractList,
} from '../../../domain/contracts';
import { createRouterBuilder } from '../../trpc';
import { capabilitySchema, entityIdSchema } from '../capability';
import { fail } from '../errors';
import type { FinanceContext } from '../router';
import { compareAll } from './compare';
import { contractRows, derivedOf, termsOf } from './store';

/**
 * The agreement procedures of the finance API (issue #7), merged into the finance router as
 * `contracts.*`. Each is authenticated by the entity's capability exactly like the other
 * finance calls (same refusal, same throttle) and touches only that entity's rows.
 */
export type Authenticate = (
  ctx: FinanceContext,
  input: { entityId: string; capability: string },
) => void;

const t = createRouterBuilder<FinanceContext>();

const entityAuth = { entityId: entityIdSchema, capability: capabilitySchema };

/** `YYYY-MM` in UTC: the only granularity of time the finance store records. */
const monthOf = (ms: number) => new Date(ms).toISOString().slice(0, 7);

export const contractRoutes = (authenticate: Authenticate) =>
  t.router({
    /**
     * Stores an agreement under the id the client chose, or replaces the entity's agreement
     * of that id (edit, end, or a retried offline draft). The server derives unit metric,
     * unit price and term length itself; supplier and notes arrive sealed.
     */
    save: t.procedure
      .input(
        z.strictObject({
          ...entityAuth,
          contractId: contractIdSchema,
          terms: contractTermsSchema,
          sealed: sealedContractSchema,
        }),
      )
      .mutation(({ ctx, input }) => {
        authenticate(ctx, input);
        const rows = contractRows(ctx.store);
        const month = monthOf(ctx.clock.now());
        ctx.contracts.trackEntity(input.entityId, () =>
          ctx.store.db.transaction(() => {
            const isNew = !rows.exists(input.entityId, input.contractId);
            if (isNew && rows.count(input.entityId) >= MAX_CONTRACTS_PER_ENTITY) {
              throw fail('CONTRACT_LIMIT', { maxContracts: MAX_CONTRACTS_PER_ENTITY });
            }
            rows.save(input.entityId, input.contractId, input.terms, input.sealed, month);
          }),
        );
        return { contractId: input.contractId, unitPrice: derivedOf(input.terms).unitPrice };
      }),

    /**
     * The entity's agreements with what the server derived, their sealed parts (for the
     * device to open) and each one's comparison with peers.
     */
    list: t.procedure
      .input(z.strictObject(entityAuth))
      .output(contractListSchema)
      .query(({ ctx, input }): ContractList => {
        authenticate(ctx, input);
        const stored = contractRows(ctx.store).ofEntity(input.entityId);
        const agreements = stored.map((row) => ({
          contractId: row.contractId,
          terms: termsOf(row),
        }));
        const { comparisons, demo } = compareAll(ctx.contracts, agreements);
        return {
          demo,
          minGroupSize: ctx.contracts.settings.minGroupSize,
          contracts: stored.map((row, i) => ({
            id: row.contractId,
            terms: agreements[i]!.terms,
            unitMetric: row.unitMetric,
            unitPrice: row.unitPrice,
            termMonths: row.termMonths,
            updatedMonth: row.updatedMonth,
            sealed: sealedContractSchema.parse(row.sealed),
            comparison: comparisons[i]!,
          })),
        };
      }),

    /**
     * Deletes one agreement of the entity (an unknown id, or another entity's, is
     * CONTRACT_NOT_FOUND). Freed pages are zeroed and the WAL truncated, so the sealed part
     * and terms do not linger on disk.
     */
    remove: t.procedure
      .input(z.strictObject({ ...entityAuth, contractId: contractIdSchema }))
      .mutation(({ ctx, input }) => {
        authenticate(ctx, input);
        const removed = ctx.contracts.trackEntity(input.entityId, () =>
          contractRows(ctx.store).remove(input.entityId, input.contractId),
        );
        if (!removed) throw fail('CONTRACT_NOT_FOUND');
        ctx.store.purgeDeleted();
        return { ok: true as const };
      }),
  });
