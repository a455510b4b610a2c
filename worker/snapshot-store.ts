// Warm-start snapshots in the browser: gzip-compressed (CompressionStream) in Cache Storage, one
// entry per key; saving a new key drops the others, so an upgrade leaves no stale 30 MB behind.
// Beside it, one small JSON entry: the packages the last session loaded.
import { SNAPSHOT_CACHE } from '../src/shared/snapshot-cache';
import type { SnapshotStore } from './snapshot';

/** Cache keys must be URLs; this origin-less one never reaches the network. */
const entryURL = (key: string) => `https://pyloom.invalid/snapshot?key=${encodeURIComponent(key)}`;
/** The list of packages the last session loaded (kept beside the snapshot it asks for). */
const wantedURL = (runtimeKey: string) => `https://pyloom.invalid/wanted-packages?key=${encodeURIComponent(runtimeKey)}`;

async function pump(bytes: Uint8Array, transform: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const stream = new Blob([bytes.slice()]).stream().pipeThrough(transform);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export function cacheSnapshotStore(cacheStorage: CacheStorage | undefined = globalThis.caches): SnapshotStore | undefined {
  // Cache Storage exists only in secure contexts (https, localhost).
  if (!cacheStorage || typeof CompressionStream !== 'function') return undefined;
  return {
    async load(key) {
      const cache = await cacheStorage.open(SNAPSHOT_CACHE);
      const response = await cache.match(entryURL(key));
      if (!response) return undefined;
      return pump(new Uint8Array(await response.arrayBuffer()), new DecompressionStream('gzip'));
    },
    async save(key, bytes) {
      const compressed = await pump(bytes, new CompressionStream('gzip'));
      const cache = await cacheStorage.open(SNAPSHOT_CACHE);
      for (const request of await cache.keys()) {
        if (request.url !== entryURL(key) && !request.url.startsWith('https://pyloom.invalid/wanted-packages?'))
          await cache.delete(request);
      }
      await cache.put(
        entryURL(key),
        new Response(compressed.slice(), {
          headers: { 'Content-Type': 'application/gzip', 'X-Pyloom-Raw-Bytes': String(bytes.byteLength) },
        }),
      );
    },
    async discard(key) {
      const cache = await cacheStorage.open(SNAPSHOT_CACHE);
      await cache.delete(entryURL(key));
    },
    async wantedPackages(runtimeKey) {
      const cache = await cacheStorage.open(SNAPSHOT_CACHE);
      const response = await cache.match(wantedURL(runtimeKey));
      const names: unknown = response ? await response.json() : [];
      return Array.isArray(names) ? names.filter((name): name is string => typeof name === 'string') : [];
    },
    async setWantedPackages(runtimeKey, names) {
      const cache = await cacheStorage.open(SNAPSHOT_CACHE);
      for (const request of await cache.keys())
        if (request.url.startsWith('https://pyloom.invalid/wanted-packages?')) await cache.delete(request);
      await cache.put(wantedURL(runtimeKey), new Response(JSON.stringify(names), { headers: { 'Content-Type': 'application/json' } }));
    },
  };
}
