/**
 * Offline support: register the build's service worker, and when a newer build
 * has been downloaded, tell the page so it can offer to switch (never switch
 * silently under a learner). Only in production builds; dev has no worker.
 */
type Listener = () => void;

let waiting: ServiceWorker | null = null;
let accepted = false;
const listeners = new Set<Listener>();

export const updates = {
  subscribe(fn: Listener): () => void {
    listeners.add(fn);
    return () => listeners.delete(fn);
  },
  /** True when a new version is ready and waiting for the learner's go-ahead. */
  available: (): boolean => waiting !== null,
  /** Switch to the waiting version; the page reloads once it takes control. */
  apply(): void {
    accepted = true;
    // Ask whichever worker is waiting now: a newer deploy may have replaced the one first offered.
    void navigator.serviceWorker.getRegistration().then((reg) => (reg?.waiting ?? waiting)?.postMessage({ type: 'skip-waiting' }));
  },
};

function offer(worker: ServiceWorker): void {
  waiting = worker;
  for (const fn of listeners) fn();
}

export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  // A worker that took over after the learner said yes: load the new version.
  let reloading = false;
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (accepted && !reloading) {
      reloading = true;
      location.reload();
    }
  });
  navigator.serviceWorker
    .register('./sw.js')
    .then((reg) => {
      if (reg.waiting && navigator.serviceWorker.controller) offer(reg.waiting);
      reg.addEventListener('updatefound', () => {
        const incoming = reg.installing;
        incoming?.addEventListener('statechange', () => {
          // Installed while an older worker controls the page: an update, not the first install.
          if (incoming.state === 'installed' && navigator.serviceWorker.controller) offer(incoming);
        });
      });
    })
    .catch((e: unknown) => console.warn('Offline support is unavailable:', e));
}
