import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { openStore, type Store } from '../db/sqlite';
import * as schema from './schema';

export const IDENTITY_DB_FILE = 'identity.db';

export type IdentityStore = Store<typeof schema>;

/** Opens `identity.db` in the data directory and brings it to the latest migration. */
export function openIdentityStore(dataDir: string): IdentityStore {
  return openStore({
    name: 'identity',
    file: join(dataDir, IDENTITY_DB_FILE),
    schema,
    migrationsFolder: fileURLToPath(new URL('./migrations', import.meta.url)),
    migrationsTable: 'identity_migrations',
  });
}
