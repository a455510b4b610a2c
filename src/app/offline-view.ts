// The header's offline figure: registers the service worker, shows what is cached (app, Pyodide,
// packages, the warm-start snapshot) and removes it on request.
import type { AnyRuntime } from '../runtime/runtime';
import type { Progress } from '../protocol';
import { clearOfflineCache, offlineStatus, registerOffline, type OfflineState } from '../offline/register';
import { clearSnapshots, snapshotBytes } from '../offline/snapshots';
import type { DeploymentConfig } from './config';
import { errorMessage } from '../shared/errors';

/** Wire #offline and #clear-offline; `watch` refreshes the figure after a runtime downloads packages. */
export function setUpOffline(config: DeploymentConfig): { watch(runtime: AnyRuntime): void } {
  const offlineView = document.getElementById('offline')!;
  const clearOffline = document.getElementById('clear-offline')!;
  async function showOffline(known?: OfflineState): Promise<void> {
    const state = known ?? (await offlineStatus());
    const snapshot = await snapshotBytes().catch(() => 0);
    const size = `${((state.cachedBytes + snapshot) / 1e6).toFixed(1)} MB cached`;
    offlineView.textContent = !state.supported
      ? `Offline use unavailable: ${state.reason ?? 'not supported here'}`
      : state.ready
        ? `Ready offline · ${size}${state.packages ? ` (${state.packages} package file${state.packages === 1 ? '' : 's'})` : ''}${snapshot ? ' · warm start' : ''}`
        : `Caching for offline use… ${state.reason ?? ''}`;
    offlineView.title = offlineView.textContent;
    clearOffline.hidden = !state.supported && snapshot === 0;
  }
  // Not awaited: the first visit's runtime boots while the app is being cached. What it fetched
  // before the service worker took control (the deployment config, a custom lock file) is fetched
  // again through it, so an offline visit finds them.
  const fetchedEarly = [
    new URL('pyloom.json', document.baseURI).href,
    ...(config.lockFileURL ? [new URL(config.lockFileURL, document.baseURI).href] : []),
  ];
  if (config.offline === false) {
    offlineView.textContent = 'Offline use turned off (pyloom.json)';
  } else {
    registerOffline({ alsoCache: fetchedEarly, ...(config.isolation ? { isolation: config.isolation } : {}) }).then(
      (state) => void showOffline(state),
      (error: unknown) => (offlineView.textContent = `Offline cache failed: ${errorMessage(error)}`),
    );
  }
  clearOffline.addEventListener('click', async () => {
    if (!confirm('Remove the offline copy of Pyloom, Pyodide and the packages (notebooks are kept)? The next visit downloads them again.'))
      return;
    await clearOfflineCache();
    await clearSnapshots();
    await showOffline();
  });
  // Packages a cell loads are cached as they arrive: refresh the figure when the runtime settles
  // after a download (not after every cell: the status asks the service worker and walks the caches).
  let downloaded = false;
  return {
    watch(watched) {
      watched.addEventListener('progress', (event) => {
        if ((event as CustomEvent<Progress>).detail.kind === 'download') downloaded = true;
      });
      watched.addEventListener('status', (event) => {
        if (config.offline === false || !downloaded || (event as CustomEvent<{ status: string }>).detail.status !== 'idle') return;
        downloaded = false;
        void showOffline().catch(() => undefined);
      });
    },
  };
}
