import { and, eq, gt, isNull, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import { audit } from './audit';
import type { IdentityContext, IdentityDeps } from './context';
import { fail } from './errors';
import { lockoutMs, oneAtATime, type LockState } from './lockout';
import { mails } from './mail';
import { emailTokens, memberships, sessions, users } from './schema';
import { b64u, hashSecret, hashToken, hmac, newToken, verifySecret } from './secrets';
import {
  clearedSessionCookie,
  createSession,
  readSessionToken,
  SESSION_IDLE_MS,
  sessionCookie,
  setCookie,
  shortUserAgent,
} from './session';
import { publicProcedure, sessionProcedure } from './t';
import {
  DEFAULT_KDF,
  authKeySchema,
  emailSchema,
  envelopeSchema,
  kdfSchema,
  publicKeySchema,
  recoverySchema,
  tokenSchema,
  uuidSchema,
  type Kdf,
} from './validation';
import { iso, keysView, membershipViews, userView } from './views';

export const VERIFY_TOKEN_MS = 24 * 60 * 60 * 1000;
export const RESET_TOKEN_MS = 60 * 60 * 1000;
export const RECOVERY_TOKEN_MS = 15 * 60 * 1000;

type TokenPurpose = 'verify' | 'reset' | 'recovery';
type UserRow = typeof users.$inferSelect;

export const link = (deps: IdentityDeps, path: string, token?: string): string =>
  `${deps.publicOrigin()}${path}${token ? `?token=${token}` : ''}`;

/** Creates a single-use token for a user; returns the token (only its hash is stored). */
export function issueToken(
  deps: IdentityDeps,
  userId: string,
  purpose: TokenPurpose,
  ttlMs: number,
): string {
  const now = deps.clock.now();
  const { token, hash } = newToken();
  deps.store.db
    .insert(emailTokens)
    .values({ hash, userId, purpose, createdAt: now, expiresAt: now + ttlMs })
    .run();
  return token;
}

/** Marks a live token used and returns its user id, or fails with TOKEN_INVALID. */
function consumeToken(deps: IdentityDeps, token: string, purpose: TokenPurpose): string {
  const now = deps.clock.now();
  const row = deps.store.db
    .update(emailTokens)
    .set({ usedAt: now })
    .where(
      and(
        eq(emailTokens.hash, hashToken(token)),
        eq(emailTokens.purpose, purpose),
        isNull(emailTokens.usedAt),
        gt(emailTokens.expiresAt, now),
      ),
    )
    .returning({ userId: emailTokens.userId })
    .get();
  if (!row) throw fail('TOKEN_INVALID');
  return row.userId;
}

export function sendVerificationMail(deps: IdentityDeps, user: { id: string; email: string }) {
  const token = issueToken(deps, user.id, 'verify', VERIFY_TOKEN_MS);
  deps.mailer.send(mails.verify(user.email, link(deps, '/verify', token), deps.publicOrigin()));
}

/** The KDF parameters to hand out for an e-mail address that has no account. */
export function fakeKdf(deps: IdentityDeps, email: string): Kdf {
  const salt = b64u(hmac(deps.fakeSaltKey, email).subarray(0, 16));
  return { ...DEFAULT_KDF, salt };
}

const findUserByEmail = (deps: IdentityDeps, email: string): UserRow | undefined =>
  deps.store.db.select().from(users).where(eq(users.email, email)).get();

const phantomKey = (deps: IdentityDeps, email: string) =>
  hmac(deps.fakeSaltKey, `lockout:${email}`).toString('base64url');

/**
 * Checks a secret against an account with the exponential lockout, the same way for accounts
 * that exist and for addresses that don't (those are checked against a dummy hash and locked
 * in memory), so neither the answer nor its timing tells which addresses have an account.
 */
async function checkWithLockout(
  deps: IdentityDeps,
  email: string,
  user: UserRow | undefined,
  hashOf: (user: UserRow) => string,
  failure: 'LOGIN_FAILED' | 'RECOVERY_FAILED' | 'CURRENT_PASSWORD_WRONG',
  secret: string,
): Promise<UserRow> {
  return oneAtATime(phantomKey(deps, email), async () => {
    // Read the account again inside the queue: an attempt just before may have locked it.
    const fresh = user
      ? (deps.store.db.select().from(users).where(eq(users.id, user.id)).get() ?? user)
      : undefined;
    return checkOnce(deps, email, fresh, hashOf, failure, secret);
  });
}

async function checkOnce(
  deps: IdentityDeps,
  email: string,
  user: UserRow | undefined,
  hashOf: (user: UserRow) => string,
  failure: 'LOGIN_FAILED' | 'RECOVERY_FAILED' | 'CURRENT_PASSWORD_WRONG',
  secret: string,
): Promise<UserRow> {
  const now = deps.clock.now();
  const state: LockState = user
    ? { failures: user.failedLogins, lockedUntil: user.lockedUntil }
    : deps.phantomLockouts.get(phantomKey(deps, email));
  if (state.lockedUntil !== null && state.lockedUntil > now) {
    throw fail('LOGIN_LOCKED', {
      retryAfterSeconds: Math.ceil((state.lockedUntil - now) / 1000),
    });
  }
  const ok = await verifySecret(user ? hashOf(user) : deps.dummyHash, secret);
  if (ok && user) return user;

  const after = deps.clock.now();
  if (user) {
    const updated = deps.store.db
      .update(users)
      .set({ failedLogins: sql`${users.failedLogins} + 1` })
      .where(eq(users.id, user.id))
      .returning({ failedLogins: users.failedLogins })
      .get();
    const failures = updated?.failedLogins ?? state.failures + 1;
    const lockMs = lockoutMs(failures);
    if (lockMs > 0) {
      deps.store.db
        .update(users)
        .set({ lockedUntil: after + lockMs })
        .where(eq(users.id, user.id))
        .run();
    }
    audit(deps.store.db, {
      type: 'login_failed',
      at: after,
      userId: user.id,
      detail: { failures, locked: lockMs > 0, via: failure },
    });
  } else {
    const failures = state.failures + 1;
    const lockMs = lockoutMs(failures);
    deps.phantomLockouts.set(phantomKey(deps, email), {
      failures,
      lockedUntil: lockMs > 0 ? after + lockMs : null,
    });
    audit(deps.store.db, { type: 'login_failed', at: after, detail: { known: false } });
  }
  throw fail(failure);
}

const resetLockout = (deps: IdentityDeps, userId: string, extra: Partial<UserRow> = {}) =>
  deps.store.db
    .update(users)
    .set({ failedLogins: 0, lockedUntil: null, ...extra })
    .where(eq(users.id, userId))
    .run();

const revokeSessions = (deps: IdentityDeps, userId: string, exceptSessionId?: string) =>
  deps.store.db
    .update(sessions)
    .set({ revokedAt: deps.clock.now() })
    .where(
      and(
        eq(sessions.userId, userId),
        isNull(sessions.revokedAt),
        exceptSessionId ? ne(sessions.id, exceptSessionId) : undefined,
      ),
    )
    .run();

/**
 * The shared spine of both password resets: hash the new secrets, spend the token, write the
 * new credentials (a new key generation, lockout cleared) and end every session, all in one
 * transaction. `extra` adds what differs (new keys, a verified address); `after` runs in the
 * same transaction for the caller's own bookkeeping.
 */
async function replaceCredentials(
  ctx: IdentityContext,
  input: {
    token: string;
    purpose: 'recovery' | 'reset';
    kdf: unknown;
    authKey: string;
    wrappedUserKey: unknown;
    recovery: { wrappedUserKey: unknown; authKey: string };
  },
  extra: (user: UserRow, now: number) => Partial<UserRow>,
  after: (user: UserRow, now: number) => void,
): Promise<void> {
  const { deps } = ctx;
  const [authHash, recoveryAuthHash] = await Promise.all([
    hashSecret(input.authKey),
    hashSecret(input.recovery.authKey),
  ]);
  transaction(ctx, () => {
    const userId = consumeToken(deps, input.token, input.purpose);
    const user = deps.store.db.select().from(users).where(eq(users.id, userId)).get();
    if (!user) throw fail('TOKEN_INVALID');
    const now = deps.clock.now();
    resetLockout(deps, userId, {
      kdf: JSON.stringify(input.kdf),
      authHash,
      wrappedUserKey: JSON.stringify(input.wrappedUserKey),
      recoveryWrappedUserKey: JSON.stringify(input.recovery.wrappedUserKey),
      recoveryAuthHash,
      keyGeneration: user.keyGeneration + 1,
      ...extra(user, now),
    });
    revokeSessions(deps, userId);
    after(user, now);
  });
}

const transaction = <T>(ctx: IdentityContext, fn: () => T): T => ctx.store.sqlite.transaction(fn)();

export const authRoutes = {
  /** Reports whether the identity store answers; never touches the finance store. */
  health: publicProcedure.query(({ ctx }) => ctx.store.health()),

  /** KDF parameters for an address; unknown addresses get a deterministic fake salt. */
  preLogin: publicProcedure
    .input(z.strictObject({ email: emailSchema }))
    .query(({ ctx, input }): { kdf: Kdf } => {
      // Both paths do the same work: one indexed lookup and one HMAC.
      const fake = fakeKdf(ctx.deps, input.email);
      const user = findUserByEmail(ctx.deps, input.email);
      return { kdf: user ? (JSON.parse(user.kdf) as Kdf) : fake };
    }),

  register: publicProcedure
    .input(
      z.strictObject({
        userId: uuidSchema,
        email: emailSchema,
        kdf: kdfSchema,
        authKey: authKeySchema,
        wrappedUserKey: envelopeSchema,
        recovery: recoverySchema,
        publicKey: publicKeySchema,
        wrappedPrivateKey: envelopeSchema,
      }),
    )
    .mutation(async ({ ctx, input }): Promise<{ ok: true }> => {
      const { deps } = ctx;
      // Hash first, whether or not the address is taken, so timing tells nothing.
      const [authHash, recoveryAuthHash] = await Promise.all([
        hashSecret(input.authKey),
        hashSecret(input.recovery.authKey),
      ]);
      const now = deps.clock.now();
      const existing = findUserByEmail(deps, input.email);
      if (existing) {
        deps.mailer.send(
          mails.registerAttempt(existing.email, link(deps, '/reset'), deps.publicOrigin()),
        );
        return { ok: true };
      }
      if (deps.store.db.select().from(users).where(eq(users.id, input.userId)).get()) {
        throw fail('ID_IN_USE');
      }
      try {
        transaction(ctx, () => {
          deps.store.db
            .insert(users)
            .values({
              id: input.userId,
              email: input.email,
              role: 'user',
              kdf: JSON.stringify(input.kdf),
              authHash,
              wrappedUserKey: JSON.stringify(input.wrappedUserKey),
              publicKey: input.publicKey,
              wrappedPrivateKey: JSON.stringify(input.wrappedPrivateKey),
              recoveryWrappedUserKey: JSON.stringify(input.recovery.wrappedUserKey),
              recoveryAuthHash,
              keyGeneration: 1,
              createdAt: now,
            })
            .run();
        });
      } catch (error) {
        // A concurrent registration of the same address: same answer as above.
        if (findUserByEmail(deps, input.email)) return { ok: true };
        throw error;
      }
      sendVerificationMail(deps, { id: input.userId, email: input.email });
      return { ok: true };
    }),

  verifyEmail: publicProcedure
    .input(z.strictObject({ token: tokenSchema }))
    .mutation(({ ctx, input }): { ok: true } => {
      const { deps } = ctx;
      transaction(ctx, () => {
        const userId = consumeToken(deps, input.token, 'verify');
        const now = deps.clock.now();
        deps.store.db
          .update(users)
          .set({ emailVerifiedAt: now })
          .where(and(eq(users.id, userId), isNull(users.emailVerifiedAt)))
          .run();
        audit(deps.store.db, { type: 'email_verified', at: now, userId });
      });
      return { ok: true };
    }),

  login: publicProcedure
    .input(z.strictObject({ email: emailSchema, authKey: authKeySchema }))
    .mutation(async ({ ctx, input }) => {
      const { deps } = ctx;
      const found = findUserByEmail(deps, input.email);
      const user = await checkWithLockout(
        deps,
        input.email,
        found,
        (u) => u.authHash,
        'LOGIN_FAILED',
        input.authKey,
      );
      const now = deps.clock.now();
      const session = transaction(ctx, () => {
        resetLockout(deps, user.id, { lastLoginAt: now });
        audit(deps.store.db, { type: 'login', at: now, userId: user.id });
        return createSession(deps.store, user.id, shortUserAgent(ctx.req), now);
      });
      setCookie(ctx.res, sessionCookie(session.token));
      const fresh = deps.store.db.select().from(users).where(eq(users.id, user.id)).get() ?? user;
      return { user: userView(fresh), keys: keysView(fresh) };
    }),

  /** Ends the current session (if any) and clears the cookie. */
  logout: publicProcedure.mutation(({ ctx }): { ok: true } => {
    const token = readSessionToken(ctx.req);
    const now = ctx.deps.clock.now();
    if (token) {
      const row = ctx.store.db
        .update(sessions)
        .set({ revokedAt: now })
        .where(and(eq(sessions.tokenHash, hashToken(token)), isNull(sessions.revokedAt)))
        .returning({ userId: sessions.userId })
        .get();
      if (row) audit(ctx.store.db, { type: 'logout', at: now, userId: row.userId });
    }
    setCookie(ctx.res, clearedSessionCookie());
    return { ok: true };
  }),

  /** The caller's live sessions, newest first. */
  sessions: sessionProcedure.query(({ ctx }) => {
    const now = ctx.deps.clock.now();
    return ctx.store.db
      .select()
      .from(sessions)
      .where(
        and(
          eq(sessions.userId, ctx.user.id),
          isNull(sessions.revokedAt),
          gt(sessions.expiresAt, now),
        ),
      )
      .orderBy(sql`${sessions.createdAt} DESC`)
      .all()
      .filter((s) => now - s.lastSeenAt < SESSION_IDLE_MS)
      .map((s) => ({
        id: s.id,
        createdAt: iso(s.createdAt),
        lastSeenAt: iso(s.lastSeenAt),
        expiresAt: iso(s.expiresAt),
        userAgent: s.userAgent,
        current: s.id === ctx.sessionId,
      }));
  }),

  revokeSession: sessionProcedure
    .input(z.strictObject({ sessionId: uuidSchema }))
    .mutation(({ ctx, input }): { ok: true } => {
      const now = ctx.deps.clock.now();
      const row = ctx.store.db
        .update(sessions)
        .set({ revokedAt: now })
        .where(
          and(
            eq(sessions.id, input.sessionId),
            eq(sessions.userId, ctx.user.id),
            isNull(sessions.revokedAt),
          ),
        )
        .returning({ id: sessions.id })
        .get();
      if (!row) throw fail('SESSION_NOT_FOUND');
      audit(ctx.store.db, {
        type: 'session_revoked',
        at: now,
        userId: ctx.user.id,
        detail: { current: row.id === ctx.sessionId },
      });
      if (row.id === ctx.sessionId) setCookie(ctx.res, clearedSessionCookie());
      return { ok: true };
    }),

  me: sessionProcedure.query(({ ctx }) => ({
    user: userView(ctx.user),
    keys: keysView(ctx.user),
    memberships: membershipViews(ctx.store, ctx.user.id),
  })),

  changePassword: sessionProcedure
    .input(
      z.strictObject({
        currentAuthKey: authKeySchema,
        kdf: kdfSchema,
        authKey: authKeySchema,
        wrappedUserKey: envelopeSchema,
      }),
    )
    .mutation(async ({ ctx, input }): Promise<{ ok: true; keyGeneration: number }> => {
      const { deps } = ctx;
      await checkWithLockout(
        deps,
        ctx.user.email,
        ctx.user,
        (u) => u.authHash,
        'CURRENT_PASSWORD_WRONG',
        input.currentAuthKey,
      );
      const authHash = await hashSecret(input.authKey);
      const now = deps.clock.now();
      const keyGeneration = ctx.user.keyGeneration + 1;
      transaction(ctx, () => {
        resetLockout(deps, ctx.user.id, {
          kdf: JSON.stringify(input.kdf),
          authHash,
          wrappedUserKey: JSON.stringify(input.wrappedUserKey),
          keyGeneration,
        });
        revokeSessions(deps, ctx.user.id, ctx.sessionId);
        audit(deps.store.db, {
          type: 'password_changed',
          at: now,
          userId: ctx.user.id,
          detail: { keyGeneration },
        });
      });
      return { ok: true, keyGeneration };
    }),

  /** Proves the recovery code; hands out the recovery-wrapped user key and a reset token. */
  recoveryStart: publicProcedure
    .input(z.strictObject({ email: emailSchema, recoveryAuthKey: authKeySchema }))
    .mutation(async ({ ctx, input }) => {
      const { deps } = ctx;
      const user = await checkWithLockout(
        deps,
        input.email,
        findUserByEmail(deps, input.email),
        (u) => u.recoveryAuthHash,
        'RECOVERY_FAILED',
        input.recoveryAuthKey,
      );
      const resetToken = issueToken(deps, user.id, 'recovery', RECOVERY_TOKEN_MS);
      return {
        resetToken,
        userId: user.id,
        wrappedUserKey: JSON.parse(user.recoveryWrappedUserKey) as z.infer<typeof envelopeSchema>,
        keys: keysView(user),
      };
    }),

  /** New password (and a new recovery code) for the same keys; every session ends. */
  recoveryComplete: publicProcedure
    .input(
      z.strictObject({
        resetToken: tokenSchema,
        kdf: kdfSchema,
        authKey: authKeySchema,
        wrappedUserKey: envelopeSchema,
        recovery: recoverySchema,
      }),
    )
    .mutation(async ({ ctx, input }): Promise<{ ok: true }> => {
      await replaceCredentials(
        ctx,
        { ...input, token: input.resetToken, purpose: 'recovery' },
        () => ({}),
        (user, now) =>
          audit(ctx.store.db, {
            type: 'recovery_used',
            at: now,
            userId: user.id,
            detail: { keyGeneration: user.keyGeneration + 1 },
          }),
      );
      return { ok: true };
    }),

  /** Always `{ok}`; mails a reset link when the address has an account. */
  requestReset: publicProcedure
    .input(z.strictObject({ email: emailSchema }))
    .mutation(({ ctx, input }): { ok: true } => {
      const { deps } = ctx;
      const user = findUserByEmail(deps, input.email);
      if (user) {
        const token = issueToken(deps, user.id, 'reset', RESET_TOKEN_MS);
        deps.mailer.send(mails.reset(user.email, link(deps, '/reset', token), deps.publicOrigin()));
      } else {
        // Comparable work for an unknown address.
        newToken();
      }
      return { ok: true };
    }),

  /**
   * Whose account a mailed reset token belongs to, without using it up: the client needs the
   * user id to bind the new key envelopes before it calls completeEmailReset.
   */
  resetTokenInfo: publicProcedure
    .input(z.strictObject({ token: tokenSchema }))
    .query(({ ctx, input }): { userId: string; email: string } => {
      const now = ctx.deps.clock.now();
      const row = ctx.store.db
        .select({ userId: users.id, email: users.email })
        .from(emailTokens)
        .innerJoin(users, eq(users.id, emailTokens.userId))
        .where(
          and(
            eq(emailTokens.hash, hashToken(input.token)),
            eq(emailTokens.purpose, 'reset'),
            isNull(emailTokens.usedAt),
            gt(emailTokens.expiresAt, now),
          ),
        )
        .get();
      if (!row) throw fail('TOKEN_INVALID');
      return row;
    }),

  /**
   * Reset through the mailed link without the recovery code: entirely new keys, so every
   * membership loses its org key and waits for an administrator to re-grant it.
   */
  completeEmailReset: publicProcedure
    .input(
      z.strictObject({
        token: tokenSchema,
        kdf: kdfSchema,
        authKey: authKeySchema,
        wrappedUserKey: envelopeSchema,
        publicKey: publicKeySchema,
        wrappedPrivateKey: envelopeSchema,
        recovery: recoverySchema,
      }),
    )
    .mutation(async ({ ctx, input }): Promise<{ ok: true }> => {
      await replaceCredentials(
        ctx,
        { ...input, purpose: 'reset' },
        (user, now) => ({
          publicKey: input.publicKey,
          wrappedPrivateKey: JSON.stringify(input.wrappedPrivateKey),
          // Following the mailed link proves the address.
          emailVerifiedAt: user.emailVerifiedAt ?? now,
        }),
        (user, now) => {
          const affected = ctx.store.db
            .update(memberships)
            .set({ status: 'needs-regrant', wrappedOrgKey: null, keyVersion: null })
            .where(and(eq(memberships.userId, user.id), ne(memberships.status, 'pending')))
            .returning({ orgId: memberships.orgId })
            .all();
          audit(ctx.store.db, {
            type: 'email_reset',
            at: now,
            userId: user.id,
            detail: { memberships: affected.length },
          });
          for (const { orgId } of affected) {
            audit(ctx.store.db, {
              type: 'email_reset',
              at: now,
              userId: user.id,
              orgId,
              detail: { status: 'needs-regrant' },
            });
          }
        },
      );
      return { ok: true };
    }),
};
