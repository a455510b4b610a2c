// The name both sides give the warm-start snapshot cache: the worker's store writes it, the page
// measures and clears it.

/** The worker's snapshot store (worker/snapshot-store.ts) keeps its one entry here. */
export const SNAPSHOT_CACHE = 'pyloom-snapshots';
