// Notebooks as `.ipynb` files in the workspace: list, load, save with a revision check (the
// content hash the tab started from) so a stale tab never overwrites a newer file silently, and a
// channel telling other tabs what changed. A notebook's id is its path in the tree the store is on
// (the browser's workspace, or a local folder the user opened: useDisk).
import { NotebookFileError, parseNotebook, serializeNotebook } from './ipynb';
import type { Notebook } from './model';
import { WORKSPACE_SCOPE, type NotebookDisk } from './notebook-disk';
import { errorMessage } from '../shared/errors';

export interface NotebookMeta {
  /** The workspace path of the file ('week1/intro.ipynb'); also the notebook's identity. */
  id: string;
  /** The file name, shown in the header and used as the download name (ends in .ipynb). */
  name: string;
  /** When the file last changed, ms since the epoch. */
  updated: number;
  /** SHA-256 (hex) of the file's text as this tab last read or wrote it; a save based on another is a conflict. */
  rev: string;
}

/** An entry of the notebook list (the revision is known only once the file is read). */
export type ListedNotebook = Omit<NotebookMeta, 'rev'>;

export interface StoredNotebook {
  meta: NotebookMeta;
  notebook: Notebook;
}

export type SaveResult = { status: 'saved'; meta: NotebookMeta } | { status: 'conflict'; theirs: ListedNotebook } | { status: 'missing' };

/**
 * What one tab tells the others; `rev` is the revision after the change, `scope` the tree it
 * happened in (NotebookDisk.scope): a tab on another tree ignores it.
 */
export type StoreMessage = { scope: string; writer: string } & (
  | { kind: 'saved'; id: string; rev: string }
  | { kind: 'renamed'; id: string; to: string }
  | { kind: 'created' | 'deleted'; id: string }
  | { kind: 'cleared' }
);
/** A message as a caller gives it to #post (the store adds scope and writer). */
type Outgoing<M = StoreMessage> = M extends StoreMessage ? Omit<M, 'scope' | 'writer'> : never;

/** A notebook file that is not valid ipynb: the file is left as it is. */
export class NotebookUnreadableError extends Error {
  override name = 'NotebookUnreadableError';
}

export interface StoreOptions {
  /** Where the files are (useDisk changes it). */
  disk: NotebookDisk;
  /** Identifies this tab in messages. */
  tabId?: string;
  /** BroadcastChannel name (tests use their own). Default 'pyloom:notebooks'. */
  channel?: string;
  /** Remembers the notebook open last (default: localStorage, else memory). */
  memory?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
  /** Called with the paths this tab wrote or removed (the worker's copy of the tree reloads them). */
  onWritten?: (paths: string[]) => void;
}

const LAST_OPEN = 'pyloom.last-notebook';

/** SHA-256 of `text` as hex. */
export async function revisionOf(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

export class NotebookStore extends EventTarget {
  readonly tabId: string;
  #disk: NotebookDisk;
  /** The notebook open last in a local folder (a folder is not reopened after a reload: not kept). */
  readonly #lastInFolder = new Map<string, string>();
  readonly #channel: BroadcastChannel | undefined;
  readonly #memory: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
  readonly #onWritten: (paths: string[]) => void;

  constructor(options: StoreOptions) {
    super();
    this.#disk = options.disk;
    this.tabId = options.tabId ?? crypto.randomUUID();
    this.#memory = options.memory ?? globalThis.localStorage ?? memoryStorage();
    this.#onWritten = options.onWritten ?? (() => undefined);
    this.#channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(options.channel ?? 'pyloom:notebooks') : undefined;
    this.#channel?.addEventListener('message', (event: MessageEvent<StoreMessage>) => {
      if (event.data.writer !== this.tabId && event.data.scope === this.#disk.scope)
        this.dispatchEvent(new CustomEvent<StoreMessage>('message', { detail: event.data }));
    });
  }

  /** Where the notebook files are now. */
  get disk(): NotebookDisk {
    return this.#disk;
  }

  /**
   * Work on another tree from now on (a local folder opened, or the browser's workspace again).
   * Ids of the previous tree mean nothing here: the caller flushes and closes its notebook first.
   */
  useDisk(disk: NotebookDisk): void {
    this.#disk = disk;
  }

  /** Every notebook file in the tree, most recently changed first. */
  async list(): Promise<ListedNotebook[]> {
    const entries = await this.#disk.listNotebooks();
    return entries
      .map((entry) => ({ id: entry.path, name: nameOf(entry.path), updated: entry.modified }))
      .sort((a, b) => b.updated - a.updated);
  }

  /**
   * The notebook at `id`, or undefined when there is no such file. Rejects with
   * NotebookUnreadableError when the file is not a notebook (the file is not changed).
   */
  async load(id: string): Promise<StoredNotebook | undefined> {
    const file = await this.#disk.read(id);
    if (!file) return undefined;
    let notebook: Notebook;
    try {
      notebook = parseNotebook(file.text, nameOf(id)).notebook;
    } catch (error) {
      const reason = error instanceof NotebookFileError ? error.message : errorMessage(error);
      throw new NotebookUnreadableError(
        `"${id}" is not a notebook Pyloom can open: ${reason} The file is unchanged; download it from the Files panel to repair it, or delete it there.`,
      );
    }
    return { meta: { id, name: nameOf(id), updated: file.modified, rev: await revisionOf(file.text) }, notebook };
  }

  /** A new file `name` (made unique: name-1.ipynb…) in `folder` (a workspace path, '' the root). */
  async create(name: string, notebook: Notebook, folder = ''): Promise<NotebookMeta> {
    const path = await this.uniquePath(joinPath(folder, ensureIpynb(name.trim() || 'Untitled')));
    const meta = await this.#write(path, notebook);
    this.#post({ kind: 'created', id: path });
    return meta;
  }

  /**
   * Write `notebook` at `id` if the file is still revision `baseRev` (or `force`). Only the tab
   * that owns the workspace writes, so between tabs the check and the write cannot interleave.
   */
  async save(id: string, notebook: Notebook, baseRev: string, options: { force?: boolean } = {}): Promise<SaveResult> {
    const current = await this.#disk.read(id);
    if (!current) return { status: 'missing' };
    if (!options.force && (await revisionOf(current.text)) !== baseRev) {
      return { status: 'conflict', theirs: { id, name: nameOf(id), updated: current.modified } };
    }
    const meta = await this.#write(id, notebook);
    this.#post({ kind: 'saved', id, rev: meta.rev });
    return { status: 'saved', meta };
  }

  /**
   * Rename (a name: same folder) or move (a path with '/': from the workspace root). The new file
   * is written and read back before the old one is removed. Undefined when `id` is gone.
   */
  async rename(id: string, name: string): Promise<NotebookMeta | undefined> {
    const file = await this.#disk.read(id);
    if (!file) return undefined;
    const wanted = ensureIpynb(name.trim() || 'Untitled');
    const target = wanted.includes('/') ? joinPath(wanted) : joinPath(parentOf(id), wanted);
    if (target === id) return { id, name: nameOf(id), updated: file.modified, rev: await revisionOf(file.text) };
    const path = await this.uniquePath(target);
    await this.#disk.write(path, file.text);
    const copy = await this.#disk.read(path);
    if (copy?.text !== file.text) throw new Error(`"${path}" could not be written whole; "${id}" is kept as it was`);
    await this.#disk.remove(id);
    this.#onWritten([id, path]);
    this.#post({ kind: 'renamed', id, to: path });
    return { id: path, name: nameOf(path), updated: copy.modified, rev: await revisionOf(copy.text) };
  }

  async duplicate(id: string): Promise<NotebookMeta | undefined> {
    const stored = await this.load(id);
    if (!stored) return undefined;
    return this.create(copyName(stored.meta.name), stored.notebook, parentOf(id));
  }

  async delete(id: string): Promise<void> {
    await this.#disk.remove(id);
    this.#onWritten([id]);
    this.#post({ kind: 'deleted', id });
  }

  /** The browser's workspace was erased (by the worker, or page-side): tell the other tabs. */
  cleared(): void {
    this.#memory.removeItem(LAST_OPEN);
    this.#channel?.postMessage({ kind: 'cleared', scope: WORKSPACE_SCOPE, writer: this.tabId } satisfies StoreMessage);
  }

  /** The notebook open last in this tree (the workspace's is remembered across reloads). */
  lastOpened(): string | undefined {
    if (this.#disk.scope !== WORKSPACE_SCOPE) return this.#lastInFolder.get(this.#disk.scope);
    return this.#memory.getItem(LAST_OPEN) ?? undefined;
  }
  setLastOpened(id: string | undefined): void {
    if (this.#disk.scope !== WORKSPACE_SCOPE) {
      if (id === undefined) this.#lastInFolder.delete(this.#disk.scope);
      else this.#lastInFolder.set(this.#disk.scope, id);
    } else if (id === undefined) this.#memory.removeItem(LAST_OPEN);
    else this.#memory.setItem(LAST_OPEN, id);
  }

  /** `path`, or `stem-1.ext`… when a file or folder is there already. */
  async uniquePath(path: string): Promise<string> {
    if (!(await this.#disk.exists(path))) return path;
    const dot = path.toLowerCase().endsWith('.ipynb') ? path.length - '.ipynb'.length : path.length;
    for (let n = 1; ; n++) {
      const candidate = `${path.slice(0, dot)}-${n}${path.slice(dot)}`;
      if (!(await this.#disk.exists(candidate))) return candidate;
    }
  }

  close(): void {
    this.#channel?.close();
  }

  async #write(path: string, notebook: Notebook): Promise<NotebookMeta> {
    const text = serializeNotebook(notebook);
    await this.#disk.write(path, text);
    this.#onWritten([path]);
    return { id: path, name: nameOf(path), updated: Date.now(), rev: await revisionOf(text) };
  }

  #post(message: Outgoing): void {
    // A local folder is this tab's alone: no other tab has it open.
    if (this.#disk.scope !== WORKSPACE_SCOPE) return;
    this.#channel?.postMessage({ ...message, scope: this.#disk.scope, writer: this.tabId });
  }
}

export function ensureIpynb(name: string): string {
  return /\.ipynb$/i.test(name) ? name : `${name}.ipynb`;
}

export function nameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

function joinPath(...parts: string[]): string {
  const segments = parts.flatMap((part) => part.split('/')).filter((part) => part !== '');
  if (segments.some((part) => part === '.' || part === '..'))
    throw new Error(`"${parts.join('/')}": '.' and '..' are not allowed in workspace paths`);
  return segments.join('/');
}

function copyName(name: string): string {
  return `${name.replace(/\.ipynb$/i, '')}-Copy.ipynb`;
}

function memoryStorage(): Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}
