import type { DBSchema } from 'idb';
import { transientDb } from '../transient-db';
import {
  offlineAccountRecordSchema,
  offlineEntryRecordSchema,
  type OfflineAccountRecord,
  type OfflineEntryRecord,
} from './vault';

/**
 * The device's offline caches in IndexedDB (`nyckel-offline`): one record per device handle
 * in `accounts`, cached answers in `entries` (indexed by handle so a user's entries can be
 * removed together). Every record is validated when read; a record that does not parse is
 * ignored as if it were absent. Like the upload queue, the database is created only when
 * something is written and deleted when its last record goes.
 */
interface OfflineDb extends DBSchema {
  accounts: { key: string; value: OfflineAccountRecord };
  entries: { key: string; value: OfflineEntryRecord; indexes: { byHandle: string } };
}

export const OFFLINE_DB = 'nyckel-offline';

/** Writes and the deletion of an emptied database run one at a time (never lose a write). */
const {
  open: db,
  existing: existingDb,
  serially,
  deleteIfEmpty,
} = transientDb<OfflineDb>(OFFLINE_DB, (database) => {
  database.createObjectStore('accounts', { keyPath: 'handle' });
  database.createObjectStore('entries', { keyPath: 'id' }).createIndex('byHandle', 'handle');
});

export async function accountRecords(): Promise<OfflineAccountRecord[]> {
  const database = await existingDb();
  if (!database) return [];
  return (await database.getAll('accounts')).flatMap((value) => {
    const parsed = offlineAccountRecordSchema.safeParse(value);
    return parsed.success ? [parsed.data] : [];
  });
}

export async function accountRecord(handle: string): Promise<OfflineAccountRecord | null> {
  const database = await existingDb();
  const parsed = offlineAccountRecordSchema.safeParse(await database?.get('accounts', handle));
  return parsed.success ? parsed.data : null;
}

export const putAccountRecord = (record: OfflineAccountRecord) =>
  serially(async () => void (await db()).put('accounts', record));

export async function entryRecord(id: string): Promise<OfflineEntryRecord | null> {
  const database = await existingDb();
  const parsed = offlineEntryRecordSchema.safeParse(await database?.get('entries', id));
  return parsed.success ? parsed.data : null;
}

export const putEntryRecord = (record: OfflineEntryRecord) =>
  serially(async () => void (await db()).put('entries', record));

/**
 * Removes everything stored under `handle` (its account record and every entry), then the
 * database itself if nothing else is left in it.
 */
export const removeHandle = (handle: string) =>
  serially(async () => {
    const database = await existingDb();
    if (!database) return;
    const tx = database.transaction(['accounts', 'entries'], 'readwrite');
    const entries = tx.objectStore('entries');
    await Promise.all([
      tx.objectStore('accounts').delete(handle),
      ...(await entries.index('byHandle').getAllKeys(handle)).map((id) => entries.delete(id)),
    ]);
    await tx.done;
    await deleteIfEmpty(
      async (emptied) => (await emptied.count('accounts')) + (await emptied.count('entries')) === 0,
    );
  });
