// Questions about the workspace tree in Pyodide's file system (entries, sizes, files below a
// folder), asked by the workspace's page operations; paths are workspace paths.
import type { FileEntry } from '../../src/protocol';
import { exists, fsPath, type EmscriptenFS } from './mount';
import { nameOf, normalizePath } from './store';

/** The workspace paths directly inside folder `path`. */
export function children(fs: EmscriptenFS, path: string): string[] {
  return fs
    .readdir(fsPath(path))
    .filter((name) => name !== '.' && name !== '..')
    .map((name) => (path ? `${path}/${name}` : name));
}

/** Bytes of every file below `path`. */
export function folderSize(fs: EmscriptenFS, path: string): number {
  return children(fs, path).reduce((sum, child) => {
    const stat = fs.stat(fsPath(child));
    return sum + (fs.isDir(stat.mode) ? folderSize(fs, child) : stat.size);
  }, 0);
}

/** Every file below (or at) `path`. */
export function filesUnder(fs: EmscriptenFS, path: string): string[] {
  if (!fs.isDir(fs.stat(fsPath(path)).mode)) return [path];
  return children(fs, path).flatMap((child) => filesUnder(fs, child));
}

/** The entry at `path` (a folder's size is the sum of its files). */
export function entryOf(fs: EmscriptenFS, path: string): FileEntry {
  const stat = fs.stat(fsPath(path));
  const directory = fs.isDir(stat.mode);
  return {
    name: path === '' ? '' : nameOf(path),
    path,
    kind: directory ? 'directory' : 'file',
    size: directory ? folderSize(fs, path) : stat.size,
    modified: stat.mtime.getTime(),
  };
}

/** `path` normalized; rejects naming it when nothing is there. */
export function existingPath(fs: EmscriptenFS, path: string): string {
  const normal = normalizePath(path);
  if (!exists(fs, fsPath(normal))) throw new Error(`"${normal}" does not exist in the workspace`);
  return normal;
}
