import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPayload, type FinancePayload } from '../../domain/sie-summary';
import { login, register } from '../../src/lib/core/account/account';
import { createOrganisation, openOrgKey } from '../../src/lib/core/account/organisation';
import { createFinanceClient, createIdentityClient } from '../../src/lib/core/api/clients';
import {
  createEntity,
  listYears,
  openEntities,
  uploadPayload,
} from '../../src/lib/core/finance/entities';
import { summarizeBytes } from '../../workers/sie/summarize';
import { runNyckel } from '../helpers/cli';
import { mailbox } from '../helpers/identity-http';
import { repoRoot, startTestServer, type TestServer } from '../helpers/server';

/**
 * The backup round trip of issue #9 against the real server: uploads run continuously
 * through the client core while `nyckel backup` snapshots both stores; both backups are
 * restored with `nyckel restore` into a new data directory, which must pass integrity_check,
 * hold every upload acknowledged before the backup started, and serve them again (a second
 * server on the restored directory, the same user logging in). Refusals (wrong key, damaged
 * file): backup-refusals.test.ts.
 */
const work = mkdtempSync(join(tmpdir(), 'nyckel-backup-it-'));
const dirs = {
  identityBackups: join(work, 'offsite-identity'),
  financeBackups: join(work, 'offsite-finance'),
  restored: join(work, 'restored'),
};
const keys = {
  identity: randomBytes(32).toString('base64'),
  finance: randomBytes(32).toString('hex'),
};
const keyFiles = { identity: join(work, 'identity.key'), finance: join(work, 'finance.key') };
writeFileSync(keyFiles.identity, `${keys.identity}\n`, { mode: 0o600 });
writeFileSync(keyFiles.finance, `${keys.finance}\n`, { mode: 0o600 });

let server: TestServer;
let restoredServer: TestServer | undefined;
let summary: NonNullable<Awaited<ReturnType<typeof summarizeBytes>>['data']>;

beforeAll(async () => {
  server = await startTestServer();
  const file = join(repoRoot, '../shared/sie-corpus/Sie4.se');
  const parsed = await summarizeBytes(new Uint8Array(readFileSync(file)), { fileName: 'Sie4.se' });
  summary = parsed.data!;
});
afterAll(async () => {
  await restoredServer?.dispose();
  await server.dispose();
  rmSync(work, { recursive: true, force: true });
});

const payloadWith = (employees: number): FinancePayload => {
  const built = buildPayload(summary, { sni: '62010', employees, county: '07' });
  if (!built.ok) throw new Error('corpus file gives no payload');
  return built.payload;
};

const account = {
  email: `backup-${crypto.randomUUID().slice(0, 8)}@example.se`,
  password: `Ett långt lösenord för säkerhetskopian ${crypto.randomUUID()}`,
};

async function newCompany(baseUrl: string, dataDir: string) {
  const identity = createIdentityClient({ baseUrl });
  await register({ api: identity }, account);
  const verify = await mailbox(dataDir).next(account.email, 'verify');
  await identity.verifyEmail.mutate({ token: verify.token! });
  const session = await login({ api: identity }, account);
  const { orgId, orgKey } = await createOrganisation({ api: identity }, session, {
    kind: 'company',
    name: 'Säkerhetskopia AB',
    orgNumber: '556677-8899',
    address: { street: 'Backupvägen 1', postalCode: '123 45', city: 'Umeå' },
  });
  const deps = { identity, finance: createFinanceClient({ baseUrl }) };
  return { deps, org: { orgId, orgKey, keyVersion: 1 } };
}

interface Ack {
  entityId: string;
  linkId: string;
  capability: string;
  employees: number;
  years: number;
  /** Date.now() when the server's answer arrived. */
  at: number;
}

/**
 * `workers` loops, each creating an entity and uploading a file through the client core
 * until stopped; every acknowledged upload is recorded with the time of its answer.
 */
function uploadContinuously(company: Awaited<ReturnType<typeof newCompany>>, workers = 2) {
  const acks: Ack[] = [];
  let stopped = false;
  let counter = 0;
  const loop = async () => {
    while (!stopped) {
      counter += 1;
      const employees = counter;
      const entity = await createEntity(company.deps, company.org, {
        profile: { sni: '620', employeeBand: null, county: '07' },
      });
      const payload = payloadWith(employees);
      const result = await uploadPayload(company.deps.finance, entity, payload);
      acks.push({
        entityId: entity.financeEntityId,
        linkId: entity.linkId,
        capability: entity.capability,
        employees,
        years: result.years,
        at: Date.now(),
      });
    }
  };
  const running = Promise.all(Array.from({ length: workers }, loop));
  return {
    acks,
    waitFor: async (count: number) => {
      while (acks.length < count) await new Promise((r) => setTimeout(r, 20));
    },
    stop: async () => {
      stopped = true;
      await running;
    },
  };
}

const integrityOf = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return db.pragma('integrity_check', { simple: true });
  } finally {
    db.close();
  }
};

const rowsOf = <T>(file: string, sql: string, ...params: unknown[]): T[] => {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
};

const backupFileIn = (dir: string) => {
  const files = readdirSync(dir).filter((name) => name.endsWith('.nyckel-backup'));
  expect(files).toHaveLength(1);
  return join(dir, files[0]!);
};

describe('backup and restore while uploads are running', () => {
  let ackedBeforeBackup: Ack[] = [];
  let company: Awaited<ReturnType<typeof newCompany>>;

  it('backs up both stores with `nyckel backup` while uploads continue', async () => {
    company = await newCompany(server.url, server.dataDir);
    const uploads = uploadContinuously(company);
    try {
      await uploads.waitFor(6);
      const started = Date.now();
      ackedBeforeBackup = uploads.acks.filter((ack) => ack.at <= started);
      const run = await runNyckel(
        [
          'backup',
          '--data',
          server.dataDir,
          '--identity-to',
          dirs.identityBackups,
          '--finance-to',
          dirs.financeBackups,
        ],
        { NYCKEL_BACKUP_IDENTITY_KEY: keys.identity, NYCKEL_BACKUP_FINANCE_KEY: keys.finance },
      );
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      for (const key of Object.values(keys)) expect(run.stdout).not.toContain(key);
      expect(run.stdout).toMatch(/^identity: .*identity-\d{8}T\d{6}\.\d{3}Z\.nyckel-backup/m);
      expect(run.stdout).toMatch(/^finance: .*integrity ok/m);
      // Uploads were acknowledged while the backup command ran.
      const during = uploads.acks.filter((ack) => ack.at > started).length;
      expect(during).toBeGreaterThan(0);
    } finally {
      await uploads.stop();
    }
    expect(ackedBeforeBackup.length).toBeGreaterThanOrEqual(6);

    for (const [role, dir] of [
      ['identity', dirs.identityBackups],
      ['finance', dirs.financeBackups],
    ] as const) {
      const file = backupFileIn(dir);
      expect(basename(file).startsWith(`${role}-`)).toBe(true);
      expect(readdirSync(dir).sort()).toEqual([basename(file), 'manifest.json'].sort());
      expect(statSync(file).mode & 0o077).toBe(0);
      // Neither the SQLite header nor any company detail is readable in the file.
      const bytes = readFileSync(file);
      for (const plain of ['SQLite format 3', 'Säkerhetskopia', account.email]) {
        expect(bytes.includes(Buffer.from(plain))).toBe(false);
      }
    }
  });

  it('restores both into a new data directory: integrity ok, every acknowledged upload present', async () => {
    const runs = await Promise.all(
      (['identity', 'finance'] as const).map((role) =>
        runNyckel([
          'restore',
          '--from',
          backupFileIn(role === 'identity' ? dirs.identityBackups : dirs.financeBackups),
          '--to',
          dirs.restored,
          '--key-file',
          keyFiles[role],
        ]),
      ),
    );
    for (const run of runs) {
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/checksum matches manifest\.json; decrypted and authenticated/);
    }
    const identityDb = join(dirs.restored, 'identity.db');
    const financeDb = join(dirs.restored, 'finance.db');
    expect(integrityOf(identityDb)).toBe('ok');
    expect(integrityOf(financeDb)).toBe('ok');

    for (const ack of ackedBeforeBackup) {
      const years = rowsOf<{ employees: number | null }>(
        financeDb,
        'SELECT employees FROM year_summary WHERE entity_id = ? ORDER BY fiscal_start DESC',
        ack.entityId,
      );
      expect(years).toHaveLength(ack.years);
      expect(years[0]!.employees).toBe(ack.employees);
      const links = rowsOf(identityDb, 'SELECT id FROM org_links WHERE id = ?', ack.linkId);
      expect(links).toHaveLength(1);
    }
  });

  it('the restored directory serves the same account and figures again (restore drill)', async () => {
    restoredServer = await startTestServer({ dataDir: dirs.restored });
    const identity = createIdentityClient({ baseUrl: restoredServer.url });
    const session = await login({ api: identity }, account);
    const me = await identity.me.query();
    const membership = me.memberships.find((m) => m.orgId === company.org.orgId)!;
    const orgKey = await openOrgKey(session, membership);
    expect(orgKey).not.toBeNull();
    const deps = { identity, finance: createFinanceClient({ baseUrl: restoredServer.url }) };
    const entities = await openEntities(deps, { orgId: company.org.orgId, orgKey: orgKey! });
    const byLink = new Map(entities.map((entity) => [entity.linkId, entity]));
    for (const ack of ackedBeforeBackup) {
      const entity = byLink.get(ack.linkId);
      expect(entity?.financeEntityId).toBe(ack.entityId);
      expect(entity?.capability).toBe(ack.capability);
    }
    // Every link in the identity copy points to an entity the finance copy holds: identity
    // is copied first, so no link can be newer than the finance snapshot.
    const financeIds = new Set(
      rowsOf<{ id: string }>(join(dirs.restored, 'finance.db'), 'SELECT id FROM entity').map(
        (row) => row.id,
      ),
    );
    expect(entities.filter((entity) => !financeIds.has(entity.financeEntityId))).toEqual([]);
    const sample = byLink.get(ackedBeforeBackup[0]!.linkId)!;
    const years = await listYears(deps.finance, sample);
    expect(years).toHaveLength(ackedBeforeBackup[0]!.years);
    expect(years[0]!.employees).toBe(ackedBeforeBackup[0]!.employees);
  });
});
