// Where the page reads and writes notebook files: the workspace tree in the Origin Private File
// System (the folder the worker's store uses), a local folder the user opened (File System Access),
// or memory where OPFS is missing (and in Node tests). Notebooks are read and written here
// directly, not through the worker, so a notebook opens before Python has booted and saves while
// the notebook runs on a Jupyter server.

/** A notebook file found in the workspace; `path` is a workspace path ('week1/intro.ipynb'). */
export interface DiskEntry {
  path: string;
  /** Milliseconds since the epoch. */
  modified: number;
  size: number;
}

export interface NotebookDisk {
  /** 'folder': a folder on the user's disk; 'opfs' and 'memory': the browser's workspace. */
  readonly kind: 'opfs' | 'memory' | 'folder';
  /**
   * Which tree this is: 'workspace' for the browser's workspace (shared by this origin's tabs),
   * 'folder:<name>' for a local folder (this tab only). Paths mean something only within a scope.
   */
  readonly scope: string;
  /** Every file whose name ends in `.ipynb`, anywhere in the tree. */
  listNotebooks(): Promise<DiskEntry[]>;
  /** The file's text, or undefined when there is no such file. */
  read(path: string): Promise<{ text: string; modified: number } | undefined>;
  /** Replace or create a file (parents created); the old bytes stay until the new ones are whole. */
  write(path: string, text: string): Promise<void>;
  /** True when a file or a folder is at `path`. */
  exists(path: string): Promise<boolean>;
  /** Remove a file; a missing file is not an error. */
  remove(path: string): Promise<void>;
  /** Remove every file and folder of the tree (Reset all browser data; never called on a local folder). */
  clear(): Promise<void>;
}

/** The scope of the browser's workspace (NotebookDisk.scope). */
export const WORKSPACE_SCOPE = 'workspace';

const TREE = 'workspace';

function isMissing(error: unknown): boolean {
  return error instanceof DOMException && (error.name === 'NotFoundError' || error.name === 'TypeMismatchError');
}

function split(path: string): { folders: string[]; name: string } {
  const parts = path.split('/').filter((part) => part !== '');
  const name = parts.pop();
  if (!name) throw new Error('a notebook file needs a name');
  return { folders: parts, name };
}

/** The workspace in this origin's OPFS, or undefined where the browser has none (or refuses it). */
export async function opfsDisk(storage: StorageManager | undefined = globalThis.navigator?.storage): Promise<NotebookDisk | undefined> {
  if (!storage || typeof storage.getDirectory !== 'function') return undefined;
  let tree: FileSystemDirectoryHandle;
  try {
    tree = await (await storage.getDirectory()).getDirectoryHandle(TREE, { create: true });
  } catch {
    return undefined; // e.g. a private window that refuses OPFS
  }
  return directoryDisk(tree, 'opfs', WORKSPACE_SCOPE);
}

/**
 * A folder on the user's disk (a handle from showDirectoryPicker with readwrite permission): the
 * notebooks in it are edited in place, as the worker mounts the same folder for Python.
 */
export function folderDisk(folder: FileSystemDirectoryHandle): NotebookDisk {
  return directoryDisk(folder, 'folder', `folder:${folder.name}`);
}

function directoryDisk(tree: FileSystemDirectoryHandle, kind: 'opfs' | 'folder', scope: string): NotebookDisk {
  const folderOf = async (folders: string[], create: boolean) => {
    let dir = tree;
    for (const part of folders) dir = await dir.getDirectoryHandle(part, { create });
    return dir;
  };
  const fileOf = async (path: string): Promise<FileSystemFileHandle | undefined> => {
    const { folders, name } = split(path);
    try {
      return await (await folderOf(folders, false)).getFileHandle(name);
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  };
  const walk = async (dir: FileSystemDirectoryHandle, prefix: string, into: DiskEntry[]): Promise<void> => {
    for await (const [name, handle] of dir.entries()) {
      const path = prefix ? `${prefix}/${name}` : name;
      if (handle.kind === 'directory') await walk(handle as FileSystemDirectoryHandle, path, into);
      else if (/\.ipynb$/i.test(name)) {
        const file = await (handle as FileSystemFileHandle).getFile();
        into.push({ path, modified: file.lastModified, size: file.size });
      }
    }
  };
  return {
    kind,
    scope,
    async listNotebooks() {
      const out: DiskEntry[] = [];
      await walk(tree, '', out);
      return out;
    },
    async read(path) {
      for (let attempt = 1; ; attempt++) {
        const handle = await fileOf(path);
        if (!handle) return undefined;
        const file = await handle.getFile();
        try {
          return { text: await file.text(), modified: file.lastModified };
        } catch (error) {
          // Replaced between getFile() and the read (the worker stored Python's write): read the new one.
          if (attempt >= 3 || !(error instanceof DOMException && error.name === 'NotReadableError')) throw error;
        }
      }
    },
    async write(path, text) {
      const { folders, name } = split(path);
      const dir = await folderOf(folders, true);
      const handle = await dir.getFileHandle(name, { create: true });
      // createWritable writes a swap file that replaces the file only on close: never half a notebook.
      const writable = await handle.createWritable();
      try {
        await writable.write(text);
        await writable.close();
      } catch (error) {
        await writable.abort().catch(() => undefined);
        throw error;
      }
    },
    async exists(path) {
      const { folders, name } = split(path);
      try {
        const dir = await folderOf(folders, false);
        for await (const [entry] of dir.entries()) if (entry === name) return true;
        return false;
      } catch (error) {
        if (isMissing(error)) return false;
        throw error;
      }
    },
    async remove(path) {
      const { folders, name } = split(path);
      try {
        await (await folderOf(folders, false)).removeEntry(name);
      } catch (error) {
        if (!isMissing(error)) throw error;
      }
    },
    async clear() {
      if (kind === 'folder') throw new Error(`"${tree.name}" is a folder on your disk: Pyloom never erases it`);
      const names: string[] = [];
      for await (const [name] of tree.entries()) names.push(name);
      for (const name of names) await tree.removeEntry(name, { recursive: true });
    },
  };
}

/** Notebooks in memory: Node tests, and browsers without OPFS (nothing outlives the page). */
export function memoryDisk(): NotebookDisk {
  const files = new Map<string, { text: string; modified: number }>();
  let clock = 0;
  return {
    kind: 'memory',
    scope: WORKSPACE_SCOPE,
    async listNotebooks() {
      return [...files]
        .filter(([path]) => /\.ipynb$/i.test(path))
        .map(([path, f]) => ({ path, modified: f.modified, size: f.text.length }));
    },
    async read(path) {
      const file = files.get(path);
      return file && { ...file };
    },
    async write(path, text) {
      // Strictly increasing, like a file system's clock between two saves in one millisecond would not be.
      clock = Math.max(clock + 1, Date.now());
      files.set(path, { text, modified: clock });
    },
    async exists(path) {
      return files.has(path) || [...files.keys()].some((p) => p.startsWith(`${path}/`));
    },
    async remove(path) {
      files.delete(path);
    },
    async clear() {
      files.clear();
    },
  };
}
