// Packages in the warm-start snapshot: which of a session's loaded packages can go in, putting their
// files in place (a snapshot holds memory, not files), and the self-check a restored snapshot must
// pass before anyone uses it.
import type { PyodideAPI } from 'pyodide';

/** A package's entry in pyodide-lock.json, the fields used here. */
export interface LockPackage {
  name: string;
  version: string;
  file_name: string;
  sha256: string;
  depends: string[];
  imports: string[];
  install_dir: string;
  package_type: string;
}

/**
 * Known answers per compiled package: Python source whose last expression is a string, and the
 * string it must equal. Each one creates, computes and calls into the compiled parts (numpy:
 * arrays, a ufunc, linalg, random, fft, einsum). A compiled package without one is left out of
 * the snapshot: it would be restored unverified.
 */
export const SELF_CHECKS: Record<string, { code: string; expected: string }> = {
  numpy: {
    code: [
      'import numpy as np, numpy.linalg, numpy.fft',
      'a = np.arange(12).reshape(3, 4)',
      'str([int(np.arange(10).sum()), a.sum(axis=0).tolist(), float(np.sin(np.pi / 2)),',
      '     round(float(np.linalg.det(np.array([[2.0, 1.0], [1.0, 3.0]]))), 9),',
      '     np.linalg.inv(np.array([[4.0, 7.0], [2.0, 6.0]])).round(3).tolist(),',
      '     np.random.default_rng(42).integers(0, 1000, 3).tolist(),',
      '     np.fft.fft(np.array([1.0, 0.0, 0.0, 0.0])).real.tolist(), float(np.einsum("ij,ij", a, a))])',
    ].join('\n'),
    expected: '[45, [12, 15, 18, 21], 1.0, 5.0, [[0.6, -0.7], [-0.2, 0.4]], [89, 773, 654], [1.0, 1.0, 1.0, 1.0], 506.0]',
  },
};

function lockPackages(lockJson: string): Record<string, LockPackage> {
  const lock: unknown = JSON.parse(lockJson);
  if (typeof lock !== 'object' || lock === null || !('packages' in lock) || typeof lock.packages !== 'object' || lock.packages === null) {
    throw new Error('the Pyodide lock file has no packages table');
  }
  return lock.packages as Record<string, LockPackage>;
}

const isPurePython = (entry: LockPackage) => entry.file_name.endsWith('-none-any.whl');

/**
 * The snapshot's package set for a session that loaded `loaded`: each package with its lock
 * dependencies, in install order (dependencies first), keeping only pure-Python packages and
 * compiled ones with a self-check, and empty unless a compiled one is among them. `skipped` says
 * why each other package stayed out.
 */
export function snapshotPackages(lockJson: string, loaded: readonly string[]): { packages: LockPackage[]; skipped: string[] } {
  const table = lockPackages(lockJson);
  const order: LockPackage[] = [];
  const skipped: string[] = [];
  const visit = (name: string, seen: Set<string>): boolean => {
    const entry = table[name];
    if (!entry) return (skipped.push(`${name}: not in the Pyodide lock file`), false);
    if (order.includes(entry)) return true;
    if (seen.has(name)) return true; // a cycle: its members are added by the outer visit
    seen.add(name);
    if (!entry.depends.every((dep) => visit(dep, seen))) return (skipped.push(`${name}: a dependency stays out`), false);
    if (entry.package_type !== 'package' || (!isPurePython(entry) && !SELF_CHECKS[name])) {
      return (skipped.push(`${name}: compiled, with no self-check to verify it after a restore`), false);
    }
    order.push(entry);
    return true;
  };
  for (const name of [...loaded].sort()) visit(name, new Set());
  // Pure-Python packages load quickly on demand; only a compiled one is worth a package snapshot
  // (and the cold boot that takes it).
  if (order.every(isPurePython))
    return { packages: [], skipped: [...skipped, ...order.map((p) => `${p.name}: pure Python, loaded on demand`)] };
  return { packages: order, skipped };
}

/** The part of the snapshot key that names the package set: name, version and wheel hash of each. */
export function packageSetKey(packages: readonly LockPackage[]): string {
  return packages.map((p) => `${p.name}==${p.version}#${p.sha256.slice(0, 16)}`).join(',');
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes.slice());
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

function installDir(py: PyodideAPI, entry: LockPackage): string {
  const sysconfig = py.pyimport('sysconfig');
  try {
    // The lock's install_dir is 'site' (site-packages) or 'dynlib' (/usr/lib) for packages.
    return entry.install_dir === 'dynlib' ? '/usr/lib' : String(sysconfig.get_path('purelib'));
  } finally {
    sysconfig.destroy();
  }
}

/**
 * Put each package's files in place from its wheel (fetched from `packageBaseUrl`, sha256-checked
 * against the lock). Loads no shared library (that is the import's job on a cold boot, the fix-up's on a restore).
 * Rejects naming the package whose wheel could not be fetched or did not match.
 */
export async function unpackPackages(
  py: PyodideAPI,
  packages: readonly LockPackage[],
  packageBaseUrl: string,
  fetchBytes: (url: string) => Promise<Uint8Array>,
): Promise<void> {
  const wheels = await Promise.all(
    packages.map(async (entry) => {
      const bytes = await fetchBytes(new URL(entry.file_name, packageBaseUrl).href).catch((error: unknown) => {
        throw new Error(`could not fetch ${entry.file_name} for the snapshot's packages: ${String(error)}`);
      });
      if ((await sha256Hex(bytes)) !== entry.sha256)
        throw new Error(`${entry.file_name} does not match the sha256 in the Pyodide lock file`);
      return bytes;
    }),
  );
  packages.forEach((entry, i) => py.unpackArchive(wheels[i]!, 'wheel', { extractDir: installDir(py, entry) }));
}

/**
 * Mark the packages loaded so a later `loadPackage` does not load them a second time. Only after
 * the snapshot is taken: Pyodide's snapshot requires its loadedPackages object to be empty.
 */
export function markLoaded(py: PyodideAPI, packages: readonly LockPackage[]): void {
  for (const entry of packages) py.loadedPackages[entry.name] = 'default channel';
}

/** Import each package's top-level modules (as a cold boot's snapshot must hold them), leaving no user names. */
export function importPackages(py: PyodideAPI, packages: readonly LockPackage[]): void {
  for (const entry of packages) for (const module of entry.imports) py.pyimport(module).destroy();
}

/** Run each package's self-check in a private namespace; throws with what differed. */
export function selfCheck(py: PyodideAPI, packages: readonly LockPackage[]): void {
  for (const entry of packages) {
    const check = SELF_CHECKS[entry.name];
    const namespace = py.runPython('dict()');
    try {
      const code =
        check?.code ??
        entry.imports
          .map((m) => `import ${m}`)
          .concat('"ok"')
          .join('\n');
      const got = String(py.runPython(code, { globals: namespace }));
      const expected = check?.expected ?? 'ok';
      if (got !== expected) throw new Error(`the self-check of ${entry.name} gave ${got}, expected ${expected}`);
    } catch (error) {
      throw new Error(`the restored ${entry.name} failed its self-check: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      namespace.destroy();
    }
  }
}

/**
 * Calls `onLoad` with the names in `py.loadedPackages` after each `loadPackage` that settled
 * (pyloom's import hook and `micropip` reach Pyodide through it). Returns the undo.
 */
export function watchLoadedPackages(py: PyodideAPI, onLoad: (names: string[]) => void): () => void {
  const original = py.loadPackage;
  const watched: typeof original = async (...args) => {
    try {
      return await original(...args);
    } finally {
      onLoad(Object.keys(py.loadedPackages));
    }
  };
  py.loadPackage = watched;
  return () => {
    if (py.loadPackage === watched) py.loadPackage = original;
  };
}
