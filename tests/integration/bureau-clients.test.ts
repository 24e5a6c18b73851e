import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, register } from '../../src/lib/core/account/account';
import { createOrganisation } from '../../src/lib/core/account/organisation';
import { createFinanceClient, createIdentityClient } from '../../src/lib/core/api/clients';
import {
  createEntity,
  deleteEntity,
  openEntities,
  removeEntity,
  uploadPayload,
} from '../../src/lib/core/finance/entities';
import type { FinancePayload } from '../../domain/sie-summary';
import { failure, mailbox } from '../helpers/identity-http';
import { startTestServer, type TestServer } from '../helpers/server';

/**
 * Removing a bureau client: the client core erases the finance entity (only it holds the
 * capability), then the identity server removes the link — for the organisation's own
 * admins only, never across organisations, and idempotently after a half-done removal.
 */
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.dispose();
});

const payload: FinancePayload = {
  format: 'nyckel.finance-payload/1',
  profile: { sni: null, employeeBand: null, county: null },
  years: [
    {
      start: '2024-01-01',
      end: '2024-12-31',
      employees: 3,
      balance: { '19': { ib: 10_000_00, ub: 25_000_00 }, '20': { ib: -10_000_00, ub: -25_000_00 } },
      result: { '30': -500_000_00, '50': 120_000_00 },
    },
  ],
};

async function newBureau(name: string) {
  const mail = mailbox(server.dataDir);
  const email = `${crypto.randomUUID().slice(0, 8)}@example.se`;
  const password = `${name} har ett långt lösenord ${crypto.randomUUID()}`;
  const identity = createIdentityClient({ baseUrl: server.url });
  await register({ api: identity }, { email, password });
  await identity.verifyEmail.mutate({ token: (await mail.next(email, 'verify')).token! });
  const session = await login({ api: identity }, { email, password });
  const { orgId, orgKey } = await createOrganisation({ api: identity }, session, {
    kind: 'bureau',
    name,
    orgNumber: '556703-7485',
    address: null,
  });
  const deps = { identity, finance: createFinanceClient({ baseUrl: server.url }) };
  return { deps, identity, org: { orgId, orgKey, keyVersion: 1 } };
}

const financeRows = (entityId: string) => {
  const db = new Database(join(server.dataDir, 'finance.db'), { readonly: true });
  try {
    const count = (table: string, column: string) =>
      (
        db.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${column} = ?`).get(entityId) as {
          n: number;
        }
      ).n;
    return count('entity', 'id') + count('year_summary', 'entity_id');
  } finally {
    db.close();
  }
};

describe('removing a bureau client', () => {
  it('erases the entity and the link; another organisation can do neither', async () => {
    const bureau = await newBureau('Delta Redovisning AB');
    const other = await newBureau('Epsilon Ekonomi AB');
    const profile = { sni: '620', employeeBand: '1-4', county: '01' } as const;
    const kept = await createEntity(bureau.deps, bureau.org, { profile, label: 'K-1' });
    const gone = await createEntity(bureau.deps, bureau.org, { profile, label: 'K-2' });
    const foreign = await createEntity(other.deps, other.org, { profile, label: 'X-1' });
    for (const entity of [kept, gone]) await uploadPayload(bureau.deps.finance, entity, payload);
    expect(financeRows(gone.financeEntityId)).toBe(2);

    // IDOR: another organisation's user cannot remove the bureau's link…
    const asOther = await failure(
      other.identity.org.links.remove.mutate({ orgId: bureau.org.orgId, linkId: gone.linkId }),
    );
    expect(asOther.httpStatus).toBeGreaterThanOrEqual(400);
    expect(asOther.httpStatus).toBeLessThan(500);
    // …nor reach it through its own organisation id.
    const crossOrg = await failure(
      other.identity.org.links.remove.mutate({ orgId: other.org.orgId, linkId: gone.linkId }),
    );
    expect(crossOrg.reason).toBe('LINK_NOT_FOUND');
    expect((await openEntities(bureau.deps, bureau.org)).map((e) => e.label)).toEqual([
      'K-1',
      'K-2',
    ]);

    await removeEntity(bureau.deps, bureau.org.orgId, gone);
    expect(financeRows(gone.financeEntityId)).toBe(0);
    expect(financeRows(kept.financeEntityId)).toBe(2);
    expect((await openEntities(bureau.deps, bureau.org)).map((e) => e.label)).toEqual(['K-1']);
    expect((await openEntities(other.deps, other.org)).map((e) => e.label)).toEqual(['X-1']);
    expect(financeRows(foreign.financeEntityId)).toBe(1);

    const audit = await bureau.identity.org.audit.query({ orgId: bureau.org.orgId, limit: 10 });
    expect(audit.map((a) => a.type)).toContain('link_removed');

    const again = await failure(
      bureau.identity.org.links.remove.mutate({ orgId: bureau.org.orgId, linkId: gone.linkId }),
    );
    expect(again.reason).toBe('LINK_NOT_FOUND');
  });

  it('completes a removal whose entity was already erased', async () => {
    const bureau = await newBureau('Zeta Bokföring AB');
    const client = await createEntity(bureau.deps, bureau.org, {
      profile: { sni: '620', employeeBand: '1-4', county: '01' },
      label: 'Z-1',
    });
    await deleteEntity(bureau.deps.finance, client);
    await removeEntity(bureau.deps, bureau.org.orgId, client);
    expect(await openEntities(bureau.deps, bureau.org)).toEqual([]);
  });
});
