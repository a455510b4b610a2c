// <py-files>: the workspace file browser — a folder's entries with sizes, upload (pickers and
// drag-and-drop of files and folders), new folder/file, rename or move, delete, download (folders
// as zip), a view of text files and images, and the workspace's size and the browser's quota.
import { html, LitElement, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { FileEntry, WorkspaceUsage } from '../protocol';
import { filesStyles } from './py-files-styles';
import { closePreview, previewOf, previewView, usageLine, type Preview } from './py-files-view';
import { itemsFromDrop, itemsFromPicker } from '../workspace/drop';
import { formatBytes, joinPath, type UploadItem, type WorkspaceFiles } from '../workspace/files';
import { errorMessage } from '../shared/errors';

/** The workspace path of the .ipynb the user opened. */
export interface OpenNotebookDetail {
  path: string;
}

/** Open a folder on disk as the workspace (`open: true`) or go back to the browser's workspace. */
export interface LocalFolderDetail {
  open: boolean;
}

/** Why a folder on disk cannot be opened here, and what to do instead. */
export const NO_LOCAL_FOLDERS =
  'Opening a folder on your disk needs the File System Access API, which only Chromium-based browsers (Chrome, Edge, Opera) have. ' +
  'Use "Upload folder" to copy a folder into the workspace instead (download it again as a zip with ⬇).';

/**
 * @fires open-notebook - CustomEvent<{ path: string }>: the user opened a .ipynb file.
 * @fires local-folder - CustomEvent<LocalFolderDetail>: Open local folder / Close folder pressed
 *   (only where window.showDirectoryPicker exists; elsewhere the panel explains and offers upload).
 * @csspart list - the entries of the folder shown.
 */
export class PyFiles extends LitElement {
  static override styles = filesStyles;

  @property({ attribute: false }) files: WorkspaceFiles | undefined;
  @property({ type: Boolean, attribute: 'read-only' }) readOnly = false;
  /** The name of the folder on disk that is the workspace now; undefined: the browser's workspace. */
  @property({ attribute: false }) localFolder: string | undefined;
  @state() folder = '';
  @state() entries: FileEntry[] | undefined;
  @state() usage: WorkspaceUsage | undefined;
  @state() busy = '';
  @state() message: { text: string; info?: boolean } | undefined;
  @state() preview: Preview;
  @state() dragging = false;
  /** navigator.storage.persisted(): true when the browser will not clear the files under pressure. */
  @property({ attribute: false }) persisted: boolean | undefined;
  #listening: WorkspaceFiles | undefined;
  #onChange = () => void this.refresh();
  #onError = (event: Event) => (this.message = { text: (event as CustomEvent<{ message: string }>).detail.message });

  override updated(): void {
    if (this.files === this.#listening) return;
    this.#listening?.removeEventListener('change', this.#onChange);
    this.#listening?.removeEventListener('error', this.#onError);
    this.#listening = this.files;
    this.files?.addEventListener('change', this.#onChange);
    this.files?.addEventListener('error', this.#onError);
    void this.refresh();
  }

  /** Read the folder shown and the usage again. */
  async refresh(): Promise<void> {
    const files = this.files;
    if (!files) return;
    try {
      this.entries = await files.list(this.folder);
    } catch (error) {
      // The folder went away (deleted, or another tab): show the root instead.
      if (this.folder !== '') {
        this.folder = '';
        return this.refresh();
      }
      this.message = { text: errorMessage(error) };
    }
    this.usage = await files.usage().catch(() => undefined);
  }

  /** Run one user action, showing its error (the workspace is unchanged by a failed action). */
  async #act(label: string, run: (files: WorkspaceFiles) => Promise<void>): Promise<void> {
    if (!this.files) return;
    this.busy = label;
    this.message = undefined;
    try {
      await run(this.files);
    } catch (error) {
      this.message = { text: errorMessage(error) };
    } finally {
      this.busy = '';
      await this.refresh();
    }
  }

  /** Upload items, reporting which file is on its way. */
  upload(items: UploadItem[]): Promise<void> {
    return this.#act('Uploading', (files) =>
      files.upload(items, ({ done, total, path }) => {
        this.busy = path ? `Uploading ${path} (${done + 1} of ${total})…` : '';
      }),
    );
  }

  #pick(event: Event): void {
    const input = event.target as HTMLInputElement;
    const items = itemsFromPicker(input.files ?? [], this.folder);
    input.value = '';
    if (items.length) void this.upload(items);
  }

  #drop(event: DragEvent): void {
    this.dragging = false;
    if (!event.dataTransfer || this.readOnly) return;
    event.preventDefault();
    event.stopPropagation(); // the page's own drop handler opens notebooks; this one uploads
    void itemsFromDrop(event.dataTransfer, this.folder).then(
      (items) => this.upload(items),
      (error: unknown) => (this.message = { text: `Could not read the dropped files: ${errorMessage(error)}` }),
    );
  }

  #dragOver(event: DragEvent): void {
    if (this.readOnly || !event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    event.stopPropagation();
    this.dragging = true;
  }

  #newFolder(): void {
    const name = prompt('Name of the new folder:');
    if (name) void this.#act('Creating', async (files) => void (await files.mkdir(joinPath(this.folder, name))));
  }

  #newFile(): void {
    const name = prompt('Name of the new file:', 'untitled.py');
    if (!name) return;
    void this.#act('Creating', async (files) => {
      const path = joinPath(this.folder, name);
      if (await files.stat(path)) throw new Error(`"${path}" already exists; choose another name`);
      await files.write(path, '');
    });
  }

  #rename(entry: FileEntry): void {
    const target = prompt(`Rename or move "${entry.path}" to (a path in the workspace):`, entry.path);
    if (target && target !== entry.path) void this.#act('Moving', async (files) => void (await files.move(entry.path, target)));
  }

  #delete(entry: FileEntry): void {
    const what = entry.kind === 'directory' ? `the folder "${entry.path}" and everything in it` : `"${entry.path}"`;
    if (!confirm(`Delete ${what}? This cannot be undone.`)) return;
    void this.#act('Deleting', async (files) => {
      await files.remove(entry.path);
      if (this.preview?.path === entry.path) this.#closePreview();
    });
  }

  async #open(entry: FileEntry): Promise<void> {
    if (entry.kind === 'directory') {
      this.folder = entry.path;
      this.#closePreview();
      await this.refresh();
      return;
    }
    if (entry.name.endsWith('.ipynb')) {
      this.dispatchEvent(
        new CustomEvent('open-notebook', { detail: { path: entry.path } satisfies OpenNotebookDetail, bubbles: true, composed: true }),
      );
      return;
    }
    await this.#act('Opening', async (files) => {
      const blob = await files.read(entry.path);
      this.#closePreview();
      this.preview = await previewOf(entry, blob);
      if (!this.preview)
        this.message = {
          text: `"${entry.path}" (${formatBytes(blob.size)}) has no view here; download it or read it from Python.`,
          info: true,
        };
    });
  }

  #closePreview(): void {
    closePreview(this.preview);
    this.preview = undefined;
  }

  /** Arrow keys move between entries, Delete deletes, F2 renames. */
  #keydown(event: KeyboardEvent, entry: FileEntry): void {
    const row = (event.target as HTMLElement).closest('li');
    const go = (next: Element | null | undefined) => next?.querySelector<HTMLElement>('.name')?.focus();
    if (event.key === 'ArrowDown') go(row?.nextElementSibling);
    else if (event.key === 'ArrowUp') go(row?.previousElementSibling);
    else if (event.key === 'Delete' && !this.readOnly) this.#delete(entry);
    else if (event.key === 'F2' && !this.readOnly) this.#rename(entry);
    else return;
    event.preventDefault();
  }

  #crumbs() {
    const parts = this.folder ? this.folder.split('/') : [];
    const go = (path: string) => {
      this.folder = path;
      this.#closePreview();
      void this.refresh();
    };
    return html`<nav aria-label="Folder">
      <button type="button" @click=${() => go('')}>workspace</button>${parts.map(
        (part, i) => html` / <button type="button" @click=${() => go(parts.slice(0, i + 1).join('/'))}>${part}</button>`,
      )}
    </nav>`;
  }

  #row(entry: FileEntry) {
    const ro = this.readOnly;
    return html`<li>
      <button type="button" class="name" aria-label="${entry.kind === 'directory' ? 'Folder' : 'File'} ${entry.name}"
        @click=${() => void this.#open(entry)} @keydown=${(e: KeyboardEvent) => this.#keydown(e, entry)}>${entry.kind === 'directory' ? '📁 ' : ''}${entry.name}</button>
      <span class="size">${formatBytes(entry.size)}</span>
      <span class="actions">
        <button type="button" aria-label="Download ${entry.name}" title="Download${entry.kind === 'directory' ? ' as zip' : ''}"
          @click=${() => void this.#act('Preparing download', (files) => files.download(entry))}>⬇</button>
        <button type="button" aria-label="Rename or move ${entry.name}" title="Rename or move (F2)" ?disabled=${ro} @click=${() => this.#rename(entry)}>✎</button>
        <button type="button" aria-label="Delete ${entry.name}" title="Delete (Del)" ?disabled=${ro} @click=${() => this.#delete(entry)}>🗑</button>
      </span>
    </li>`;
  }

  #localFolder(): void {
    if (!('showDirectoryPicker' in window)) {
      this.message = { text: NO_LOCAL_FOLDERS, info: true };
      this.renderRoot.querySelector<HTMLInputElement>('input[webkitdirectory]')?.focus();
      return;
    }
    this.dispatchEvent(
      new CustomEvent('local-folder', {
        detail: { open: this.localFolder === undefined } satisfies LocalFolderDetail,
        bubbles: true,
        composed: true,
      }),
    );
  }

  override render() {
    const ro = this.readOnly || !this.files;
    return html`
      <div class="bar" role="toolbar" aria-label="Workspace files">
        <label class="button" ?hidden=${ro}>Upload files<input class="hidden-input" type="file" multiple aria-label="Upload files" @change=${this.#pick} /></label>
        <label class="button" ?hidden=${ro}>Upload folder<input class="hidden-input" type="file" webkitdirectory aria-label="Upload folder" @change=${this.#pick} /></label>
        <button type="button" ?disabled=${ro} @click=${this.#newFolder}>New folder</button>
        <button type="button" ?disabled=${ro} @click=${this.#newFile}>New file</button>
        <button type="button" @click=${() => void this.refresh()}>Refresh</button>
        <button type="button" title="Python restarts working on that folder" @click=${this.#localFolder}>${this.localFolder === undefined ? 'Open local folder' : 'Close local folder'}</button>
      </div>
      ${this.localFolder === undefined ? nothing : html`<div class="usage">Working on the folder “${this.localFolder}” on your disk</div>`}
      ${this.#crumbs()}
      <div role="status" aria-live="polite">${this.busy ? html`<div class="message info">${this.busy}</div>` : nothing}</div>
      ${this.message ? html`<div class="message ${this.message.info ? 'info' : ''}" role="alert">${this.message.text}</div>` : nothing}
      <ul part="list" aria-label="Files in ${this.folder || 'the workspace'}" class=${this.dragging ? 'dragging' : ''}
        @dragover=${this.#dragOver} @dragleave=${() => (this.dragging = false)} @drop=${this.#drop}>
        ${
          this.entries === undefined
            ? html`<li class="empty">Loading…</li>`
            : this.entries.length === 0
              ? html`<li class="empty">${ro ? 'No files.' : 'No files yet: drop files or folders here, or use Upload.'}</li>`
              : this.entries.map((entry) => this.#row(entry))
        }
      </ul>
      ${usageLine(this.usage, this.persisted)}
      ${previewView(this.preview, () => this.#closePreview())}
    `;
  }
}

customElements.define('py-files', PyFiles);

declare global {
  interface HTMLElementTagNameMap {
    'py-files': PyFiles;
  }
  interface HTMLElementEventMap {
    'open-notebook': CustomEvent<OpenNotebookDetail>;
    'local-folder': CustomEvent<LocalFolderDetail>;
  }
}
