// Listing a tree of File System Access directory handles (OPFS or a folder on disk): both stores list this way.
import type { StoredEntry } from './store';

/** Appends every entry under `dir` to `into`, paths relative to the store root (`prefix` is dir's own path; '' for the root), folders before their contents. */
export async function walkDirectory(dir: FileSystemDirectoryHandle, prefix: string, into: StoredEntry[]): Promise<void> {
  const folders: [string, FileSystemDirectoryHandle][] = [];
  for await (const [name, handle] of dir.entries()) {
    const path = prefix ? `${prefix}/${name}` : name;
    if (handle.kind === 'directory') {
      into.push({ path, kind: 'directory', size: 0, modified: 0 });
      folders.push([path, handle]);
    } else {
      const file = await handle.getFile();
      into.push({ path, kind: 'file', size: file.size, modified: file.lastModified });
    }
  }
  for (const [path, handle] of folders) await walkDirectory(handle, path, into);
}
