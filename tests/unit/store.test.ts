import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openFinanceStore } from '../../server/finance/store';
import { openIdentityStore } from '../../server/identity/store';

/** How many migrations each store ships (its drizzle-kit journal). */
const shipped = (store: 'identity' | 'finance') =>
  (
    JSON.parse(
      readFileSync(
        join(import.meta.dirname, `../../server/${store}/migrations/meta/_journal.json`),
        'utf8',
      ),
    ) as { entries: unknown[] }
  ).entries.length;

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'nyckel-store-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('stores', () => {
  it('open in WAL mode with foreign keys, migrate, and report health', () => {
    const dir = tempDir();
    const identity = openIdentityStore(dir);
    const finance = openFinanceStore(dir);
    expect(identity.health()).toMatchObject({
      store: 'identity',
      ok: true,
      migrationsApplied: shipped('identity'),
    });
    expect(finance.health()).toMatchObject({
      store: 'finance',
      ok: true,
      migrationsApplied: shipped('finance'),
    });
    identity.close();
    finance.close();
  });

  it('re-opening applies no migration twice', () => {
    const dir = tempDir();
    openIdentityStore(dir).close();
    const again = openIdentityStore(dir);
    expect(again.health().migrationsApplied).toBe(shipped('identity'));
    again.close();
  });

  it('P3: refuses to open the identity database as the finance store', () => {
    const dir = tempDir();
    openIdentityStore(dir).close();
    renameSync(join(dir, 'identity.db'), join(dir, 'finance.db'));
    expect(() => openFinanceStore(dir)).toThrow(/belongs to the identity store/);
  });

  it('closing checkpoints the WAL so the .db file is complete on its own', () => {
    const dir = tempDir();
    openFinanceStore(dir).close();
    const db = new Database(join(dir, 'finance.db'), { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });
});
