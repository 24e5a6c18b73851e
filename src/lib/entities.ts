import { financeApi, identityApi } from './api';
import {
  createEntity,
  openLinkRows,
  type EntityProfile,
  type OpenEntity,
} from './core/finance/entities';
import { linkRows } from './offline/links';
import { auth, orgKeyFor } from './session.svelte';

/**
 * The organisation's finance entities (its own books, or a bureau's clients), opened with
 * the org key on this device (from the device's sealed copy of the links while offline). Capabilities are secrets: they are kept in memory only for as
 * long as the caller holds the result.
 */
export async function entitiesOf(orgId: string): Promise<OpenEntity[] | null> {
  const orgKey = await orgKeyFor(orgId);
  if (!orgKey) return null;
  return openLinkRows({ orgId, orgKey }, await linkRows(orgId));
}

export async function addEntity(
  orgId: string,
  input: { profile: EntityProfile; label?: string },
): Promise<OpenEntity> {
  const orgKey = await orgKeyFor(orgId);
  const membership = auth.memberships.find((m) => m.orgId === orgId);
  if (!orgKey || !membership) throw new Error('locked');
  return createEntity(
    { identity: identityApi, finance: financeApi },
    { orgId, orgKey, keyVersion: membership.keyVersion },
    input,
  );
}
