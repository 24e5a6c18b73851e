import type Database from 'better-sqlite3';
import { desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { benchmarkLevelSchema, type BenchmarkResult } from '../../domain/benchmark';
import { financePayloadSchema } from '../../domain/sie-summary';
import { createRouterBuilder } from '../trpc';
import {
  capabilityHashSchema,
  capabilityMatches,
  capabilitySchema,
  entityIdSchema,
  newEntityId,
} from './capability';
import { contractRoutes } from './contracts/routes';
import type { ContractStatistics } from './contracts/statistics';
import { fail } from './errors';
import { entity, yearSummary } from './schema';
import type { PeerStatistics } from './stats/engine';
import type { BenchmarkQuery } from './stats/query';
import type { FinanceStore } from './store';
import type { CapabilityThrottle, FinanceClock } from './throttle';

/**
 * Finance calls carry no identity: no cookie, no user, no IP address (P5). The context is
 * built once per server from the store, the throttle and the clock; nothing in it comes from
 * the request.
 */
export interface FinanceContext {
  store: FinanceStore;
  throttle: CapabilityThrottle;
  clock: FinanceClock;
  /** Peer statistics: every change of an entity's years or profile goes through it. */
  statistics: PeerStatistics;
  benchmark: BenchmarkQuery;
  /** Agreement statistics (issue #7): every change of an entity's agreements goes through it. */
  contracts: ContractStatistics;
}

/** Fiscal years one entity may hold in total (one upload holds at most 50). */
export const MAX_YEARS_PER_ENTITY = 100;

const t = createRouterBuilder<FinanceContext>();

/** The coarsened profile, exactly as in the upload payload: every field may be null. */
const profileSchema = financePayloadSchema.shape.profile;

const isCalendarDate = (iso: string) => {
  const date = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === iso;
};

/** Latest allowed end of a fiscal year starting at `start` (Swedish law: at most 18 months). */
const latestEnd = (start: string) => {
  const date = new Date(`${start}T00:00:00Z`);
  date.setUTCMonth(date.getUTCMonth() + 18);
  date.setUTCDate(date.getUTCDate() - 1);
  return date.toISOString().slice(0, 10);
};

/** The payload schema plus what the store relies on: real dates, sane spans, unique starts. */
const uploadPayloadSchema = financePayloadSchema.superRefine((payload, ctx) => {
  const starts = new Set<string>();
  payload.years.forEach((year, i) => {
    if (!isCalendarDate(year.start) || !isCalendarDate(year.end)) {
      ctx.addIssue({ code: 'custom', path: ['years', i], message: 'not a calendar date' });
      return;
    }
    if (year.end < year.start || year.end > latestEnd(year.start)) {
      ctx.addIssue({
        code: 'custom',
        path: ['years', i, 'end'],
        message: 'a fiscal year ends after its start and lasts at most 18 months',
      });
    }
    if (starts.has(year.start)) {
      ctx.addIssue({ code: 'custom', path: ['years', i, 'start'], message: 'duplicate year' });
    }
    starts.add(year.start);
  });
});

const entityAuth = { entityId: entityIdSchema, capability: capabilitySchema };

/** `YYYY-MM` in UTC: the only granularity of time the finance store records. */
const monthOf = (ms: number) => new Date(ms).toISOString().slice(0, 7);

/**
 * Checks `capability` against the stored hash of `entityId`. Unknown entity and wrong
 * capability are refused identically (same error, same work). Runs synchronously from the
 * throttle check to the failure count, so parallel or batched calls cannot slip past it.
 */
/**
 * The stored capability hash of an entity, by id: prepared once per database connection (every
 * finance call but `createEntity` runs it; building the query anew cost ≈ 0.3 ms a call).
 */
const capabilityHashStatements = new WeakMap<Database.Database, Database.Statement>();
const capabilityHashOf = (sqlite: Database.Database): Database.Statement => {
  let statement = capabilityHashStatements.get(sqlite);
  if (statement === undefined) {
    statement = sqlite.prepare('SELECT capability_hash FROM entity WHERE id = ?').pluck();
    capabilityHashStatements.set(sqlite, statement);
  }
  return statement;
};

function authenticate(ctx: FinanceContext, input: { entityId: string; capability: string }) {
  const retryAfterSeconds = ctx.throttle.retryAfterSeconds(input.entityId);
  if (retryAfterSeconds !== null) throw fail('CAPABILITY_THROTTLED', { retryAfterSeconds });
  const hash = capabilityHashOf(ctx.store.sqlite).get(input.entityId);
  if (!capabilityMatches(input.capability, typeof hash === 'string' ? hash : undefined)) {
    ctx.throttle.recordFailure(input.entityId);
    throw fail('CAPABILITY_REFUSED');
  }
}

export const financeRouter = t.router({
  /** Reports whether the finance store answers; never touches the identity store. */
  health: t.procedure.query(({ ctx }) => ctx.store.health()),

  /**
   * Registers a new entity by the SHA-256 (64 lowercase hex) of the raw bytes of a capability
   * the client created; the server picks the entity id. No authentication: the caller proves
   * nothing and learns nothing but the new id.
   */
  createEntity: t.procedure
    .input(z.strictObject({ capabilityHash: capabilityHashSchema, profile: profileSchema }))
    .mutation(({ ctx, input }) =>
      ctx.store.db.transaction((tx) => {
        const taken = tx
          .select({ id: entity.id })
          .from(entity)
          .where(eq(entity.capabilityHash, input.capabilityHash))
          .get();
        if (taken) throw fail('CAPABILITY_IN_USE');
        let id = newEntityId();
        // 128 random bits never collide in practice; the loop only makes it certain.
        while (tx.select({ id: entity.id }).from(entity).where(eq(entity.id, id)).get()) {
          id = newEntityId();
        }
        tx.insert(entity)
          .values({
            id,
            capabilityHash: input.capabilityHash,
            sni3: input.profile.sni,
            employeeBand: input.profile.employeeBand,
            county: input.profile.county,
            createdMonth: monthOf(ctx.clock.now()),
          })
          .run();
        return { entityId: id };
      }),
    ),

  /** Replaces the whole profile (a null field clears it). */
  updateProfile: t.procedure
    .input(z.strictObject({ ...entityAuth, profile: profileSchema }))
    .mutation(({ ctx, input }) => {
      authenticate(ctx, input);
      ctx.statistics.trackEntity(input.entityId, () =>
        ctx.store.db
          .update(entity)
          .set({
            sni3: input.profile.sni,
            employeeBand: input.profile.employeeBand,
            county: input.profile.county,
          })
          .where(eq(entity.id, input.entityId))
          .run(),
      );
      return { ok: true as const };
    }),

  /**
   * Stores the years of a `nyckel.finance-payload/1`. Each year is keyed by its start date:
   * uploading a year again replaces it. Profile fields given (non-null) in the payload
   * overwrite the stored ones; null fields leave them as they are.
   */
  uploadYears: t.procedure
    .input(z.strictObject({ ...entityAuth, payload: uploadPayloadSchema }))
    .mutation(({ ctx, input }) => {
      authenticate(ctx, input);
      const { payload } = input;
      const uploadedMonth = monthOf(ctx.clock.now());
      // The entity's figures for the peer statistics are rewritten in the same transaction.
      return ctx.statistics.trackEntity(input.entityId, () =>
        ctx.store.db.transaction((tx) => {
          for (const year of payload.years) {
            const values = {
              fiscalEnd: year.end,
              employees: year.employees,
              balance: year.balance,
              result: year.result,
              uploadedMonth,
            };
            tx.insert(yearSummary)
              .values({ entityId: input.entityId, fiscalStart: year.start, ...values })
              .onConflictDoUpdate({
                target: [yearSummary.entityId, yearSummary.fiscalStart],
                set: values,
              })
              .run();
          }
          const profile = {
            ...(payload.profile.sni !== null ? { sni3: payload.profile.sni } : {}),
            ...(payload.profile.employeeBand !== null
              ? { employeeBand: payload.profile.employeeBand }
              : {}),
            ...(payload.profile.county !== null ? { county: payload.profile.county } : {}),
          };
          if (Object.keys(profile).length > 0) {
            tx.update(entity).set(profile).where(eq(entity.id, input.entityId)).run();
          }
          const stored = tx
            .select({ n: sql<number>`count(*)` })
            .from(yearSummary)
            .where(eq(yearSummary.entityId, input.entityId))
            .get();
          // Throwing inside the transaction rolls the whole upload back.
          if ((stored?.n ?? 0) > MAX_YEARS_PER_ENTITY) {
            throw fail('YEAR_LIMIT', { maxYears: MAX_YEARS_PER_ENTITY });
          }
          return { years: payload.years.length };
        }),
      );
    }),

  /** The entity's stored years, newest first. */
  listYears: t.procedure.input(z.strictObject(entityAuth)).query(({ ctx, input }) => {
    authenticate(ctx, input);
    return ctx.store.db
      .select()
      .from(yearSummary)
      .where(eq(yearSummary.entityId, input.entityId))
      .orderBy(desc(yearSummary.fiscalStart))
      .all()
      .map((row) => ({
        start: row.fiscalStart,
        end: row.fiscalEnd,
        employees: row.employees,
        balance: row.balance,
        result: row.result,
        uploadedMonth: row.uploadedMonth,
      }));
  }),

  /**
   * The entity's benchmark (issue #6): each catalogue figure of each of its fiscal years against
   * the most specific published peer group (or the groups of `level`), with quantiles, its
   * percentile rank and 0–100 index. Authenticated like `listYears` (same throttle). Give-to-get:
   * refused with NO_CONTRIBUTION until the entity has stored at least one year.
   *
   * The answer is not parsed again with `benchmarkResultSchema` on the way out: for its
   * ≈ 60 kB that took a quarter of the query's time and made 40 % of its garbage (issue #6:
   * p95 ≤ 10 ms). It is built in one place (stats/query.ts) from checked parts only: the
   * entity's own figures, published statistics checked before they are stored and held, the
   * profile the store checks, counts from the rank index. stats/query.test.ts parses real
   * answers of every level and year (demo peers, withheld deciles, figures without a group,
   * agreements) with the strict schema, no key beyond its own allowed, and checks they come
   * out unchanged, down to the JSON text.
   */
  benchmark: t.procedure
    .input(
      z.strictObject({
        ...entityAuth,
        year: z.number().int().min(1900).max(2200).optional(),
        level: benchmarkLevelSchema.optional(),
      }),
    )
    .query(({ ctx, input }): BenchmarkResult => {
      authenticate(ctx, input);
      const outcome = ctx.benchmark(input.entityId, { year: input.year, level: input.level });
      if (!outcome.ok) throw fail(outcome.reason);
      return outcome.result;
    }),

  /**
   * Erases the entity and every row that belongs to it (foreign keys cascade). The store runs
   * with `secure_delete`, and the WAL is checkpointed and truncated afterwards, so the
   * deleted figures do not linger in free pages or old WAL frames.
   */
  deleteEntity: t.procedure.input(z.strictObject(entityAuth)).mutation(({ ctx, input }) => {
    authenticate(ctx, input);
    ctx.statistics.trackEntity(input.entityId, () =>
      ctx.contracts.trackEntity(input.entityId, () =>
        ctx.store.db.delete(entity).where(eq(entity.id, input.entityId)).run(),
      ),
    );
    ctx.store.purgeDeleted();
    return { ok: true as const };
  }),

  /** Supplier agreements (issue #7): save, list with comparisons, remove. */
  contracts: contractRoutes(authenticate),
});

export type FinanceRouter = typeof financeRouter;
