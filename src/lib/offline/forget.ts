import { openDB } from 'idb';
import { CLIENT_MAP_DB } from '../client-map';
import { listQueuedContractChanges, removeQueuedContractChange } from '../contract-drafts';
import { listQueued, removeQueued } from '../drafts';

/**
 * "Forget me on this device": besides the offline-unlock record and cached answers (removed
 * by every logout), the user's queued uploads and agreement changes and bureau client
 * mappings go too. Queued work that was never sent is lost; the UI says so before asking.
 */
export async function forgetQueuedUploads(userId: string): Promise<void> {
  for (const draft of await listQueued(userId)) await removeQueued(draft.id);
}

export async function forgetQueuedAgreementChanges(userId: string): Promise<void> {
  for (const change of await listQueuedContractChanges(userId)) {
    await removeQueuedContractChange(change.id);
  }
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
