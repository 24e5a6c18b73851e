import { LOCALE_STORAGE_KEY } from '../i18n/index';
import { isShellCache } from './shell-cache';

/**
 * A logout that could not reach the server leaves the HttpOnly session cookie, which the page
 * cannot delete. This flag (nothing personal) makes the app end that session first thing
 * when it next reaches the server, before the cookie can show anyone the previous user.
 */
export const PENDING_LOGOUT_KEY = 'nyckel.logout-pending';

/** What may stay in localStorage after a logout: a preference and the flag above. */
const KEPT_KEYS: readonly string[] = [LOCALE_STORAGE_KEY, PENDING_LOGOUT_KEY];

const storage = (kind: 'localStorage' | 'sessionStorage'): Storage | null => {
  try {
    return globalThis[kind] ?? null;
  } catch {
    return null;
  }
};

/**
 * Removes every trace of the previous user that browser storage could hold in readable form
 * (P9): all of sessionStorage, every localStorage key but the language preference, and every
 * CacheStorage cache that is not the app shell; the service worker is asked to do the same
 * for its caches. Sealed IndexedDB data is handled by its own modules.
 */
export async function wipeBrowserTraces(): Promise<void> {
  storage('sessionStorage')?.clear();
  const local = storage('localStorage');
  if (local) {
    const keys = Array.from({ length: local.length }, (_, i) => local.key(i));
    for (const key of keys) if (key !== null && !KEPT_KEYS.includes(key)) local.removeItem(key);
  }
  if (typeof caches !== 'undefined') {
    for (const name of await caches.keys()) {
      if (!isShellCache(name)) await caches.delete(name);
    }
  }
  navigator.serviceWorker?.controller?.postMessage({ type: 'PURGE_PERSONAL' });
}

export const setPendingLogout = (pending: boolean): void => {
  const local = storage('localStorage');
  if (pending) local?.setItem(PENDING_LOGOUT_KEY, '1');
  else local?.removeItem(PENDING_LOGOUT_KEY);
};

export const pendingLogout = (): boolean =>
  storage('localStorage')?.getItem(PENDING_LOGOUT_KEY) === '1';
