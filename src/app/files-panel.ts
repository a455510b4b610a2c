// The notebook page's file browser panel: <py-files> on the runtime's workspace, shown or hidden
// by the Files button (remembered in this browser), the two-tab mode (the owner tells read-only tabs
// what changed, they reload it), Python's working directory (the open notebook's folder), and a
// local folder opened in its place.
import '../components/py-files';
import { Runtime, type AnyRuntime } from '../runtime/runtime';
import { errorMessage } from '../shared/errors';
import { notebookCompanionFiles } from '../workspace/companion';
import { WorkspaceFiles } from '../workspace/files';
import type { WorkspaceLock } from './workspace-lock';

const SHOWN_KEY = 'pyloom.files-panel';

export interface FilesPanel {
  files: WorkspaceFiles;
  element: HTMLElementTagNameMap['py-files'];
  /** Fetch a notebook's companion data (metadata pyloom.files); problems are shown in the panel. */
  fetchCompanions(metadata: Record<string, unknown>): Promise<void>;
  /** Show the workspace of this runtime (the page's runtime changed). */
  attach(runtime: AnyRuntime): void;
  /** The folder on disk the user opened as the workspace (RuntimeOptions.workspaceFolder), if any. */
  folder(): FileSystemDirectoryHandle | undefined;
  /** Python's working directory from now on and after each (re)start: the open notebook's folder. */
  setNotebookFolder(path: string): void;
  /**
   * Called when a local folder was opened (its handle) or closed (undefined), once the runtime's
   * restart on it has begun: the page moves its notebooks there. A rejection is shown in the panel.
   */
  onFolderChange(listener: (folder: FileSystemDirectoryHandle | undefined) => Promise<void>): void;
  /** Called after this tab gained or lost the workspace (after the worker has reloaded it). */
  onOwnerChange(listener: (owned: boolean) => void): void;
  /** The user saved something (a notebook, a file): ask once that the browser keep this site's storage. */
  keepStorage(): void;
}

/** What the owning tab tells read-only tabs: these workspace paths changed ('' the whole tree). */
const CHANGES = 'pyloom:workspace-changes';

// The File System Access API members TypeScript's DOM library leaves out (Chromium has them).
declare global {
  interface Window {
    showDirectoryPicker?(options?: { id?: string; mode?: 'read' | 'readwrite' }): Promise<FileSystemDirectoryHandle>;
  }
  interface FileSystemHandle {
    requestPermission?(descriptor: { mode: 'read' | 'readwrite' }): Promise<PermissionState>;
  }
}

/**
 * Wire the panel (aside#files-panel), its toggle (#toggle-files) and the read-only banner
 * (#read-only, #take-over) to `runtime`'s workspace and the two-tab `lock`.
 */
export function setupFilesPanel(lock: WorkspaceLock): FilesPanel {
  const files = new WorkspaceFiles();
  const panel = document.getElementById('files-panel')!;
  const toggle = document.getElementById('toggle-files')!;
  const element = document.createElement('py-files');
  element.files = files;
  panel.append(element);
  const show = (shown: boolean) => {
    panel.hidden = !shown;
    toggle.setAttribute('aria-expanded', String(shown));
    localStorage.setItem(SHOWN_KEY, shown ? '1' : '0');
  };
  show(localStorage.getItem(SHOWN_KEY) !== '0');
  toggle.addEventListener('click', () => show(panel.hidden));
  // A restarted worker mounts the workspace again: list what it sees, and enter the notebook's folder.
  let cwd = '';
  let starting = true;
  const onStatus = (event: Event) => {
    const { status } = (event as CustomEvent<{ status: string }>).detail;
    if (status === 'starting') starting = true;
    if (status !== 'idle') return;
    if (starting && cwd) void files.setWorkingDirectory(cwd).catch(() => undefined);
    starting = false;
    void element.refresh();
  };
  let current: AnyRuntime | undefined;
  const attach = (runtime: AnyRuntime) => {
    current?.removeEventListener('status', onStatus);
    current = runtime;
    runtime.addEventListener('status', onStatus);
    files.attach(runtime);
  };
  const banner = document.getElementById('read-only')!;
  const takeOver = document.getElementById('take-over') as HTMLButtonElement;
  const ownerListeners: ((owned: boolean) => void)[] = [];
  const showOwner = (owned: boolean) => {
    banner.hidden = owned;
    element.readOnly = !owned;
  };
  // Live refresh: the owner posts every change; a read-only tab's worker reads those paths again.
  const changes = typeof BroadcastChannel === 'function' ? new BroadcastChannel(CHANGES) : undefined;
  files.addEventListener('change', (event) => {
    if (lock.owned) changes?.postMessage((event as CustomEvent<{ paths: string[] }>).detail.paths);
  });
  changes?.addEventListener('message', (event: MessageEvent<string[]>) => {
    if (lock.owned || !files.available) return;
    void files.reload(event.data.includes('') ? null : event.data).catch(() => undefined);
  });
  lock.connect({
    // Python's unsaved changes are stored before the other tab reads the workspace.
    beforeRelease: () => files.setWritable(false),
    onChange: (owned) => {
      showOwner(owned);
      // Taken over: the worker reads the workspace again (the other tab changed it).
      const reloaded = owned && files.available ? files.setWritable(true).then(() => element.refresh()) : Promise.resolve();
      void reloaded.catch(() => undefined).then(() => ownerListeners.forEach((listener) => listener(owned)));
    },
  });
  takeOver.addEventListener('click', async () => {
    takeOver.disabled = true;
    try {
      await lock.takeOver();
    } finally {
      takeOver.disabled = false;
    }
  });
  // Once something is saved, ask the browser not to clear this site's storage under pressure.
  let asked = false;
  const keepStorage = () => {
    if (asked || !files.available || typeof navigator.storage?.persist !== 'function') return;
    asked = true;
    void navigator.storage.persist().then(
      (granted) => (element.persisted = granted),
      () => undefined,
    );
  };
  files.addEventListener('change', (event) => {
    const { paths, reloaded } = (event as CustomEvent<{ paths: string[]; reloaded: boolean }>).detail;
    if (!reloaded && paths.some((path) => path !== '')) keepStorage();
  });
  void navigator.storage?.persisted?.().then(
    (granted) => (element.persisted = granted),
    () => undefined,
  );
  const fetchCompanions = async (metadata: Record<string, unknown>) => {
    if (!files.available) return;
    const { files: list, errors } = notebookCompanionFiles(metadata, document.baseURI);
    const failures = list.length ? await files.fetchCompanions(list).catch((error: unknown) => [String(error)]) : [];
    const problems = [...errors, ...failures];
    if (problems.length) element.message = { text: `Companion data: ${problems.join('; ')}` };
  };
  // A folder on disk: the runtime restarts with it as its workspace (the worker mounts it as it
  // mounts the browser's store); closing it restarts on the browser's workspace again.
  let folder: FileSystemDirectoryHandle | undefined;
  const folderListeners: ((folder: FileSystemDirectoryHandle | undefined) => Promise<void>)[] = [];
  element.addEventListener('local-folder', async (event) => {
    let next: FileSystemDirectoryHandle | undefined;
    if (event.detail.open) {
      try {
        next = await window.showDirectoryPicker?.({ id: 'pyloom-workspace', mode: 'readwrite' });
        const permission = await next?.requestPermission?.({ mode: 'readwrite' });
        if (permission && permission !== 'granted') throw new Error('the browser did not allow writing to that folder');
      } catch (error) {
        // Cancelling the picker is not a problem to report.
        if (!(error instanceof DOMException && error.name === 'AbortError'))
          element.message = { text: `The folder was not opened: ${errorMessage(error)}` };
        return;
      }
      if (!next) return;
    }
    if (!(current instanceof Runtime)) {
      element.message = { text: "This notebook runs on a Jupyter server: its files are that server's, not a folder on this computer" };
      return;
    }
    folder = next;
    element.localFolder = folder?.name;
    element.message = undefined;
    // The restart begins first (synchronously), so the cwd of the notebook the page opens next goes to the new worker.
    const restarted = current.restart(folder ? `working on the folder "${folder.name}" on disk` : "working on the browser's workspace");
    const failed = (error: unknown) => void (element.message = { text: errorMessage(error) });
    for (const listener of folderListeners) await listener(folder).catch(failed);
    await restarted.catch(failed);
    void element.refresh();
  });
  const setNotebookFolder = (path: string) => {
    cwd = path;
    if (files.available) void files.setWorkingDirectory(path).catch(() => undefined);
  };
  return {
    files,
    element,
    fetchCompanions,
    attach,
    folder: () => folder,
    setNotebookFolder,
    onFolderChange: (listener) => void folderListeners.push(listener),
    onOwnerChange: (listener) => void ownerListeners.push(listener),
    keepStorage,
  };
}
