import type { Membership, UnlockedSession } from '../src/lib/core/account/account';
import { openOrgKey } from '../src/lib/core/account/organisation';
import { createFinanceClient, type IdentityClient } from '../src/lib/core/api/clients';
import {
  openEntities,
  type EntityDeps,
  type OpenEntity,
  type OrgKeyRef,
} from '../src/lib/core/finance/entities';
import { cliFailure } from './failure';

/** The organisation's key and its decrypted entities, for commands that touch figures. */
export async function orgEntities(
  api: IdentityClient,
  session: UnlockedSession,
  membership: Membership,
  server: string,
): Promise<{ deps: EntityDeps; org: OrgKeyRef; entities: OpenEntity[] }> {
  const orgKey = await openOrgKey(session, membership);
  if (!orgKey) {
    throw cliFailure(
      1,
      `you have no key for ${membership.orgNumber} yet: an administrator must confirm you`,
    );
  }
  const org = { orgId: membership.orgId, orgKey, keyVersion: membership.keyVersion };
  const deps = { identity: api, finance: createFinanceClient({ baseUrl: server }) };
  return { deps, org, entities: await openEntities(deps, org) };
}

/** The company's own entity, or the bureau client named by `label`. */
export function pickEntity(
  membership: Membership,
  entities: OpenEntity[],
  label: string | undefined,
): OpenEntity {
  if (membership.kind === 'bureau') {
    if (!label) throw cliFailure(1, 'a bureau uploads for a client: give --client LABEL');
    const client = entities.find((e) => e.label === label);
    if (!client)
      throw cliFailure(
        1,
        `no client with the label "${label}" (add it with nyckel org client add)`,
      );
    return client;
  }
  if (label) throw cliFailure(1, '--client is for bureaus; a company uploads its own books');
  const own = entities.find((e) => e.label === null);
  if (!own)
    throw cliFailure(
      1,
      'set the company profile first: nyckel org profile --sni CODE --county CODE',
    );
  return own;
}
