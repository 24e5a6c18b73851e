import Database from 'better-sqlite3';
import { backupFailure } from './backup-outcome';
import { migrationsTableOf, type StoreRole } from './backup-stores';

/**
 * SQLite steps of backup and restore: an online snapshot through the SQLite backup API,
 * and the checks every snapshot and every restored file must pass (integrity_check, the
 * store's role mark in `store_meta`, see server/db/sqlite.ts).
 */

const hasTable = (db: Database.Database, table: string) =>
  db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(table) !==
  undefined;

/** The role a database file is marked with, or undefined if it carries no mark. */
function roleMark(db: Database.Database): string | undefined {
  if (!hasTable(db, 'store_meta')) return undefined;
  const row = db.prepare(`SELECT value FROM store_meta WHERE key = 'role'`).get() as
    { value: string } | undefined;
  return row?.value;
}

function requireRole(db: Database.Database, role: StoreRole, what: string): void {
  const mark = roleMark(db);
  if (mark === role) return;
  throw backupFailure(
    'WRONG_STORE',
    mark === undefined
      ? `${what} carries no store role mark, so it is not a Nyckel ${role} database`
      : `${what} belongs to the ${mark} store, not the ${role} store`,
  );
}

export interface VerifiedDatabase {
  role: StoreRole;
  /** Number of migrations the database has applied. */
  migrationLevel: number;
}

/**
 * Opens a database file (read-write, so SQLite removes its -wal and -shm when done), runs
 * `PRAGMA integrity_check` and checks its role mark.
 */
export function verifyDatabase(file: string, role: StoreRole, what: string): VerifiedDatabase {
  let db: Database.Database;
  try {
    db = new Database(file, { fileMustExist: true });
  } catch (error) {
    throw backupFailure('INTEGRITY', `${what} cannot be opened as SQLite: ${String(error)}`);
  }
  try {
    const rows = (() => {
      try {
        return db.pragma('integrity_check') as { integrity_check: string }[];
      } catch (error) {
        throw backupFailure(
          'INTEGRITY',
          `${what} is not a valid SQLite database: ${String(error)}`,
        );
      }
    })();
    const problems = rows.map((row) => row.integrity_check).filter((line) => line !== 'ok');
    if (problems.length > 0 || rows.length === 0) {
      throw backupFailure(
        'INTEGRITY',
        `${what} failed integrity_check: ${problems.slice(0, 3).join('; ')}`,
      );
    }
    requireRole(db, role, what);
    const table = migrationsTableOf(role);
    const migrationLevel = hasTable(db, table)
      ? (db.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n
      : 0;
    return { role, migrationLevel };
  } finally {
    db.close();
  }
}

/**
 * Copies the live database `source` to `target` through the SQLite backup API while the
 * server may be writing to it. All pages are copied in one step, inside one read
 * transaction: a snapshot copied in several steps restarts whenever another connection
 * writes, so under steady uploads it might never finish. The copy is a consistent image of
 * one committed state (it blocks this process for the copy, about 0.5 s per 100 MB).
 */
export async function snapshotDatabase(
  source: string,
  target: string,
  role: StoreRole,
): Promise<void> {
  let db: Database.Database;
  try {
    db = new Database(source, { readonly: true, fileMustExist: true });
  } catch {
    throw backupFailure('IO', `no ${role} database at ${source} (is the data directory right?)`);
  }
  try {
    db.pragma('busy_timeout = 5000');
    requireRole(db, role, source);
    await db.backup(target, { progress: () => 0x7fffffff });
  } finally {
    db.close();
  }
}
