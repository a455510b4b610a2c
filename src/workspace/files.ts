// The page half of the workspace: file operations forwarded to the runtime's worker (which owns
// the files), upload of picked or dropped files, downloads, and a `change` event for views.
import type { CompanionFile, FileEntry, WorkspaceApi, WorkspaceUsage } from '../protocol';
import { Runtime, type AnyRuntime, type FilesDetail } from '../runtime/runtime';

/** A file to upload and the workspace path it goes to. */
export interface UploadItem {
  path: string;
  file: Blob;
}

export interface UploadProgress {
  /** Files done, of `total`. */
  done: number;
  total: number;
  /** The file being written now. */
  path: string;
}

/** Join workspace path segments ('' segments are skipped). */
export function joinPath(...parts: string[]): string {
  return parts
    .flatMap((part) => part.split('/'))
    .filter((part) => part !== '')
    .join('/');
}

/**
 * Events: `change` (CustomEvent<{ paths: string[]; reloaded: boolean }>, files changed by this page or by Python,
 * or read again from storage),
 * `error` (CustomEvent<{ message: string }>, Python's files could not be saved, e.g. storage full).
 */
export class WorkspaceFiles extends EventTarget {
  #runtime: Runtime | undefined;
  #onFiles = (event: Event) => {
    const { paths, error } = (event as CustomEvent<FilesDetail>).detail;
    if (paths.length) this.#changed(paths);
    if (error) this.dispatchEvent(new CustomEvent('error', { detail: { message: error } }));
  };

  /**
   * Serve the workspace of `runtime` from now on. A remote (Jupyter) runtime has its files on
   * its server: operations then reject saying so.
   */
  attach(runtime: AnyRuntime): void {
    this.#runtime?.removeEventListener('files', this.#onFiles);
    this.#runtime = runtime instanceof Runtime ? runtime : undefined;
    this.#runtime?.addEventListener('files', this.#onFiles);
    this.#changed(['']);
  }

  /** False while the notebook runs on a Jupyter server (no browser workspace). */
  get available(): boolean {
    return this.#runtime !== undefined;
  }

  /** Call one worker operation; rejects (never hangs) when the worker is replaced meanwhile. */
  async #call<T>(run: (files: WorkspaceRemote) => Promise<T>): Promise<T> {
    if (!this.#runtime)
      throw new Error("this notebook runs on a Jupyter server: its files are on that server, not in this browser's workspace");
    const { files, ended } = await this.#runtime.workspace();
    return Promise.race([run(files), ended]);
  }

  /** `reloaded`: read again from storage, not a change made through this page's workspace. */
  #changed(paths: string[], reloaded = false): void {
    this.dispatchEvent(new CustomEvent('change', { detail: { paths, reloaded } }));
  }

  list(path: string): Promise<FileEntry[]> {
    return this.#call((files) => files.listFiles(path));
  }
  stat(path: string): Promise<FileEntry | null> {
    return this.#call((files) => files.statPath(path));
  }
  /** The file's bytes as a Blob (read it in slices: `blob.slice(0, n).text()`). */
  read(path: string): Promise<Blob> {
    return this.#call((files) => files.readFile(path));
  }
  async write(path: string, data: Blob | string): Promise<FileEntry> {
    const entry = await this.#call((files) => files.writeFile(path, typeof data === 'string' ? new Blob([data]) : data));
    this.#changed([path]);
    return entry;
  }
  /**
   * Upload files one after another (each goes whole or not at all). The File objects travel to
   * the worker by reference and are read there in chunks: the page never holds their bytes.
   * Stops at the first failure (e.g. storage full) and rejects with its message; files before it
   * are kept.
   */
  async upload(items: UploadItem[], onProgress?: (progress: UploadProgress) => void): Promise<void> {
    const written: string[] = [];
    try {
      for (const [index, item] of items.entries()) {
        onProgress?.({ done: index, total: items.length, path: item.path });
        await this.#call((files) => files.writeFile(item.path, item.file));
        written.push(item.path);
      }
      onProgress?.({ done: items.length, total: items.length, path: '' });
    } finally {
      if (written.length) this.#changed(written);
    }
  }
  /**
   * Fetch companion data files into the workspace; cells run after this call wait for it.
   * Resolves with one message per file that could not be fetched (URL and status).
   */
  fetchCompanions(list: CompanionFile[]): Promise<string[]> {
    if (list.length === 0) return Promise.resolve([]);
    return this.#call((files) => files.fetchFiles(list));
  }
  async mkdir(path: string): Promise<FileEntry> {
    const entry = await this.#call((files) => files.makeDirectory(path));
    this.#changed([path]);
    return entry;
  }
  async move(from: string, to: string): Promise<FileEntry> {
    const entry = await this.#call((files) => files.movePath(from, to));
    this.#changed([from, to]);
    return entry;
  }
  async remove(path: string): Promise<void> {
    await this.#call((files) => files.deletePath(path));
    this.#changed([path]);
  }
  zip(path: string): Promise<Blob> {
    return this.#call((files) => files.zipPath(path));
  }
  usage(): Promise<WorkspaceUsage> {
    return this.#call((files) => files.workspaceUsage());
  }
  setWorkingDirectory(path: string): Promise<void> {
    return this.#call((files) => files.setWorkingDirectory(path));
  }
  setWritable(writable: boolean): Promise<void> {
    return this.#call((files) => files.setWorkspaceWritable(writable));
  }
  /** Read `paths` (null: everything) again from storage: another tab, or the notebook files, wrote them. */
  async reload(paths: string[] | null): Promise<void> {
    await this.#call((files) => files.reloadPaths(paths));
    this.#changed(paths ?? [''], true);
  }
  async clear(): Promise<void> {
    await this.#call((files) => files.clearWorkspace());
    this.#changed(['']);
  }

  /** Save a file (or a folder as `<name>.zip`) through the browser's download. */
  async download(entry: Pick<FileEntry, 'path' | 'name' | 'kind'>): Promise<void> {
    const blob = entry.kind === 'directory' ? await this.zip(entry.path) : await this.read(entry.path);
    const name = entry.kind === 'directory' ? `${entry.name || 'workspace'}.zip` : entry.name;
    const url = URL.createObjectURL(blob);
    const link = Object.assign(document.createElement('a'), { href: url, download: name });
    document.body.append(link);
    link.click();
    link.remove();
    // The download has started from the URL; release it once the browser has taken it.
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }
}

type WorkspaceRemote = {
  [K in keyof WorkspaceApi]: (...args: Parameters<WorkspaceApi[K]>) => Promise<Awaited<ReturnType<WorkspaceApi[K]>>>;
};

/** Bytes for people: 1.2 MB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
