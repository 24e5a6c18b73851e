import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { openStore, type Store } from '../db/sqlite';
import * as schema from './schema';

export const FINANCE_DB_FILE = 'finance.db';

export type FinanceStore = Store<typeof schema>;

/** Opens `finance.db` in the data directory and brings it to the latest migration. */
export function openFinanceStore(dataDir: string): FinanceStore {
  return openStore({
    name: 'finance',
    file: join(dataDir, FINANCE_DB_FILE),
    schema,
    migrationsFolder: fileURLToPath(new URL('./migrations', import.meta.url)),
    migrationsTable: 'finance_migrations',
  });
}
