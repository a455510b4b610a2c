// Companion data files: fetched for the workspace and checked against their SHA-256. Pyloom's
// service worker (src/offline/sw.ts) keeps a copy of each, recognised by the Accept header sent
// here, and answers from it when the network fails: that is what makes them work offline.
import type { CompanionFile } from '../../src/protocol';
import { COMPANION_ACCEPT } from '../../src/workspace/companion';
import { errorMessage } from '../../src/shared/errors';

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes.slice());
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The bytes of `file.url` (from the network, or from the service worker's copy when offline).
 * Rejects with a message naming the URL and the HTTP status or the network error, or the
 * checksum mismatch.
 */
export async function fetchCompanion(file: CompanionFile): Promise<Uint8Array> {
  let response: Response;
  try {
    // Accept is a CORS-safelisted header: no preflight for a cross-origin data file.
    response = await fetch(file.url, { headers: { Accept: COMPANION_ACCEPT } });
  } catch (error) {
    throw new Error(
      `could not fetch ${file.url} for "${file.path}": ${errorMessage(error)} (offline and not kept by Pyloom's service worker from an earlier visit, or the server does not allow cross-origin reads)`,
    );
  }
  if (!response.ok)
    throw new Error(
      `could not fetch ${file.url} for "${file.path}": HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`,
    );
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (file.sha256) {
    const actual = await sha256Hex(bytes);
    if (actual !== file.sha256.toLowerCase())
      throw new Error(`${file.url} for "${file.path}" does not match its sha256: expected ${file.sha256}, got ${actual}`);
  }
  return bytes;
}
