// Autosave of the open notebook file: every change is written within `maxWaitMs`; a write that
// would overwrite a newer revision stops and reports a conflict; a read-only tab keeps its edits
// until it owns the workspace.
import { serializeNotebook } from './ipynb';
import type { Notebook } from './model';
import type { NotebookMeta, NotebookStore, SaveResult, StoreMessage } from './store';
import { errorMessage } from '../shared/errors';

export type SaveState = 'saved' | 'pending' | 'saving' | 'conflict' | 'error' | 'readonly';

export interface SaveStateDetail {
  state: SaveState;
  /** For 'conflict' and 'error': what happened and what the user can do. */
  message?: string;
}

export interface AutosaveOptions {
  /** Quiet time after the last change before writing. Default 250 ms. */
  delayMs?: number;
  /** Longest a change waits while edits keep coming. Default 1000 ms. */
  maxWaitMs?: number;
  /** False while another tab owns the workspace: changes wait (state 'readonly'). Default: always writable. */
  writable?: () => boolean;
}

const READ_ONLY =
  'Another tab owns the workspace, so edits here are not saved yet. Take over ("Edit files here instead") to save them, or download the notebook.';

/** Events: `state` (CustomEvent<SaveStateDetail>); `stale` (CustomEvent<{ id }>: another tab saved the open notebook and this tab has no unsaved edit, so the page can reload it). */
export class Autosave extends EventTarget {
  readonly #store: NotebookStore;
  readonly #delayMs: number;
  readonly #maxWaitMs: number;
  readonly #writable: () => boolean;
  /** Changes not written because this tab was read-only. */
  #held = false;
  /** The notebook's text as last loaded or saved here: held "changes" that equal it are none (an editor's echo). */
  #base = '';
  #meta: NotebookMeta | undefined;
  #read: (() => Notebook) | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #firstPending = 0;
  #state: SaveState = 'saved';
  #message: string | undefined;
  #writing: Promise<unknown> = Promise.resolve();
  /** Writes and renames queued or running (this one included while it runs). */
  #queued = 0;

  constructor(store: NotebookStore, options: AutosaveOptions = {}) {
    super();
    this.#store = store;
    this.#delayMs = options.delayMs ?? 250;
    this.#maxWaitMs = options.maxWaitMs ?? 1000;
    this.#writable = options.writable ?? (() => true);
    store.addEventListener('message', (event) => this.#onStoreMessage((event as CustomEvent<StoreMessage>).detail));
  }

  get state(): SaveState {
    return this.#state;
  }
  get message(): string | undefined {
    return this.#message;
  }
  get meta(): NotebookMeta | undefined {
    return this.#meta;
  }

  /** Start saving another notebook (the previous one is flushed first). */
  async attach(meta: NotebookMeta, read: () => Notebook): Promise<void> {
    await this.flush();
    this.#meta = meta;
    this.#read = read;
    this.#held = false;
    this.#base = serializeNotebook(read());
    this.#setState(this.#writable() ? 'saved' : 'readonly', this.#writable() ? undefined : READ_ONLY);
  }

  /** True when this tab holds changes it could not write (read-only); they are written by `resume`. */
  get held(): boolean {
    return this.#held;
  }

  /** The tab became writable (or read-only): write what was held, or show the mode. */
  async resume(): Promise<void> {
    if (!this.#writable()) {
      if (this.#state === 'saved') this.#setState('readonly', READ_ONLY);
      return;
    }
    if (this.#state !== 'readonly') return;
    if (!this.#held) return this.#setState('saved');
    this.#setState('pending');
    await this.flush();
  }

  /** The notebook changed: write it soon. */
  changed(): void {
    // In a conflict nothing is written until the user chooses (keepMine / updateMeta).
    if (!this.#meta || this.#state === 'conflict') return;
    if (!this.#writable()) {
      this.#held = true;
      this.#setState('readonly', READ_ONLY);
      return;
    }
    const now = Date.now();
    if (this.#state !== 'pending') this.#firstPending = now;
    this.#setState('pending');
    clearTimeout(this.#timer);
    const wait = Math.max(0, Math.min(this.#delayMs, this.#firstPending + this.#maxWaitMs - now));
    this.#timer = setTimeout(() => void this.flush(), wait);
  }

  /** Write pending changes now (also called on page hide). */
  async flush(): Promise<SaveResult | undefined> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#state !== 'pending') {
      await this.#writing;
      return undefined;
    }
    return this.#write(false);
  }

  /** Resolve a conflict by overwriting the other tab's version with this one. */
  keepMine(): Promise<SaveResult | undefined> {
    return this.#write(true);
  }

  /** The meta after a rename or reload, so the next save is based on the right revision. */
  updateMeta(meta: NotebookMeta): void {
    this.#meta = meta;
    if (this.#state === 'conflict') this.#setState('saved');
  }

  /** The page replaced the notebook with the stored version `meta`: edits held here are gone. */
  reloaded(meta: NotebookMeta): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#meta = meta;
    this.#held = false;
    if (this.#read) this.#base = serializeNotebook(this.#read());
    this.#setState(this.#writable() ? 'saved' : 'readonly', this.#writable() ? undefined : READ_ONLY);
  }

  /**
   * Rename or move the open notebook (NotebookStore.rename: `name` in its folder, or a path from the
   * tree's root). The state is 'saving' from this call until the file is written under its new
   * name and `onRenamed` has run (the page remembers the new id there), so 'saved' means a reload
   * opens the new name. Edits not yet written are written first, under the old name. Resolves with
   * the new meta; undefined when nothing was renamed (the file is gone, or the pending write met a
   * conflict: its state says so). Rejects with the store's error; the file keeps its old name then.
   */
  rename(name: string, onRenamed: (meta: NotebookMeta) => void): Promise<NotebookMeta | undefined> {
    if (this.#state === 'conflict')
      return Promise.reject(
        new Error('Not renamed: this notebook has a conflict with another tab. Keep this version or load the other first.'),
      );
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const unsaved = this.#state === 'pending' || this.#state === 'error';
    // Synchronously: a page that reads the state right after the name was entered sees the rename.
    this.#setState('saving');
    return this.#enqueue(async () => {
      if (unsaved && (await this.#saveNow(false, false))?.status !== 'saved') return undefined;
      const meta = this.#meta;
      if (!meta) return undefined;
      this.#setState('saving');
      let renamed: NotebookMeta | undefined;
      try {
        renamed = await this.#store.rename(meta.id, name);
        if (renamed) {
          this.#meta = renamed;
          onRenamed(renamed);
        }
      } finally {
        this.#settle();
      }
      return renamed;
    });
  }

  #write(force: boolean): Promise<SaveResult | undefined> {
    return this.#enqueue(() => this.#saveNow(force));
  }

  /** Run `work` after the writes queued before it (one write at a time, in order). */
  #enqueue<T>(work: () => Promise<T>): Promise<T> {
    this.#queued++;
    const run = () => work().finally(() => this.#queued--);
    const next = this.#writing.then(run, run);
    this.#writing = next.catch(() => undefined);
    return next;
  }

  /** 'saved', unless changes or writes are still waiting ('pending'). */
  #settle(): void {
    this.#setState(this.#timer === undefined && this.#queued <= 1 ? 'saved' : 'pending');
  }

  /** `settle`: false when more of the same step follows (a rename): the state stays 'saving'. */
  async #saveNow(force: boolean, settle = true): Promise<SaveResult | undefined> {
    const meta = this.#meta;
    const read = this.#read;
    if (!meta || !read) return undefined;
    if (!this.#writable()) {
      this.#held = true;
      this.#setState('readonly', READ_ONLY);
      return undefined;
    }
    this.#setState('saving');
    let result: SaveResult;
    const notebook = read();
    try {
      result = await this.#store.save(meta.id, notebook, meta.rev, { force });
    } catch (error) {
      this.#setState('error', storageMessage(error));
      return undefined;
    }
    if (this.#meta?.id !== meta.id) return result;
    if (result.status === 'saved') {
      this.#meta = result.meta;
      this.#held = false;
      this.#base = serializeNotebook(notebook);
      // Changes made while writing are still pending.
      if (settle) this.#settle();
    } else if (result.status === 'conflict') {
      this.#setState(
        'conflict',
        'This notebook was changed in another tab or window. Your edits here are not saved: keep this version (overwrites the other) or load the other version (discards the edits here).',
      );
    } else {
      this.#setState('conflict', 'This notebook was deleted in another tab. Keep this version to save it again, or download it.');
    }
    return result;
  }

  #onStoreMessage(message: StoreMessage): void {
    const meta = this.#meta;
    if (!meta) return;
    const ours = message.kind === 'cleared' || ('id' in message && message.id === meta.id);
    // A rename is followed by the page (updateMeta); a save of this very text is no conflict.
    if (!ours || message.kind === 'renamed' || message.kind === 'created') return;
    if (message.kind === 'saved' && message.rev === meta.rev) return;
    // Nothing unsaved here: the page shows the new version (a `stale` event), nothing is lost.
    const clean = this.#state === 'saved' || (this.#state === 'readonly' && (!this.#held || this.#unchanged()));
    if (message.kind === 'saved' && clean) {
      this.dispatchEvent(new CustomEvent<{ id: string }>('stale', { detail: { id: meta.id } }));
      return;
    }
    this.#setState(
      'conflict',
      message.kind === 'saved'
        ? 'This notebook was changed in another tab or window. Load that version, or keep this one (overwrites the other).'
        : 'This notebook was deleted in another tab. Keep this version to save it again, or download it.',
    );
  }

  #unchanged(): boolean {
    return this.#read !== undefined && serializeNotebook(this.#read()) === this.#base;
  }

  #setState(state: SaveState, message?: string): void {
    this.#state = state;
    this.#message = message;
    this.dispatchEvent(new CustomEvent<SaveStateDetail>('state', { detail: { state, message } }));
  }
}

function storageMessage(error: unknown): string {
  const name = error instanceof DOMException ? error.name : '';
  if (name === 'QuotaExceededError') {
    return 'Browser storage is full, so this notebook is not saved. Download it (.ipynb), then delete notebooks you no longer need or clear large outputs.';
  }
  return `Saving to browser storage failed (${errorMessage(error)}). Download the notebook (.ipynb) to keep your work.`;
}
