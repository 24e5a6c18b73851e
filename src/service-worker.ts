/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
import { build, files, version } from '$service-worker';

const sw = self as unknown as ServiceWorkerGlobalScope;
const CACHE = `nyckel-shell-${version}`;
/** The app shell: every built asset, every static file, and the SPA entry page. */
const SHELL = ['/', ...build, ...files];
const SHELL_SET = new Set(SHELL);
const NEVER_CACHED = new Set(['/healthz', '/readyz', '/metrics']);

sw.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)));
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) {
        if (key !== CACHE && key.startsWith('nyckel-shell-')) await caches.delete(key);
      }
      await sw.clients.claim();
    })(),
  );
});

sw.addEventListener('message', (event) => {
  if (event.data?.type === 'SKIP_WAITING') void sw.skipWaiting();
});

sw.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== sw.location.origin) return;
  // API answers and health checks are never cached: they may be personal and must be fresh.
  if (url.pathname.startsWith('/api/') || NEVER_CACHED.has(url.pathname)) return;

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
