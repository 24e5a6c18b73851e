import type { IdentityClient } from '../api/clients';
import {
  fingerprint,
  newOrgKey,
  openClientLabel,
  openLink,
  sealClientLabel,
  sealLink,
  unwrapOrgKey,
  wrapOrgKeyForMember,
} from '../crypto/index';
import type { Membership, UnlockedSession } from './account';

/**
 * Organisation flows: the org key is created, wrapped, granted and rotated only here, on
 * the device of a member. The server stores envelopes it cannot open (P4, P7).
 */
export interface OrgDeps {
  api: IdentityClient;
}

export interface OrganisationInput {
  kind: 'company' | 'bureau';
  name: string;
  orgNumber: string;
  address?: { street: string; postalCode: string; city: string } | null;
}

export async function createOrganisation(
  deps: OrgDeps,
  session: UnlockedSession,
  input: OrganisationInput,
): Promise<{ orgId: string; orgKey: CryptoKey }> {
  const orgId = crypto.randomUUID();
  const { orgKey, wrapped } = await newOrgKey({
    orgId,
    keyVersion: 1,
    members: [{ userId: session.user.id, publicKey: session.keys.publicKey }],
  });
  await deps.api.org.create.mutate({
    orgId,
    kind: input.kind,
    name: input.name,
    orgNumber: input.orgNumber,
    address: input.address ?? null,
    wrappedOrgKey: wrapped[0]!.envelope,
  });
  return { orgId, orgKey };
}

/** Opens the caller's org key; null while the membership waits for a grant. */
export async function openOrgKey(
  session: UnlockedSession,
  membership: Pick<Membership, 'orgId' | 'keyVersion' | 'wrappedOrgKey' | 'status'>,
): Promise<CryptoKey | null> {
  if (membership.status !== 'active' || !membership.wrappedOrgKey) return null;
  return unwrapOrgKey({
    envelope: membership.wrappedOrgKey,
    orgId: membership.orgId,
    userId: session.user.id,
    keyVersion: membership.keyVersion,
    privateKey: session.keys.privateKey,
    publicKey: session.keys.publicKey,
  });
}

const ownMembership = async (deps: OrgDeps, orgId: string) => {
  const me = await deps.api.me.query();
  const membership = me.memberships.find((m) => m.orgId === orgId);
  if (!membership || membership.status !== 'active' || !membership.wrappedOrgKey) {
    throw new Error('You have no key for this organisation');
  }
  return { ...membership, wrappedOrgKey: membership.wrappedOrgKey };
};

/** The key the server presents for a member is not the one the admin compared. */
export const FINGERPRINT_MISMATCH = 'FINGERPRINT_MISMATCH';

/**
 * An admin grants the current org key to a pending (or re-grant) member. The member's key
 * fingerprint should be compared out of band first; the UI shows it.
 */
export async function confirmMember(
  deps: OrgDeps,
  session: UnlockedSession,
  input: { orgId: string; memberUserId: string; expectedFingerprint: string },
): Promise<void> {
  const own = await ownMembership(deps, input.orgId);
  const members = await deps.api.org.members.query({ orgId: input.orgId });
  const member = members.find((m) => m.userId === input.memberUserId);
  if (!member) throw new Error('No such member');
  // Wrap only to the key whose fingerprint the admin compared with the member out of band,
  // so a server cannot slip in a key of its own.
  const actual = await fingerprint(member.publicKey);
  if (actual !== input.expectedFingerprint.trim().toUpperCase()) {
    throw Object.assign(
      new Error(`The member's key fingerprint is ${actual}, not the one you compared`),
      { code: FINGERPRINT_MISMATCH, actual },
    );
  }
  const wrappedOrgKey = await wrapOrgKeyForMember({
    admin: {
      userId: session.user.id,
      envelope: own.wrappedOrgKey,
      privateKey: session.keys.privateKey,
      publicKey: session.keys.publicKey,
    },
    orgId: input.orgId,
    keyVersion: own.keyVersion,
    userId: member.userId,
    memberPublicKey: member.publicKey,
  });
  await deps.api.org.confirmMember.mutate({
    orgId: input.orgId,
    userId: member.userId,
    keyVersion: own.keyVersion,
    wrappedOrgKey,
  });
}

/**
 * Removes a member and rotates the org key: a new key for every remaining active member,
 * and every link and client label re-encrypted under it, so the removed member's old key
 * opens nothing written from now on.
 */
export async function removeMember(
  deps: OrgDeps,
  session: UnlockedSession,
  input: {
    orgId: string;
    memberUserId: string;
    /** The members the admin saw and expects to keep the key; any other set is refused. */
    expectedRecipients: readonly string[];
  },
): Promise<{ keyVersion: number }> {
  const own = await ownMembership(deps, input.orgId);
  const oldKey = await openOrgKey(session, own);
  if (!oldKey) throw new Error('You have no key for this organisation');
  const members = await deps.api.org.members.query({ orgId: input.orgId });
  const remaining = members.filter((m) => m.userId !== input.memberUserId && m.status === 'active');
  const expected = new Set(input.expectedRecipients);
  if (remaining.length !== expected.size || remaining.some((m) => !expected.has(m.userId))) {
    // The server lists other key holders than the admin saw: never wrap the new key to them.
    throw new Error('The member list changed; reload it and check it before removing');
  }
  const keyVersion = own.keyVersion + 1;
  const { orgKey, wrapped } = await newOrgKey({
    orgId: input.orgId,
    keyVersion,
    members: remaining.map((m) => ({ userId: m.userId, publicKey: m.publicKey })),
  });
  const links = await deps.api.org.links.list.query({ orgId: input.orgId });
  const reencrypted = await Promise.all(
    links.map(async (row) => {
      const context = { orgId: input.orgId, linkId: row.linkId };
      const link = await openLink({
        ...context,
        keyVersion: row.keyVersion,
        orgKey: oldKey,
        envelope: row.link,
      });
      const label = row.label
        ? await openClientLabel({
            ...context,
            keyVersion: row.keyVersion,
            orgKey: oldKey,
            envelope: row.label,
          })
        : null;
      return {
        linkId: row.linkId,
        link: await sealLink({ ...context, keyVersion, orgKey, link }),
        label:
          label === null ? null : await sealClientLabel({ ...context, keyVersion, orgKey, label }),
      };
    }),
  );
  return deps.api.org.removeMember.mutate({
    orgId: input.orgId,
    userId: input.memberUserId,
    newKeyVersion: keyVersion,
    memberKeys: wrapped.map((w) => ({ userId: w.userId, wrappedOrgKey: w.envelope })),
    links: reencrypted,
  });
}
