/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
import { build, files, version } from '$service-worker';
import { SHELL_CACHE_PREFIX } from '$lib/offline/shell-cache';

const sw = self as unknown as ServiceWorkerGlobalScope;
const CACHE = `${SHELL_CACHE_PREFIX}${version}`;
const NEVER_CACHED = new Set(['/healthz', '/readyz', '/metrics']);
/** API answers and health checks may be personal and must be fresh: never stored (P9). */
const isNeverCached = (pathname: string) =>
  pathname.startsWith('/api/') || NEVER_CACHED.has(pathname);
/**
 * The app shell: every built asset, every static file, and the SPA entry page; nothing
 * else is ever written to CacheStorage (no response is cached at run time).
 */
const SHELL = ['/', ...build, ...files].filter((path) => !isNeverCached(path));
const SHELL_SET = new Set(SHELL);

sw.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)));
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      // Older shells go, and so does any cache this worker did not make.
      for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
      await sw.clients.claim();
    })(),
  );
});

/** At logout the page asks to drop every cache but the current shell (P9). */
const purgePersonal = async () => {
  for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
};

sw.addEventListener('message', (event) => {
  if (event.data?.type === 'SKIP_WAITING') void sw.skipWaiting();
  if (event.data?.type === 'PURGE_PERSONAL') event.waitUntil(purgePersonal());
});

sw.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== sw.location.origin) return;
  if (isNeverCached(url.pathname)) return;

  if (request.mode === 'navigate') {
    // Network first so a deployed fix shows at once; the cached shell when offline.
    event.respondWith(
      fetch(request).catch(
        async () => (await caches.match('/', { cacheName: CACHE })) ?? Response.error(),
      ),
    );
    return;
  }
  if (SHELL_SET.has(url.pathname)) {
    event.respondWith(
      caches.match(request, { cacheName: CACHE }).then((cached) => cached ?? fetch(request)),
    );
  }
});
