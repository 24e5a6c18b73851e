/**
 * When this tab last exchanged data with the server (identity confirmed, uploads sent), for
 * the header's sync status. Memory only: after an offline unlock it starts from the time
 * the device's sealed identity was last confirmed.
 */
export const syncState = $state({ lastSync: null as number | null });

export const markSynced = (at: number = Date.now()): void => {
  syncState.lastSync = at;
};

export const forgetSync = (): void => {
  syncState.lastSync = null;
};
