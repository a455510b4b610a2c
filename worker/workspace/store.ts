// Where workspace files persist: the store interface, workspace path rules, the storage-full
// message, and the in-memory store (Node tests; browsers without the Origin Private File System).

/** One stored file or folder; `path` is a workspace path ('a/b.csv'), never ''. */
export interface StoredEntry {
  path: string;
  kind: 'file' | 'directory';
  /** Bytes (0 for folders). */
  size: number;
  /** Milliseconds since the epoch. */
  modified: number;
}

/**
 * A persistent tree of files. Paths are workspace paths (see normalizePath). Every write is all
 * or nothing: a failed write (storage full, an error mid-stream) leaves the old file as it was.
 */
export interface WorkspaceStore {
  readonly kind: 'opfs' | 'memory' | 'folder';
  /** Every entry, parents before their children. */
  list(): Promise<StoredEntry[]>;
  /** The bytes of a file; rejects when there is no such file. */
  read(path: string): Promise<Blob>;
  /** Create or replace a file (parents created). */
  write(path: string, data: Blob | Uint8Array): Promise<void>;
  mkdir(path: string): Promise<void>;
  /** Remove a file or a folder with its contents; a missing path is not an error. */
  remove(path: string): Promise<void>;
  /** Rename or move; `to` must not exist. */
  move(from: string, to: string): Promise<void>;
  /** Bytes used and allowed for this origin, when the platform says. */
  estimate(): Promise<{ usage: number | null; quota: number | null }>;
  /** Remove everything. */
  clear(): Promise<void>;
  /** Remove what interrupted writes left behind; only the tab that owns the workspace calls it. */
  sweep?(): Promise<void>;
}

/** A write refused for lack of space; the message names the file and the space. */
export class StorageFullError extends Error {
  override name = 'StorageFullError';
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** The storage-full message: which file, how big, how much room is left. */
export function storageFullMessage(path: string, size: number, free: number | null): string {
  // The browser's estimate can disagree with the quota it enforces: then say only that it refused.
  const room =
    free === null || free >= size
      ? 'the browser refused more space for this site'
      : `only ${formatBytes(Math.max(0, free))} is free for this site`;
  return (
    `Storage is full: "${path}" (${formatBytes(size)}) was not saved because ${room}. ` +
    'Nothing was changed. Delete files from the workspace (or other site data) and try again.'
  );
}

/**
 * The canonical workspace path of `path` ('a//b/' → 'a/b'); rejects '..', '.', and names that
 * are not portable file names.
 */
export function normalizePath(path: string): string {
  const parts = path.split('/').filter((part) => part !== '');
  for (const part of parts) {
    if (part === '.' || part === '..') throw new Error(`"${path}": '.' and '..' are not allowed in workspace paths`);
    if (/[\0\\]/.test(part)) throw new Error(`"${path}": a file name cannot hold '\\' or a NUL character`);
  }
  return parts.join('/');
}

export function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

export function nameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** True when `path` is `folder` or inside it. */
export function isWithin(path: string, folder: string): boolean {
  return folder === '' || path === folder || path.startsWith(`${folder}/`);
}

async function toBytes(data: Blob | Uint8Array): Promise<Uint8Array> {
  return data instanceof Uint8Array ? data : new Uint8Array(await data.arrayBuffer());
}

/**
 * Files in this worker's memory. `quotaBytes` limits the total size (a test hook for storage-full
 * paths under Node); default unlimited.
 */
export function memoryStore(options: { quotaBytes?: number } = {}): WorkspaceStore {
  const files = new Map<string, { bytes: Uint8Array; modified: number }>();
  const folders = new Map<string, number>();
  const used = () => [...files.values()].reduce((sum, file) => sum + file.bytes.byteLength, 0);
  const ensureParents = (path: string) => {
    for (let parent = parentOf(path); parent !== ''; parent = parentOf(parent)) {
      if (files.has(parent)) throw new Error(`"${parent}" is a file, not a folder`);
      if (!folders.has(parent)) folders.set(parent, Date.now());
    }
  };
  const under = (path: string) => [...files.keys(), ...folders.keys()].filter((p) => isWithin(p, path));
  return {
    kind: 'memory',
    async list() {
      const entries: StoredEntry[] = [
        ...[...folders].map(([path, modified]): StoredEntry => ({ path, kind: 'directory', size: 0, modified })),
        ...[...files].map(([path, f]): StoredEntry => ({ path, kind: 'file', size: f.bytes.byteLength, modified: f.modified })),
      ];
      return entries.sort((a, b) => a.path.split('/').length - b.path.split('/').length || a.path.localeCompare(b.path));
    },
    async read(path) {
      const file = files.get(path);
      if (!file) throw new Error(`"${path}" does not exist in the workspace`);
      return new Blob([file.bytes.slice()]);
    },
    async write(path, data) {
      const bytes = await toBytes(data);
      if (folders.has(path)) throw new Error(`"${path}" is a folder`);
      const quota = options.quotaBytes;
      if (quota !== undefined) {
        const free = quota - (used() - (files.get(path)?.bytes.byteLength ?? 0));
        if (bytes.byteLength > free) throw new StorageFullError(storageFullMessage(path, bytes.byteLength, free));
      }
      ensureParents(path);
      files.set(path, { bytes: bytes.slice(), modified: Date.now() });
    },
    async mkdir(path) {
      if (files.has(path)) throw new Error(`"${path}" is a file, not a folder`);
      ensureParents(path);
      if (!folders.has(path)) folders.set(path, Date.now());
    },
    async remove(path) {
      for (const p of under(path)) {
        files.delete(p);
        folders.delete(p);
      }
    },
    async move(from, to) {
      if (files.has(to) || folders.has(to)) throw new Error(`"${to}" already exists`);
      ensureParents(to);
      for (const p of under(from)) {
        const target = to + p.slice(from.length);
        const file = files.get(p);
        if (file) {
          files.delete(p);
          files.set(target, file);
        } else {
          folders.set(target, folders.get(p) ?? Date.now());
          folders.delete(p);
        }
      }
    },
    async estimate() {
      return { usage: used(), quota: options.quotaBytes ?? null };
    },
    async clear() {
      files.clear();
      folders.clear();
    },
  };
}
