import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
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

let dbPromise: Promise<IDBPDatabase<OfflineDb>> | null = null;
const db = () =>
  (dbPromise ??= openDB<OfflineDb>(OFFLINE_DB, 1, {
    upgrade(database) {
      database.createObjectStore('accounts', { keyPath: 'handle' });
      database.createObjectStore('entries', { keyPath: 'id' }).createIndex('byHandle', 'handle');
    },
  }));

async function existingDb(): Promise<IDBPDatabase<OfflineDb> | null> {
  if (!dbPromise && typeof indexedDB.databases === 'function') {
    const names = (await indexedDB.databases()).map((d) => d.name);
    if (!names.includes(OFFLINE_DB)) return null;
  }
  return db();
}

/** Writes and the deletion of an emptied database run one at a time (never lose a write). */
let serial: Promise<unknown> = Promise.resolve();
function serially<T>(task: () => Promise<T>): Promise<T> {
  const run = serial.then(task, task);
  serial = run.catch(() => undefined);
  return run;
}

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
    await dropIfEmpty(database);
  });

async function dropIfEmpty(database: IDBPDatabase<OfflineDb>): Promise<void> {
  if ((await database.count('accounts')) + (await database.count('entries')) > 0) return;
  database.close();
  dbPromise = null;
  await new Promise<void>((resolve) => {
    const request = indexedDB.deleteDatabase(OFFLINE_DB);
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
}
