// Pyloom's service worker (built to `sw.js` at the site root): precaches the app shell, the embed
// and the pinned Pyodide core on install, caches package downloads as they happen, drops the
// caches of other versions on activation, and adds COOP/COEP so static hosts that cannot set
// headers still give a crossOriginIsolated page.
//
// Hand-written, not Workbox: it is one small file of named handlers, and what it needs most is
// ours to write anyway: COOP/COEP on the responses it serves, package caches keyed by the Pyodide
// version, a precache list the Vite build writes in (vite.config.ts), and no runtime dependency
// that would have to be kept in step with Vite's output.
//
// It must stay a single classic script (a module service worker is not supported everywhere): it
// imports types only.
import type { CacheKind, CacheName, IsolationMode, PrecacheManifest, StatusReply, StatusRequest } from './messages';

/** Written in front of this file by the build (vite.config.ts, `generateBundle`). */
declare const __PYLOOM_PRECACHE__: PrecacheManifest;

// The service worker globals this file uses. Declared here rather than pulling in the WebWorker
// lib, which would clash with the DOM lib the rest of the project compiles against.
interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  readonly request: Request;
  respondWith(response: Promise<Response>): void;
}
interface ExtendableMessageEvent extends ExtendableEvent {
  readonly data: unknown;
  readonly ports: readonly MessagePort[];
}
interface ServiceWorkerScope {
  readonly location: { readonly href: string; readonly origin: string };
  readonly registration: ServiceWorkerRegistration;
  readonly clients: { claim(): Promise<void> };
  skipWaiting(): Promise<void>;
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
  addEventListener(type: 'message', listener: (event: ExtendableMessageEvent) => void): void;
}
declare const self: ServiceWorkerScope;

const manifest = __PYLOOM_PRECACHE__;
const scope = self.registration.scope;
const cacheName = (kind: CacheKind, version: string): CacheName => `pyloom-${kind}-${version}@${scope}`;
const names: Record<CacheKind, CacheName> = {
  shell: cacheName('shell', manifest.build),
  pyodide: cacheName('pyodide', manifest.pyodideVersion),
  // Per Pyodide version: wheels are built for one version, and a self-hosted mirror's URLs do not
  // say which; after an upgrade the old ones are dead weight.
  packages: cacheName('packages', manifest.pyodideVersion),
  // Not versioned: a page's data does not change with Pyloom's build or Pyodide's version.
  companion: cacheName('companion', 'files'),
};
const isOurs = (name: string): boolean => name.startsWith('pyloom-') && name.endsWith(`@${scope}`);

// `sw.js?coep=off` (or `credentialless`) is how the page chooses; the default isolates.
const coepParam = new URL(self.location.href).searchParams.get('coep');
const isolation: IsolationMode = coepParam === 'off' || coepParam === 'credentialless' ? coepParam : 'require-corp';

const absolute = (path: string): string => new URL(path, self.location.href).href;
const pyodideFiles = new Set(manifest.pyodide.map(absolute));
const hashedFiles = new Set(manifest.hashed.map(absolute));
const pageFiles = new Set(manifest.pages.map(absolute));
/** Where Vite puts content-hashed chunks (build.assetsDir). */
const assetsPath = new URL('assets/', scope).pathname;

/** Package archives (wheels; Pyodide's zips and tars): immutable by name, a new build is a new name. */
const ARCHIVE = /\.(whl|zip|tar)$/i;
/** Pyodide's core fetched from a configured indexURL elsewhere (a CDN). */
const CORE_FILE = /\/(pyodide\.m?js|pyodide\.asm\.m?js|pyodide\.asm\.wasm)$/;
/** PEP 691 JSON and PEP 503 HTML index pages, asked for by pyloom's installer with this Accept. */
const INDEX_ACCEPT = 'application/vnd.pypi.simple';
/** Companion data files, asked for by the worker with this in Accept (COMPANION_ACCEPT in src/workspace/companion.ts). */
const COMPANION_ACCEPT = 'application/x-pyloom-companion';

type Handler = (event: FetchEvent) => Promise<Response>;

self.addEventListener('install', (event) => {
  // skipWaiting: the caches are versioned, so the new worker can take over at once; a page left
  // open across a deploy loads anything it has not loaded yet from the network, as without us.
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(deleteOtherVersions().then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  // Ranges (media seeking) and non-GETs go straight to the network, as does a request we could
  // not answer the way it asks (only-if-cached across origins throws in fetch()).
  if (request.method !== 'GET' || request.headers.has('range')) return;
  if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;
  const handler = route(request);
  if (handler) event.respondWith(handler(event));
});

self.addEventListener('message', (event) => {
  const port = event.ports[0];
  if (!port || !isStatusRequest(event.data)) return;
  event.waitUntil(status().then((reply) => port.postMessage(reply)));
});

/** Which strategy answers a request; undefined leaves it to the browser. */
function route(request: Request): Handler | undefined {
  const url = new URL(request.url);
  const key = url.origin + url.pathname + url.search; // cache keys are full URLs without the fragment
  const sameOrigin = url.origin === self.location.origin;
  const navigation = request.mode === 'navigate';
  let handler: Handler | undefined;
  // Companion data from any origin: the network first (a page's data may change), and the copy
  // kept at the last successful fetch when the network fails, so the page works offline after
  // one visit. This is the only place they are cached.
  if ((request.headers.get('accept') ?? '').includes(COMPANION_ACCEPT))
    handler = (event) => networkFirst(event, names.companion, key, { store: true, fallbacks: [] });
  else if (sameOrigin && pyodideFiles.has(key)) handler = (event) => cacheFirst(event, names.pyodide, key);
  else if (sameOrigin && hashedFiles.has(key)) handler = (event) => cacheFirst(event, names.shell, key);
  else if (sameOrigin && navigation) {
    const page = precachedPage(url.origin + url.pathname);
    // A precached page is refreshed only by the next install: it must stay in step with the
    // chunks cached beside it. Other pages (a docs page using the embed) are kept as visited.
    handler = page
      ? (event) => networkFirst(event, names.shell, key, { store: false, fallbacks: [page] })
      : (event) => networkFirst(event, names.shell, key, { store: true, html: true, fallbacks: [url.origin + url.pathname] });
  } else if (sameOrigin && pageFiles.has(key)) handler = (event) => networkFirst(event, names.shell, key, { store: false, fallbacks: [] });
  // Chunks of pages outside the precache (a docs page's own entry): content-hashed, so kept as
  // they are fetched, and such a page works offline after one visit like its HTML does.
  else if (sameOrigin && url.pathname.startsWith(assetsPath)) handler = (event) => cacheFirst(event, names.shell, key);
  else if (isPackageFile(request, url)) {
    handler = isImmutablePackage(url)
      ? (event) => cacheFirst(event, names.packages, key)
      : (event) => networkFirst(event, names.packages, key, { store: true, fallbacks: [] });
  } else if (sameOrigin && isolation !== 'off') handler = (event) => fetch(event.request);
  if (!handler || !sameOrigin || isolation === 'off') return handler;
  const answer = handler;
  return async (event) => withIsolation(await answer(event), navigation);
}

function precachedPage(path: string): string | undefined {
  if (pageFiles.has(path)) return path;
  if (path.endsWith('/') && pageFiles.has(`${path}index.html`)) return `${path}index.html`;
  return undefined;
}

/** A package file from anywhere: the configured packageBaseUrl, an index, a lock file. */
function isPackageFile(request: Request, url: URL): boolean {
  return (
    ARCHIVE.test(url.pathname) ||
    url.pathname.endsWith('.json') ||
    CORE_FILE.test(url.pathname) ||
    (request.headers.get('accept') ?? '').includes(INDEX_ACCEPT)
  );
}

/** Archives, and files whose URL names the pinned Pyodide version (the CDN's `/v314.0.7/full/`). */
function isImmutablePackage(url: URL): boolean {
  return ARCHIVE.test(url.pathname) || url.pathname.includes(manifest.pyodideVersion);
}

/**
 * Only whole, readable answers are kept: an opaque response (status 0) cannot be checked against
 * the lock file's sha256, and a partial or failed one would be served forever.
 */
function cacheable(response: Response): boolean {
  return response.status === 200 && (response.type === 'basic' || response.type === 'cors');
}

async function cacheFirst(event: FetchEvent, name: CacheName, key: string): Promise<Response> {
  const cache = await caches.open(name);
  const hit = await cache.match(key, { ignoreVary: true });
  if (hit) return hit;
  const response = await fetch(event.request);
  if (cacheable(response)) event.waitUntil(cache.put(key, response.clone()));
  return response;
}

interface NetworkFirstOptions {
  /** Keep what the network answers (else the cache is only read). */
  store: boolean;
  /** Keep it only if it is an HTML page. */
  html?: boolean;
  /** Other keys to try when the network fails (a page's `index.html`, the URL without its query). */
  fallbacks: string[];
}

async function networkFirst(event: FetchEvent, name: CacheName, key: string, options: NetworkFirstOptions): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(event.request);
  } catch (error) {
    const cache = await caches.open(name);
    const hit =
      (await cache.match(key, { ignoreVary: true })) ??
      (await firstMatch(cache, options.fallbacks, { ignoreVary: true, ignoreSearch: true }));
    if (hit) return hit;
    throw error; // the page sees the network error it would have seen without us
  }
  const isHtml = (response.headers.get('content-type') ?? '').includes('text/html');
  if (options.store && cacheable(response) && (!options.html || isHtml)) {
    const copy = response.clone();
    event.waitUntil(caches.open(name).then((cache) => cache.put(key, copy)));
  }
  return response;
}

async function firstMatch(cache: Cache, keys: string[], options: CacheQueryOptions): Promise<Response | undefined> {
  for (const key of keys) {
    const hit = await cache.match(key, options);
    if (hit) return hit;
  }
  return undefined;
}

/**
 * COOP/COEP (and CORP on subresources) on a same-origin response that lacks them, so the page
 * gets SharedArrayBuffer (interrupts, input()) on hosts that cannot set headers. Headers the
 * server did send are left alone.
 */
function withIsolation(response: Response, navigation: boolean): Response {
  // Opaque answers and redirects pass as they are (their headers cannot be read or rewritten).
  if (response.type === 'opaque' || response.type === 'opaqueredirect' || response.type === 'error') return response;
  const headers = new Headers(response.headers);
  let changed = false;
  const add = (header: string, value: string): void => {
    if (headers.has(header)) return;
    headers.set(header, value);
    changed = true;
  };
  add('Cross-Origin-Embedder-Policy', isolation);
  if (navigation) add('Cross-Origin-Opener-Policy', 'same-origin');
  else add('Cross-Origin-Resource-Policy', 'same-origin');
  if (!changed) return response;
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/** Install: every file of this build into the shell and core caches, or the install fails. */
async function precache(): Promise<void> {
  const [shell, core] = await Promise.all([caches.open(names.shell), caches.open(names.pyodide)]);
  // Hashed files an earlier build already cached are copied, not downloaded again.
  const earlier = (await caches.keys()).filter((name) => isOurs(name) && name !== names.shell && name !== names.pyodide);
  await Promise.all([
    ...manifest.pages.map((path) => download(shell, absolute(path), 'no-cache')),
    ...manifest.hashed.map((path) => keep(shell, absolute(path), earlier)),
    ...manifest.pyodide.map((path) => keep(core, absolute(path), [])),
  ]);
}

async function keep(cache: Cache, url: string, earlier: string[]): Promise<void> {
  if (await cache.match(url)) return; // an install that failed half-way left it here
  for (const name of earlier) {
    const hit = await (await caches.open(name)).match(url);
    if (hit) return cache.put(url, hit);
  }
  await download(cache, url, 'default');
}

async function download(cache: Cache, url: string, mode: RequestCache): Promise<void> {
  const response = await fetch(url, { cache: mode });
  if (!response.ok) throw new Error(`Pyloom offline: could not precache ${url}: HTTP ${response.status}`);
  // A redirected response cannot answer a navigation; keep its body and headers only.
  await cache.put(url, response.redirected ? new Response(await response.blob(), { headers: response.headers }) : response);
}

/** Activate: caches of this scope that another build or Pyodide version made. */
async function deleteOtherVersions(): Promise<void> {
  const current = new Set<string>(Object.values(names));
  const stale = (await caches.keys()).filter((name) => isOurs(name) && !current.has(name));
  await Promise.all(stale.map((name) => caches.delete(name)));
}

function isStatusRequest(data: unknown): data is StatusRequest {
  return typeof data === 'object' && data !== null && 'type' in data && data.type === 'pyloom-offline-status';
}

async function status(): Promise<StatusReply> {
  const [shell, core] = await Promise.all([caches.open(names.shell), caches.open(names.pyodide)]);
  const checks = [
    ...[...manifest.pages, ...manifest.hashed].map((path) => shell.match(absolute(path))),
    ...manifest.pyodide.map((path) => core.match(absolute(path))),
  ];
  const present = (await Promise.all(checks)).filter((hit) => hit !== undefined).length;
  return {
    type: 'pyloom-offline-status',
    build: manifest.build,
    pyodideVersion: manifest.pyodideVersion,
    isolation,
    caches: names,
    precached: present,
    precacheTotal: checks.length,
  };
}
