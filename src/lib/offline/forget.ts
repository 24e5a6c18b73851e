import { openDB } from 'idb';
import { CLIENT_MAP_DB } from '../client-map';
import { listQueued, removeQueued } from '../drafts';

/**
 * "Forget me on this device": besides the offline-unlock record and cached answers (removed
 * by every logout), the user's queued uploads and bureau client mappings go too. Queued
 * uploads that were never sent are lost; the UI says so before asking.
 */
export async function forgetQueuedUploads(userId: string): Promise<void> {
  for (const draft of await listQueued(userId)) await removeQueued(draft.id);
}

export async function forgetClientMappings(userId: string): Promise<void> {
  if (typeof indexedDB.databases === 'function') {
    const names = (await indexedDB.databases()).map((d) => d.name);
    if (!names.includes(CLIENT_MAP_DB)) return;
  }
  const database = await openDB(CLIENT_MAP_DB);
  try {
    if (!database.objectStoreNames.contains('maps')) return;
    const tx = database.transaction('maps', 'readwrite');
    let cursor = await tx.store.openCursor();
    while (cursor) {
      if ((cursor.value as { userId?: unknown }).userId === userId) await cursor.delete();
      cursor = await cursor.continue();
    }
    await tx.done;
  } finally {
    database.close();
  }
}
