// The notebook store of the release before notebooks became workspace files (IndexedDB via idb-keyval), kept verbatim
// so migration tests write their stores with the code users' browsers ran. Not used by the app.
import { clear, createStore, del, get, getMany, keys, promisifyRequest, set, type UseStore } from 'idb-keyval';
import type { Notebook } from '../../../src/notebook/model';

export interface NotebookMeta {
  id: string;
  /** Shown in the list and used as the download name (ends in .ipynb). */
  name: string;
  created: number;
  updated: number;
  /** Bumped by every content save; a save based on an older revision is a conflict. */
  rev: number;
  /** The tab that wrote the last revision. */
  writer: string;
}

export interface StoredNotebook {
  meta: NotebookMeta;
  notebook: Notebook;
}

export type SaveResult = { status: 'saved'; meta: NotebookMeta } | { status: 'conflict'; theirs: NotebookMeta } | { status: 'missing' };

/** What one tab tells the others; `rev` is the revision after the change. */
export type StoreMessage =
  | { kind: 'saved'; id: string; rev: number; writer: string }
  | { kind: 'renamed' | 'created' | 'deleted'; id: string; writer: string }
  | { kind: 'cleared'; writer: string };

const metaKey = (id: string) => `meta:${id}`;
const docKey = (id: string) => `doc:${id}`;
const LAST_OPEN = 'last-open';

export interface StoreOptions {
  /** IndexedDB database name (tests use their own). */
  dbName?: string;
  /** Identifies this tab in revisions and messages. */
  tabId?: string;
}

export class NotebookStore extends EventTarget {
  readonly tabId: string;
  readonly #db: UseStore;
  readonly #channel: BroadcastChannel | undefined;

  constructor(options: StoreOptions = {}) {
    super();
    const dbName = options.dbName ?? 'pyloom';
    this.tabId = options.tabId ?? crypto.randomUUID();
    this.#db = createStore(dbName, 'notebooks');
    this.#channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(`${dbName}:notebooks`) : undefined;
    this.#channel?.addEventListener('message', (event: MessageEvent<StoreMessage>) => {
      if (event.data.writer !== this.tabId) this.dispatchEvent(new CustomEvent<StoreMessage>('message', { detail: event.data }));
    });
  }

  /** All notebooks, most recently changed first. */
  async list(): Promise<NotebookMeta[]> {
    const metaKeys = (await keys<string>(this.#db)).filter((key) => typeof key === 'string' && key.startsWith('meta:'));
    const metas = (await getMany<NotebookMeta>(metaKeys, this.#db)).filter((m): m is NotebookMeta => m !== undefined);
    return metas.sort((a, b) => b.updated - a.updated);
  }

  async load(id: string): Promise<StoredNotebook | undefined> {
    const [meta, notebook] = await getMany<unknown>([metaKey(id), docKey(id)], this.#db);
    if (!meta || !notebook) return undefined;
    return { meta: meta as NotebookMeta, notebook: notebook as Notebook };
  }

  async create(name: string, notebook: Notebook): Promise<NotebookMeta> {
    const now = Date.now();
    const meta: NotebookMeta = {
      id: crypto.randomUUID(),
      name: await this.#uniqueName(name),
      created: now,
      updated: now,
      rev: 1,
      writer: this.tabId,
    };
    await this.#transaction((store) => {
      store.put(notebook, docKey(meta.id));
      store.put(meta, metaKey(meta.id));
    });
    this.#post({ kind: 'created', id: meta.id, writer: this.tabId });
    return meta;
  }

  /**
   * Write `notebook` if the stored revision is still `baseRev` (or `force`). The check and the
   * write happen in one IndexedDB transaction, so two tabs cannot both pass the check.
   */
  async save(id: string, notebook: Notebook, baseRev: number, options: { force?: boolean } = {}): Promise<SaveResult> {
    // Set inside the transaction's callback (a holder, so TypeScript does not narrow it away).
    const out: { result: SaveResult } = { result: { status: 'missing' } };
    await this.#transaction((store) => {
      const request = store.get(metaKey(id));
      request.onsuccess = () => {
        const stored = request.result as NotebookMeta | undefined;
        if (!stored) return;
        if (stored.rev !== baseRev && !options.force) {
          out.result = { status: 'conflict', theirs: stored };
          return;
        }
        const meta: NotebookMeta = { ...stored, rev: stored.rev + 1, updated: Date.now(), writer: this.tabId };
        store.put(notebook, docKey(id));
        store.put(meta, metaKey(id));
        out.result = { status: 'saved', meta };
      };
    });
    const saved = out.result;
    if (saved.status === 'saved') this.#post({ kind: 'saved', id, rev: saved.meta.rev, writer: this.tabId });
    return saved;
  }

  async rename(id: string, name: string): Promise<NotebookMeta | undefined> {
    const meta = await get<NotebookMeta>(metaKey(id), this.#db);
    if (!meta) return undefined;
    const renamed = { ...meta, name: await this.#uniqueName(name, id), updated: Date.now() };
    await set(metaKey(id), renamed, this.#db);
    this.#post({ kind: 'renamed', id, writer: this.tabId });
    return renamed;
  }

  async duplicate(id: string): Promise<NotebookMeta | undefined> {
    const stored = await this.load(id);
    if (!stored) return undefined;
    return this.create(copyName(stored.meta.name), stored.notebook);
  }

  async delete(id: string): Promise<void> {
    await this.#transaction((store) => {
      store.delete(metaKey(id));
      store.delete(docKey(id));
    });
    this.#post({ kind: 'deleted', id, writer: this.tabId });
  }

  /** Every notebook and setting of this app in this browser. */
  async clearAll(): Promise<void> {
    await clear(this.#db);
    this.#post({ kind: 'cleared', writer: this.tabId });
  }

  async lastOpened(): Promise<string | undefined> {
    return get<string>(LAST_OPEN, this.#db);
  }
  async setLastOpened(id: string | undefined): Promise<void> {
    await (id === undefined ? del(LAST_OPEN, this.#db) : set(LAST_OPEN, id, this.#db));
  }

  close(): void {
    this.#channel?.close();
  }

  #post(message: StoreMessage): void {
    this.#channel?.postMessage(message);
  }

  #transaction(work: (store: IDBObjectStore) => void): Promise<void> {
    return this.#db('readwrite', (store) => {
      work(store);
      return promisifyRequest(store.transaction);
    });
  }

  /** "name.ipynb", or "name-1.ipynb"… when another notebook has that name. */
  async #uniqueName(name: string, self?: string): Promise<string> {
    const wanted = ensureIpynb(name.trim() || 'Untitled');
    const taken = new Set((await this.list()).filter((m) => m.id !== self).map((m) => m.name));
    if (!taken.has(wanted)) return wanted;
    const stem = wanted.slice(0, -'.ipynb'.length);
    for (let n = 1; ; n++) {
      const candidate = `${stem}-${n}.ipynb`;
      if (!taken.has(candidate)) return candidate;
    }
  }
}

export function ensureIpynb(name: string): string {
  return /\.ipynb$/i.test(name) ? name : `${name}.ipynb`;
}

function copyName(name: string): string {
  return `${name.replace(/\.ipynb$/i, '')}-Copy.ipynb`;
}
