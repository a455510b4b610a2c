// The page side of the offline cache: register Pyloom's service worker (sw.ts, built to sw.js at
// the site root), report what it has cached, and clear it all.
import { pyodideIndexURL } from 'virtual:pyloom-assets';
import type { CacheKind, IsolationMode, StatusReply, StatusRequest } from './messages';
import { errorMessage } from '../shared/errors';

export type { IsolationMode } from './messages';

export interface OfflineOptions {
  /**
   * The COOP/COEP the service worker adds to same-origin responses that lack them, so a static
   * host without headers still gives a crossOriginIsolated page (interrupts, input()):
   * `require-corp` (default), `credentialless` (third-party images load without CORP, but not
   * Safari), or `off`.
   */
  isolation?: IsolationMode;
  /**
   * Reload the page once when the service worker takes control of a page that is not yet
   * crossOriginIsolated (the first visit on a host without headers). Default: true unless
   * `isolation` is `off`. At most once per tab session.
   */
  reloadForIsolation?: boolean;
  /** The service worker script. Default: `sw.js` built beside `index.html` (where `pyodide/` is). */
  serviceWorkerURL?: string;
  /**
   * Files fetched before the service worker took control (the first visit's runtime boots while
   * the app is being cached) that must work offline: a custom `lockFileURL` above all. They are
   * fetched once more, through the worker, which keeps the ones its rules cache (package files,
   * lock files and other JSON, pages). The default lock file is precached with Pyodide.
   */
  alsoCache?: string[];
}

export interface OfflineState {
  /** Service workers and Cache Storage work here (a secure context, same origin as Pyloom). */
  supported: boolean;
  /** This page's requests go through Pyloom's service worker. */
  controlled: boolean;
  /** The app shell, the embed and the Pyodide core of this build are all cached. */
  ready: boolean;
  /** Bytes and files in Pyloom's caches (this scope), packages included. */
  cachedBytes: number;
  cachedFiles: number;
  /** Package archives (wheels, zips) cached. */
  packages: number;
  /** Why offline use is not supported, or not ready. */
  reason?: string;
  /** The build the active service worker precached. */
  build?: string;
}

/** The session flag that stops a reload loop when isolation does not take (see registerOffline). */
const RELOAD_KEY = 'pyloom-offline-isolation-reload';
const ARCHIVE = /\.(whl|zip|tar)$/i; // as in sw.ts
/** How long to wait, after activation, for the service worker to claim this page. */
const CLAIM_WAIT_MS = 5000;
/** How long the service worker has to answer a status request. */
const STATUS_WAIT_MS = 5000;

/**
 * Register Pyloom's service worker and resolve, once it is active, with the offline state. The
 * first registration downloads the app shell and the Pyodide core (about 14 MB) before it is
 * active; call this without awaiting it before booting if the page should not wait. Resolves with
 * `supported: false` (and the reason) where service workers cannot work; rejects if registration
 * or the first download fails (the next visit tries again).
 */
export async function registerOffline(options: OfflineOptions = {}): Promise<OfflineState> {
  const url = scriptURL(options);
  const unsupported = whyUnsupported(url);
  if (unsupported) return emptyState(unsupported);
  let registration: ServiceWorkerRegistration;
  try {
    registration = await navigator.serviceWorker.register(url);
  } catch (error) {
    throw new Error(`Pyloom could not register its service worker ${url}: ${errorMessage(error)}`, { cause: error });
  }
  const isolation = options.isolation ?? 'require-corp';
  if (isolation !== 'off' && options.reloadForIsolation !== false) reloadOnceForIsolation(url);
  await untilActivated(registration);
  if (location.href.startsWith(registration.scope)) await untilControlled(CLAIM_WAIT_MS);
  if (navigator.serviceWorker.controller) await Promise.all((options.alsoCache ?? []).map(fetchThroughWorker));
  return offlineStatus(options);
}

/** What is cached now, and whether the page could boot without the network. */
export async function offlineStatus(options: Pick<OfflineOptions, 'serviceWorkerURL'> = {}): Promise<OfflineState> {
  const url = scriptURL(options);
  const unsupported = whyUnsupported(url);
  if (unsupported) return emptyState(unsupported);
  const registration = await navigator.serviceWorker.getRegistration(new URL('./', url).href);
  const controller = navigator.serviceWorker.controller;
  const controlled = controller !== null && samePath(controller.scriptURL, url);
  const ours = (worker: ServiceWorker | null | undefined) => (worker && samePath(worker.scriptURL, url) ? worker : undefined);
  const active = ours(registration?.active);
  // Before the first install has finished, the installing worker answers with its progress.
  const answering = active ?? ours(registration?.installing) ?? ours(registration?.waiting);
  const reply = answering ? await askStatus(answering) : undefined;
  const sizes = await measure(registration?.scope ?? new URL('./', url).href);
  const ready = answering === active && reply !== undefined && reply.precacheTotal > 0 && reply.precached === reply.precacheTotal;
  const state: OfflineState = { supported: true, controlled, ready, ...sizes };
  if (reply) state.build = reply.build;
  if (!ready) {
    state.reason = !answering
      ? 'the service worker is not registered'
      : !reply
        ? 'the service worker did not answer'
        : `${reply.precached} of ${reply.precacheTotal} files of the app and Pyodide are cached${answering === active ? '' : ' (installing)'}`;
  }
  return state;
}

/**
 * Delete Pyloom's caches (every version, this scope) and unregister its service worker. The page
 * stays controlled until it is reloaded; a later `registerOffline()` starts from nothing.
 */
export async function clearOfflineCache(options: Pick<OfflineOptions, 'serviceWorkerURL'> = {}): Promise<void> {
  const url = scriptURL(options);
  const scopes = new Set([new URL('./', url).href]);
  if ('serviceWorker' in navigator) {
    for (const registration of await navigator.serviceWorker.getRegistrations()) {
      const workers = [registration.installing, registration.waiting, registration.active];
      if (!workers.some((worker) => worker && samePath(worker.scriptURL, url))) continue;
      scopes.add(registration.scope);
      // First, so a running worker cannot refill what is deleted next.
      await registration.unregister();
    }
  }
  if (typeof caches !== 'undefined') {
    const names = (await caches.keys()).filter((name) => [...scopes].some((scope) => parseCacheName(name, scope)));
    await Promise.all(names.map((name) => caches.delete(name)));
  }
  try {
    sessionStorage.removeItem(RELOAD_KEY);
  } catch {
    // No session storage (sandboxed frame): nothing was stored either.
  }
}

function scriptURL(options: Pick<OfflineOptions, 'serviceWorkerURL' | 'isolation'>): string {
  // The build puts sw.js at the site root, the parent of pyodide/ (vite.config.ts).
  const url = new URL(options.serviceWorkerURL ?? '../sw.js', options.serviceWorkerURL ? location.href : pyodideIndexURL);
  if (options.isolation && options.isolation !== 'require-corp') url.searchParams.set('coep', options.isolation);
  return url.href;
}

function whyUnsupported(url: string): string | undefined {
  if (import.meta.env.DEV) return 'the Vite dev server serves no service worker: build and preview to work offline';
  if (!globalThis.isSecureContext) return 'service workers need a secure context (https:, or http://localhost and 127.0.0.1)';
  if (!('serviceWorker' in navigator) || typeof caches === 'undefined')
    return 'this browser has no service workers or Cache Storage here (some private windows disable them)';
  if (new URL(url).origin !== location.origin)
    return `Pyloom is served from another origin (${new URL(url).origin}); only its own pages can register its service worker`;
  return undefined;
}

function emptyState(reason: string): OfflineState {
  return { supported: false, controlled: false, ready: false, cachedBytes: 0, cachedFiles: 0, packages: 0, reason };
}

function samePath(a: string, b: string): boolean {
  const [x, y] = [new URL(a), new URL(b)];
  return x.origin === y.origin && x.pathname === y.pathname;
}

/** `pyloom-<kind>-<version>@<scope>` (the rule sw.ts names its caches by) → the kind. */
function parseCacheName(name: string, scope: string): CacheKind | undefined {
  const match = /^pyloom-(shell|pyodide|packages|companion)-[^@]*@(.*)$/.exec(name);
  if (!match || match[2] !== scope) return undefined;
  const kind = match[1];
  return kind === 'shell' || kind === 'pyodide' || kind === 'packages' || kind === 'companion' ? kind : undefined;
}

/**
 * On a host without COOP/COEP the first visit is not isolated: once the service worker (which
 * adds them) controls the page, one reload makes it so. The session flag makes that one reload
 * at most, whatever happens (a browser that will not isolate, a page framed cross-origin).
 */
function reloadOnceForIsolation(url: string): void {
  const reload = (): void => {
    if (globalThis.crossOriginIsolated) return;
    try {
      if (sessionStorage.getItem(RELOAD_KEY)) return;
      sessionStorage.setItem(RELOAD_KEY, String(Date.now()));
    } catch {
      return; // without the flag there is no guard against a loop: no reload
    }
    location.reload();
  };
  if (globalThis.crossOriginIsolated) {
    try {
      sessionStorage.removeItem(RELOAD_KEY); // it worked: a later change may reload again
    } catch {
      // nothing stored
    }
    return;
  }
  // Served by this very worker (same options) and still not isolated: reload now (once, the flag
  // decides); otherwise when the worker with these options takes over.
  if (navigator.serviceWorker.controller?.scriptURL === url) reload();
  else navigator.serviceWorker.addEventListener('controllerchange', reload, { once: true });
}

async function fetchThroughWorker(url: string): Promise<void> {
  try {
    await (await fetch(url)).arrayBuffer();
  } catch {
    // Unreachable now: it is cached the next time the runtime loads it.
  }
}

function untilActivated(registration: ServiceWorkerRegistration): Promise<void> {
  if (registration.active) return Promise.resolve();
  const worker = registration.installing ?? registration.waiting;
  if (!worker) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (worker.state === 'activated') resolve();
      else if (worker.state === 'redundant') {
        reject(new Error('Pyloom could not cache the app for offline use (a file failed to download); the next visit tries again'));
      }
    };
    worker.addEventListener('statechange', check);
    check();
  });
}

function untilControlled(ms: number): Promise<void> {
  if (navigator.serviceWorker.controller) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    navigator.serviceWorker.addEventListener(
      'controllerchange',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

function askStatus(worker: ServiceWorker): Promise<StatusReply | undefined> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    const done = (reply: StatusReply | undefined): void => {
      clearTimeout(timer);
      channel.port1.close();
      resolve(reply);
    };
    const timer = setTimeout(() => done(undefined), STATUS_WAIT_MS);
    channel.port1.onmessage = (event: MessageEvent<unknown>) => done(isStatusReply(event.data) ? event.data : undefined);
    const request: StatusRequest = { type: 'pyloom-offline-status' };
    worker.postMessage(request, [channel.port2]);
  });
}

function isStatusReply(data: unknown): data is StatusReply {
  return typeof data === 'object' && data !== null && 'type' in data && data.type === 'pyloom-offline-status' && 'precached' in data;
}

interface CacheSizes {
  cachedBytes: number;
  cachedFiles: number;
  packages: number;
}

/** Sizes from Cache Storage; where it cannot be read, the browser's estimate of cache usage. */
async function measure(scope: string): Promise<CacheSizes> {
  try {
    const sizes: CacheSizes = { cachedBytes: 0, cachedFiles: 0, packages: 0 };
    for (const name of await caches.keys()) {
      const kind = parseCacheName(name, scope);
      if (!kind) continue;
      const cache = await caches.open(name);
      for (const request of await cache.keys()) {
        sizes.cachedFiles += 1;
        if (kind === 'packages' && ARCHIVE.test(new URL(request.url).pathname)) sizes.packages += 1;
        const response = await cache.match(request);
        // A blob of a cached body refers to the stored bytes; it does not read them.
        if (response) sizes.cachedBytes += (await response.blob()).size;
      }
    }
    return sizes;
  } catch {
    const estimate: StorageEstimate & { usageDetails?: { caches?: number } } = await navigator.storage.estimate();
    return { cachedBytes: estimate.usageDetails?.caches ?? estimate.usage ?? 0, cachedFiles: 0, packages: 0 };
  }
}
