// Warm-start policy: when a memory snapshot is restored, checked, taken and stored, and what the
// boot reports about it. The bytes live in a SnapshotStore (worker/snapshot-store.ts in browsers).
import type { PyodideAPI } from 'pyodide';
import type { BootInfo, SnapshotState } from '../src/protocol';
import { errorMessage } from '../src/shared/errors';

/** Keeps one memory snapshot per key (Pyodide version + pyloom wheel + core location). */
export interface SnapshotStore {
  load(key: string): Promise<Uint8Array | undefined>;
  save(key: string, bytes: Uint8Array): Promise<void>;
  discard(key: string): Promise<void>;
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
  #bytes: Uint8Array | undefined;

  private constructor(
    private readonly store: SnapshotStore | undefined,
    private readonly key: string,
  ) {
    this.state = store ? 'failed' : 'off';
  }

  /** `store` undefined (or `enabled` false) means every boot is cold and nothing is stored. */
  static async open(store: SnapshotStore | undefined, enabled: boolean, pyodideVersion: string, wheel: Uint8Array, indexURL: string): Promise<WarmStart> {
    if (!store || !enabled) return new WarmStart(undefined, '');
    return new WarmStart(store, `pyodide ${pyodideVersion}; pyloom ${await sha256Hex(wheel)}; core ${indexURL}; v1`);
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

  /** A snapshot that failed to restore is dropped so the next boot does not try it again. */
  async discard(reason: string): Promise<void> {
    this.fallback = reason;
    await this.store?.discard(this.key).catch(() => undefined);
  }

  /** Take the snapshot now (before anything hands Python a JavaScript object, which it cannot hold). */
  take(py: PyodideAPI): void {
    if (!this.store) return;
    for (const name of PRIMED_MODULES) py.pyimport(name).destroy();
    try {
      this.#bytes = py.makeMemorySnapshot();
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
