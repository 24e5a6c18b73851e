import Database from 'better-sqlite3';
import { writeFile } from 'node:fs/promises';
import { backupFailure } from './backup-outcome';
import { migrationsTableOf, type StoreRole } from './backup-roles';

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

/** Pages copied per step (8 MiB with SQLite's default 4 KiB pages); the event loop runs between. */
const PAGES_PER_STEP = 2048;
/** Restarts (a write by another connection) after which the rest is copied in one step. */
const RESTARTS_BEFORE_ONE_STEP = 3;
const ALL_PAGES = 0x7fffffff;

/**
 * Copies the live database `source` to a new file `target` (mode 0600) through the SQLite
 * backup API while the server may be writing to it. The copy is a consistent image of one
 * committed state: SQLite restarts a backup whenever another connection writes to the
 * source between two steps. It is copied in steps of 8 MiB so a server running its own daily backup keeps
 * answering; after a few restarts (steady writes) the rest is copied in a single step,
 * inside one read transaction, so the copy always finishes (that step blocks this process
 * for the time of the copy, about 0.7 s per 100 MB on the reference machine).
 */
export async function snapshotDatabase(
  source: string,
  target: string,
  role: StoreRole,
): Promise<{ restarts: number }> {
  let db: Database.Database;
  try {
    db = new Database(source, { readonly: true, fileMustExist: true });
  } catch {
    throw backupFailure('IO', `no ${role} database at ${source} (is the data directory right?)`);
  }
  let restarts = 0;
  let previousRemaining = Number.POSITIVE_INFINITY;
  try {
    db.pragma('busy_timeout = 5000');
    requireRole(db, role, source);
    // The plaintext copy is readable by its owner only, from its first byte.
    await writeFile(target, '', { flag: 'wx', mode: 0o600 });
    await db.backup(target, {
      progress: ({ remainingPages }) => {
        // Without a restart every step leaves fewer pages to copy than the one before.
        if (remainingPages >= previousRemaining) restarts += 1;
        previousRemaining = remainingPages;
        return restarts >= RESTARTS_BEFORE_ONE_STEP ? ALL_PAGES : PAGES_PER_STEP;
      },
    });
    return { restarts };
  } finally {
    db.close();
  }
}
