import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { contractListSchema, type ContractTerms } from '../../domain/contracts';
import { newLinkSecrets } from '../../src/lib/core/crypto/index';
import { createFinanceClient, type FinanceClient } from '../../src/lib/core/api/clients';
import { capabilityHash } from '../../src/lib/core/finance/entities';
import {
  listContracts,
  removeContract,
  saveContract,
  type ContractEntity,
} from '../../src/lib/core/finance/contracts';
import { startTestServer, type TestServer } from '../helpers/server';

/**
 * Agreements against the real server process, through the client core the app and the CLI
 * use: what crosses the wire and what lands on disk (never supplier or notes in plaintext),
 * what an entity sees (only its own agreements), and refusals over HTTP.
 */
let server: TestServer;
let finance: FinanceClient;
const bodies: string[] = [];
const realFetch = globalThis.fetch;

beforeAll(async () => {
  server = await startTestServer();
  finance = createFinanceClient({ baseUrl: server.url });
  // Every request body the client sends, as the server receives it.
  globalThis.fetch = async (input, init) => {
    if (typeof init?.body === 'string') bodies.push(init.body);
    return realFetch(input, init);
  };
});
afterAll(async () => {
  globalThis.fetch = realFetch;
  await server.dispose();
});
afterEach(() => {
  bodies.length = 0;
});

async function newEntity(): Promise<ContractEntity> {
  const secrets = newLinkSecrets();
  const { entityId } = await finance.createEntity.mutate({
    capabilityHash: await capabilityHash(secrets.capability),
    profile: { sni: '620', employeeBand: '10-19', county: '07' },
  });
  return { financeEntityId: entityId, ...secrets };
}

/** The finance database and its WAL as they are on disk now. */
const rawBytes = () =>
  Buffer.concat(
    ['finance.db', 'finance.db-wal']
      .map((f) => join(server.dataDir, f))
      .filter((f) => existsSync(f))
      .map((f) => readFileSync(f)),
  );

const electricity: ContractTerms = {
  category: 'electricity',
  quantity: 42_000,
  annualCost: 58_000,
  startMonth: '2025-01',
  endMonth: '2026-12',
  noticeMonths: 3,
  renewalMonths: 12,
  priceModel: 'hourly',
  priceArea: 'SE3',
  county: null,
};

const SUPPLIER = 'Hemliga Kraftbolaget i Ljungby AB';
const NOTES = 'Rabattkod ZQX-4471, kontakt Birgitta Östlund';

describe('agreements over HTTP', () => {
  it('supplier and notes never reach the server in plaintext: not on the wire, not on disk', async () => {
    const entity = await newEntity();
    const { contractId, unitPrice } = await saveContract(finance, entity, {
      terms: electricity,
      private: { supplier: SUPPLIER, notes: NOTES, details: { energyPrice: 91.25, fixedFee: 39 } },
    });
    expect(unitPrice).toBeCloseTo((58_000 * 100) / 42_000, 9);
    const sent = bodies.join('\n');
    expect(sent).toContain('"annualCost":58000');
    expect(sent).toContain(contractId);
    for (const secret of [
      'Hemliga',
      'Kraftbolaget',
      'Ljungby',
      'ZQX-4471',
      'Birgitta',
      'Östlund',
      '91.25',
    ]) {
      expect(sent).not.toContain(secret);
    }

    // Read back and opened on this side only.
    const list = await listContracts(finance, entity);
    expect(list.contracts).toHaveLength(1);
    expect(list.contracts[0]).toMatchObject({
      id: contractId,
      terms: electricity,
      unitMetric: 'kwh',
      termMonths: 24,
      private: { supplier: SUPPLIER, notes: NOTES, details: { energyPrice: 91.25, fixedFee: 39 } },
    });

    // On disk: the database file and its WAL hold neither supplier nor notes, in any encoding.
    const disk = rawBytes();
    for (const secret of [SUPPLIER, NOTES, 'Kraftbolaget', 'ZQX-4471', 'Östlund']) {
      expect(disk.includes(Buffer.from(secret, 'utf8'))).toBe(false);
      expect(disk.includes(Buffer.from(secret, 'utf16le'))).toBe(false);
    }
    // …but the sealed part is there, as stored ciphertext.
    const [sealed] = (
      await finance.contracts.list.query({
        entityId: entity.financeEntityId,
        capability: entity.capability,
      })
    ).contracts[0]!.sealed;
    expect(disk.includes(Buffer.from(sealed!.ct))).toBe(true);

    // Deleted on the server too: the ciphertext is gone from the file and the WAL.
    await removeContract(finance, entity, contractId);
    expect(rawBytes().includes(Buffer.from(sealed!.ct))).toBe(false);
    expect((await listContracts(finance, entity)).contracts).toEqual([]);
  });

  it('an entity sees only its own agreements, never a peer’s', async () => {
    const a = await newEntity();
    const b = await newEntity();
    const mine = await saveContract(finance, a, {
      terms: electricity,
      private: { supplier: 'A-leverantören', notes: '', details: {} },
    });
    const theirs = await saveContract(finance, b, {
      terms: { ...electricity, annualCost: 77_777 },
      private: { supplier: 'B-leverantören', notes: '', details: {} },
    });
    const raw = await finance.contracts.list.query({
      entityId: a.financeEntityId,
      capability: a.capability,
    });
    expect(contractListSchema.parse(raw)).toEqual(raw);
    expect(raw.contracts.map((c) => c.id)).toEqual([mine.contractId]);
    const text = JSON.stringify(raw);
    expect(text).not.toContain(theirs.contractId);
    expect(text).not.toContain('77777');
    expect(text).not.toContain(b.financeEntityId);
  });

  it('refuses another entity’s capability and another entity’s agreement id', async () => {
    const owner = await newEntity();
    const intruder = await newEntity();
    const { contractId } = await saveContract(finance, owner, {
      terms: electricity,
      private: { supplier: 'Ägaren', notes: '', details: {} },
    });
    const call = async (path: string, input: unknown) => {
      const response = await realFetch(new URL(`/api/finance/${path}`, server.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(input),
      });
      const json = (await response.json()) as { error?: { data?: { reason?: string } } };
      return { status: response.status, reason: json.error?.data?.reason };
    };
    const forged = { entityId: owner.financeEntityId, capability: intruder.capability };
    expect(await call('contracts.list', forged)).toEqual({
      status: 401,
      reason: 'CAPABILITY_REFUSED',
    });
    expect(await call('contracts.remove', { ...forged, contractId })).toEqual({
      status: 401,
      reason: 'CAPABILITY_REFUSED',
    });
    expect(
      await call('contracts.remove', {
        entityId: intruder.financeEntityId,
        capability: intruder.capability,
        contractId,
      }),
    ).toEqual({ status: 404, reason: 'CONTRACT_NOT_FOUND' });
    // A cookie is refused before anything is read, like every finance call.
    const withCookie = await realFetch(new URL('/api/finance/contracts.list', server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: 'a=b' },
      body: JSON.stringify({ entityId: owner.financeEntityId, capability: owner.capability }),
    });
    expect(withCookie.status).toBe(400);
    expect((await listContracts(finance, owner)).contracts.map((c) => c.id)).toEqual([contractId]);
  });
});

describe('agreements against the demo population', () => {
  let demo: TestServer;
  beforeAll(async () => {
    demo = await startTestServer({ env: { NYCKEL_DEMO: 'on', NYCKEL_DEMO_ENTITIES: '400' } });
  });
  afterAll(async () => {
    await demo?.dispose();
  });

  it('a newcomer’s agreement is compared with demo peers of its price area and county', async () => {
    const client = createFinanceClient({ baseUrl: demo.url });
    const secrets = newLinkSecrets();
    const { entityId } = await client.createEntity.mutate({
      capabilityHash: await capabilityHash(secrets.capability),
      profile: { sni: '620', employeeBand: '10-19', county: '01' },
    });
    const entity = { financeEntityId: entityId, ...secrets };
    await saveContract(client, entity, {
      terms: electricity,
      private: { supplier: '', notes: '', details: {} },
    });
    await saveContract(client, entity, {
      terms: {
        ...electricity,
        category: 'rent',
        quantity: 180,
        annualCost: 450_000,
        priceModel: 'indexed',
        priceArea: null,
        county: '01',
        noticeMonths: 9,
        renewalMonths: 36,
      },
      private: { supplier: '', notes: '', details: {} },
    });
    // Statistics refresh after the save (debounced): poll until both are compared.
    let list = await listContracts(client, entity);
    for (let i = 0; i < 20 && list.contracts.some((c) => c.comparison.group === null); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      list = await listContracts(client, entity);
    }
    expect(list.demo).toBe(true);
    const byCategory = Object.fromEntries(list.contracts.map((c) => [c.terms.category, c]));
    const power = byCategory.electricity!.comparison;
    expect(power.group).toEqual({ category: 'electricity', region: 'SE3' });
    expect(power.n).toBeGreaterThanOrEqual(10);
    // Demo electricity in SE3 is priced around 80 öre/kWh; 138 öre is well above the median.
    expect(power.p50).toBeGreaterThan(50);
    expect(power.p50).toBeLessThan(120);
    expect(power.index).toBeLessThan(50);
    expect(power.saving).toBe(Math.round((power.unitPrice - power.p50!) * 42_000 * 0.01));
    const rent = byCategory.rent!.comparison;
    expect(rent.group?.category).toBe('rent');
    expect(rent.unitPrice).toBe(2_500);
    expect(rent.p25).toBeLessThanOrEqual(rent.p50!);
  });
});
