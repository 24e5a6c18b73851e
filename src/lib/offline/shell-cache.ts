/**
 * CacheStorage names of the service worker's app shell (code, styles, icons, the entry
 * page): the only caches the app ever keeps, and the only ones a logout leaves.
 */
export const SHELL_CACHE_PREFIX = 'nyckel-shell-';

export const isShellCache = (name: string) => name.startsWith(SHELL_CACHE_PREFIX);
