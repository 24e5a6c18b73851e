import { count, eq, like, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { audit } from './audit';
import { sendVerificationMail } from './auth-routes';
import { fail } from './errors';
import { memberships, organisations, users } from './schema';
import { supportProcedure, t } from './t';
import { uuidSchema } from './validation';
import { iso, isoOrNull } from './views';

const MAX_RESULTS = 50;

/** `LIKE` pattern for a substring, with the wildcards in the query escaped. */
const contains = (query: string) => `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const queryInput = z.strictObject({
  query: z
    .string()
    .max(254)
    .transform((v) => v.trim().toLowerCase())
    .pipe(z.string().min(2, 'at least 2 characters')),
});

/**
 * The support console: find accounts and organisations, unlock, resend verification. It
 * never returns keys, envelopes, links or figures (P7): support has nothing to decrypt with.
 */
export const supportRouter = t.router({
  findUsers: supportProcedure.input(queryInput).query(({ ctx, input }) => {
    const now = ctx.deps.clock.now();
    const memberCount = sql<number>`(SELECT count(*) FROM ${memberships} WHERE ${memberships.userId} = ${users.id})`;
    return ctx.store.db
      .select({
        id: users.id,
        email: users.email,
        role: users.role,
        emailVerifiedAt: users.emailVerifiedAt,
        createdAt: users.createdAt,
        lastLoginAt: users.lastLoginAt,
        failedLogins: users.failedLogins,
        lockedUntil: users.lockedUntil,
        memberCount,
      })
      .from(users)
      .where(sql`${users.email} LIKE ${contains(input.query)} ESCAPE '\\'`)
      .orderBy(users.email)
      .limit(MAX_RESULTS)
      .all()
      .map((u) => ({
        userId: u.id,
        email: u.email,
        role: u.role,
        emailVerified: u.emailVerifiedAt !== null,
        createdAt: iso(u.createdAt),
        lastLoginAt: isoOrNull(u.lastLoginAt),
        failedLogins: u.failedLogins,
        locked: u.lockedUntil !== null && u.lockedUntil > now,
        lockedUntil: u.lockedUntil !== null && u.lockedUntil > now ? iso(u.lockedUntil) : null,
        memberCount: Number(u.memberCount),
      }));
  }),

  findOrgs: supportProcedure.input(queryInput).query(({ ctx, input }) => {
    const digits = input.query.replace(/\D/g, '');
    const memberCount = count(memberships.userId);
    return ctx.store.db
      .select({
        id: organisations.id,
        name: organisations.name,
        orgNumber: organisations.orgNumber,
        kind: organisations.kind,
        createdAt: organisations.createdAt,
        memberCount,
      })
      .from(organisations)
      .leftJoin(memberships, eq(memberships.orgId, organisations.id))
      .where(
        or(
          sql`lower(${organisations.name}) LIKE ${contains(input.query)} ESCAPE '\\'`,
          digits.length >= 2
            ? like(sql`replace(${organisations.orgNumber}, '-', '')`, contains(digits))
            : undefined,
        ),
      )
      .groupBy(organisations.id)
      .orderBy(organisations.name)
      .limit(MAX_RESULTS)
      .all()
      .map((o) => ({
        orgId: o.id,
        name: o.name,
        orgNumber: o.orgNumber,
        kind: o.kind,
        createdAt: iso(o.createdAt),
        memberCount: Number(o.memberCount),
      }));
  }),

  /** Clears the failed-login counter and lockout of an account. */
  unlock: supportProcedure
    .input(z.strictObject({ userId: uuidSchema }))
    .mutation(({ ctx, input }): { ok: true } => {
      const row = ctx.store.db
        .update(users)
        .set({ failedLogins: 0, lockedUntil: null })
        .where(eq(users.id, input.userId))
        .returning({ id: users.id })
        .get();
      if (!row) throw fail('USER_NOT_FOUND');
      audit(ctx.store.db, {
        type: 'support_unlock',
        at: ctx.deps.clock.now(),
        userId: input.userId,
        detail: { supportUserId: ctx.user.id },
      });
      return { ok: true };
    }),

  resendVerification: supportProcedure
    .input(z.strictObject({ userId: uuidSchema }))
    .mutation(({ ctx, input }): { ok: true } => {
      const user = ctx.store.db.select().from(users).where(eq(users.id, input.userId)).get();
      if (!user) throw fail('USER_NOT_FOUND');
      if (user.emailVerifiedAt !== null) throw fail('ALREADY_VERIFIED');
      sendVerificationMail(ctx.deps, user);
      audit(ctx.store.db, {
        type: 'support_resend_verification',
        at: ctx.deps.clock.now(),
        userId: input.userId,
        detail: { supportUserId: ctx.user.id },
      });
      return { ok: true };
    }),
});
