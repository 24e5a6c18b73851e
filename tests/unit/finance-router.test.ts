import Database from 'better-sqlite3';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FinancePayload } from '../../domain/sie-summary';
import { createFinanceApi } from '../../server/finance/api';
import { capabilityMatches, hashCapability } from '../../server/finance/capability';
import { loggableError } from '../../server/finance/errors';
import { financeRouter, MAX_YEARS_PER_ENTITY } from '../../server/finance/router';
import { openFinanceStore, type FinanceStore } from '../../server/finance/store';

const MINUTE = 60_000;
let dir: string;
let store: FinanceStore;
let now: number;
let caller: ReturnType<typeof financeRouter.createCaller>;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'nyckel-finance-'));
  store = openFinanceStore(dir);
  now = Date.UTC(2026, 0, 31, 23, 59, 30);
  const api = createFinanceApi({ store, clock: { now: () => now } });
  caller = financeRouter.createCaller(api.createContext());
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const newCapability = () => {
  const raw = randomBytes(32);
  return {
    capability: raw.toString('base64url'),
    hash: createHash('sha256').update(raw).digest('hex'),
  };
};

const profile = { sni: '620', employeeBand: '5-9', county: '01' } as const;

const year = (start: string, end: string, amount = 100): FinancePayload['years'][number] => ({
  start,
  end,
  employees: null,
  balance: { '19': { ib: amount, ub: amount + 1 } },
  result: { '30': -amount },
});

const payload = (years: FinancePayload['years']): FinancePayload => ({
  format: 'nyckel.finance-payload/1',
  profile: { sni: null, employeeBand: null, county: null },
  years,
});

async function newEntity() {
  const cap = newCapability();
  const { entityId } = await caller.createEntity({ capabilityHash: cap.hash, profile });
  return { entityId, capability: cap.capability, hash: cap.hash };
}

const reasonOf = async (call: Promise<unknown>) => {
  try {
    await call;
  } catch (error) {
    return {
      reason: (error as { reason?: string }).reason ?? (error as { code?: string }).code,
      details: (error as { details?: Record<string, unknown> }).details,
    };
  }
  throw new Error('expected the call to fail');
};

describe('capability format', () => {
  it('hashes the raw 32 bytes, not the base64url text, and compares by hash', () => {
    const { capability, hash } = newCapability();
    expect(hashCapability(capability)).toBe(hash);
    expect(capabilityMatches(capability, hash)).toBe(true);
    expect(capabilityMatches(newCapability().capability, hash)).toBe(false);
    expect(capabilityMatches(capability, undefined)).toBe(false);
  });

  it('refuses capabilities that are not canonical base64url of exactly 32 bytes', async () => {
    const { entityId } = await newEntity();
    const raw = randomBytes(32).toString('base64url');
    for (const capability of [
      raw.slice(0, 42),
      `${raw}A`,
      randomBytes(32).toString('base64'),
      `${raw.slice(0, 42)}B`, // non-canonical final character (low bits set)
    ]) {
      expect((await reasonOf(caller.listYears({ entityId, capability }))).reason).toBe(
        'BAD_REQUEST',
      );
    }
  });
});

describe('finance router', () => {
  it('stamps entities and uploads with the UTC month only', async () => {
    const { entityId, capability } = await newEntity();
    now += MINUTE; // 2026-02-01T00:00:30Z
    await caller.uploadYears({
      entityId,
      capability,
      payload: payload([year('2025-01-01', '2025-12-31')]),
    });
    const db = new Database(join(dir, 'finance.db'), { readonly: true });
    expect(db.prepare('SELECT created_month FROM entity').get()).toEqual({
      created_month: '2026-01',
    });
    expect(db.prepare('SELECT uploaded_month FROM year_summary').get()).toEqual({
      uploaded_month: '2026-02',
    });
    db.close();
  });

  it('throttles an entity after 10 failures in 15 minutes; successes do not count', async () => {
    const { entityId, capability } = await newEntity();
    const wrong = newCapability().capability;
    for (let i = 0; i < 9; i += 1) {
      expect((await reasonOf(caller.listYears({ entityId, capability: wrong }))).reason).toBe(
        'CAPABILITY_REFUSED',
      );
    }
    // Successful checks in between neither count nor reset the failures.
    for (let i = 0; i < 5; i += 1) await caller.listYears({ entityId, capability });
    expect((await reasonOf(caller.listYears({ entityId, capability: wrong }))).reason).toBe(
      'CAPABILITY_REFUSED',
    );
    const throttled = await reasonOf(caller.listYears({ entityId, capability }));
    expect(throttled).toEqual({
      reason: 'CAPABILITY_THROTTLED',
      details: { retryAfterSeconds: 15 * 60 },
    });
    now += 15 * MINUTE;
    await expect(caller.listYears({ entityId, capability })).resolves.toEqual([]);
  });

  it('an unknown entity id is throttled exactly like a real one', async () => {
    const entityId = randomBytes(16).toString('hex');
    const capability = newCapability().capability;
    for (let i = 0; i < 10; i += 1) {
      expect((await reasonOf(caller.deleteEntity({ entityId, capability }))).reason).toBe(
        'CAPABILITY_REFUSED',
      );
    }
    expect((await reasonOf(caller.deleteEntity({ entityId, capability }))).reason).toBe(
      'CAPABILITY_THROTTLED',
    );
  });

  it('refuses a second entity with the same capability hash', async () => {
    const { hash } = await newEntity();
    expect((await reasonOf(caller.createEntity({ capabilityHash: hash, profile }))).reason).toBe(
      'CAPABILITY_IN_USE',
    );
  });

  it('refuses impossible dates, over-long years and duplicate starts in a payload', async () => {
    const { entityId, capability } = await newEntity();
    for (const years of [
      [year('2025-02-30', '2025-12-31')],
      [year('2025-01-01', '2024-12-31')],
      [year('2025-01-01', '2026-07-01')],
      [year('2025-01-01', '2025-12-31'), year('2025-01-01', '2025-06-30')],
    ]) {
      expect(
        (await reasonOf(caller.uploadYears({ entityId, capability, payload: payload(years) })))
          .reason,
      ).toBe('BAD_REQUEST');
    }
    // An 18-month first year is allowed.
    await caller.uploadYears({
      entityId,
      capability,
      payload: payload([year('2024-07-01', '2025-12-31')]),
    });
  });

  it(`keeps at most ${MAX_YEARS_PER_ENTITY} years per entity and rolls back an upload over it`, async () => {
    const { entityId, capability } = await newEntity();
    const yearsFrom = (first: number, count: number) =>
      Array.from({ length: count }, (_, i) => year(`${first + i}-01-01`, `${first + i}-12-31`));
    await caller.uploadYears({ entityId, capability, payload: payload(yearsFrom(1900, 50)) });
    await caller.uploadYears({ entityId, capability, payload: payload(yearsFrom(1950, 50)) });
    const over = await reasonOf(
      caller.uploadYears({ entityId, capability, payload: payload(yearsFrom(2000, 1)) }),
    );
    expect(over.reason).toBe('YEAR_LIMIT');
    expect(await caller.listYears({ entityId, capability })).toHaveLength(MAX_YEARS_PER_ENTITY);
    // Replacing an existing year is still fine.
    await caller.uploadYears({ entityId, capability, payload: payload(yearsFrom(1999, 1)) });
  });

  it('upload keeps stored profile fields where the payload has null', async () => {
    const { entityId, capability } = await newEntity();
    await caller.uploadYears({
      entityId,
      capability,
      payload: {
        ...payload([year('2025-01-01', '2025-12-31')]),
        profile: { sni: '471', employeeBand: null, county: null },
      },
    });
    const db = new Database(join(dir, 'finance.db'), { readonly: true });
    expect(db.prepare('SELECT sni3, employee_band, county FROM entity').get()).toEqual({
      sni3: '471',
      employee_band: '5-9',
      county: '01',
    });
    db.close();
  });
});

describe('finance error logging', () => {
  it('keeps only error classes and SQLite codes, never query parameters', () => {
    const { capability, hash } = newCapability();
    const sqliteError = Object.assign(new Error(`UNIQUE constraint failed ${hash}`), {
      name: 'SqliteError',
      code: 'SQLITE_CONSTRAINT_UNIQUE',
    });
    const error = new DrizzleQueryError(
      'insert into "entity" values (?, ?)',
      [capability, hash, 123456789],
      sqliteError,
    );
    const wrapped = Object.assign(new Error(error.message), { name: 'TRPCError', cause: error });
    const logged = loggableError(wrapped);
    expect(logged).toEqual({
      errors: ['TRPCError', 'DrizzleQueryError', 'SqliteError'],
      sqliteCode: 'SQLITE_CONSTRAINT_UNIQUE',
    });
    const text = JSON.stringify(logged);
    for (const secret of [capability, hash, '123456789']) expect(text).not.toContain(secret);
  });
});
