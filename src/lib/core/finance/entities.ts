import type { BenchmarkLevel, BenchmarkResult } from '../../../../domain/benchmark';
import type { FinancePayload } from '../../../../domain/sie-summary';
import type { FinanceClient, IdentityClient } from '../api/clients';
import {
  b64uDecode,
  newLinkSecrets,
  openClientLabel,
  openLink,
  sealClientLabel,
  sealLink,
  type OrgLink,
} from '../crypto/index';

/**
 * Finance entities from the client's side (P4, P5): the device creates the capability and
 * the entity key, registers the entity with the finance API by the capability's hash only,
 * and stores the link {entityId, capability, entityKey} encrypted under the org key in the
 * identity store. Finance calls carry the capability and nothing else.
 */
export type EntityProfile = FinancePayload['profile'];

/** An entity the caller can act on: the decrypted link (and, for a bureau, the label). */
export interface OpenEntity extends OrgLink {
  linkId: string;
  keyVersion: number;
  label: string | null;
}

export interface EntityDeps {
  identity: IdentityClient;
  finance: FinanceClient;
}

export interface OrgKeyRef {
  orgId: string;
  orgKey: CryptoKey;
  keyVersion: number;
}

/** SHA-256 of the raw 32 capability bytes as lowercase hex: all the finance store keeps. */
export async function capabilityHash(capability: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', b64uDecode(capability)));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Creates a finance entity for an organisation (a company's own books, or one client of a
 * bureau, named by `label`, which is encrypted under the org key) and stores its link.
 */
export async function createEntity(
  deps: EntityDeps,
  org: OrgKeyRef,
  input: { profile: EntityProfile; label?: string },
): Promise<OpenEntity> {
  const secrets = newLinkSecrets();
  const { entityId } = await deps.finance.createEntity.mutate({
    capabilityHash: await capabilityHash(secrets.capability),
    profile: input.profile,
  });
  const linkId = crypto.randomUUID();
  const link: OrgLink = { financeEntityId: entityId, ...secrets };
  const row = { orgId: org.orgId, linkId, keyVersion: org.keyVersion, orgKey: org.orgKey };
  await deps.identity.org.links.add.mutate({
    orgId: org.orgId,
    linkId,
    keyVersion: org.keyVersion,
    link: await sealLink({ ...row, link }),
    label: input.label ? await sealClientLabel({ ...row, label: input.label }) : null,
  });
  return { ...link, linkId, keyVersion: org.keyVersion, label: input.label ?? null };
}

/** Every entity of the organisation, decrypted on this device. */
export async function openEntities(
  deps: Pick<EntityDeps, 'identity'>,
  org: Pick<OrgKeyRef, 'orgId' | 'orgKey'>,
): Promise<OpenEntity[]> {
  return openLinkRows(org, await deps.identity.org.links.list.query({ orgId: org.orgId }));
}

/** One row of `org.links.list`: the link and label envelopes as the identity store keeps them. */
export type LinkRow = Awaited<ReturnType<IdentityClient['org']['links']['list']['query']>>[number];

/**
 * Decrypts link rows with the org key: rows just listed by the identity API, or the same
 * rows kept sealed on this device for offline use.
 */
export async function openLinkRows(
  org: Pick<OrgKeyRef, 'orgId' | 'orgKey'>,
  rows: readonly LinkRow[],
): Promise<OpenEntity[]> {
  return Promise.all(
    rows.map(async (row) => {
      const context = {
        orgId: org.orgId,
        linkId: row.linkId,
        keyVersion: row.keyVersion,
        orgKey: org.orgKey,
      };
      const link = await openLink({ ...context, envelope: row.link });
      const label = row.label ? await openClientLabel({ ...context, envelope: row.label }) : null;
      return { ...link, linkId: row.linkId, keyVersion: row.keyVersion, label };
    }),
  );
}

const auth = (entity: Pick<OrgLink, 'financeEntityId' | 'capability'>) => ({
  entityId: entity.financeEntityId,
  capability: entity.capability,
});

export const uploadPayload = (
  finance: FinanceClient,
  entity: Pick<OrgLink, 'financeEntityId' | 'capability'>,
  payload: FinancePayload,
) => finance.uploadYears.mutate({ ...auth(entity), payload });

export const listYears = (
  finance: FinanceClient,
  entity: Pick<OrgLink, 'financeEntityId' | 'capability'>,
) => finance.listYears.query(auth(entity));

export const updateProfile = (
  finance: FinanceClient,
  entity: Pick<OrgLink, 'financeEntityId' | 'capability'>,
  profile: EntityProfile,
) => finance.updateProfile.mutate({ ...auth(entity), profile });

/**
 * The entity's benchmark against anonymous peers (refused with NO_CONTRIBUTION until it has
 * uploaded a year): `year` picks the fiscal year (default newest), `level` fixes the industry
 * level of the peer group (default: the most specific group that passes disclosure control).
 */
export const benchmark = (
  finance: FinanceClient,
  entity: Pick<OrgLink, 'financeEntityId' | 'capability'>,
  options: { year?: number; level?: BenchmarkLevel } = {},
): Promise<BenchmarkResult> => finance.benchmark.query({ ...auth(entity), ...options });

export const deleteEntity = (
  finance: FinanceClient,
  entity: Pick<OrgLink, 'financeEntityId' | 'capability'>,
) => finance.deleteEntity.mutate(auth(entity));

/**
 * Removes a company's books or a bureau client for good: first erases the finance entity
 * (only a holder of its capability can), then removes the link from the organisation. If
 * the second step fails the link is left pointing at nothing, and removing it again
 * completes the job (an already-erased entity is skipped).
 */
export async function removeEntity(
  deps: EntityDeps,
  orgId: string,
  entity: Pick<OpenEntity, 'financeEntityId' | 'capability' | 'linkId'>,
): Promise<void> {
  try {
    await deleteEntity(deps.finance, entity);
  } catch (error) {
    const reason = (error as { data?: { reason?: string } } | null)?.data?.reason;
    // The entity is gone already (an earlier attempt erased it before the link went).
    if (reason !== 'CAPABILITY_REFUSED') throw error;
  }
  await deps.identity.org.links.remove.mutate({ orgId, linkId: entity.linkId });
}
