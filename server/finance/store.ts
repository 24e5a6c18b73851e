import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { openStore, type Store } from '../db/sqlite';
import * as schema from './schema';

export const FINANCE_DB_FILE = 'finance.db';

export type FinanceStore = Store<typeof schema> & {
  /**
   * After an erasure: copies the WAL into the database and truncates it, so no old frame
   * with deleted rows stays in `finance.db-wal`. Together with `secure_delete` (freed
   * content is overwritten with zeros) the deleted figures are gone from both files.
   */
  purgeDeleted: () => void;
};

/** Opens `finance.db` in the data directory and brings it to the latest migration. */
export function openFinanceStore(dataDir: string): FinanceStore {
  const store = openStore({
    name: 'finance',
    file: join(dataDir, FINANCE_DB_FILE),
    schema,
    migrationsFolder: fileURLToPath(new URL('./migrations', import.meta.url)),
    migrationsTable: 'finance_migrations',
  });
  // Erasure must not leave figures behind in free pages (DESIGN §2, issue: "erasure").
  store.sqlite.pragma('secure_delete = ON');
  // 128 MiB of page cache (SQLite's default is 2 MiB): the benchmark query reads each
  // entity's years and agreements, and a refresh rewrites published groups, in a 1.4 GB store
  // at 200 000 companies (issue #6).
  store.sqlite.pragma('cache_size = -131072');
  const purgeDeleted = () => {
    store.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  };
  return Object.assign(store, { purgeDeleted });
}
