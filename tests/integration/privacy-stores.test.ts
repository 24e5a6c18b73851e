import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPayload, type FinancePayload } from '../../domain/sie-summary';
import { login, register } from '../../src/lib/core/account/account';
import { createOrganisation } from '../../src/lib/core/account/organisation';
import { createFinanceClient, createIdentityClient } from '../../src/lib/core/api/clients';
import { b64uDecode } from '../../src/lib/core/crypto/index';
import {
  createEntity,
  deleteEntity,
  listYears,
  openEntities,
  uploadPayload,
  type OpenEntity,
} from '../../src/lib/core/finance/entities';
import { summarizeBytes } from '../../workers/sie/summarize';
import { mailbox } from '../helpers/identity-http';
import { repoRoot, startTestServer, type TestServer } from '../helpers/server';

/**
 * P2–P5 and P7 proven on the real database files: two companies and a bureau with three
 * clients upload corpus files through the client core; then every table, every text/blob
 * column and the raw bytes of both databases and their WALs are searched for anything that
 * could tie figures to a company.
 */
const corpus = join(repoRoot, '../shared/sie-corpus');
let server: TestServer;
let mail: ReturnType<typeof mailbox>;

beforeAll(async () => {
  server = await startTestServer();
  mail = mailbox(server.dataDir);
});
afterAll(async () => {
  await server.dispose();
});

const identifying: string[] = [];
const financeSecrets: string[] = [];
const figures: number[] = [];

async function payloadOf(file: string, employees?: number): Promise<FinancePayload> {
  const bytes = new Uint8Array(readFileSync(join(corpus, file)));
  const result = await summarizeBytes(bytes, { fileName: file });
  const payload = buildPayload(result.data!, { employees });
  if (!payload.ok) throw new Error(`no payload for ${file}`);
  for (const year of payload.payload.years) {
    for (const { ub } of Object.values(year.balance)) if (Math.abs(ub) > 100_000) figures.push(ub);
  }
  return payload.payload;
}

async function newOrg(name: string, orgNumber: string, kind: 'company' | 'bureau') {
  const email = `${name.split(' ')[0]!.toLowerCase()}-${crypto.randomUUID().slice(0, 6)}@example.se`;
  const password = `${name} har ett långt lösenord ${crypto.randomUUID()}`;
  const identity = createIdentityClient({ baseUrl: server.url });
  const { userId } = await register({ api: identity }, { email, password });
  await identity.verifyEmail.mutate({ token: (await mail.next(email, 'verify')).token! });
  const session = await login({ api: identity }, { email, password });
  const { orgId, orgKey } = await createOrganisation({ api: identity }, session, {
    kind,
    name,
    orgNumber,
    address: { street: `${name}gatan 7`, postalCode: '123 45', city: 'Växjö' },
  });
  identifying.push(email, userId, orgId, name, orgNumber, `${name}gatan 7`);
  const deps = { identity, finance: createFinanceClient({ baseUrl: server.url }) };
  return { deps, identity, session, org: { orgId, orgKey, keyVersion: 1 } };
}

describe('P2–P5, P7: what the two stores hold after real uploads', () => {
  const entities: OpenEntity[] = [];
  let companyA: Awaited<ReturnType<typeof newOrg>>;
  let bureau: Awaited<ReturnType<typeof newOrg>>;

  it('two companies and a bureau with three clients upload corpus files', async () => {
    companyA = await newOrg('Alfa Bygg AB', '556677-8899', 'company');
    const companyB = await newOrg('Beta Konsult AB', '556016-0680', 'company');
    bureau = await newOrg('Gamma Redovisning AB', '556703-7485', 'bureau');

    const profile = { sni: '620', employeeBand: '10-19', county: '07' } as const;
    for (const [company, file] of [
      [companyA, 'Sie4.se'],
      [companyB, 'transaktioner_ovnbolag.se'],
    ] as const) {
      const entity = await createEntity(company.deps, company.org, { profile });
      await uploadPayload(company.deps.finance, entity, await payloadOf(file, 12));
      entities.push(entity);
    }
    for (const [label, file] of [
      ['KUND-1001', 'BL0001_typ4.SE'],
      ['KUND-1002', 'MAMUT_SIE4_EXPORT.SE'],
      ['KUND-1003', 'SIE_exempelfil.se'],
    ] as const) {
      const entity = await createEntity(bureau.deps, bureau.org, { profile, label });
      await uploadPayload(bureau.deps.finance, entity, await payloadOf(file));
      identifying.push(label);
      entities.push(entity);
    }
    for (const entity of entities) {
      financeSecrets.push(entity.capability, entity.entityKey, entity.financeEntityId);
      expect((await listYears(companyA.deps.finance, entity)).length).toBeGreaterThan(0);
    }
    // The bureau sees its clients by label, decrypted on the device.
    const clients = await openEntities(bureau.deps, bureau.org);
    expect(clients.map((c) => c.label).sort()).toEqual(['KUND-1001', 'KUND-1002', 'KUND-1003']);
  });

  it('re-uploading a year replaces it (idempotent per entity and fiscal-year start)', async () => {
    const entity = entities[0]!;
    const before = await listYears(companyA.deps.finance, entity);
    await uploadPayload(companyA.deps.finance, entity, await payloadOf('Sie4.se', 14));
    const after = await listYears(companyA.deps.finance, entity);
    expect(after.length).toBe(before.length);
    expect(after[0]!.employees).toBe(14);
  });

  it('a foreign or wrong capability is refused: company A cannot read the bureau’s client', async () => {
    const [ownOfA, , clientOfBureau] = [entities[0]!, entities[1]!, entities[2]!];
    const forged = {
      financeEntityId: clientOfBureau.financeEntityId,
      capability: ownOfA.capability,
    };
    const error = await listYears(companyA.deps.finance, forged).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCClientError);
    // And the identity side answers NOT_FOUND for the bureau's links.
    const links = await companyA.identity.org.links.list
      .query({ orgId: bureau.org.orgId })
      .catch((e: unknown) => e);
    expect(links).toBeInstanceOf(TRPCClientError);
  });

  const dump = (file: string) => {
    const db = new Database(file, { readonly: true });
    try {
      const tables = db
        .prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`)
        .all()
        .map((row) => (row as { name: string }).name);
      return tables
        .map((table) => JSON.stringify(db.prepare(`SELECT * FROM "${table}"`).all()))
        .join('\n');
    } finally {
      db.close();
    }
  };
  const rawBytes = (file: string) =>
    [file, `${file}-wal`].filter(existsSync).map((f) => readFileSync(f));

  it('finance.db holds no e-mail, user, organisation, name, org number, address or label', () => {
    const file = join(server.dataDir, 'finance.db');
    const rows = dump(file);
    const raw = rawBytes(file);
    for (const value of identifying) {
      expect(rows, value).not.toContain(value);
      for (const bytes of raw) expect(bytes.includes(Buffer.from(value)), value).toBe(false);
    }
    // Nor any capability in clear (only its hash), nor the entity key.
    for (const entity of entities) {
      for (const secret of [entity.capability, entity.entityKey]) {
        expect(rows).not.toContain(secret);
        for (const bytes of raw) {
          expect(bytes.includes(Buffer.from(secret))).toBe(false);
          expect(bytes.includes(Buffer.from(b64uDecode(secret)))).toBe(false);
        }
      }
    }
  });

  it('identity.db holds no entity id, capability, entity key or figure in plaintext', () => {
    const file = join(server.dataDir, 'identity.db');
    const rows = dump(file);
    const raw = rawBytes(file);
    for (const secret of financeSecrets) {
      expect(rows).not.toContain(secret);
      for (const bytes of raw) expect(bytes.includes(Buffer.from(secret))).toBe(false);
    }
    for (const figure of figures) expect(rows).not.toContain(`"ub":${figure}`);
  });

  it('deleting an entity removes every row of it from finance.db', async () => {
    const entity = entities[1]!;
    await deleteEntity(companyA.deps.finance, entity);
    const db = new Database(join(server.dataDir, 'finance.db'), { readonly: true });
    try {
      const tables = db
        .prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`)
        .all()
        .map((row) => (row as { name: string }).name);
      for (const table of tables) {
        const text = JSON.stringify(db.prepare(`SELECT * FROM "${table}"`).all());
        expect(text, table).not.toContain(entity.financeEntityId);
      }
    } finally {
      db.close();
    }
  });
});
