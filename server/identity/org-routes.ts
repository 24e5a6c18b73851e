import { and, desc, eq, gt, isNull, lt } from 'drizzle-orm';
import { z } from 'zod';
import { audit } from './audit';
import { link } from './auth-routes';
import type { IdentityContext } from './context';
import { fail } from './errors';
import { mails } from './mail';
import { auditEvents, invitations, memberships, organisations, orgLinks, users } from './schema';
import { hashToken, newId, newToken } from './secrets';
import { orgUserProcedure, t } from './t';
import {
  addressSchema,
  eciesEnvelopeSchema,
  emailSchema,
  envelopeSchema,
  orgNameSchema,
  orgNumberSchema,
  tokenSchema,
  uuidSchema,
  type Envelope,
} from './validation';
import { iso, parseJson } from './views';

export const INVITATION_MS = 7 * 24 * 60 * 60 * 1000;
/** Largest organisation a single rotation request covers (the body limit applies too). */
export const MAX_ROTATION_MEMBERS = 2000;
export const MAX_ROTATION_LINKS = 5000;

type Role = 'owner' | 'admin' | 'member';
type OrgRow = typeof organisations.$inferSelect;
type MembershipRow = typeof memberships.$inferSelect;
type Ctx = IdentityContext & { user: typeof users.$inferSelect; sessionId: string };

const ADMIN_ROLES: readonly Role[] = ['owner', 'admin'];

/**
 * The caller's membership of an organisation. Not a member (or no such organisation):
 * NOT_FOUND, so nobody learns which organisations exist. Then status and role checks.
 */
function requireMember(
  ctx: Ctx,
  orgId: string,
  need: { active?: boolean; roles?: readonly Role[] } = {},
): { org: OrgRow; membership: MembershipRow } {
  const row = ctx.store.db
    .select({ org: organisations, membership: memberships })
    .from(memberships)
    .innerJoin(organisations, eq(organisations.id, memberships.orgId))
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, ctx.user.id)))
    .get();
  if (!row) throw fail('ORG_NOT_FOUND');
  if ((need.active || need.roles) && row.membership.status !== 'active') {
    throw fail('MEMBERSHIP_NOT_ACTIVE');
  }
  if (need.roles && !need.roles.includes(row.membership.role)) throw fail('ROLE_REQUIRED');
  return row;
}

const transaction = <T>(ctx: IdentityContext, fn: () => T): T => ctx.store.sqlite.transaction(fn)();

const orgIdInput = z.strictObject({ orgId: uuidSchema });

const linksRouter = t.router({
  list: orgUserProcedure.input(orgIdInput).query(({ ctx, input }) => {
    requireMember(ctx, input.orgId, { active: true });
    return ctx.store.db
      .select()
      .from(orgLinks)
      .where(eq(orgLinks.orgId, input.orgId))
      .orderBy(orgLinks.createdAt, orgLinks.id)
      .all()
      .map((row) => ({
        linkId: row.id,
        keyVersion: row.keyVersion,
        link: parseJson<Envelope>(row.link),
        label: row.label === null ? null : parseJson<Envelope>(row.label),
        createdAt: iso(row.createdAt),
      }));
  }),

  add: orgUserProcedure
    .input(
      z.strictObject({
        orgId: uuidSchema,
        linkId: uuidSchema,
        keyVersion: z.number().int().min(1),
        link: envelopeSchema,
        label: envelopeSchema.nullable().optional(),
      }),
    )
    .mutation(({ ctx, input }): { ok: true } => {
      transaction(ctx, () => {
        const { org } = requireMember(ctx, input.orgId, { active: true });
        if (input.keyVersion !== org.keyVersion) throw fail('KEY_VERSION_STALE');
        if (ctx.store.db.select().from(orgLinks).where(eq(orgLinks.id, input.linkId)).get()) {
          throw fail('ID_IN_USE');
        }
        const now = ctx.deps.clock.now();
        ctx.store.db
          .insert(orgLinks)
          .values({
            id: input.linkId,
            orgId: org.id,
            keyVersion: org.keyVersion,
            link: JSON.stringify(input.link),
            label: input.label ? JSON.stringify(input.label) : null,
            createdAt: now,
          })
          .run();
        audit(ctx.store.db, {
          type: 'link_added',
          at: now,
          orgId: org.id,
          userId: ctx.user.id,
          detail: { linkId: input.linkId },
        });
      });
      return { ok: true };
    }),

  /**
   * Removes one link (a bureau client, or the company's own books) — admins and owners only.
   * The client core erases the finance entity first, with the capability only it can open,
   * and then removes the link; the server cannot do the former.
   */
  remove: orgUserProcedure
    .input(z.strictObject({ orgId: uuidSchema, linkId: uuidSchema }))
    .mutation(({ ctx, input }): { ok: true } => {
      transaction(ctx, () => {
        const { org } = requireMember(ctx, input.orgId, {
          active: true,
          roles: ['owner', 'admin'],
        });
        const removed = ctx.store.db
          .delete(orgLinks)
          .where(and(eq(orgLinks.id, input.linkId), eq(orgLinks.orgId, org.id)))
          .run();
        if (removed.changes === 0) throw fail('LINK_NOT_FOUND');
        audit(ctx.store.db, {
          type: 'link_removed',
          at: ctx.deps.clock.now(),
          orgId: org.id,
          userId: ctx.user.id,
          detail: { linkId: input.linkId },
        });
      });
      return { ok: true };
    }),
});

export const orgRouter = t.router({
  /** Needs a confirmed e-mail address; the creator becomes the active owner. */
  create: orgUserProcedure
    .input(
      z.strictObject({
        orgId: uuidSchema,
        kind: z.enum(['company', 'bureau']),
        name: orgNameSchema,
        orgNumber: orgNumberSchema,
        address: addressSchema.nullable().optional(),
        wrappedOrgKey: eciesEnvelopeSchema,
      }),
    )
    .mutation(({ ctx, input }): { orgId: string; keyVersion: number } => {
      if (ctx.user.emailVerifiedAt === null) throw fail('EMAIL_NOT_VERIFIED');
      const now = ctx.deps.clock.now();
      transaction(ctx, () => {
        if (
          ctx.store.db.select().from(organisations).where(eq(organisations.id, input.orgId)).get()
        ) {
          throw fail('ID_IN_USE');
        }
        ctx.store.db
          .insert(organisations)
          .values({
            id: input.orgId,
            kind: input.kind,
            name: input.name,
            orgNumber: input.orgNumber,
            address: input.address ? JSON.stringify(input.address) : null,
            keyVersion: 1,
            createdAt: now,
          })
          .run();
        ctx.store.db
          .insert(memberships)
          .values({
            orgId: input.orgId,
            userId: ctx.user.id,
            role: 'owner',
            status: 'active',
            wrappedOrgKey: JSON.stringify(input.wrappedOrgKey),
            keyVersion: 1,
            createdAt: now,
          })
          .run();
        audit(ctx.store.db, {
          type: 'org_created',
          at: now,
          orgId: input.orgId,
          userId: ctx.user.id,
          detail: { kind: input.kind },
        });
      });
      return { orgId: input.orgId, keyVersion: 1 };
    }),

  get: orgUserProcedure.input(orgIdInput).query(({ ctx, input }) => {
    const { org, membership } = requireMember(ctx, input.orgId);
    return {
      orgId: org.id,
      kind: org.kind,
      name: org.name,
      orgNumber: org.orgNumber,
      address: org.address === null ? null : parseJson<z.infer<typeof addressSchema>>(org.address),
      keyVersion: org.keyVersion,
      createdAt: iso(org.createdAt),
      role: membership.role,
      status: membership.status,
    };
  }),

  /** Members with their public keys, for fingerprint comparison and key wrapping. */
  members: orgUserProcedure.input(orgIdInput).query(({ ctx, input }) => {
    requireMember(ctx, input.orgId, { active: true });
    return ctx.store.db
      .select({ m: memberships, u: users })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(memberships.orgId, input.orgId))
      .orderBy(memberships.createdAt, users.email)
      .all()
      .map(({ m, u }) => ({
        userId: u.id,
        email: u.email,
        role: m.role,
        status: m.status,
        keyVersion: m.keyVersion,
        publicKey: u.publicKey,
        joinedAt: iso(m.createdAt),
        self: u.id === ctx.user.id,
      }));
  }),

  invite: orgUserProcedure
    .input(
      z.strictObject({
        orgId: uuidSchema,
        email: emailSchema,
        role: z.enum(['admin', 'member']),
      }),
    )
    .mutation(({ ctx, input }): { invitationId: string; expiresAt: string } => {
      const { deps } = ctx;
      const { org } = requireMember(ctx, input.orgId, { roles: ADMIN_ROLES });
      const already = ctx.store.db
        .select({ userId: memberships.userId })
        .from(memberships)
        .innerJoin(users, eq(users.id, memberships.userId))
        .where(and(eq(memberships.orgId, org.id), eq(users.email, input.email)))
        .get();
      if (already) throw fail('ALREADY_MEMBER');
      const now = deps.clock.now();
      const { token, hash } = newToken();
      const invitationId = newId();
      const expiresAt = now + INVITATION_MS;
      transaction(ctx, () => {
        ctx.store.db
          .insert(invitations)
          .values({
            id: invitationId,
            orgId: org.id,
            email: input.email,
            role: input.role,
            tokenHash: hash,
            invitedBy: ctx.user.id,
            createdAt: now,
            expiresAt,
          })
          .run();
        audit(ctx.store.db, {
          type: 'invitation_sent',
          at: now,
          orgId: org.id,
          userId: ctx.user.id,
          detail: { invitationId, role: input.role },
        });
      });
      deps.mailer.send(
        mails.invite(input.email, link(deps, '/invite', token), org.name, deps.publicOrigin()),
      );
      return { invitationId, expiresAt: iso(expiresAt) };
    }),

  /** The logged-in invitee (same, confirmed e-mail) becomes a pending member. */
  acceptInvite: orgUserProcedure
    .input(z.strictObject({ token: tokenSchema }))
    .mutation(({ ctx, input }): { orgId: string; role: Role; status: 'pending' } => {
      if (ctx.user.emailVerifiedAt === null) throw fail('EMAIL_NOT_VERIFIED');
      const now = ctx.deps.clock.now();
      return transaction(ctx, () => {
        const invitation = ctx.store.db
          .select()
          .from(invitations)
          .where(
            and(
              eq(invitations.tokenHash, hashToken(input.token)),
              isNull(invitations.acceptedAt),
              gt(invitations.expiresAt, now),
            ),
          )
          .get();
        if (!invitation) throw fail('INVITATION_INVALID');
        if (invitation.email !== ctx.user.email) throw fail('INVITATION_OTHER_EMAIL');
        const existing = ctx.store.db
          .select()
          .from(memberships)
          .where(and(eq(memberships.orgId, invitation.orgId), eq(memberships.userId, ctx.user.id)))
          .get();
        if (existing) throw fail('ALREADY_MEMBER');
        ctx.store.db
          .insert(memberships)
          .values({
            orgId: invitation.orgId,
            userId: ctx.user.id,
            role: invitation.role,
            status: 'pending',
            createdAt: now,
          })
          .run();
        ctx.store.db
          .update(invitations)
          .set({ acceptedAt: now, acceptedBy: ctx.user.id })
          .where(eq(invitations.id, invitation.id))
          .run();
        audit(ctx.store.db, {
          type: 'invitation_accepted',
          at: now,
          orgId: invitation.orgId,
          userId: ctx.user.id,
          detail: { invitationId: invitation.id, role: invitation.role },
        });
        return { orgId: invitation.orgId, role: invitation.role, status: 'pending' as const };
      });
    }),

  /** An administrator hands a pending or needs-regrant member the current org key. */
  confirmMember: orgUserProcedure
    .input(
      z.strictObject({
        orgId: uuidSchema,
        userId: uuidSchema,
        keyVersion: z.number().int().min(1),
        wrappedOrgKey: eciesEnvelopeSchema,
      }),
    )
    .mutation(({ ctx, input }): { ok: true } => {
      transaction(ctx, () => {
        const { org } = requireMember(ctx, input.orgId, { roles: ADMIN_ROLES });
        const target = ctx.store.db
          .select()
          .from(memberships)
          .where(and(eq(memberships.orgId, org.id), eq(memberships.userId, input.userId)))
          .get();
        if (!target) throw fail('MEMBER_NOT_FOUND');
        if (target.status === 'active') throw fail('MEMBER_NOT_AWAITING_KEY');
        if (input.keyVersion !== org.keyVersion) throw fail('KEY_VERSION_STALE');
        const now = ctx.deps.clock.now();
        ctx.store.db
          .update(memberships)
          .set({
            status: 'active',
            wrappedOrgKey: JSON.stringify(input.wrappedOrgKey),
            keyVersion: org.keyVersion,
          })
          .where(and(eq(memberships.orgId, org.id), eq(memberships.userId, input.userId)))
          .run();
        audit(ctx.store.db, {
          type: 'member_confirmed',
          at: now,
          orgId: org.id,
          userId: ctx.user.id,
          detail: { memberId: input.userId, previousStatus: target.status },
        });
      });
      return { ok: true };
    }),

  /**
   * Removes a member and rotates the org key in one transaction: the request carries the new
   * key (version + 1) wrapped for every remaining active member and every link re-encrypted
   * under it. Anything missing or extra refuses the whole request.
   */
  removeMember: orgUserProcedure
    .input(
      z.strictObject({
        orgId: uuidSchema,
        userId: uuidSchema,
        newKeyVersion: z.number().int().min(2),
        memberKeys: z
          .array(z.strictObject({ userId: uuidSchema, wrappedOrgKey: eciesEnvelopeSchema }))
          .max(MAX_ROTATION_MEMBERS),
        links: z
          .array(
            z.strictObject({
              linkId: uuidSchema,
              link: envelopeSchema,
              label: envelopeSchema.nullable().optional(),
            }),
          )
          .max(MAX_ROTATION_LINKS),
      }),
    )
    .mutation(({ ctx, input }): { keyVersion: number } => {
      return transaction(ctx, () => {
        // The one who leaves must not be the one who makes the next key: they would know it.
        const self = input.userId === ctx.user.id;
        const { org, membership } = requireMember(ctx, input.orgId, { roles: ADMIN_ROLES });
        if (self) throw fail('SELF_REMOVAL');
        const all = ctx.store.db
          .select()
          .from(memberships)
          .where(eq(memberships.orgId, org.id))
          .all();
        const target = all.find((m) => m.userId === input.userId);
        if (!target) throw fail('MEMBER_NOT_FOUND');
        if (!self && target.role !== 'member' && membership.role !== 'owner') {
          throw fail('OWNER_REQUIRED');
        }
        if (
          target.role === 'owner' &&
          !all.some(
            (m) => m.role === 'owner' && m.status === 'active' && m.userId !== target.userId,
          )
        ) {
          throw fail('LAST_OWNER');
        }
        if (input.newKeyVersion !== org.keyVersion + 1) throw fail('KEY_VERSION_STALE');

        const remaining = all.filter((m) => m.status === 'active' && m.userId !== target.userId);
        const links = ctx.store.db.select().from(orgLinks).where(eq(orgLinks.orgId, org.id)).all();
        const problems = rotationProblems(remaining, links, input);
        if (problems) throw fail('ROTATION_INCOMPLETE', problems);

        const now = ctx.deps.clock.now();
        ctx.store.db
          .delete(memberships)
          .where(and(eq(memberships.orgId, org.id), eq(memberships.userId, target.userId)))
          .run();
        ctx.store.db
          .update(organisations)
          .set({ keyVersion: input.newKeyVersion })
          .where(eq(organisations.id, org.id))
          .run();
        for (const key of input.memberKeys) {
          ctx.store.db
            .update(memberships)
            .set({
              wrappedOrgKey: JSON.stringify(key.wrappedOrgKey),
              keyVersion: input.newKeyVersion,
            })
            .where(and(eq(memberships.orgId, org.id), eq(memberships.userId, key.userId)))
            .run();
        }
        for (const entry of input.links) {
          ctx.store.db
            .update(orgLinks)
            .set({
              link: JSON.stringify(entry.link),
              label: entry.label ? JSON.stringify(entry.label) : null,
              keyVersion: input.newKeyVersion,
            })
            .where(and(eq(orgLinks.id, entry.linkId), eq(orgLinks.orgId, org.id)))
            .run();
        }
        audit(ctx.store.db, {
          type: 'member_removed',
          at: now,
          orgId: org.id,
          userId: ctx.user.id,
          detail: { memberId: target.userId, role: target.role, self },
        });
        audit(ctx.store.db, {
          type: 'key_rotated',
          at: now,
          orgId: org.id,
          userId: ctx.user.id,
          detail: {
            keyVersion: input.newKeyVersion,
            members: input.memberKeys.length,
            links: input.links.length,
          },
        });
        return { keyVersion: input.newKeyVersion };
      });
    }),

  links: linksRouter,

  /** Security events of the organisation, newest first (owners and administrators). */
  audit: orgUserProcedure
    .input(
      z.strictObject({
        orgId: uuidSchema,
        limit: z.number().int().min(1).max(500).default(100),
        beforeId: z.number().int().min(1).optional(),
      }),
    )
    .query(({ ctx, input }) => {
      requireMember(ctx, input.orgId, { roles: ADMIN_ROLES });
      return ctx.store.db
        .select({ e: auditEvents, email: users.email })
        .from(auditEvents)
        .leftJoin(users, eq(users.id, auditEvents.userId))
        .where(
          and(
            eq(auditEvents.orgId, input.orgId),
            input.beforeId ? lt(auditEvents.id, input.beforeId) : undefined,
          ),
        )
        .orderBy(desc(auditEvents.id))
        .limit(input.limit)
        .all()
        .map(({ e, email }) => ({
          id: e.id,
          type: e.type,
          at: iso(e.at),
          userId: e.userId,
          userEmail: email,
          detail: parseJson<Record<string, unknown>>(e.detail),
        }));
    }),
});

/** Why a rotation request does not cover exactly the remaining members and links, or null. */
function rotationProblems(
  remaining: MembershipRow[],
  links: (typeof orgLinks.$inferSelect)[],
  input: {
    memberKeys: { userId: string }[];
    links: { linkId: string; label?: unknown }[];
  },
): Record<string, number> | null {
  const need = new Set(remaining.map((m) => m.userId));
  const given = input.memberKeys.map((k) => k.userId);
  const givenSet = new Set(given);
  const missingMembers = [...need].filter((id) => !givenSet.has(id)).length;
  const extraMembers = given.filter((id) => !need.has(id)).length;
  const duplicateMembers = given.length - givenSet.size;

  const stored = new Map(links.map((l) => [l.id, l]));
  const givenLinks = input.links.map((l) => l.linkId);
  const givenLinkSet = new Set(givenLinks);
  const missingLinks = [...stored.keys()].filter((id) => !givenLinkSet.has(id)).length;
  const extraLinks = givenLinks.filter((id) => !stored.has(id)).length;
  const duplicateLinks = givenLinks.length - givenLinkSet.size;
  const missingLabels = input.links.filter(
    (l) => stored.get(l.linkId)?.label != null && !l.label,
  ).length;

  const problems = {
    missingMembers,
    extraMembers,
    duplicateMembers,
    missingLinks,
    extraLinks,
    duplicateLinks,
    missingLabels,
  };
  return Object.values(problems).some((n) => n > 0) ? problems : null;
}
