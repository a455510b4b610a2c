// The notebook page: one runtime, the notebook open in this tab, files in and out, autosave to
// this browser, and the list of notebooks kept here.
import '../components/py-notebook';
import '../components/py-status';
import { createRuntime, type AnyRuntime } from '../runtime/runtime';
import { widgetHostFor } from '../widgets/host';
import { NotebookWidgets } from './notebook-widgets';
import { Autosave, type SaveStateDetail } from '../notebook/autosave';
import { NotebookFileError, parseNotebook, serializeNotebook } from '../notebook/ipynb';
import { newNotebook, type Notebook } from '../notebook/model';
import type { Progress } from '../protocol';
import { NotebookSession, type ChangeDetail } from '../notebook/session';
import { NotebookStore, type NotebookMeta } from '../notebook/store';
import { clearOfflineCache, offlineStatus, registerOffline, type OfflineState } from '../offline/register';
import { clearSnapshots, snapshotBytes } from '../offline/snapshots';
import { loadDeploymentConfig, type DeploymentConfig } from './config';
import { setupFilesPanel } from './files-panel';
import { acquireWorkspaceLock } from './workspace-lock';
import { renderNotebookList } from './notebook-list';
import { errorMessage } from '../shared/errors';
import { setUpTheme } from './theme-switch';
import { describeChoice, jupyterOptions, runtimeChoices, sameChoice, setUpPicker, type RuntimeChoice } from './runtime-picker';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const nameField = $<HTMLInputElement>('name');
const saveState = $('save-state');
const notebookElement = document.querySelector('py-notebook')!;
const statusElement = document.querySelector('py-status')!;
const listPanel = $('notebook-list');
setUpTheme($<HTMLSelectElement>('theme'));

// ---- runtime ----
let configError = '';
const config: DeploymentConfig = await loadDeploymentConfig().catch((error: unknown) => {
  configError = errorMessage(error);
  return {};
});
// Where code runs is chosen per notebook (runtime-picker.ts); the page starts with the choice of
// the notebook shown last, so a notebook on a Jupyter server does not boot Pyodide for nothing.
let choice: RuntimeChoice = runtimeChoices.last();
// Before the runtime: its worker boots writable only in the tab that owns the workspace.
const workspaceLock = await acquireWorkspaceLock();
const widgets = new NotebookWidgets();
widgets.onChange = () => autosave.changed();
const filesPanel = setupFilesPanel(workspaceLock);
let runtime: AnyRuntime = startRuntime(choice);
notebookElement.completer = (code, cursor) => runtime.complete(code, cursor);
const runtimeButton = $('runtime-button');
const picker = setUpPicker($<HTMLDialogElement>('runtime-dialog'), (picked) => {
  if (meta) runtimeChoices.save(meta.id, picked);
  // Same server again: reconnect (the token may have changed). Same browser runtime: keep its variables.
  useRuntime(picked, picked.kind === 'jupyter');
});
runtimeButton.addEventListener('click', () => picker.open(choice));

function startRuntime(next: RuntimeChoice): AnyRuntime {
  const started =
    next.kind === 'jupyter' ? createRuntime(jupyterOptions(next)) : createRuntime({ ...config, workspaceWritable: () => workspaceLock.owned, workspaceFolder: () => filesPanel.folder() });
  statusElement.runtime = started;
  // Live widgets on either runtime: Pyodide's comm channel or the Jupyter kernel's comms.
  notebookElement.widgets = widgets.useHost(widgetHostFor(started, { trusted: false }));
  filesPanel.attach(started);
  watchDownloads(started);
  if (next.kind === 'jupyter') {
    // A wrong or missing token (not kept unless asked) opens the picker to type it.
    started.ready.catch((error: unknown) => {
      if (runtime === started) picker.open(next, errorMessage(error));
    });
  }
  return started;
}

/** Run this tab's notebook on `next` (a new runtime unless it is the current one); outputs are kept. */
function useRuntime(next: RuntimeChoice, force = false): void {
  runtimeChoices.shown(next);
  $('runtime-button').textContent = `Runs: ${describeChoice(next)}`;
  if (!force && sameChoice(next, choice)) return;
  choice = next;
  runtime.dispose();
  runtime = startRuntime(next);
  if (session) {
    session = new NotebookSession(session.notebook, runtime);
    session.addEventListener('change', onSessionChange);
    notebookElement.session = session;
  }
}

// ---- offline: the service worker caches the app, Pyodide and every package used ----
const offlineView = $('offline');
const clearOffline = $('clear-offline');
async function showOffline(known?: OfflineState): Promise<void> {
  const state = known ?? (await offlineStatus());
  const snapshot = await snapshotBytes().catch(() => 0);
  const size = `${((state.cachedBytes + snapshot) / 1e6).toFixed(1)} MB cached`;
  offlineView.textContent = !state.supported
    ? `Offline use unavailable: ${state.reason ?? 'not supported here'}`
    : state.ready
      ? `Ready offline · ${size}${state.packages ? ` (${state.packages} package file${state.packages === 1 ? '' : 's'})` : ''}${snapshot ? ' · warm start' : ''}`
      : `Caching for offline use… ${state.reason ?? ''}`;
  offlineView.title = offlineView.textContent;
  clearOffline.hidden = !state.supported && snapshot === 0;
}
// Not awaited: the first visit's runtime boots while the app is being cached. What it fetched
// before the service worker took control (the deployment config, a custom lock file) is fetched
// again through it, so an offline visit finds them.
const fetchedEarly = [new URL('pyloom.json', document.baseURI).href, ...(config.lockFileURL ? [new URL(config.lockFileURL, document.baseURI).href] : [])];
if (config.offline === false) {
  offlineView.textContent = 'Offline use turned off (pyloom.json)';
} else {
  registerOffline({ alsoCache: fetchedEarly, ...(config.isolation ? { isolation: config.isolation } : {}) }).then(
    (state) => void showOffline(state),
    (error: unknown) => (offlineView.textContent = `Offline cache failed: ${errorMessage(error)}`),
  );
}
// Packages a cell loads are cached as they arrive: refresh the figure when the runtime settles
// after a download (not after every cell: the status asks the service worker and walks the caches).
let downloaded = false;
function watchDownloads(watched: AnyRuntime): void {
  watched.addEventListener('progress', (event) => {
    if ((event as CustomEvent<Progress>).detail.kind === 'download') downloaded = true;
  });
  watched.addEventListener('status', (event) => {
    if (config.offline === false || !downloaded || (event as CustomEvent<{ status: string }>).detail.status !== 'idle') return;
    downloaded = false;
    void showOffline().catch(() => undefined);
  });
}
clearOffline.addEventListener('click', async () => {
  if (!confirm('Remove the offline copy of Pyloom, Pyodide and the packages (notebooks are kept)? The next visit downloads them again.')) return;
  await clearOfflineCache();
  await clearSnapshots();
  await showOffline();
});

// ---- notebooks kept in this browser ----
const store = new NotebookStore();
const autosave = new Autosave(store);
let meta: NotebookMeta;
let session: NotebookSession;

function showFileError(message: string): void {
  $('file-error-text').textContent = message;
  $('file-error').hidden = false;
}
function showWarnings(summary: string, warnings: string[]): void {
  $('file-warnings-text').textContent = summary;
  $('file-warnings-list').textContent = warnings.join('\n');
  $('file-warnings').hidden = warnings.length === 0;
}
$('file-error-close').addEventListener('click', () => ($('file-error').hidden = true));
$('file-warnings-close').addEventListener('click', () => ($('file-warnings').hidden = true));
if (configError) showFileError(`pyloom.json ignored: ${configError}`);

function onSessionChange(event: Event): void {
  if ((event as CustomEvent<ChangeDetail>).detail.persist) autosave.changed();
}

/** Show a stored notebook in this tab (the runtime and its variables are kept). */
async function show(stored: { meta: NotebookMeta; notebook: Notebook }): Promise<void> {
  await autosave.flush();
  meta = stored.meta;
  useRuntime(runtimeChoices.for(meta.id));
  if (session?.runtime === runtime) session.replace(stored.notebook);
  else {
    session = new NotebookSession(stored.notebook, runtime);
    session.addEventListener('change', onSessionChange);
    notebookElement.session = session;
  }
  notebookElement.widgets = widgets.open(stored.notebook);
  await autosave.attach(meta, () => widgets.save(session.notebook));
  // Not awaited: cells run after it wait in the worker until the files are there.
  void filesPanel.fetchCompanions(stored.notebook.metadata);
  showName();
  await store.setLastOpened(meta.id);
  await refreshList();
}

function showName(): void {
  nameField.value = meta.name;
  document.title = `${meta.name} — Pyloom`;
}

async function createAndShow(name: string, notebook: Notebook): Promise<void> {
  const created = await store.create(name, notebook);
  await show({ meta: created, notebook });
}

async function openById(id: string): Promise<void> {
  const stored = await store.load(id);
  if (stored) await show(stored);
  else showFileError('That notebook is no longer in this browser (deleted in another tab?).');
}

/** Parse a file's bytes; on success it becomes a new notebook here, on failure nothing changes. */
async function importNotebook(bytes: ArrayBuffer | string, name: string): Promise<void> {
  $('file-error').hidden = true;
  let result;
  try {
    result = parseNotebook(bytes, name);
  } catch (error) {
    const reason = error instanceof NotebookFileError ? error.message : `unexpected error: ${String(error)}`;
    showFileError(`Could not open ${name}: ${reason} The notebook you had open is unchanged.`);
    return;
  }
  await createAndShow(name, result.notebook);
  showWarnings(`${name} was opened with ${result.warnings.length} change${result.warnings.length === 1 ? '' : 's'}:`, result.warnings);
}

// A .ipynb opened in the file browser: shown as a notebook of this browser (a copy of the file).
filesPanel.element.addEventListener('open-notebook', (event) => {
  const { path } = event.detail;
  void filesPanel.files.read(path).then((blob) => openFile(new File([blob], path.split('/').pop() ?? path)), (error: unknown) => showFileError(String(error)));
});

async function openFile(file: File): Promise<void> {
  try {
    await importNotebook(await file.arrayBuffer(), file.name);
  } catch (error) {
    showFileError(`Could not read ${file.name}: ${errorMessage(error)}`);
  }
}

/** `?open=<url>`: a same-origin or CORS-enabled notebook file. */
async function openFromUrl(url: string): Promise<boolean> {
  let response: Response;
  const name = decodeURIComponent(new URL(url, location.href).pathname.split('/').pop() || 'notebook.ipynb');
  try {
    response = await fetch(new URL(url, location.href));
  } catch {
    showFileError(`Could not fetch ${url}: the server is unreachable or does not allow cross-origin reads (CORS). Download the file and open it with Open….`);
    return false;
  }
  if (!response.ok) {
    showFileError(`Could not fetch ${url}: HTTP ${response.status} ${response.statusText}.`);
    return false;
  }
  await importNotebook(await response.arrayBuffer(), name);
  return true;
}

function download(): void {
  const text = serializeNotebook(widgets.save(session.notebook));
  const url = URL.createObjectURL(new Blob([text], { type: 'application/x-ipynb+json' }));
  const link = Object.assign(document.createElement('a'), { href: url, download: meta.name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

async function refreshList(): Promise<void> {
  // Autosave calls this every second while typing: read the store only while the list is shown.
  if (listPanel.hidden) return;
  renderNotebookList(listPanel, await store.list(), meta?.id, {
    open: (id) => void openById(id),
    duplicate: async (id) => {
      await autosave.flush();
      const copy = await store.duplicate(id);
      if (copy) await openById(copy.id);
    },
    remove: async (id) => {
      const target = (await store.list()).find((m) => m.id === id);
      if (!target || !confirm(`Delete ${target.name} from this browser? This cannot be undone.`)) return;
      await store.delete(id);
      if (id === meta.id) {
        const next = (await store.list())[0];
        if (next) await openById(next.id);
        else await createAndShow('Untitled', newNotebook());
      } else {
        await refreshList();
      }
    },
  });
}

// ---- save state and conflicts between tabs ----
autosave.addEventListener('state', (event) => {
  const { state, message } = (event as CustomEvent<SaveStateDetail>).detail;
  saveState.dataset['state'] = state;
  saveState.textContent = { saved: 'Saved in this browser', pending: 'Saving…', saving: 'Saving…', conflict: 'Not saved: conflict', error: 'Not saved' }[state];
  saveState.title = saveState.textContent; // the header may shorten it with an ellipsis
  $('conflict').hidden = state !== 'conflict' && state !== 'error';
  $('conflict-text').textContent = message ?? '';
  $('load-theirs').hidden = state !== 'conflict';
  $('keep-mine').textContent = state === 'error' ? 'Try again' : 'Keep this version';
  if (state === 'saved') void refreshList();
});
$('load-theirs').addEventListener('click', async () => {
  const stored = await store.load(meta.id);
  if (!stored) {
    showFileError('The other tab deleted this notebook; there is no other version to load. Keep this version to save it again.');
    return;
  }
  meta = stored.meta;
  session.replace(stored.notebook);
  autosave.updateMeta(stored.meta);
  showName();
});
$('keep-mine').addEventListener('click', async () => {
  const result = await autosave.keepMine();
  if (result?.status === 'missing') await createAndShow(meta.name, session.notebook);
});
store.addEventListener('message', () => void refreshList());

// ---- header controls ----
nameField.addEventListener('change', async () => {
  const renamed = await store.rename(meta.id, nameField.value);
  if (renamed) {
    meta = renamed;
    autosave.updateMeta({ ...renamed, rev: autosave.meta?.rev ?? renamed.rev });
  }
  showName();
  await refreshList();
});
$('new').addEventListener('click', () => void createAndShow('Untitled', newNotebook()));
$<HTMLInputElement>('open-file').addEventListener('change', (event) => {
  const input = event.target as HTMLInputElement;
  const file = input.files?.[0];
  input.value = '';
  if (file) void openFile(file);
});
$('download').addEventListener('click', download);
$('toggle-list').addEventListener('click', () => {
  listPanel.hidden = !listPanel.hidden;
  $('toggle-list').setAttribute('aria-expanded', String(!listPanel.hidden));
  void refreshList();
});
$('reset').addEventListener('click', async () => {
  if (!confirm('Delete every notebook, output, workspace file, setting and offline file Pyloom keeps in this browser? Download what you want to keep first.')) return;
  try {
    await filesPanel.files.clear();
  } catch (error) {
    showFileError(`Workspace files were not erased: ${errorMessage(error)}`);
    return;
  }
  await store.clearAll();
  await clearOfflineCache().catch(() => undefined);
  await clearSnapshots().catch(() => undefined);
  location.replace(location.pathname);
});
document.addEventListener('keydown', (event) => {
  if ((event.ctrlKey || event.metaKey) && event.key === 's') {
    event.preventDefault(); // autosave already keeps it; Ctrl+S only writes now
    void autosave.flush();
  }
});
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'hidden') void autosave.flush();
});
window.addEventListener('pagehide', () => void autosave.flush());

// Drag and drop a .ipynb anywhere on the page.
document.addEventListener('dragover', (event) => {
  if (!event.dataTransfer?.types.includes('Files')) return;
  event.preventDefault();
  document.body.classList.add('dragging');
});
document.addEventListener('dragleave', (event) => {
  if (event.relatedTarget === null) document.body.classList.remove('dragging');
});
document.addEventListener('drop', (event) => {
  document.body.classList.remove('dragging');
  const file = event.dataTransfer?.files[0];
  if (!file) return;
  event.preventDefault();
  void openFile(file);
});

// ---- start: ?open=, else the notebook last open here, else the newest, else a new one ----
async function start(): Promise<void> {
  const open = new URLSearchParams(location.search).get('open');
  if (open && (await openFromUrl(open))) return;
  const last = await store.lastOpened();
  const stored = (last && (await store.load(last))) || (await firstStored());
  if (stored) await show(stored);
  else await createAndShow('Untitled', newNotebook());
}

async function firstStored() {
  const newest = (await store.list())[0];
  return newest ? store.load(newest.id) : undefined;
}

await start().catch((error: unknown) => {
  // IndexedDB can be unavailable (private windows of some browsers): work without saving.
  showFileError(`Browser storage is unavailable, so nothing will be saved here: ${errorMessage(error)}. Use Download .ipynb to keep your work.`);
  session ??= new NotebookSession(newNotebook(), runtime);
  notebookElement.session = session;
});

// For tests and the console: the objects behind the page.
Object.assign(window, { pyloomApp: { get runtime() { return runtime; }, store, autosave, files: filesPanel.files, get session() { return session; }, get meta() { return meta; } } });
