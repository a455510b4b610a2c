// The workspace inside Pyodide's file system: a MEMFS tree at WORKSPACE_ROOT filled from the
// store (big files read lazily from their Blob), and a record of what Python changed since the
// last save, taken from Emscripten's FS tracking hooks.

/** Where Python sees the workspace. */
export const WORKSPACE_ROOT = '/workspace';

/** Files at least this big stay in storage until Python opens them for writing. */
export const LAZY_MIN_BYTES = 1 << 20;
/** Bytes a lazy file reads ahead, so Python's 8 kB buffered reads do not each cross to storage. */
const READ_AHEAD = 4 << 20;

/** Emscripten FS node fields this module reads or replaces (MEMFS). */
export interface FsNode {
  contents: Uint8Array | null | Record<string, FsNode>;
  usedBytes: number;
  mtime: number;
  node_ops: Record<string, unknown> & { setattr?: (node: FsNode, attr: unknown) => void };
  stream_ops: FsStreamOps;
}
export interface FsStream {
  node: FsNode;
  flags: number;
  stream_ops: FsStreamOps;
}
export interface FsStreamOps {
  open?(stream: FsStream): void;
  read(stream: FsStream, buffer: Uint8Array, offset: number, length: number, position: number): number;
  mmap?(stream: FsStream, length: number, position: number, prot: number, flags: number): unknown;
  [op: string]: unknown;
}

/** The subset of Emscripten's FS the workspace uses (Pyodide's `pyodide.FS`). */
export interface EmscriptenFS {
  mkdirTree(path: string): void;
  writeFile(path: string, data: Uint8Array, options?: { canOwn?: boolean }): void;
  readFile(path: string): Uint8Array;
  readdir(path: string): string[];
  stat(path: string): { mode: number; size: number; mtime: Date };
  lookupPath(path: string): { node: FsNode };
  isDir(mode: number): boolean;
  isFile(mode: number): boolean;
  rename(from: string, to: string): void;
  unlink(path: string): void;
  rmdir(path: string): void;
  chdir(path: string): void;
  cwd(): string;
  trackingDelegate: Record<string, ((...args: never[]) => void) | undefined>;
}

const O_ACCMODE = 3;
const O_TRUNC = 0o1000;

/** The absolute FS path of a workspace path. */
export function fsPath(path: string): string {
  return path === '' ? WORKSPACE_ROOT : `${WORKSPACE_ROOT}/${path}`;
}

/** The workspace path of an absolute FS path, or undefined outside the workspace. */
export function workspacePathOf(path: string, cwd: string): string | undefined {
  const absolute = path.startsWith('/') ? path : `${cwd}/${path}`;
  const parts: string[] = [];
  for (const part of absolute.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  const joined = `/${parts.join('/')}`;
  if (joined === WORKSPACE_ROOT) return '';
  return joined.startsWith(`${WORKSPACE_ROOT}/`) ? joined.slice(WORKSPACE_ROOT.length + 1) : undefined;
}

/** True when a path exists in the FS. */
export function exists(fs: EmscriptenFS, path: string): boolean {
  try {
    fs.stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Remove a file or a folder tree from the FS. */
export function removeTree(fs: EmscriptenFS, path: string): void {
  const { mode } = fs.stat(path);
  if (!fs.isDir(mode)) return fs.unlink(path);
  for (const name of fs.readdir(path)) if (name !== '.' && name !== '..') removeTree(fs, `${path}/${name}`);
  fs.rmdir(path);
}

const lazyNodes = new WeakSet<FsNode>();

/** True while a file placed by writeLazyFile has not been copied into memory. */
export function isLazy(fs: EmscriptenFS, path: string): boolean {
  const node = fs.lookupPath(path).node;
  return lazyNodes.has(node) && node.contents === null;
}

/**
 * Put `blob` at `path` without reading it: its bytes are read synchronously (FileReaderSync,
 * dedicated workers only) as Python reads, and copied into memory only when Python opens the file
 * for writing. Returns false where that cannot work (no FileReaderSync, e.g. Node): then the
 * caller writes the bytes.
 */
export function writeLazyFile(fs: EmscriptenFS, path: string, blob: Blob, modified: number): boolean {
  if (typeof FileReaderSync === 'undefined' || FileReaderSync === undefined) return false;
  const Reader = FileReaderSync;
  fs.writeFile(path, new Uint8Array(0));
  const node = fs.lookupPath(path).node;
  const eager = node.stream_ops;
  const eagerNodeOps = node.node_ops;
  let window: { start: number; bytes: Uint8Array } | undefined;
  const materialize = () => {
    if (node.stream_ops === eager) return;
    node.contents = new Uint8Array(new Reader().readAsArrayBuffer(blob));
    node.usedBytes = blob.size;
    node.stream_ops = eager;
    node.node_ops = eagerNodeOps;
    window = undefined;
  };
  const lazyOps: FsStreamOps = {
    ...eager,
    open(stream) {
      if ((stream.flags & O_ACCMODE) !== 0 || stream.flags & O_TRUNC) {
        materialize();
        stream.stream_ops = eager;
      }
      eager.open?.(stream);
    },
    read(stream, buffer, offset, length, position) {
      if (node.stream_ops === eager) return eager.read(stream, buffer, offset, length, position);
      const end = Math.min(position + length, blob.size);
      if (end <= position) return 0;
      if (!window || position < window.start || end > window.start + window.bytes.byteLength) {
        const size = Math.max(end - position, READ_AHEAD);
        window = { start: position, bytes: new Uint8Array(new Reader().readAsArrayBuffer(blob.slice(position, position + size))) };
      }
      buffer.set(window.bytes.subarray(position - window.start, end - window.start), offset);
      return end - position;
    },
    mmap(stream, length, position, prot, flags) {
      materialize();
      stream.stream_ops = eager;
      return eager.mmap?.(stream, length, position, prot, flags);
    },
  };
  lazyNodes.add(node);
  node.contents = null;
  node.usedBytes = blob.size;
  node.mtime = modified;
  node.stream_ops = lazyOps;
  // truncate() by path reaches setattr without an open: the bytes must be there first.
  node.node_ops = {
    ...eagerNodeOps,
    setattr(target: FsNode, attr: unknown) {
      materialize();
      eagerNodeOps.setattr?.(target, attr);
    },
  };
  return true;
}

/**
 * Record workspace paths Python creates, writes, deletes or moves. `onChange` gets workspace
 * paths (both ends of a move). While `paused()` is true (the workspace itself writing) nothing is
 * recorded.
 */
export function trackChanges(fs: EmscriptenFS, onChange: (path: string) => void, paused: () => boolean): void {
  const note = (path: string) => {
    if (paused()) return;
    const inside = workspacePathOf(path, fs.cwd());
    if (inside !== undefined && inside !== '') onChange(inside);
  };
  const delegate = fs.trackingDelegate;
  delegate['onWriteToFile'] = (path: string) => note(path);
  delegate['onOpenFile'] = (path: string, flags: number) => {
    if ((flags & O_ACCMODE) !== 0 || flags & O_TRUNC) note(path);
  };
  delegate['onMakeDirectory'] = (path: string) => note(path);
  delegate['onDeletePath'] = (path: string) => note(path);
  delegate['onMovePath'] = (from: string, to: string) => {
    note(from);
    note(to);
  };
}
