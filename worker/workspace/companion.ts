// Companion data files: fetched network-first into Cache Storage (so a notebook or a docs page
// that declares them works offline after one visit), checked against their SHA-256.
import type { CompanionFile } from '../../src/protocol';
import { COMPANION_CACHE } from '../../src/workspace/companion';
import { errorMessage } from '../../src/shared/errors';

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes.slice());
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The bytes of `file.url`: from the network when it answers (and then cached), else from the
 * cache. Rejects with a message naming the URL and the HTTP status or the network error, or the
 * checksum mismatch.
 */
export async function fetchCompanion(file: CompanionFile, cacheStorage: CacheStorage | undefined = globalThis.caches): Promise<Uint8Array> {
  const cache = await cacheStorage?.open(COMPANION_CACHE).catch(() => undefined);
  let bytes: Uint8Array | undefined;
  let failure: string;
  try {
    const response = await fetch(file.url);
    if (response.ok) {
      bytes = new Uint8Array(await response.arrayBuffer());
      failure = '';
    } else {
      failure = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
    }
  } catch (error) {
    failure = `${errorMessage(error)} (offline, or the server does not allow cross-origin reads)`;
  }
  let fromCache = false;
  if (!bytes) {
    const cached = await cache?.match(file.url);
    if (!cached) throw new Error(`could not fetch ${file.url} for "${file.path}": ${failure}`);
    bytes = new Uint8Array(await cached.arrayBuffer());
    fromCache = true;
  }
  if (file.sha256) {
    const actual = await sha256Hex(bytes);
    if (actual !== file.sha256.toLowerCase()) {
      throw new Error(`${file.url} for "${file.path}" does not match its sha256: expected ${file.sha256}, got ${actual}${fromCache ? ' (cached copy)' : ''}`);
    }
  }
  if (!fromCache) await cache?.put(file.url, new Response(bytes.slice())).catch(() => undefined);
  return bytes;
}
