// The workspace kept in a folder on the user's disk (File System Access API: a handle the page got
// from showDirectoryPicker and the user allowed to write). Writes go through createWritable,
// which the browser fills beside the file and swaps in on close: a failed write leaves the old file.
import { nameOf, parentOf, StorageFullError, storageFullMessage, type StoredEntry, type WorkspaceStore } from './store';
import { walkDirectory } from './directory-walk';

const isQuotaError = (error: unknown) => error instanceof DOMException && error.name === 'QuotaExceededError';

/** A store on `root`; every path is inside it. Nothing else is written beside the user's files. */
export function folderStore(root: FileSystemDirectoryHandle): WorkspaceStore {
  async function folder(path: string, create: boolean): Promise<FileSystemDirectoryHandle> {
    let dir = root;
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

  async function copy(from: string, to: string): Promise<void> {
    const entries: StoredEntry[] = [];
    await walkDirectory(await folder(from, false), from, entries);
    await folder(to, true);
    for (const entry of entries) {
      const target = to + entry.path.slice(from.length);
      if (entry.kind === 'directory') await folder(target, true);
      else await write(target, await read(entry.path));
    }
  }

  async function read(path: string): Promise<Blob> {
    try {
      return await (await (await folder(parentOf(path), false)).getFileHandle(nameOf(path))).getFile();
    } catch {
      throw new Error(`"${path}" does not exist in the folder`);
    }
  }

  async function write(path: string, data: Blob | Uint8Array): Promise<void> {
    const handle = await (await folder(parentOf(path), true)).getFileHandle(nameOf(path), { create: true });
    const writable = await handle.createWritable();
    try {
      await writable.write(data instanceof Uint8Array ? data.slice() : data);
      await writable.close();
    } catch (error) {
      await writable.abort().catch(() => undefined);
      const size = data instanceof Uint8Array ? data.byteLength : data.size;
      if (isQuotaError(error)) throw new StorageFullError(storageFullMessage(path, size, null));
      throw error;
    }
  }

  return {
    kind: 'folder',
    async list() {
      const entries: StoredEntry[] = [];
      await walkDirectory(root, '', entries);
      return entries.sort((a, b) => a.path.split('/').length - b.path.split('/').length || a.path.localeCompare(b.path));
    },
    read,
    write,
    async mkdir(path) {
      await folder(path, true);
    },
    async remove(path) {
      const parent = await folder(parentOf(path), false).catch(() => undefined);
      await parent?.removeEntry(nameOf(path), { recursive: true }).catch((error: unknown) => {
        if (!(error instanceof DOMException && error.name === 'NotFoundError')) throw error;
      });
    },
    async move(from, to) {
      const parent = await folder(parentOf(to), true);
      const exists = await parent.getFileHandle(nameOf(to)).then(
        () => true,
        () =>
          parent.getDirectoryHandle(nameOf(to)).then(
            () => true,
            () => false,
          ),
      );
      if (exists) throw new Error(`"${to}" already exists`);
      const source = await folder(parentOf(from), false);
      const file = await source.getFileHandle(nameOf(from)).catch(() => undefined);
      // A file moves in one step where the browser can (Chromium); a folder, or a browser without
      // move(), is copied then removed.
      if (file?.move) return file.move(parent, nameOf(to));
      if (file) await write(to, await file.getFile());
      else await copy(from, to);
      await source.removeEntry(nameOf(from), { recursive: true });
    },
    async estimate() {
      return { usage: null, quota: null }; // a disk folder: the browser's quota does not apply
    },
    async clear() {
      const names: string[] = [];
      for await (const [name] of root.entries()) names.push(name);
      for (const name of names) await root.removeEntry(name, { recursive: true });
    },
  };
}
