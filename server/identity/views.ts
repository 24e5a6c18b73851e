import { eq } from 'drizzle-orm';
import { memberships, organisations, users } from './schema';
import type { IdentityStore } from './store';
import type { EciesEnvelope, Envelope, Kdf } from './validation';

type UserRow = typeof users.$inferSelect;

export const iso = (ms: number): string => new Date(ms).toISOString();
export const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));

/** JSON columns were validated before they were written. */
export const parseJson = <T>(text: string): T => JSON.parse(text) as T;

export interface UserView {
  id: string;
  email: string;
  role: 'user' | 'support';
  emailVerified: boolean;
  keyGeneration: number;
  createdAt: string;
  lastLoginAt: string | null;
}

export const userView = (user: UserRow): UserView => ({
  id: user.id,
  email: user.email,
  role: user.role,
  emailVerified: user.emailVerifiedAt !== null,
  keyGeneration: user.keyGeneration,
  createdAt: iso(user.createdAt),
  lastLoginAt: isoOrNull(user.lastLoginAt),
});

export interface KeysView {
  kdf: Kdf;
  wrappedUserKey: Envelope;
  publicKey: string;
  wrappedPrivateKey: Envelope;
}

export const keysView = (user: UserRow): KeysView => ({
  kdf: parseJson<Kdf>(user.kdf),
  wrappedUserKey: parseJson<Envelope>(user.wrappedUserKey),
  publicKey: user.publicKey,
  wrappedPrivateKey: parseJson<Envelope>(user.wrappedPrivateKey),
});

export interface MembershipView {
  orgId: string;
  kind: 'company' | 'bureau';
  name: string;
  orgNumber: string;
  role: 'owner' | 'admin' | 'member';
  status: 'active' | 'pending' | 'needs-regrant';
  /** The organisation's current key version. */
  keyVersion: number;
  /** The org key wrapped to this user (at `keyVersion`), or null while not granted. */
  wrappedOrgKey: EciesEnvelope | null;
}

export function membershipViews(store: IdentityStore, userId: string): MembershipView[] {
  return store.db
    .select({ m: memberships, o: organisations })
    .from(memberships)
    .innerJoin(organisations, eq(organisations.id, memberships.orgId))
    .where(eq(memberships.userId, userId))
    .orderBy(organisations.name)
    .all()
    .map(({ m, o }) => ({
      orgId: o.id,
      kind: o.kind,
      name: o.name,
      orgNumber: o.orgNumber,
      role: m.role,
      status: m.status,
      keyVersion: o.keyVersion,
      wrappedOrgKey:
        m.wrappedOrgKey !== null && m.keyVersion === o.keyVersion
          ? parseJson<EciesEnvelope>(m.wrappedOrgKey)
          : null,
    }));
}
