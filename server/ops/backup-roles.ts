/**
 * The two databases a backup covers. Each goes to its own destination under its own key
 * (P3): a backup directory, like a data file, belongs to exactly one store.
 *
 * This module imports nothing: server/config.ts reaches it, and server/config.ts is imported
 * by both server/identity and server/finance, which must never reach each other (P3).
 */
export const STORE_ROLES = ['identity', 'finance'] as const;

export type StoreRole = (typeof STORE_ROLES)[number];

/** Each store records its applied migrations in a table named after its role. */
export const migrationsTableOf = (role: StoreRole) => `${role}_migrations` as const;

/** Environment variables that hold (or point to) each store's backup key. */
export const BACKUP_KEY_ENV = {
  identity: { key: 'NYCKEL_BACKUP_IDENTITY_KEY', keyFile: 'NYCKEL_BACKUP_IDENTITY_KEY_FILE' },
  finance: { key: 'NYCKEL_BACKUP_FINANCE_KEY', keyFile: 'NYCKEL_BACKUP_FINANCE_KEY_FILE' },
} as const satisfies Record<StoreRole, { key: string; keyFile: string }>;
