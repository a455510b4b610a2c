// @ts-check
// The lock side of `npm run packages:mirror`: the pinned Pyodide and its lock file, and the lock
// entries for the requested names with all their dependencies (with suggestions for unknown names).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { MirrorError, reason, shown } from './mirror-errors.mjs';

/** @param {string} name */
const normalize = (name) => name.toLowerCase().replace(/[-_.]+/g, '-');

/** Edit distance, for suggestions. @param {string} a @param {string} b */
function distance(a, b) {
  /** @type {number[]} */
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const next = [i];
    for (let j = 1; j <= b.length; j += 1) {
      next[j] = Math.min(
        /** @type {number} */ (row[j]) + 1,
        /** @type {number} */ (next[j - 1]) + 1,
        /** @type {number} */ (row[j - 1]) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    row = next;
  }
  return /** @type {number} */ (row[b.length]);
}

/**
 * Names in the lock close to `wanted` (package names, or import names shown with their package).
 * @param {Map<string, { key: string; label: string }>} byName @param {string} wanted
 */
function suggestions(byName, wanted) {
  const w = normalize(wanted);
  const limit = Math.max(1, Math.floor(w.length / 3));
  /** @type {Map<string, number>} */
  const scored = new Map();
  for (const [name, { label }] of byName) {
    const d = distance(w, name);
    const score = d <= limit ? d : w.length >= 3 && (name.startsWith(w) || name.includes(w)) ? limit + 1 : Infinity;
    if (score < (scored.get(label) ?? Infinity)) scored.set(label, score);
  }
  return [...scored]
    .filter(([, score]) => score < Infinity)
    .sort((x, y) => x[1] - y[1] || x[0].localeCompare(y[0]))
    .slice(0, 5)
    .map(([label]) => label);
}

/**
 * The lock entries for `names` and all their dependencies, dependencies first.
 * @typedef {{ name: string; version: string; file_name: string; sha256: string; depends?: string[]; imports?: string[] }} LockPackage
 * @param {Record<string, LockPackage>} packages @param {string[]} names @param {string} lockLabel
 * @returns {LockPackage[]}
 */
export function resolvePackages(packages, names, lockLabel) {
  /** @type {Map<string, { key: string; label: string }>} */
  const byName = new Map();
  for (const [key, entry] of Object.entries(packages)) {
    byName.set(normalize(key), { key, label: key });
    if (entry.name) byName.set(normalize(entry.name), { key, label: key });
  }
  for (const [key, entry] of Object.entries(packages)) {
    for (const module of entry.imports ?? []) {
      if (!byName.has(normalize(module))) byName.set(normalize(module), { key, label: `${module} (${key})` });
    }
  }
  const unknown = names.filter((name) => !byName.has(normalize(name)));
  if (unknown.length > 0) {
    const described = unknown.map((name) => {
      const close = suggestions(byName, name);
      return close.length ? `${name} (did you mean ${close.join(', ')}?)` : name;
    });
    throw new MirrorError(
      `unknown package${unknown.length > 1 ? 's' : ''} ${described.join(', ')}: not a package or import name in ${lockLabel}. ` +
        'Check the spelling, or pass --lock; pure-Python packages from PyPI need no mirror (the app installs them from indexUrls)',
    );
  }
  /** @type {string[]} */
  const order = [];
  const seen = new Set();
  /** @param {string} wanted @param {string | undefined} neededBy */
  const visit = (wanted, neededBy) => {
    const found = byName.get(normalize(wanted));
    if (!found)
      throw new MirrorError(
        `${lockLabel} is inconsistent: ${neededBy} depends on ${wanted}, which it does not list; use the lock file of an installed Pyodide (npm ci)`,
      );
    if (seen.has(found.key)) return;
    seen.add(found.key);
    for (const dep of packages[found.key]?.depends ?? []) visit(dep, found.key);
    order.push(found.key);
  };
  for (const name of names) visit(name, undefined);
  return order.map((key) => {
    const entry = /** @type {LockPackage} */ (packages[key]);
    const fileName = entry.file_name;
    if (typeof fileName !== 'string' || !/^[0-9a-f]{64}$/i.test(String(entry.sha256))) {
      throw new MirrorError(`${lockLabel} is malformed: the entry for ${key} has no file_name or no sha256`);
    }
    if (!/^[a-z][a-z0-9+.-]+:\/\//i.test(fileName) && (fileName !== basename(fileName) || fileName.startsWith('.'))) {
      throw new MirrorError(
        `${lockLabel} is malformed: the file name of ${key} (${fileName}) is not a plain file name; refusing to write outside the output folder`,
      );
    }
    return entry;
  });
}

/** The installed pyodide package's folder and version, or a MirrorError saying how to get it. */
export function pinnedPyodide() {
  try {
    const require = createRequire(import.meta.url);
    const dir = dirname(require.resolve('pyodide/pyodide.mjs'));
    const version = String(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version);
    return { dir, version };
  } catch (error) {
    throw new MirrorError(
      `cannot find the pinned Pyodide (node_modules/pyodide: ${reason(error)}); run npm ci, or pass both --lock and --from`,
    );
  }
}

/**
 * The packages of the lock file at `lockPath` (`fromOption`: it was given with --lock, which
 * changes the advice on failure).
 * @param {string} lockPath @param {boolean} fromOption @returns {Record<string, LockPackage>}
 */
export function readLock(lockPath, fromOption) {
  /** @type {{ packages?: Record<string, LockPackage> }} */
  let lock;
  try {
    lock = JSON.parse(readFileSync(lockPath, 'utf8'));
  } catch (error) {
    throw new MirrorError(
      `cannot read the lock file ${shown(lockPath)}: ${reason(error)}; ${fromOption ? 'check the path given to --lock' : 'run npm ci to reinstall pyodide'}`,
    );
  }
  if (!lock || typeof lock.packages !== 'object' || lock.packages === null) {
    throw new MirrorError(`${shown(lockPath)} is not a Pyodide lock file (no "packages" object); pass --lock with a pyodide-lock.json`);
  }
  return lock.packages;
}
