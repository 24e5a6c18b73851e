import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPayload, type FinancePayload } from '../../domain/sie-summary';
import { login, register } from '../../src/lib/core/account/account';
import { createOrganisation } from '../../src/lib/core/account/organisation';
import { createFinanceClient, createIdentityClient } from '../../src/lib/core/api/clients';
import { createEntity, listYears, uploadPayload } from '../../src/lib/core/finance/entities';
import { summarizeBytes } from '../../workers/sie/summarize';
import { mailbox } from '../helpers/identity-http';
import { repoRoot, startTestServer, type TestServer } from '../helpers/server';

/**
 * Crash safety (issue #9): the server is killed with SIGKILL in the middle of continuous
 * uploads, five times over, and restarted on the same data directory. After every restart
 * each upload that was acknowledged before the kill is still there (read from the database
 * files and served again through the API) and both databases pass integrity_check.
 */
const ROUNDS = 5;
const dataDir = mkdtempSync(join(tmpdir(), 'nyckel-crash-'));
let server: TestServer;
let port: number;
let summary: NonNullable<Awaited<ReturnType<typeof summarizeBytes>>['data']>;

/** A port that is free now; the server is restarted on it so clients keep their session. */
const freePort = () =>
  new Promise<number>((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });

beforeAll(async () => {
  port = await freePort();
  server = await startTestServer({ dataDir, port });
  const file = join(repoRoot, '../shared/sie-corpus/Sie4.se');
  const parsed = await summarizeBytes(new Uint8Array(readFileSync(file)), { fileName: 'Sie4.se' });
  summary = parsed.data!;
});
afterAll(async () => {
  await server.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

const payloadWith = (employees: number): FinancePayload => {
  const built = buildPayload(summary, { sni: '62010', employees, county: '07' });
  if (!built.ok) throw new Error('corpus file gives no payload');
  return built.payload;
};

async function newCompany(baseUrl: string) {
  const account = {
    email: `crash-${crypto.randomUUID().slice(0, 8)}@example.se`,
    password: `Ett långt lösenord som tål krascher ${crypto.randomUUID()}`,
  };
  const identity = createIdentityClient({ baseUrl });
  await register({ api: identity }, account);
  const verify = await mailbox(dataDir).next(account.email, 'verify');
  await identity.verifyEmail.mutate({ token: verify.token! });
  const session = await login({ api: identity }, account);
  const { orgId, orgKey } = await createOrganisation({ api: identity }, session, {
    kind: 'company',
    name: 'Kraschtålig AB',
    orgNumber: '556016-0680',
    address: { street: 'Stabilgatan 9', postalCode: '123 45', city: 'Luleå' },
  });
  return {
    deps: { identity, finance: createFinanceClient({ baseUrl }) },
    org: { orgId, orgKey, keyVersion: 1 },
  };
}

interface Ack {
  entityId: string;
  linkId: string;
  capability: string;
  employees: number;
  years: number;
}

const sleep = (ms: number) => new Promise((resolveSleep) => setTimeout(resolveSleep, ms));

/**
 * Upload loops that run until stopped. A call that fails (the server died under it) is not
 * acknowledged and is not retried: only answered uploads count.
 */
function uploadContinuously(company: Awaited<ReturnType<typeof newCompany>>, next: () => number) {
  const acks: Ack[] = [];
  let stopped = false;
  let inFlight = 0;
  const loop = async () => {
    while (!stopped) {
      const employees = next();
      inFlight += 1;
      try {
        const entity = await createEntity(company.deps, company.org, {
          profile: { sni: '620', employeeBand: null, county: '07' },
        });
        const result = await uploadPayload(company.deps.finance, entity, payloadWith(employees));
        acks.push({
          entityId: entity.financeEntityId,
          linkId: entity.linkId,
          capability: entity.capability,
          employees,
          years: result.years,
        });
      } catch {
        await sleep(20);
      } finally {
        inFlight -= 1;
      }
    }
  };
  const running = Promise.all([loop(), loop()]);
  return {
    acks,
    /** Uploads started and not yet answered. */
    inFlight: () => inFlight,
    waitFor: async (count: number) => {
      while (acks.length < count) await sleep(10);
    },
    stop: async () => {
      stopped = true;
      await running;
    },
  };
}

const withDb = <T>(file: string, read: (db: Database.Database) => T): T => {
  const db = new Database(join(dataDir, file), { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
};

describe('crash safety', () => {
  it(`survives ${ROUNDS} kill -9 during uploads with every acknowledged upload intact`, async () => {
    const company = await newCompany(server.url);
    const acknowledged: Ack[] = [];
    let counter = 0;
    const kills: { inFlightAtKill: boolean }[] = [];

    for (let round = 1; round <= ROUNDS; round += 1) {
      const uploads = uploadContinuously(company, () => (counter += 1));
      await uploads.waitFor(2 + round);
      // Kill at a moment that is not aligned with any request boundary.
      await sleep(Math.floor(Math.random() * 40));
      const inFlightAtKill = uploads.inFlight() > 0;
      server.process.kill('SIGKILL');
      expect(await server.stop()).toBeNull();
      await uploads.stop();
      acknowledged.push(...uploads.acks);
      kills.push({ inFlightAtKill });

      server = await startTestServer({ dataDir, port });

      for (const file of ['identity.db', 'finance.db']) {
        expect(withDb(file, (db) => db.pragma('integrity_check', { simple: true }))).toBe('ok');
      }
      const missing = withDb('finance.db', (db) => {
        const years = db.prepare(
          'SELECT employees FROM year_summary WHERE entity_id = ? ORDER BY fiscal_start DESC',
        );
        return acknowledged.filter((ack) => {
          const rows = years.all(ack.entityId) as { employees: number | null }[];
          return rows.length !== ack.years || rows[0]?.employees !== ack.employees;
        });
      });
      expect(missing).toEqual([]);
      const missingLinks = withDb('identity.db', (db) => {
        const link = db.prepare('SELECT 1 FROM org_links WHERE id = ?');
        return acknowledged.filter((ack) => link.get(ack.linkId) === undefined);
      });
      expect(missingLinks).toEqual([]);
      // The restarted server serves the newest acknowledged upload through the API.
      const newest = acknowledged.at(-1)!;
      const years = await listYears(company.deps.finance, {
        financeEntityId: newest.entityId,
        capability: newest.capability,
      });
      expect(years).toHaveLength(newest.years);
      expect(years[0]!.employees).toBe(newest.employees);
    }
    expect(acknowledged.length).toBeGreaterThanOrEqual(ROUNDS * 3);
    // Uploads were under way each time the process died (the loops never pause).
    expect(kills.every((kill) => kill.inFlightAtKill)).toBe(true);
  });
});
