// Types shared by the service worker (sw.ts), its registration (register.ts) and the build
// (vite.config.ts writes the manifest into sw.js). Types only: nothing here exists at run time.

/** What one build precaches; URLs are relative to sw.js (the site root). Written by the build. */
export interface PrecacheManifest {
  /** Content hash of the shell files: a new deploy, a new shell cache. */
  build: string;
  /** The pinned Pyodide: names the core and package caches (package URLs change per version). */
  pyodideVersion: string;
  /** Files whose names carry a content hash (`assets/…-[hash].js`, `pyloom/<hash>/…whl`): cache-first. */
  hashed: string[];
  /** Pages and entries with stable names (`index.html`, `pyloom-embed.js`): network-first. */
  pages: string[];
  /** The Pyodide core of `pyodideVersion` (`pyodide/…`): cache-first in a cache named by version. */
  pyodide: string[];
}

/** `companion`: data files notebooks and docs pages declare (`pyloom.files`, `files`, `data-files`). */
export type CacheKind = 'shell' | 'pyodide' | 'packages' | 'companion';
/**
 * Every cache Pyloom makes is named `pyloom-<kind>-<version>@<scope>`: the scope keeps two
 * deployments on one origin (`/a/`, `/b/`) from deleting each other's caches. sw.ts makes the
 * names, register.ts recognises them (both spell the rule out; they share no run-time code,
 * because sw.js must stay a single classic script).
 */
export type CacheName = `pyloom-${CacheKind}-${string}@${string}`;

/** Cross-origin isolation the service worker adds to same-origin responses that lack it. */
export type IsolationMode = 'require-corp' | 'credentialless' | 'off';

/** Page → service worker, on a MessageChannel; the answer comes back on its port. */
export interface StatusRequest {
  type: 'pyloom-offline-status';
}

export interface StatusReply {
  type: 'pyloom-offline-status';
  build: string;
  pyodideVersion: string;
  isolation: IsolationMode;
  /** The cache names this worker uses (others of this scope are deleted on activation). */
  caches: Record<CacheKind, CacheName>;
  /** Precache files present in the caches, of `precacheTotal`. */
  precached: number;
  precacheTotal: number;
}
