// The workspace kept in the Origin Private File System, written from the worker through
// synchronous access handles: a write goes to a temporary file and is moved into place only when
// complete, so a failed or refused write (storage full) never leaves a half-written file.
import { nameOf, parentOf, StorageFullError, storageFullMessage, type StoredEntry, type WorkspaceStore } from './store';
import { walkDirectory } from './directory-walk';

const TREE = 'workspace';
const TEMP = 'workspace-tmp';
/** Bytes handed to one write() call when copying a Blob's stream. */
const CHUNK = 4 << 20;

function isQuotaError(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'QuotaExceededError';
}

function isNotFound(error: unknown): boolean {
  return error instanceof DOMException && (error.name === 'NotFoundError' || error.name === 'TypeMismatchError');
}

/** The OPFS store, or undefined where the browser has no OPFS or no synchronous handles. */
export async function opfsStore(storage: StorageManager | undefined = globalThis.navigator?.storage): Promise<WorkspaceStore | undefined> {
  if (!storage || typeof storage.getDirectory !== 'function') return undefined;
  let root: FileSystemDirectoryHandle;
  try {
    root = await storage.getDirectory();
  } catch {
    return undefined; // e.g. a private window that refuses OPFS
  }
  const tree = await root.getDirectoryHandle(TREE, { create: true });
  // One temporary folder per worker: another tab's worker may be writing into its own.
  const temps = await root.getDirectoryHandle(TEMP, { create: true });
  const mine = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
  const temp = await temps.getDirectoryHandle(mine, { create: true });
  const probe = await temp.getFileHandle('probe', { create: true });
  if (typeof probe.createSyncAccessHandle !== 'function' || typeof probe.move !== 'function') return undefined;
  let tempCount = 0;

  async function folder(path: string, create: boolean): Promise<FileSystemDirectoryHandle> {
    let dir = tree;
    for (const part of path === '' ? [] : path.split('/')) {
      try {
        dir = await dir.getDirectoryHandle(part, { create });
      } catch (error) {
        if (error instanceof DOMException && error.name === 'TypeMismatchError')
          throw new Error(`"${part}" in "${path}" is a file, not a folder`);
        throw error;
      }
    }
    return dir;
  }

  async function entryOf(path: string): Promise<FileSystemFileHandle | FileSystemDirectoryHandle | undefined> {
    const parent = await folder(parentOf(path), false).catch(() => undefined);
    if (!parent) return undefined;
    const name = nameOf(path);
    for await (const [entryName, handle] of parent.entries()) if (entryName === name) return handle;
    return undefined;
  }

  async function free(): Promise<number | null> {
    const { usage, quota } = await storage!.estimate();
    return usage === undefined || quota === undefined ? null : quota - usage;
  }

  /** Copy `data` into a new temporary file; returns it complete and closed. */
  async function writeTemp(path: string, data: Blob | Uint8Array): Promise<FileSystemFileHandle> {
    const name = `${Date.now()}-${tempCount++}`;
    const file = await temp.getFileHandle(name, { create: true });
    const handle = await file.createSyncAccessHandle!();
    const size = data instanceof Uint8Array ? data.byteLength : data.size;
    try {
      if (data instanceof Uint8Array) {
        for (let at = 0; at < data.byteLength; at += CHUNK) writeAll(handle, data.subarray(at, at + CHUNK), at);
      } else {
        const reader = data.stream().getReader();
        let at = 0;
        for (let next = await reader.read(); !next.done; next = await reader.read()) {
          writeAll(handle, next.value, at);
          at += next.value.byteLength;
        }
      }
      handle.flush();
      if (handle.getSize() !== size) throw new DOMException(`${handle.getSize()} of ${size} bytes were kept`, 'QuotaExceededError');
      handle.close();
    } catch (error) {
      handle.close();
      await temp.removeEntry(name).catch(() => undefined);
      if (isQuotaError(error)) throw new StorageFullError(storageFullMessage(path, size, await free().catch(() => null)));
      throw error;
    }
    return file;
  }

  return {
    kind: 'opfs',
    async list() {
      const out: StoredEntry[] = [];
      await walkDirectory(tree, '', out);
      return out;
    },
    async read(path) {
      const entry = await entryOf(path);
      if (!entry || entry.kind !== 'file') throw new Error(`"${path}" does not exist in the workspace`);
      return entry.getFile();
    },
    async write(path, data) {
      const size = data instanceof Uint8Array ? data.byteLength : data.size;
      const room = await free().catch(() => null);
      // Refused before copying anything when the browser already says it will not fit.
      if (room !== null && size > room) throw new StorageFullError(storageFullMessage(path, size, room));
      const existing = await entryOf(path);
      if (existing?.kind === 'directory') throw new Error(`"${path}" is a folder`);
      const dir = await folder(parentOf(path), true);
      const file = await writeTemp(path, data);
      // move() replaces an existing file in one step: readers see the old bytes or the new ones.
      await file.move!(dir, nameOf(path));
    },
    async mkdir(path) {
      await folder(path, true);
    },
    async remove(path) {
      const parent = await folder(parentOf(path), false).catch(() => undefined);
      await parent?.removeEntry(nameOf(path), { recursive: true }).catch((error: unknown) => {
        if (!isNotFound(error)) throw error;
      });
    },
    async move(from, to) {
      const entry = await entryOf(from);
      if (!entry) throw new Error(`"${from}" does not exist in the workspace`);
      if (await entryOf(to)) throw new Error(`"${to}" already exists`);
      await entry.move!(await folder(parentOf(to), true), nameOf(to));
    },
    async estimate() {
      const { usage, quota } = await storage.estimate();
      return { usage: usage ?? null, quota: quota ?? null };
    },
    async sweep() {
      // Left by writes a closed tab interrupted; never part of the tree.
      for await (const [name] of temps.entries())
        if (name !== mine) await temps.removeEntry(name, { recursive: true }).catch(() => undefined);
    },
    async clear() {
      for await (const [name] of tree.entries()) await tree.removeEntry(name, { recursive: true });
    },
  };
}

function writeAll(handle: FileSystemSyncAccessHandleLike, bytes: Uint8Array, at: number): void {
  let written = 0;
  while (written < bytes.byteLength) {
    const n = handle.write(bytes.subarray(written), { at: at + written });
    // Chromium answers a write past the quota with an error code as a huge count, not a throw.
    if (n <= 0 || n > bytes.byteLength - written) throw new DOMException('the browser stopped accepting bytes', 'QuotaExceededError');
    written += n;
  }
}
