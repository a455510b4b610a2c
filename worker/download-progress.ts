// The worker's one download watch: which URLs are packages (or the big core files), their sha256
// from the lock file, and per-execution byte totals for the page's progress bars.
import type { DownloadProgress } from '../src/protocol';
import { watchDownloads, type FileProgress } from './downloads';
import { watchRequests } from './xhr-downloads';

export interface PackageWatchOptions {
  /** Pyodide's core folder: only its two big files are watched. */
  indexURL: string;
  packageBaseUrl: string;
  indexUrls: string[];
  /** The lock file's text (read lazily: the watch starts before the lock has arrived). */
  lockJson(): string;
  /** The execution whose downloads are under way now (null outside cells). */
  owner(): number | null;
  report(progress: DownloadProgress): void;
}

/** Wheel URL → sha256 from the lock file, for the files the package base URL serves. */
export function lockHashes(lockJson: string, packageBaseUrl: string): Map<string, string> {
  const hashes = new Map<string, string>();
  try {
    const lock = JSON.parse(lockJson) as { packages?: Record<string, { file_name?: string; sha256?: string }> };
    for (const entry of Object.values(lock.packages ?? {})) {
      if (!entry.file_name || !entry.sha256) continue;
      hashes.set(/^[a-z]+:\/\//.test(entry.file_name) ? entry.file_name : packageBaseUrl + entry.file_name, entry.sha256);
    }
  } catch {
    // An unreadable lock fails Pyodide's boot with its own message; nothing to check against.
  }
  return hashes;
}

/** Start watching; returns the unsubscribe (the kernel calls it on dispose). */
export function watchPackageDownloads(options: PackageWatchOptions): () => void {
  const { indexURL, packageBaseUrl, indexUrls } = options;
  // Per-execution totals, so "overall" means "what this cell is downloading".
  let batch = { owner: null as number | null, files: new Map<string, { loaded: number; total: number | null; done: boolean }>() };
  let expected: Map<string, string> | undefined;
  const report = (file: FileProgress): void => {
    const owner = options.owner();
    if (batch.owner !== owner) batch = { owner, files: new Map() };
    batch.files.set(file.url, { loaded: file.loaded, total: file.total, done: file.done });
    const states = [...batch.files.values()];
    const overall = {
      loaded: states.reduce((sum, f) => sum + f.loaded, 0),
      total: states.some((f) => f.total === null) ? null : states.reduce((sum, f) => sum + (f.total ?? 0), 0),
      files: states.length,
      done: states.filter((f) => f.done).length,
    };
    options.report({ ...file, executionId: owner, overall });
  };
  // HTTP from Python (urllib, http.client: pyloom.http) is XMLHttpRequest; it counts for the cell too.
  const stopRequests = watchRequests(report);
  const stopDownloads = watchDownloads({
    // Packages, and the two big files of Pyodide's core, so the page can show bytes while they come.
    matches: (url) =>
      url.startsWith(packageBaseUrl) ||
      indexUrls.some((index) => url.startsWith(index)) ||
      /\.whl([?#]|$)/.test(url) ||
      (url.startsWith(indexURL) && /(pyodide\.asm\.wasm|python_stdlib\.zip)([?#]|$)/.test(url)),
    expectedSha256: (url) => {
      expected ??= lockHashes(options.lockJson(), packageBaseUrl);
      return expected.get(url.split(/[?#]/)[0]!);
    },
    report,
  });
  return () => {
    stopDownloads();
    stopRequests();
  };
}
