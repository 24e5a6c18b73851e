/**
 * Service-worker lifecycle as reactive state: whether the app is installed for offline
 * use, whether a new version waits, and whether the browser is online.
 */
export const pwa = $state({
  online: true,
  offlineReady: false,
  updateReady: false,
});

let waitingWorker: ServiceWorker | null = null;

function watchInstalling(registration: ServiceWorkerRegistration, worker: ServiceWorker | null) {
  if (!worker) return;
  worker.addEventListener('statechange', () => {
    if (worker.state !== 'installed') return;
    if (navigator.serviceWorker.controller) {
      // An older version controls the page: the new one waits until the user agrees.
      waitingWorker = registration.waiting ?? worker;
      pwa.updateReady = true;
    } else {
      pwa.offlineReady = true;
    }
  });
}

export async function registerServiceWorker(): Promise<void> {
  pwa.online = navigator.onLine;
  window.addEventListener('online', () => (pwa.online = true));
  window.addEventListener('offline', () => (pwa.online = false));
  if (!('serviceWorker' in navigator)) return;

  const registration = await navigator.serviceWorker.register('/service-worker.js', {
    type: import.meta.env.DEV ? 'module' : 'classic',
  });
  if (registration.waiting && navigator.serviceWorker.controller) {
    waitingWorker = registration.waiting;
    pwa.updateReady = true;
  }
  watchInstalling(registration, registration.installing);
  registration.addEventListener('updatefound', () =>
    watchInstalling(registration, registration.installing),
  );

  let reloading = false;
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (reloading || !waitingWorker) return;
    reloading = true;
    window.location.reload();
  });
  // Look for a new version whenever the app comes back to the foreground.
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') registration.update().catch(() => undefined);
  });
}

/** Activates the waiting version; the page reloads once it has taken over. */
export function applyUpdate(): void {
  waitingWorker?.postMessage({ type: 'SKIP_WAITING' });
}
