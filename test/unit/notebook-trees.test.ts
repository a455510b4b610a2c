// The notebooks' tree follows the page: a local folder opened in place of the browser's workspace
// (its own scope: other tabs are not told, its "last opened" does not replace the workspace's), and
// "Reset all browser data" erasing the browser's workspace page-side when Python is not this tab's
// in-browser worker (a Jupyter server) or the worker works on a local folder (never erased).
import { afterEach, describe, expect, test } from 'vitest';
import { newCell, newNotebook } from '../../src/notebook/model';
import { memoryDisk, WORKSPACE_SCOPE, type NotebookDisk } from '../../src/notebook/notebook-disk';
import { NotebookStore, type StoreMessage } from '../../src/notebook/store';
import { eraseWorkspace } from '../../src/app/reset';
import { WorkspaceFiles } from '../../src/workspace/files';

let channel = 0;
const opened: NotebookStore[] = [];
afterEach(() => {
  for (const store of opened.splice(0)) store.close();
});
const storeOn = (disk: NotebookDisk, name: string, tabId: string) => {
  const items = new Map<string, string>();
  const memory = {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  };
  const store = new NotebookStore({ disk, tabId, channel: name, memory });
  opened.push(store);
  return store;
};

/** A local folder as the page sees it: its own tree and scope (in memory here; folderDisk in Chromium). */
function localFolder(name: string): NotebookDisk {
  return { ...memoryDisk(), kind: 'folder', scope: `folder:${name}` };
}

/** The next message `store` is told. */
function nextMessage(store: NotebookStore): Promise<StoreMessage> {
  return new Promise((resolve) =>
    store.addEventListener('message', (event) => resolve((event as CustomEvent<StoreMessage>).detail), { once: true }),
  );
}

describe('a local folder in place of the workspace', () => {
  test('notebooks are created, saved and renamed in the folder; switching back finds the workspace notebooks', async () => {
    const workspace = memoryDisk();
    const folder = localFolder('project');
    const store = storeOn(workspace, `trees-${++channel}`, 'a');
    const inWorkspace = await store.create('home', newNotebook([newCell('code', 'workspace')]));
    store.setLastOpened(inWorkspace.id);
    store.useDisk(folder);
    expect(await store.list()).toEqual([]);
    const made = await store.create('analysis', newNotebook([newCell('code', 'on disk')]), 'sub');
    expect(made.id).toBe('sub/analysis.ipynb');
    store.setLastOpened(made.id);
    const saved = await store.save(made.id, newNotebook([newCell('code', 'edited on disk')]), made.rev);
    expect(saved.status).toBe('saved');
    const renamed = await store.rename(made.id, 'final');
    expect(renamed?.id).toBe('sub/final.ipynb');
    expect((await folder.read('sub/final.ipynb'))?.text).toContain('edited on disk');
    expect(await folder.exists('sub/analysis.ipynb')).toBe(false);
    // Nothing of the folder went to the browser's workspace, and its "last opened" is its own.
    expect((await workspace.listNotebooks()).map((e) => e.path)).toEqual(['home.ipynb']);
    expect(store.lastOpened()).toBe('sub/analysis.ipynb');
    store.useDisk(workspace);
    expect(store.lastOpened()).toBe('home.ipynb');
    expect((await store.list()).map((n) => n.id)).toEqual(['home.ipynb']);
  });

  test("a tab on a local folder neither tells nor hears the workspace's tabs", async () => {
    const workspace = memoryDisk();
    const name = `trees-${++channel}`;
    const onFolder = storeOn(workspace, name, 'folder-tab');
    const other = storeOn(workspace, name, 'workspace-tab');
    const wire = new BroadcastChannel(name);
    const posted: StoreMessage[] = [];
    let seen: (message: StoreMessage) => void = () => undefined;
    wire.addEventListener('message', (event: MessageEvent<StoreMessage>) => {
      posted.push(event.data);
      seen(event.data);
    });
    try {
      onFolder.useDisk(localFolder('project'));
      const heardByFolderTab: StoreMessage[] = [];
      onFolder.addEventListener('message', (event) => heardByFolderTab.push((event as CustomEvent<StoreMessage>).detail));
      // The folder tab creates 'same.ipynb' in its folder, then a workspace tab its own 'same.ipynb':
      // only the second is on the channel.
      await onFolder.create('same', newNotebook());
      const workspaceMessage = new Promise<StoreMessage>((resolve) => (seen = resolve));
      await other.create('same', newNotebook());
      expect(await workspaceMessage).toMatchObject({ kind: 'created', id: 'same.ipynb', scope: WORKSPACE_SCOPE, writer: 'workspace-tab' });
      expect(posted).toHaveLength(1);
      // A message about this folder reaches the folder tab; the workspace's, delivered before it, did not.
      const probe: StoreMessage = { kind: 'created', id: 'probe.ipynb', scope: 'folder:project', writer: 'test' };
      const heard = nextMessage(onFolder);
      wire.postMessage(probe);
      expect(await heard).toEqual(probe);
      expect(heardByFolderTab).toEqual([probe]);
    } finally {
      wire.close();
    }
  });
});

describe('Reset all browser data erases the workspace', () => {
  test('while the notebook runs on a Jupyter server: page-side, notebooks included', async () => {
    const workspace = memoryDisk();
    const store = storeOn(workspace, `trees-${++channel}`, 'a');
    await store.create('kept until reset', newNotebook());
    await workspace.write('data/input.csv', 'a,b\n');
    store.setLastOpened('kept until reset.ipynb');
    // No runtime attached: the files panel of a page whose Python is a Jupyter server's.
    const files = new WorkspaceFiles();
    expect(files.available).toBe(false);
    await expect(files.clear()).rejects.toThrow('Jupyter server');
    expect(await eraseWorkspace({ files, folderOpen: false, workspace, store })).toBe('page');
    expect(await workspace.listNotebooks()).toEqual([]);
    expect(await workspace.exists('data/input.csv')).toBe(false);
    expect(store.lastOpened()).toBeUndefined();
  });

  test('while a local folder is open: the browser workspace page-side, never the folder through the worker', async () => {
    const workspace = memoryDisk();
    await workspace.write('home.ipynb', '{}');
    const cleared: string[] = [];
    // The worker's workspace is the folder then: its clear() would erase the user's folder.
    const files = { available: true, clear: async () => void cleared.push('folder erased by the worker') };
    const store = storeOn(workspace, `trees-${++channel}`, 'a');
    expect(await eraseWorkspace({ files, folderOpen: true, workspace, store })).toBe('page');
    expect(cleared).toEqual([]);
    expect(await workspace.exists('home.ipynb')).toBe(false);
    // With the browser's workspace mounted, the worker erases it (it holds Python's copy of the files).
    expect(await eraseWorkspace({ files, folderOpen: false, workspace, store })).toBe('worker');
    expect(cleared).toEqual(['folder erased by the worker']);
  });
});
