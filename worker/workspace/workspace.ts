// The worker's workspace: fills Pyodide's file system from the store at boot (and again after a
// snapshot restore, a restart or a takeover), saves what Python changed after each cell, and
// serves the page's file operations (WorkspaceApi) on the same tree, so both see the same bytes.
import { zipSync } from 'fflate';
import { fetchCompanion } from './companion';
import type { WorkerEvent, WorkspaceApi, WorkspaceUsage } from '../../src/protocol';
import { exists, fsPath, isLazy, LAZY_MIN_BYTES, removeTree, trackChanges, writeLazyFile, type EmscriptenFS } from './mount';
import { isWithin, normalizePath, parentOf, type WorkspaceStore } from './store';
import { children as treeChildren, entryOf, existingPath, filesUnder as treeFilesUnder, folderSize as treeFolderSize } from './tree';
import { errorMessage } from '../../src/shared/errors';

export interface MountOptions {
  writable: boolean;
  /** Workspace path of Python's working directory. */
  cwd: string;
  /** Called after the page changed files Python may import (importlib's directory caches). */
  invalidateImportCaches: () => void;
}

export interface Workspace {
  /** Fill `fs` from the store and make it Python's working tree. Resolves `ready`. */
  mount(fs: EmscriptenFS, options: MountOptions): Promise<void>;
  /** Resolves once mounted; rejects with the reason if the mount failed. */
  readonly ready: Promise<void>;
  /** Save what Python changed since the last save; reports the paths (or the error) as a `files` event. */
  flush(): Promise<void>;
  /** Resolves when companion fetches sent so far are done (never rejects). */
  fetched(): Promise<void>;
  /** True when Python has changed files that are not saved yet. */
  readonly dirty: boolean;
  readonly api: WorkspaceApi;
}

/** `storeSource`: where files persist, resolved when the mount starts (opening OPFS is async). */
export function createWorkspace(storeSource: Promise<WorkspaceStore>, emit: (event: WorkerEvent) => void): Workspace {
  let store!: WorkspaceStore;
  let fs: EmscriptenFS | undefined;
  let options: MountOptions | undefined;
  let writable = true;
  let pausedDepth = 0;
  const changed = new Set<string>();
  let fetching: Promise<unknown> = Promise.resolve();
  let markReady!: () => void;
  let failReady!: (error: Error) => void;
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    failReady = reject;
  });
  ready.catch(() => undefined);
  // Store operations run one after another: a save after a cell never overlaps a page upload.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(run: () => Promise<T>): Promise<T> => {
    const next = queue.then(run, run);
    queue = next.catch(() => undefined);
    return next;
  };
  /** FS changes the workspace makes itself are not Python's, so they are not recorded. */
  const quietly = <T>(run: () => T): T => {
    pausedDepth++;
    try {
      return run();
    } finally {
      pausedDepth--;
    }
  };

  async function mounted(): Promise<EmscriptenFS> {
    await ready;
    return fs!;
  }

  function requireWritable(path: string): void {
    if (!writable) throw new Error(`"${path}" was not changed: another tab owns the workspace (this tab is read-only; take over to edit)`);
  }

  /** Place a stored file into the FS: big ones lazily, small ones copied. */
  async function place(path: string, blob: Blob, modified: number): Promise<void> {
    const target = fsPath(path);
    const bytes = blob.size >= LAZY_MIN_BYTES ? undefined : new Uint8Array(await blob.arrayBuffer());
    quietly(() => {
      fs!.mkdirTree(fsPath(parentOf(path)));
      if (exists(fs!, target)) removeTree(fs!, target);
      if (bytes || !writeLazyFile(fs!, target, blob, modified)) {
        fs!.writeFile(target, bytes ?? new Uint8Array(0), { canOwn: true });
      }
    });
    if (!bytes && !isLazy(fs!, target)) {
      const all = new Uint8Array(await blob.arrayBuffer());
      quietly(() => fs!.writeFile(target, all, { canOwn: true }));
    }
  }

  /** Place the stored file; one replaced while it was read (the page saved a notebook: NotReadableError) is read again. */
  async function placeStored(path: string, modified: number): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await place(path, await store.read(path), modified);
      } catch (error) {
        if (attempt >= 3 || !(error instanceof DOMException && error.name === 'NotReadableError')) throw error;
      }
    }
  }

  async function fill(): Promise<void> {
    if (writable) await store.sweep?.().catch(() => undefined);
    const entries = await store.list();
    quietly(() => {
      fs!.mkdirTree(fsPath(''));
      emptyFolder('');
      for (const entry of entries) if (entry.kind === 'directory') fs!.mkdirTree(fsPath(entry.path));
    });
    const files = entries.filter((entry) => entry.kind === 'file');
    // A few reads at a time: enough to overlap storage latency, not so many that memory spikes.
    for (let i = 0; i < files.length; i += 8) {
      await Promise.all(files.slice(i, i + 8).map((entry) => placeStored(entry.path, entry.modified)));
    }
    changed.clear();
  }

  /** Remove what is in a folder, keeping the folders on the way to Python's cwd (removing it is EBUSY). */
  function emptyFolder(path: string): void {
    const cwd = fs!.cwd();
    for (const child of children(path)) {
      const target = fsPath(child);
      if (cwd === target || cwd.startsWith(`${target}/`)) emptyFolder(child);
      else removeTree(fs!, target);
    }
  }

  function chdir(path: string): void {
    quietly(() => fs!.mkdirTree(fsPath(path)));
    fs!.chdir(fsPath(path));
    options?.invalidateImportCaches();
  }

  const entry = (path: string) => entryOf(fs!, path);
  const children = (path: string) => treeChildren(fs!, path);
  const folderSize = (path: string) => treeFolderSize(fs!, path);
  const filesUnder = (path: string) => treeFilesUnder(fs!, path);
  const existing = (path: string) => existingPath(fs!, path);

  function blobOf(path: string): Blob {
    return new Blob([fs!.readFile(fsPath(path)).slice()]);
  }

  async function flush(): Promise<void> {
    if (!fs || changed.size === 0 || !writable) return;
    const paths = [...changed].sort((a, b) => a.split('/').length - b.split('/').length);
    changed.clear();
    const saved: string[] = [];
    try {
      await serial(async () => {
        for (const path of paths) {
          const target = fsPath(path);
          if (!exists(fs!, target)) {
            await store.remove(path);
          } else if (fs!.isDir(fs!.stat(target).mode)) {
            await store.mkdir(path);
            // A folder Python moved here: its files are new to the store.
            for (const file of filesUnder(path)) await store.write(file, fs!.readFile(fsPath(file)));
          } else {
            await store.write(path, fs!.readFile(target));
          }
          saved.push(path);
        }
      });
      emit({ type: 'files', paths: saved });
    } catch (error) {
      // Kept for the next save: the bytes are still in Python's file system.
      for (const path of paths) if (!saved.includes(path)) changed.add(path);
      emit({ type: 'files', paths: saved, error: errorMessage(error) });
    }
  }

  /** Put fetched bytes at `path`: stored when writable, else only in this worker's tree. */
  async function putFetched(path: string, bytes: Uint8Array): Promise<void> {
    if (writable) await serial(() => store.write(path, bytes));
    quietly(() => {
      fs!.mkdirTree(fsPath(parentOf(path)));
      fs!.writeFile(fsPath(path), bytes);
    });
    changed.delete(path);
  }

  const api: WorkspaceApi = {
    fetchFiles(list) {
      const run = (async () => {
        await mounted();
        const failures: string[] = [];
        const written: string[] = [];
        for (const file of list) {
          try {
            const path = normalizePath(file.path);
            await putFetched(path, await fetchCompanion(file));
            written.push(path);
          } catch (error) {
            failures.push(errorMessage(error));
          }
        }
        if (written.some((path) => path.endsWith('.py'))) options?.invalidateImportCaches();
        if (written.length) emit({ type: 'files', paths: written });
        return failures;
      })();
      fetching = Promise.all([fetching, run.catch(() => undefined)]);
      return run;
    },
    async listFiles(path) {
      await mounted();
      const folder = existing(path);
      if (!fs!.isDir(fs!.stat(fsPath(folder)).mode)) throw new Error(`"${folder}" is a file, not a folder`);
      return children(folder)
        .map(entry)
        .sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'directory' ? -1 : 1));
    },
    async statPath(path) {
      await mounted();
      const normal = normalizePath(path);
      return exists(fs!, fsPath(normal)) ? entry(normal) : null;
    },
    async readFile(path) {
      await mounted();
      const file = existing(path);
      if (fs!.isDir(fs!.stat(fsPath(file)).mode)) throw new Error(`"${file}" is a folder; download it as a zip`);
      // A file Python has not touched is the stored Blob itself: nothing is copied.
      return isLazy(fs!, fsPath(file)) ? store.read(file) : blobOf(file);
    },
    async writeFile(path, data) {
      await mounted();
      const file = normalizePath(path);
      if (file === '') throw new Error('a file needs a name');
      requireWritable(file);
      if (exists(fs!, fsPath(file)) && fs!.isDir(fs!.stat(fsPath(file)).mode)) throw new Error(`"${file}" is a folder`);
      await serial(async () => {
        await store.write(file, data);
        // Python sees the file only once it is stored whole.
        await place(file, data.size >= LAZY_MIN_BYTES ? await store.read(file) : data, Date.now());
      });
      changed.delete(file);
      if (file.endsWith('.py')) options?.invalidateImportCaches();
      return entry(file);
    },
    async makeDirectory(path) {
      await mounted();
      const folder = normalizePath(path);
      requireWritable(folder);
      await serial(() => store.mkdir(folder));
      quietly(() => fs!.mkdirTree(fsPath(folder)));
      return entry(folder);
    },
    async movePath(from, to) {
      await mounted();
      const source = existing(from);
      const target = normalizePath(to);
      requireWritable(source);
      if (source === '' || target === '') throw new Error('the workspace root cannot be moved');
      if (exists(fs!, fsPath(target))) throw new Error(`"${target}" already exists; choose another name`);
      if (isWithin(target, source)) throw new Error(`"${source}" cannot be moved into itself`);
      await flush(); // the store must hold what is moved
      await serial(() => store.move(source, target));
      const lazy = filesUnder(source).filter((file) => isLazy(fs!, fsPath(file)));
      quietly(() => {
        fs!.mkdirTree(fsPath(parentOf(target)));
        fs!.rename(fsPath(source), fsPath(target));
      });
      // A lazy file reads the Blob of its old place; point it at the moved one.
      for (const file of lazy) {
        const moved = target + file.slice(source.length);
        await place(moved, await store.read(moved), Date.now());
      }
      options?.invalidateImportCaches();
      return entry(target);
    },
    async deletePath(path) {
      await mounted();
      const target = existing(path);
      if (target === '') throw new Error('the workspace root cannot be deleted; use "Reset all browser data"');
      requireWritable(target);
      await serial(() => store.remove(target));
      quietly(() => removeTree(fs!, fsPath(target)));
      for (const path of [...changed]) if (isWithin(path, target)) changed.delete(path);
    },
    async zipPath(path) {
      await mounted();
      const root = existing(path);
      const base = fs!.isDir(fs!.stat(fsPath(root)).mode) ? root : parentOf(root);
      const files: Record<string, Uint8Array> = {};
      for (const file of filesUnder(root)) files[base ? file.slice(base.length + 1) : file] = fs!.readFile(fsPath(file));
      // Level 1: most of the gain at a fraction of the time; data files are often compressed already.
      return new Blob([zipSync(files, { level: 1 }).slice()], { type: 'application/zip' });
    },
    async workspaceUsage(): Promise<WorkspaceUsage> {
      await mounted();
      const { usage, quota } = await store.estimate();
      return { files: folderSize(''), usage, quota, store: store.kind, writable };
    },
    async setWorkingDirectory(path) {
      await mounted();
      const folder = normalizePath(path);
      if (writable) await serial(() => store.mkdir(folder));
      chdir(folder);
      if (options) options.cwd = folder;
    },
    async setWorkspaceWritable(next) {
      await mounted();
      if (next === writable) return;
      if (!next) {
        await flush();
        writable = false;
        return;
      }
      writable = true;
      // Another tab may have changed everything meanwhile: read it again.
      await serial(fill);
      chdir(options?.cwd ?? '');
    },
    async reloadPaths(paths) {
      await mounted();
      await serial(() => (paths ? reload(paths) : fill()));
      if (!paths) chdir(options?.cwd ?? '');
      else if (paths.some((path) => path.endsWith('.py'))) options?.invalidateImportCaches();
    },
    async clearWorkspace() {
      await mounted();
      requireWritable('');
      await serial(() => store.clear());
      quietly(() => emptyFolder(''));
      changed.clear();
      chdir(options?.cwd ?? '');
    },
  };

  /** Put what the store holds at each path into Python's tree (removed when the store has nothing there). */
  async function reload(paths: string[]): Promise<void> {
    for (const path of paths.map(normalizePath)) {
      const stored = await store.read(path).then(
        () => true,
        () => false,
      );
      if (stored) await placeStored(path, Date.now());
      else if (exists(fs!, fsPath(path)) && !fs!.isDir(fs!.stat(fsPath(path)).mode)) quietly(() => removeTree(fs!, fsPath(path)));
      changed.delete(path);
    }
  }

  return {
    ready,
    api,
    flush,
    fetched: async () => void (await fetching),
    get dirty() {
      return changed.size > 0;
    },
    async mount(target, mountOptions) {
      try {
        store = await storeSource;
        fs = target;
        options = { ...mountOptions };
        writable = mountOptions.writable;
        trackChanges(
          target,
          (path) => changed.add(path),
          () => pausedDepth > 0,
        );
        await fill();
        chdir(options.cwd);
        markReady();
      } catch (error) {
        const reason = new Error(`the workspace could not be mounted: ${errorMessage(error)}`);
        failReady(reason);
        throw reason;
      }
    },
  };
}
