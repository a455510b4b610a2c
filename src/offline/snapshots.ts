// The Cache Storage home of warm-start memory snapshots (written by the worker's store), and the
// page's view of it: how much it holds, and clearing it.

import { SNAPSHOT_CACHE } from '../shared/snapshot-cache';

export { SNAPSHOT_CACHE };

/** Compressed bytes of the snapshots kept (0 where Cache Storage is unavailable). */
export async function snapshotBytes(): Promise<number> {
  if (typeof caches === 'undefined' || !(await caches.has(SNAPSHOT_CACHE))) return 0;
  const cache = await caches.open(SNAPSHOT_CACHE);
  let total = 0;
  for (const request of await cache.keys()) total += (await (await cache.match(request))?.blob())?.size ?? 0;
  return total;
}

export async function clearSnapshots(): Promise<void> {
  if (typeof caches !== 'undefined') await caches.delete(SNAPSHOT_CACHE);
}
