import { createTRPCClient, httpLink } from '@trpc/client';
import Database from 'better-sqlite3';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPayload, type FinancePayload } from '../../domain/sie-summary';
import type { FinanceRouter } from '../../server/finance/router';
import { summarizeBytes } from '../../workers/sie/summarize';
import { expectFailure, failure } from '../helpers/identity-http';
import { repoRoot, startTestServer, type TestServer } from '../helpers/server';

/**
 * The finance API end to end against the real server process: capability auth, idempotent
 * uploads, erasure, throttling, the no-cookie rule, and what finance.db holds afterwards.
 */
let server: TestServer;
let payload: FinancePayload;

beforeAll(async () => {
  server = await startTestServer();
  const file = resolve(repoRoot, '../shared/sie-corpus/Sie4.se');
  const summary = await summarizeBytes(new Uint8Array(readFileSync(file)), { fileName: 'Sie4.se' });
  const built = buildPayload(summary.data!, { sni: '62010', employees: 12, county: '07' });
  if (!built.ok) throw new Error('corpus file gives no payload');
  payload = built.payload;
});
afterAll(async () => {
  await server.dispose();
});

/** A finance client as the app builds it: no credentials. */
const financeClient = () =>
  createTRPCClient<FinanceRouter>({
    links: [
      httpLink({
        url: new URL('/api/finance', server.url).href,
        fetch: (url, init) => fetch(url, { ...init, credentials: 'omit' }),
      }),
    ],
  });

type FinanceClient = ReturnType<typeof financeClient>;

const newCapability = () => {
  const raw = randomBytes(32);
  return {
    raw,
    capability: raw.toString('base64url'),
    capabilityHash: createHash('sha256').update(raw).digest('hex'),
  };
};

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(new URL(`/api/finance/${path}`, server.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

/** A query as a plain GET, the way tRPC's links send it. */
const getQuery = (path: string, input: unknown) => {
  const url = new URL(`/api/finance/${path}`, server.url);
  url.searchParams.set('input', JSON.stringify(input));
  return fetch(url);
};

const financeDb = () => new Database(join(server.dataDir, 'finance.db'), { readonly: true });

const query = <T>(sql: string, ...params: unknown[]): T[] => {
  const db = financeDb();
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
};

/** Everything on disk for the finance store right now: the database and its WAL. */
const rawBytes = () => {
  const files = ['finance.db', 'finance.db-wal'].map((f) => join(server.dataDir, f));
  return Buffer.concat(files.filter((f) => existsSync(f)).map((f) => readFileSync(f)));
};

const currentMonth = () => new Date().toISOString().slice(0, 7);

describe('finance API: create, upload, list, replace, update, delete', () => {
  let api: FinanceClient;
  beforeAll(() => {
    api = financeClient();
  });
  const cap = newCapability();
  let entityId = '';

  it('creates an entity from the hash of a client-made capability', async () => {
    const created = await api.createEntity.mutate({
      capabilityHash: cap.capabilityHash,
      profile: { sni: '620', employeeBand: null, county: null },
    });
    expect(created.entityId).toMatch(/^[0-9a-f]{32}$/);
    entityId = created.entityId;
    const rows = query<Record<string, unknown>>('SELECT * FROM entity WHERE id = ?', entityId);
    expect(rows).toEqual([
      {
        id: entityId,
        capability_hash: cap.capabilityHash,
        sni3: '620',
        employee_band: null,
        county: null,
        created_month: currentMonth(),
        synthetic: 0,
      },
    ]);
  });

  it('uploads the years of a real SIE file and lists them newest first', async () => {
    expect(payload.years.length).toBeGreaterThan(0);
    const uploaded = await api.uploadYears.mutate({
      entityId,
      capability: cap.capability,
      payload,
    });
    expect(uploaded).toEqual({ years: payload.years.length });
    const years = await api.listYears.query({ entityId, capability: cap.capability });
    const expected = [...payload.years]
      .sort((a, b) => (a.start < b.start ? 1 : -1))
      .map((y) => ({ ...y, uploadedMonth: currentMonth() }));
    expect(years).toEqual(expected);
    // Non-null profile fields of the payload were taken over.
    expect(query('SELECT sni3, employee_band, county FROM entity')).toEqual([
      { sni3: '620', employee_band: '10-19', county: '07' },
    ]);
  });

  it('re-uploading a year with the same start replaces it (one row per year)', async () => {
    const first = payload.years[0]!;
    const changed: FinancePayload = {
      ...payload,
      profile: { sni: null, employeeBand: null, county: null },
      years: [{ ...first, employees: 13, result: { ...first.result, '30': -4242424242 } }],
    };
    expect(
      await api.uploadYears.mutate({ entityId, capability: cap.capability, payload: changed }),
    ).toEqual({ years: 1 });
    await api.uploadYears.mutate({ entityId, capability: cap.capability, payload: changed });
    const counts = query<{ fiscal_start: string; n: number }>(
      'SELECT fiscal_start, count(*) AS n FROM year_summary WHERE entity_id = ? GROUP BY fiscal_start',
      entityId,
    );
    expect(counts).toHaveLength(payload.years.length);
    expect(counts.every((c) => c.n === 1)).toBe(true);
    const years = await api.listYears.query({ entityId, capability: cap.capability });
    const stored = years.find((y) => y.start === first.start)!;
    expect(stored.employees).toBe(13);
    expect(stored.result['30']).toBe(-4242424242);
    // Null profile fields left the stored profile alone.
    expect(query('SELECT sni3, employee_band, county FROM entity')).toEqual([
      { sni3: '620', employee_band: '10-19', county: '07' },
    ]);
  });

  it('updates the profile (null clears a field)', async () => {
    expect(
      await api.updateProfile.mutate({
        entityId,
        capability: cap.capability,
        profile: { sni: '471', employeeBand: '1-4', county: null },
      }),
    ).toEqual({ ok: true });
    expect(query('SELECT sni3, employee_band, county FROM entity WHERE id = ?', entityId)).toEqual([
      { sni3: '471', employee_band: '1-4', county: null },
    ]);
  });

  it('finance.db holds only the designed columns, no capability and month-granular times', () => {
    const columns = (table: string) =>
      query<{ name: string }>(`SELECT name FROM pragma_table_info('${table}')`).map((c) => c.name);
    expect(columns('entity')).toEqual([
      'id',
      'capability_hash',
      'sni3',
      'employee_band',
      'county',
      'created_month',
      'synthetic',
    ]);
    expect(columns('year_summary')).toEqual([
      'entity_id',
      'fiscal_start',
      'fiscal_end',
      'employees',
      'balance',
      'result',
      'uploaded_month',
    ]);
    const tables = query<{ name: string }>(
      `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`,
    ).map((t) => t.name);
    // Entities and their years, their figures and agreements, and published statistics only.
    expect(tables).toEqual([
      'contract',
      'contract_peer_group',
      'entity',
      'entity_metric',
      'finance_migrations',
      'peer_group',
      'store_meta',
      'year_summary',
    ]);
    for (const row of query<{ created_month: string }>('SELECT created_month FROM entity')) {
      expect(row.created_month).toMatch(/^\d{4}-(0[1-9]|1[0-2])$/);
    }
    for (const row of query<{ uploaded_month: string }>(
      'SELECT uploaded_month FROM year_summary',
    )) {
      expect(row.uploaded_month).toMatch(/^\d{4}-(0[1-9]|1[0-2])$/);
    }

    const bytes = rawBytes();
    expect(bytes.length).toBeGreaterThan(0);
    // The capability itself, in any form the client has it, is never stored.
    expect(bytes.includes(cap.raw)).toBe(false);
    expect(bytes.includes(Buffer.from(cap.capability))).toBe(false);
    expect(bytes.includes(Buffer.from(cap.raw.toString('hex')))).toBe(false);
    expect(bytes.includes(Buffer.from(cap.raw.toString('base64')))).toBe(false);
    // The only full dates are fiscal year bounds; no time of day anywhere.
    const text = bytes.toString('latin1');
    const bounds = new Set(payload.years.flatMap((y) => [y.start, y.end]));
    const dates = [...text.matchAll(/\d{4}-\d{2}-\d{2}/g)].map((m) => m[0]);
    expect(dates.length).toBeGreaterThan(0);
    expect(dates.filter((d) => !bounds.has(d))).toEqual([]);
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/);
  });

  it('deletes the entity with every row, and erases it from the files', async () => {
    const figure = Buffer.from(JSON.stringify(payload.years[0]!.balance));
    // Before: the entity and its figures are on disk (so the checks below mean something).
    expect(rawBytes().includes(Buffer.from(entityId))).toBe(true);
    expect(rawBytes().includes(figure)).toBe(true);
    expect(await api.deleteEntity.mutate({ entityId, capability: cap.capability })).toEqual({
      ok: true,
    });
    expect(query('SELECT * FROM entity WHERE id = ?', entityId)).toEqual([]);
    expect(query('SELECT * FROM year_summary WHERE entity_id = ?', entityId)).toEqual([]);
    expect(query('SELECT count(*) AS n FROM year_summary')).toEqual([{ n: 0 }]);
    const bytes = rawBytes();
    expect(bytes.includes(Buffer.from(entityId))).toBe(false);
    expect(bytes.includes(Buffer.from(cap.capabilityHash))).toBe(false);
    expect(bytes.includes(figure)).toBe(false);
    await expectFailure(api.listYears.query({ entityId, capability: cap.capability }), {
      code: 'UNAUTHORIZED',
      reason: 'CAPABILITY_REFUSED',
    });
  });

  it('logged nothing about the entity, its capability or the caller', () => {
    const output = server.output();
    for (const secret of [entityId, cap.capability, cap.capabilityHash]) {
      expect(output).not.toContain(secret);
    }
    // After start-up (whose "listening" line names the server's own address), no line names
    // an address at all.
    const listening = output.indexOf('"msg":"listening"');
    expect(listening).toBeGreaterThan(0);
    const afterStart = output.slice(output.indexOf('\n', listening) + 1);
    expect(afterStart).not.toMatch(/127\.0\.0\.1|remoteAddress|"ip"/);
  });
});

describe('capability checks', () => {
  let api: FinanceClient;
  beforeAll(() => {
    api = financeClient();
  });

  const create = async () => {
    const cap = newCapability();
    const { entityId } = await api.createEntity.mutate({
      capabilityHash: cap.capabilityHash,
      profile: { sni: null, employeeBand: null, county: null },
    });
    return { entityId, ...cap };
  };

  it('wrong capability and unknown entity are refused identically', async () => {
    const entity = await create();
    const wrong = newCapability().capability;
    const unknownId = randomBytes(16).toString('hex');
    // Byte-identical answers, for a query (GET) and for a mutation (POST).
    for (const send of [
      (entityId: string) => getQuery('listYears', { entityId, capability: wrong }),
      (entityId: string) => post('deleteEntity', { entityId, capability: wrong }),
    ]) {
      const responses = [await send(entity.entityId), await send(unknownId)];
      expect(responses.map((r) => r.status)).toEqual([401, 401]);
      const [a, b] = await Promise.all(responses.map((r) => r.text()));
      expect(a).toBe(b);
      expect(JSON.parse(a!)).toMatchObject({
        error: { data: { code: 'UNAUTHORIZED', reason: 'CAPABILITY_REFUSED' } },
      });
    }
    // Sent together (one batch) and checked together: a call awaited only after another
    // would reject with nobody listening yet, which the runner reports as unhandled.
    await Promise.all(
      [
        api.updateProfile.mutate({
          entityId: unknownId,
          capability: wrong,
          profile: { sni: null, employeeBand: null, county: null },
        }),
        api.uploadYears.mutate({ entityId: unknownId, capability: wrong, payload }),
        api.deleteEntity.mutate({ entityId: entity.entityId, capability: wrong }),
      ].map((call) => expectFailure(call, { code: 'UNAUTHORIZED', reason: 'CAPABILITY_REFUSED' })),
    );
    // The entity is untouched by the refused calls.
    expect(
      await api.listYears.query({ entityId: entity.entityId, capability: entity.capability }),
    ).toEqual([]);
  });

  it('a capability of one entity does not open another', async () => {
    const [one, two] = await Promise.all([create(), create()]);
    await expectFailure(
      api.listYears.query({ entityId: one.entityId, capability: two.capability }),
      {
        reason: 'CAPABILITY_REFUSED',
      },
    );
  });

  it('refuses a malformed capability or hash as invalid input', async () => {
    const entity = await create();
    await expectFailure(api.listYears.query({ entityId: entity.entityId, capability: 'short' }), {
      code: 'BAD_REQUEST',
      reason: 'INVALID_INPUT',
    });
    await expectFailure(
      api.createEntity.mutate({
        capabilityHash: entity.capabilityHash.toUpperCase(),
        profile: { sni: null, employeeBand: null, county: null },
      }),
      { code: 'BAD_REQUEST', reason: 'INVALID_INPUT' },
    );
    await expectFailure(
      api.createEntity.mutate({
        capabilityHash: entity.capabilityHash,
        profile: { sni: null, employeeBand: null, county: null },
      }),
      { code: 'CONFLICT', reason: 'CAPABILITY_IN_USE' },
    );
  });

  it('throttles an entity after 10 failed checks, even a batch of them, with retryAfterSeconds', async () => {
    const target = await create();
    const bystander = await create();
    const wrong = newCapability().capability;
    const paths = Array.from({ length: 10 }, () => 'deleteEntity').join(',');
    const body = Object.fromEntries(
      Array.from({ length: 10 }, (_, i) => [i, { entityId: target.entityId, capability: wrong }]),
    );
    const batch = await fetch(new URL(`/api/finance/${paths}?batch=1`, server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const results = (await batch.json()) as { error?: { data?: { reason?: string } } }[];
    expect(results.map((r) => r.error?.data?.reason)).toEqual(
      Array.from({ length: 10 }, () => 'CAPABILITY_REFUSED'),
    );
    // Now even the right capability is not checked for this entity.
    const throttled = await expectFailure(
      api.listYears.query({ entityId: target.entityId, capability: target.capability }),
      { code: 'TOO_MANY_REQUESTS', reason: 'CAPABILITY_THROTTLED' },
    );
    const retry = throttled.details?.retryAfterSeconds as number;
    expect(retry).toBeGreaterThan(14 * 60);
    expect(retry).toBeLessThanOrEqual(15 * 60);
    // Other entities are unaffected.
    expect(
      await api.listYears.query({ entityId: bystander.entityId, capability: bystander.capability }),
    ).toEqual([]);
  });

  it('throttles unknown entity ids the same way, so throttling reveals nothing', async () => {
    const unknownId = randomBytes(16).toString('hex');
    const wrong = newCapability().capability;
    for (let i = 0; i < 10; i += 1) {
      await expectFailure(api.listYears.query({ entityId: unknownId, capability: wrong }), {
        reason: 'CAPABILITY_REFUSED',
      });
    }
    await expectFailure(api.listYears.query({ entityId: unknownId, capability: wrong }), {
      reason: 'CAPABILITY_THROTTLED',
    });
  });
});

describe('P5: the finance API takes no identity credentials', () => {
  it('refuses any request carrying a Cookie header with a clear 400 JSON error', async () => {
    const before = query<{ n: number }>('SELECT count(*) AS n FROM entity')[0]!.n;
    const cap = newCapability();
    const refused = await post(
      'createEntity',
      {
        capabilityHash: cap.capabilityHash,
        profile: { sni: null, employeeBand: null, county: null },
      },
      { cookie: '__Secure-nyckel_session=abc' },
    );
    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toMatch(/application\/json/);
    expect(await refused.json()).toMatchObject({
      error: { reason: 'COOKIE_REFUSED', message: expect.stringContaining('cookies') },
    });
    expect(query<{ n: number }>('SELECT count(*) AS n FROM entity')[0]!.n).toBe(before);

    const get = await fetch(new URL('/api/finance/health', server.url), {
      headers: { cookie: 'anything=1' },
    });
    expect(get.status).toBe(400);
    // Without the cookie the same calls work.
    expect((await fetch(new URL('/api/finance/health', server.url))).status).toBe(200);
  });

  it('never sets a cookie', async () => {
    const cap = newCapability();
    const responses = [
      await fetch(new URL('/api/finance/health', server.url)),
      await post('createEntity', {
        capabilityHash: cap.capabilityHash,
        profile: { sni: null, employeeBand: null, county: null },
      }),
      await getQuery('listYears', {
        entityId: randomBytes(16).toString('hex'),
        capability: cap.capability,
      }),
    ];
    for (const response of responses) expect(response.headers.getSetCookie()).toEqual([]);
  });

  it('a failed call answers with English and Swedish text and no stack', async () => {
    const error = await failure(
      financeClient().listYears.query({
        entityId: randomBytes(16).toString('hex'),
        capability: newCapability().capability,
      }),
    );
    expect(error.message).toMatch(/access key/);
    expect(error.messageSv).toMatch(/åtkomstnyckel/);
  });
});
