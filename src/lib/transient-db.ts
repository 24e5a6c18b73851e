import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

/**
 * An IndexedDB database (version 1) that exists only while it holds something (P9): created by
 * the first write, found without being created by reads, and deleted once its last record
 * goes, so a browser that keeps nothing keeps no trace either. Used by the offline caches and
 * the sealed queues of drafts.
 */
export interface TransientDb<Schema extends DBSchema> {
  /** The database, created if it does not exist yet (for writes). */
  open: () => Promise<IDBPDatabase<Schema>>;
  /** The database only if it already exists: reading an empty store must not create one. */
  existing: () => Promise<IDBPDatabase<Schema> | null>;
  /**
   * Runs `task` after every task passed before it, so a record written just as the database
   * empties can never be deleted with it. Writes and `deleteIfEmpty` go through here.
   */
  serially: <T>(task: () => Promise<T>) => Promise<T>;
  /** Closes and deletes the database when it exists and `isEmpty` says so. */
  deleteIfEmpty: (isEmpty: (database: IDBPDatabase<Schema>) => Promise<boolean>) => Promise<void>;
}

export function transientDb<Schema extends DBSchema>(
  name: string,
  upgrade: (database: IDBPDatabase<Schema>) => void,
): TransientDb<Schema> {
  let dbPromise: Promise<IDBPDatabase<Schema>> | null = null;
  const open = () => (dbPromise ??= openDB<Schema>(name, 1, { upgrade }));

  async function existing(): Promise<IDBPDatabase<Schema> | null> {
    if (!dbPromise && typeof indexedDB.databases === 'function') {
      const names = (await indexedDB.databases()).map((d) => d.name);
      if (!names.includes(name)) return null;
    }
    return open();
  }

  let serial: Promise<unknown> = Promise.resolve();
  function serially<T>(task: () => Promise<T>): Promise<T> {
    const run = serial.then(task, task);
    serial = run.catch(() => undefined);
    return run;
  }

  async function deleteIfEmpty(isEmpty: (database: IDBPDatabase<Schema>) => Promise<boolean>) {
    const database = await existing();
    if (!database || !(await isEmpty(database))) return;
    database.close();
    dbPromise = null;
    await new Promise<void>((resolve) => {
      const request = indexedDB.deleteDatabase(name);
      request.onsuccess = request.onerror = request.onblocked = () => resolve();
    });
  }

  return { open, existing, serially, deleteIfEmpty };
}
