import { FINANCE_DB_FILE } from '../finance/store';
import { IDENTITY_DB_FILE } from '../identity/store';
import type { StoreRole } from './backup-roles';

/**
 * The database file of each store inside the data directory, from the stores' own modules.
 * Only the backup and restore runs import this (never server/config.ts, see backup-roles.ts).
 */
export const STORE_FILES = {
  identity: IDENTITY_DB_FILE,
  finance: FINANCE_DB_FILE,
} as const satisfies Record<StoreRole, string>;
