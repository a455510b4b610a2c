// The notebook page: one runtime, the notebook file open in this tab (a workspace .ipynb, saved
// by autosave), the notebook list, and the header's controls.
import '../components/py-notebook';
import '../components/py-status';
import { createRuntime, type AnyRuntime } from '../runtime/runtime';
import { widgetHostFor } from '../widgets/host';
import { NotebookWidgets } from './notebook-widgets';
import { Autosave } from '../notebook/autosave';
import { serializeNotebook } from '../notebook/ipynb';
import { newNotebook, type Notebook } from '../notebook/model';
import { NotebookSession, type ChangeDetail } from '../notebook/session';
import { NotebookStore, parentOf, type NotebookMeta, type StoreMessage, type StoredNotebook } from '../notebook/store';
import { folderDisk, memoryDisk, opfsDisk, WORKSPACE_SCOPE } from '../notebook/notebook-disk';
import { describeMigration, migrateLegacyNotebooks } from '../notebook/migrate';
import { setUpReset } from './reset';
import { setUpOffline } from './offline-view';
import { downloadText, fetchNotebookFile, notices, onNotebookDrop, parseImport } from './notebook-io';
import { showSaveState } from './save-state';
import { loadDeploymentConfig, type DeploymentConfig } from './config';
import { setupFilesPanel } from './files-panel';
import { acquireWorkspaceLock } from './workspace-lock';
import { renderNotebookList } from './notebook-list';
import { errorMessage } from '../shared/errors';
import { setUpTheme } from './theme-switch';
import { describeChoice, jupyterOptions, runtimeChoices, sameChoice, setUpPicker, type RuntimeChoice } from './runtime-picker';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const nameField = $<HTMLInputElement>('name');
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
const offline = setUpOffline(config);
let runtime: AnyRuntime = startRuntime(choice);
notebookElement.completer = (code, cursor) => runtime.complete(code, cursor);
const runtimeButton = $('runtime-button');
const picker = setUpPicker($<HTMLDialogElement>('runtime-dialog'), (picked) => {
  if (meta && store.disk.scope === WORKSPACE_SCOPE) runtimeChoices.save(meta.id, picked);
  // Same server again: reconnect (the token may have changed). Same browser runtime: keep its variables.
  useRuntime(picked, picked.kind === 'jupyter');
});
runtimeButton.addEventListener('click', () => picker.open(choice));

function startRuntime(next: RuntimeChoice): AnyRuntime {
  const started =
    next.kind === 'jupyter'
      ? createRuntime(jupyterOptions(next))
      : createRuntime({ ...config, workspaceWritable: () => workspaceLock.owned, workspaceFolder: () => filesPanel.folder() });
  statusElement.runtime = started;
  // Live widgets on either runtime: Pyodide's comm channel or the Jupyter kernel's comms.
  notebookElement.widgets = widgets.useHost(widgetHostFor(started, { trusted: false }));
  filesPanel.attach(started);
  offline.watch(started);
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

// ---- notebooks: .ipynb files in the workspace, or in the local folder the user opened ----
const workspaceDisk = (await opfsDisk().catch(() => undefined)) ?? memoryDisk();
const store = new NotebookStore({
  disk: workspaceDisk,
  // The worker's copy of the tree reads what the page wrote (a notebook `%run` or the file list sees).
  onWritten: (paths) => void (filesPanel.files.available ? filesPanel.files.reload(paths).catch(() => undefined) : undefined),
});
const autosave = new Autosave(store, { writable: () => workspaceLock.owned });
let meta: NotebookMeta;
let session: NotebookSession;
if (configError) notices.error(`pyloom.json ignored: ${configError}`);
if (workspaceDisk.kind === 'memory') {
  notices.error(
    'This browser gives no file storage to this page (no Origin Private File System), so notebooks are kept only until it closes. Use Download .ipynb to keep your work.',
  );
}

function onSessionChange(event: Event): void {
  if ((event as CustomEvent<ChangeDetail>).detail.persist) autosave.changed();
}

/** Show a notebook file in this tab (the runtime and its variables are kept); its folder becomes Python's cwd. */
async function show(stored: StoredNotebook): Promise<void> {
  await autosave.flush();
  meta = stored.meta;
  // A local folder's notebooks run where the folder is mounted: this browser (choices are the workspace's).
  useRuntime(store.disk.scope === WORKSPACE_SCOPE ? runtimeChoices.for(meta.id) : choice);
  if (session?.runtime === runtime) session.replace(stored.notebook);
  else {
    session = new NotebookSession(stored.notebook, runtime);
    session.addEventListener('change', onSessionChange);
    notebookElement.session = session;
  }
  notebookElement.widgets = widgets.open(stored.notebook);
  await autosave.attach(meta, () => widgets.save(session.notebook));
  // Not awaited: cells run after them wait in the worker until the files are there.
  filesPanel.setNotebookFolder(parentOf(meta.id));
  void filesPanel.fetchCompanions(stored.notebook.metadata);
  showName();
  if (workspaceLock.owned) store.setLastOpened(meta.id);
  await refreshList();
}

function showName(): void {
  nameField.value = meta.name;
  nameField.title = meta.id;
  document.title = `${meta.name} — Pyloom`;
}

/** False (and a banner saying what to do) when another tab owns the workspace. */
function canWrite(action: string): boolean {
  if (workspaceLock.owned) return true;
  notices.error(`Not ${action}: another tab owns the workspace. Choose "Edit files here instead" first.`);
  return false;
}

async function createAndShow(name: string, notebook: Notebook, folder = meta ? parentOf(meta.id) : ''): Promise<void> {
  if (!canWrite('created')) return;
  await show({ meta: await store.create(name, notebook, folder), notebook });
}

async function openById(id: string): Promise<void> {
  try {
    const stored = await store.load(id);
    if (stored) await show(stored);
    else notices.error(`"${id}" is no longer in the workspace (deleted or renamed in another tab?).`);
  } catch (error) {
    notices.error(errorMessage(error));
  }
}

async function importBytes(bytes: ArrayBuffer | string, name: string): Promise<void> {
  if (!canWrite(`opened (${name})`)) return;
  const notebook = parseImport(bytes, name);
  if (notebook) await createAndShow(name, notebook);
}

// A .ipynb opened in the file browser is that file: the notebooks' disk is the tree the panel shows.
filesPanel.element.addEventListener('open-notebook', (event) => void openById(event.detail.path));
// A local folder opened or closed: its notebooks are edited in place, then the workspace's again.
filesPanel.onFolderChange(async (folder) => {
  await autosave.flush();
  store.useDisk(folder ? folderDisk(folder) : workspaceDisk);
  await openLastOrNew();
});

async function openFile(file: File): Promise<void> {
  try {
    await importBytes(await file.arrayBuffer(), file.name);
  } catch (error) {
    notices.error(`Could not read ${file.name}: ${errorMessage(error)}`);
  }
}

async function refreshList(): Promise<void> {
  // Autosave calls this every second while typing: read the workspace only while the list is shown.
  if (listPanel.hidden) return;
  renderNotebookList(listPanel, await store.list(), meta?.id, {
    open: (id) => void openById(id),
    duplicate: async (id) => {
      if (!canWrite('duplicated')) return;
      await autosave.flush();
      const copy = await store.duplicate(id).catch((error: unknown) => void notices.error(errorMessage(error)));
      if (copy) await openById(copy.id);
    },
    remove: async (id) => {
      if (!canWrite('deleted') || !confirm(`Delete ${id} from the workspace? This cannot be undone.`)) return;
      await store.delete(id);
      if (id === meta.id) {
        const next = (await store.list())[0];
        if (next) await openById(next.id);
        else await createAndShow('Untitled', newNotebook(), '');
      } else {
        await refreshList();
      }
    },
  });
}

// ---- save state, conflicts between tabs, and live refresh of a tab that only reads ----
showSaveState(
  autosave,
  (written) => {
    if (written) filesPanel.keepStorage();
    void refreshList();
  },
  () => (store.disk.kind === 'folder' ? 'Saved to the folder' : 'Saved in this browser'),
);
/** Show the stored version of the open notebook (another tab's), discarding what this tab held. */
async function loadTheirs(): Promise<boolean> {
  const stored = await store.load(meta.id).catch((error: unknown) => void notices.error(errorMessage(error)));
  if (!stored) return false;
  meta = stored.meta;
  session.replace(stored.notebook);
  notebookElement.widgets = widgets.open(stored.notebook);
  autosave.reloaded(stored.meta);
  showName();
  return true;
}
autosave.addEventListener('stale', () => void loadTheirs());
$('load-theirs').addEventListener('click', async () => {
  if (!(await store.disk.exists(meta.id))) {
    notices.error('The other tab deleted this notebook; there is no other version to load. Keep this version to save it again.');
    return;
  }
  await loadTheirs();
});
$('keep-mine').addEventListener('click', async () => {
  if (!canWrite('saved')) return;
  const result = await autosave.keepMine();
  if (result?.status === 'missing') await createAndShow(meta.name, session.notebook, parentOf(meta.id));
});
store.addEventListener('message', (event) => {
  const message = (event as CustomEvent<StoreMessage>).detail;
  // Another tab renamed the open notebook: follow it (saves go to the new path).
  if (message.kind === 'renamed' && meta && message.id === meta.id) {
    meta = { ...meta, id: message.to, name: message.to.slice(message.to.lastIndexOf('/') + 1) };
    autosave.updateMeta({ ...meta, rev: autosave.meta?.rev ?? meta.rev });
    showName();
  }
  void refreshList();
});
// The lock moved: a tab that took over writes what it held (checked against the file's revision).
filesPanel.onOwnerChange(() => void autosave.resume());

// ---- header controls ----
nameField.addEventListener('change', async () => {
  if (canWrite('renamed')) {
    try {
      // The save state shows the rename until the file is written and remembered under its new name.
      await autosave.rename(nameField.value, (renamed) => {
        if (store.disk.scope === WORKSPACE_SCOPE) runtimeChoices.save(renamed.id, runtimeChoices.for(meta.id));
        meta = renamed;
        store.setLastOpened(renamed.id);
      });
    } catch (error) {
      notices.error(errorMessage(error));
    }
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
$('download').addEventListener('click', () => downloadText(serializeNotebook(widgets.save(session.notebook)), meta.name));
$('toggle-list').addEventListener('click', () => {
  listPanel.hidden = !listPanel.hidden;
  $('toggle-list').setAttribute('aria-expanded', String(!listPanel.hidden));
  void refreshList();
});
setUpReset(
  $('reset'),
  () => ({ files: filesPanel.files, folderOpen: filesPanel.folder() !== undefined, workspace: workspaceDisk, store }),
  canWrite,
  (message) => notices.error(message),
);
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

onNotebookDrop((file) => void openFile(file));

// ---- start: move the old browser store, then ?open=, the notebook last open, the newest, or a new one ----
async function start(): Promise<void> {
  if (workspaceLock.owned && workspaceDisk.kind === 'opfs') {
    const report = await migrateLegacyNotebooks(store);
    if (report.lastOpened && !store.lastOpened()) store.setLastOpened(report.lastOpened);
    const moved = describeMigration(report);
    if (moved) notices.warnings(moved.summary, moved.details.length ? moved.details : report.moved.map((m) => m.path));
  }
  const open = new URLSearchParams(location.search).get('open');
  const fetched = open ? await fetchNotebookFile(open) : undefined;
  if (fetched && workspaceLock.owned) return importBytes(fetched.bytes, fetched.name);
  await openLastOrNew();
}

/** Open the notebook shown last in the store's tree, else its newest, else a new one. */
async function openLastOrNew(): Promise<void> {
  const last = store.lastOpened();
  const stored = (last && (await store.load(last).catch(() => undefined))) || (await firstStored());
  if (stored) await show(stored);
  else if (workspaceLock.owned) await createAndShow('Untitled', newNotebook(), '');
  else throw new Error('the workspace has no notebook yet and another tab owns it');
}

async function firstStored(): Promise<StoredNotebook | undefined> {
  for (const listed of await store.list()) {
    const stored = await store.load(listed.id).catch(() => undefined);
    if (stored) return stored;
  }
  return undefined;
}

await start().catch((error: unknown) => {
  notices.error(
    `No notebook could be opened from the workspace, so nothing will be saved here: ${errorMessage(error)}. Use Download .ipynb to keep your work.`,
  );
  session ??= new NotebookSession(newNotebook(), runtime);
  notebookElement.session = session;
});

// For tests and the console: the objects behind the page.
Object.assign(window, {
  pyloomApp: {
    get runtime() {
      return runtime;
    },
    store,
    autosave,
    files: filesPanel.files,
    get session() {
      return session;
    },
    get meta() {
      return meta;
    },
  },
});
