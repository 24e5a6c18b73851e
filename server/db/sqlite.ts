import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/** What a store reports about itself to health checks. */
export interface StoreHealth {
  store: string;
  ok: boolean;
  journalMode: string;
  foreignKeys: boolean;
  migrationsApplied: number;
  latencyMs: number;
  error?: string;
}

export interface OpenStoreOptions<TSchema extends Record<string, unknown>> {
  /** The store's role ("identity" or "finance"): health output and the file's role mark. */
  name: string;
  file: string;
  schema: TSchema;
  migrationsFolder: string;
  /** Each database keeps its own migration ledger under its own name. */
  migrationsTable: string;
}

export interface Store<TSchema extends Record<string, unknown>> {
  name: string;
  file: string;
  db: BetterSQLite3Database<TSchema>;
  sqlite: Database.Database;
  health: () => StoreHealth;
  close: () => void;
}

/**
 * Opens one SQLite database with the settings every store needs (WAL, foreign keys,
 * a busy timeout) and applies its committed drizzle-kit migrations.
 */
export function openStore<TSchema extends Record<string, unknown>>(
  options: OpenStoreOptions<TSchema>,
): Store<TSchema> {
  mkdirSync(dirname(options.file), { recursive: true });
  const sqlite = new Database(options.file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  refuseForeignStore(sqlite, options.name);
  const db = drizzle(sqlite, { schema: options.schema });
  migrate(db, {
    migrationsFolder: options.migrationsFolder,
    migrationsTable: options.migrationsTable,
  });

  claimRole(sqlite, options.name);

  const countMigrations = sqlite.prepare(`SELECT count(*) AS n FROM "${options.migrationsTable}"`);

  const health = (): StoreHealth => {
    const started = performance.now();
    try {
      const journalMode = String(sqlite.pragma('journal_mode', { simple: true }));
      const foreignKeys = sqlite.pragma('foreign_keys', { simple: true }) === 1;
      const row = countMigrations.get() as { n: number } | undefined;
      return {
        store: options.name,
        ok: journalMode === 'wal' && foreignKeys,
        journalMode,
        foreignKeys,
        migrationsApplied: row?.n ?? 0,
        latencyMs: Math.round((performance.now() - started) * 100) / 100,
      };
    } catch (error) {
      return {
        store: options.name,
        ok: false,
        journalMode: 'unknown',
        foreignKeys: false,
        migrationsApplied: 0,
        latencyMs: Math.round((performance.now() - started) * 100) / 100,
        error: error instanceof Error ? error.message : 'unknown error',
      };
    }
  };

  const close = () => {
    if (!sqlite.open) return;
    // Fold the WAL back into the main file so a copied .db is complete on its own.
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    sqlite.close();
  };

  return { name: options.name, file: options.file, db, sqlite, health, close };
}

const tableExists = (sqlite: Database.Database, table: string) =>
  sqlite.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(table) !==
  undefined;

/**
 * A database file is marked with the store it belongs to. Opening it as another store is
 * refused before anything is written: a misconfigured path must never let finance rows land
 * in the identity database or the other way round (P3).
 */
function refuseForeignStore(sqlite: Database.Database, role: string): void {
  if (!tableExists(sqlite, 'store_meta')) return;
  const row = sqlite.prepare(`SELECT value FROM store_meta WHERE key = 'role'`).get() as
    { value: string } | undefined;
  if (row && row.value !== role) {
    sqlite.close();
    throw new Error(`Database file belongs to the ${row.value} store, not the ${role} store`);
  }
}

function claimRole(sqlite: Database.Database, role: string): void {
  sqlite
    .prepare(
      `INSERT INTO store_meta (key, value, updated_at) VALUES ('role', ?, ?) ON CONFLICT(key) DO NOTHING`,
    )
    .run(role, Math.floor(Date.now() / 1000));
}
