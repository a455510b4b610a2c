// Warm-start policy: when a memory snapshot is restored, checked, taken and stored, and what the
// boot reports about it. The bytes live in a SnapshotStore (worker/snapshot-store.ts in browsers).
import type { PyodideAPI } from 'pyodide';
import type { BootInfo, SnapshotState } from '../src/protocol';
import { errorMessage } from '../src/shared/errors';
import { packSnapshot, recordDynlibs, unpackSnapshot, type DynlibState } from './snapshot-dynlibs';
import { packageSetKey, snapshotPackages, type LockPackage } from './snapshot-packages';

/** Keeps one memory snapshot per key (Pyodide version + pyloom wheel + core location + package set). */
export interface SnapshotStore {
  load(key: string): Promise<Uint8Array | undefined>;
  save(key: string, bytes: Uint8Array): Promise<void>;
  discard(key: string): Promise<void>;
  /**
   * The packages the last session of this runtime (`runtimeKey`: the key without packages) loaded,
   * so the next boot can snapshot them. Stores without these keep pure-Python snapshots only.
   */
  wantedPackages?(runtimeKey: string): Promise<string[]>;
  setWantedPackages?(runtimeKey: string, names: string[]): Promise<void>;
}

/** pyloom modules imported before the snapshot, so a warm start finds them in memory. */
export const PRIMED_MODULES = ['pyloom'];

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes.slice());
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * One boot's dealings with the snapshot store. `state` is what BootInfo reports: 'off' without a
 * store, 'restored' after a warm start, 'saving' once a cold boot made one (then 'taken' or
 * 'failed' when `save()` has settled), 'failed' when none could be made.
 */
export class WarmStart {
  state: BootInfo['snapshot'];
  /** Why a stored snapshot was not used, or why none was made or stored. */
  fallback: string | undefined;
  /** Packages this boot's snapshot holds (restored) or will hold (taken), dependencies first. */
  packages: LockPackage[];
  /** Loaded packages left out of the snapshot, each with the reason. */
  readonly skipped: string[];
  #bytes: Uint8Array | undefined;
  #wanted: string;

  private constructor(
    private readonly store: SnapshotStore | undefined,
    private readonly runtimeKey: string,
    selection: { packages: LockPackage[]; skipped: string[] } = { packages: [], skipped: [] },
  ) {
    this.state = store ? 'failed' : 'off';
    this.packages = selection.packages;
    this.skipped = selection.skipped;
    this.#wanted = this.packages.map((p) => p.name).join(',');
  }

  /** The store key: the runtime's, plus the package set when there is one (a v2 snapshot with a dynlib record). */
  get key(): string {
    return this.packages.length === 0 ? this.runtimeKey : `${this.runtimeKey}; packages ${packageSetKey(this.packages)}; v2`;
  }

  /**
   * `store` undefined (or `enabled` false) means every boot is cold and nothing is stored.
   * `lockJson` is the lock Pyodide boots with: the packages a session wanted are looked up in it.
   */
  static async open(
    store: SnapshotStore | undefined,
    enabled: boolean,
    runtime: { pyodideVersion: string; wheel: Uint8Array; indexURL: string; lockJson: string },
  ): Promise<WarmStart> {
    if (!store || !enabled) return new WarmStart(undefined, '');
    const runtimeKey = `pyodide ${runtime.pyodideVersion}; pyloom ${await sha256Hex(runtime.wheel)}; core ${runtime.indexURL}; v1`;
    const wanted = (await store.wantedPackages?.(runtimeKey).catch(() => [])) ?? [];
    if (wanted.length === 0) return new WarmStart(store, runtimeKey);
    try {
      return new WarmStart(store, runtimeKey, snapshotPackages(runtime.lockJson, wanted));
    } catch (error) {
      const warm = new WarmStart(store, runtimeKey);
      warm.fallback = `the snapshot holds no packages: ${errorMessage(error)}`;
      return warm;
    }
  }

  /**
   * Remember the packages this session has loaded, for the next boot's snapshot. Only a change
   * is written; a failed write keeps the old list (the next boot then snapshots that one).
   */
  async recordLoaded(lockJson: string, loaded: string[]): Promise<void> {
    if (!this.store?.setWantedPackages) return;
    const names = snapshotPackages(lockJson, loaded).packages.map((p) => p.name);
    const wanted = names.join(',');
    if (wanted === this.#wanted) return;
    this.#wanted = wanted;
    await this.store.setWantedPackages(this.runtimeKey, names).catch(() => undefined);
  }

  /** Pyodide's snapshot and, for a package snapshot, its shared-library record (throws on a malformed one). */
  split(stored: Uint8Array): { memory: Uint8Array; dynlibs: DynlibState | undefined } {
    if (this.packages.length === 0) return { memory: stored, dynlibs: undefined };
    const { memory, state } = unpackSnapshot(stored);
    return { memory, dynlibs: state };
  }

  get enabled(): boolean {
    return this.store !== undefined;
  }

  /** The stored snapshot for this key, if one can be read (a read error is a fallback, not a failure). */
  async stored(): Promise<Uint8Array | undefined> {
    if (!this.store) return undefined;
    try {
      return await this.store.load(this.key);
    } catch (error) {
      this.fallback = `the stored snapshot could not be read: ${errorMessage(error)}`;
      return undefined;
    }
  }

  /**
   * A snapshot that failed to restore is dropped so the next boot does not try it again. A package
   * snapshot also drops its packages for this boot: the cold boot then takes a pure-Python one,
   * and only a later session's loads ask for packages again.
   */
  async discard(reason: string): Promise<void> {
    this.fallback = reason;
    await this.store?.discard(this.key).catch(() => undefined);
    if (this.packages.length > 0) this.dropPackages();
  }

  /** Go on without packages (their snapshot failed, or installing them at boot did). */
  dropPackages(): void {
    this.packages = [];
    this.#wanted = '';
    void this.store?.setWantedPackages?.(this.runtimeKey, []).catch(() => undefined);
  }

  /**
   * Take the snapshot now (before anything hands Python a JavaScript object, which it cannot hold).
   * `baseTableLength`: the function table's length right after loadPyodide (see snapshot-dynlibs).
   */
  take(py: PyodideAPI, baseTableLength: number): void {
    if (!this.store) return;
    for (const name of PRIMED_MODULES) py.pyimport(name).destroy();
    try {
      if (this.packages.length === 0) this.#bytes = py.makeMemorySnapshot();
      else {
        const dynlibs = recordDynlibs(py, baseTableLength);
        // Python's cyclic GC stays off in the snapshot until the fix-up is done (setGC after a
        // restore): Pyodide runs Python while restoring, before the libraries' table slots exist,
        // and a collection then would call a package's tp_traverse through a missing slot.
        setGC(py, false);
        try {
          this.#bytes = packSnapshot(py.makeMemorySnapshot(), dynlibs);
        } finally {
          setGC(py, true);
        }
      }
      this.state = 'saving';
    } catch (error) {
      this.fallback = `no snapshot was made: ${errorMessage(error)}`;
    }
  }

  /**
   * Store the snapshot taken by `take()`. Resolves with the final state ('taken' once the store
   * accepted it, 'failed' with the reason when it did not); undefined when nothing was taken.
   */
  async save(): Promise<SnapshotState | undefined> {
    if (!this.store || !this.#bytes || this.state !== 'saving') return undefined;
    const bytes = this.#bytes;
    this.#bytes = undefined;
    try {
      await this.store.save(this.key, bytes);
      this.state = 'taken';
      return { snapshot: 'taken' };
    } catch (error) {
      this.state = 'failed';
      this.fallback = `the snapshot could not be stored: ${errorMessage(error)}`;
      return { snapshot: 'failed', reason: this.fallback };
    }
  }
}

/** Turn Python's cyclic garbage collector on or off. */
export function setGC(py: PyodideAPI, enabled: boolean): void {
  const gc = py.pyimport('gc');
  try {
    if (enabled) gc.enable();
    else gc.disable();
  } finally {
    gc.destroy();
  }
}

/** A restored snapshot must reach the state of a cold boot: pyloom imported from this wheel, the same sys.path. */
export function checkRestored(py: PyodideAPI, wheelPath: string): void {
  const sys = py.pyimport('sys');
  try {
    const path = sys.path.toJs() as string[];
    if (!path.includes(wheelPath)) throw new Error(`the snapshot's sys.path does not hold ${wheelPath}`);
    // Pyodide's start-up puts the working directory ('') in front again on restore; a cold boot
    // has it once, after pyloom's wheel.
    // (__delitem__: a list proxy's pop() is JavaScript's, which drops the last entry.)
    if (path[0] === '' && path.indexOf('', 1) > 0) sys.path.__delitem__(0);
    if (!sys.modules.__contains__('pyloom')) throw new Error('the snapshot does not hold pyloom');
  } finally {
    sys.destroy();
  }
}
