// Notebooks as workspace files, as a user meets them: notebooks saved by the previous release
// (IndexedDB) appear as files with their outputs, and a read-only second tab follows what the
// writing tab changes.
import { expect, test, type Page } from '@playwright/test';
import { openCells, openNotebook, openNotebookEditor } from './notebook-page';
import { countPersistCalls } from './persist-calls';

const editorOf = (page: Page, n: number) =>
  page
    .locator('py-cell')
    .nth(n - 1)
    .locator('.cm-content');
const entry = (page: Page, name: string) => page.locator('py-files').getByRole('button', { name: `File ${name}`, exact: true });
async function typeInto(page: Page, n: number, text: string): Promise<void> {
  await editorOf(page, n).click();
  await page.keyboard.type(text);
}
const savedHere = (page: Page) => expect(page.locator('#save-state')).toHaveText('Saved in this browser');

test('notebooks saved by the previous release appear in the workspace with their outputs, once', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto('/test/e2e/pages/legacy-store.html');
  await page.waitForFunction(() => 'legacyStore' in window);
  // Written by the previous release's store module itself (test/unit/helpers/legacy-notebook-store.ts).
  await page.evaluate(async () => {
    type Legacy = { create(name: string, nb: unknown): Promise<{ id: string }>; setLastOpened(id: string): Promise<void> };
    const legacy = (window as unknown as { legacyStore: Legacy }).legacyStore;
    const cell = (source: string, outputs: unknown[]) => ({
      id: `c-${source.length}`,
      cell_type: 'code',
      metadata: {},
      source,
      execution_count: 2,
      outputs,
    });
    const notebook = (cells: unknown[]) => ({
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { kernelspec: { name: 'python3', display_name: 'Python 3' } },
      cells,
    });
    await legacy.create('scratch', notebook([cell('x = 1', [])]));
    const kept = await legacy.create(
      'results',
      notebook([
        cell('print("saved before the move")\n6 * 7', [
          { output_type: 'stream', name: 'stdout', text: 'saved before the move\n' },
          { output_type: 'execute_result', execution_count: 2, data: { 'text/plain': '42' }, metadata: {} },
        ]),
      ]),
    );
    await legacy.setLastOpened(kept.id);
  });
  await openNotebook(page);
  await expect(page.locator('#name')).toHaveValue('results.ipynb');
  await expect(page.locator('#file-warnings')).toContainText('2 notebooks saved in this browser are now files in the workspace');
  const output = page.locator('py-cell').first().locator('py-output');
  await expect(output).toContainText('saved before the move');
  await expect(output).toContainText('42');
  await expect(entry(page, 'results.ipynb')).toBeVisible();
  await expect(entry(page, 'scratch.ipynb')).toBeVisible();
  // The file is the notebook as Jupyter writes it, outputs included; Python reads it as a file.
  await page.reload();
  await expect(page.locator('py-status')).toContainText('Python idle', { timeout: 120_000 });
  await expect(page.locator('#name')).toHaveValue('results.ipynb');
  await expect(page.locator('py-cell').first().locator('py-output')).toContainText('saved before the move');
  await expect(page.locator('#file-warnings')).toBeHidden(); // nothing is moved twice
  const text = await page.evaluate(async () => {
    const files = (window as unknown as { pyloomApp: { files: { read(path: string): Promise<Blob> } } }).pyloomApp.files;
    return (await files.read('results.ipynb')).text();
  });
  expect(JSON.parse(text).cells[0].outputs[1].data['text/plain']).toEqual(['42']);
  // The old records are gone once their files were written and read back.
  const left = await page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('pyloom');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const keys = open.result.transaction('notebooks').objectStore('notebooks').getAllKeys();
          keys.onsuccess = () => resolve(keys.result.filter((key) => String(key).startsWith('meta:')).length);
        };
      }),
  );
  expect(left).toBe(0);
});

test('a read-only tab follows the writing tab: the open notebook and the file list refresh live', async ({ page, context }) => {
  test.setTimeout(240_000);
  await openNotebook(page);
  await openCells(page, 'shared.ipynb', ['tab = "one"']);
  await expect(page.locator('#save-state')).toHaveText('Saved in this browser');
  const other = await context.newPage();
  await openNotebook(other);
  await expect(other.locator('#read-only')).toBeVisible();
  await expect(other.locator('#name')).toHaveValue('shared.ipynb');
  await expect(editorOf(other, 1)).toHaveText('tab = "one"');
  // The writing tab edits: the read-only tab (no edits of its own) shows the new version, no banner.
  await editorOf(page, 1).click();
  await page.keyboard.press('End');
  await page.keyboard.type(' # edited in tab one');
  await expect(page.locator('#save-state')).toHaveText('Saved in this browser');
  await expect(editorOf(other, 1)).toHaveText('tab = "one" # edited in tab one');
  await expect(other.locator('#conflict')).toBeHidden();
  // Python in the writing tab writes a file: the read-only tab lists it, and its Python reads it.
  await editorOf(page, 1).click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('open("live.txt", "w").write("from tab one")');
  await page.keyboard.press('Shift+Enter');
  await expect(entry(page, 'live.txt')).toBeVisible();
  await expect(entry(other, 'live.txt')).toBeVisible();
  // The run's result and the cell Shift+Enter added reach the read-only tab (the writer's last saves).
  await expect(page.locator('#save-state')).toHaveText('Saved in this browser');
  await expect(other.locator('py-cell')).toHaveCount(2);
  await expect(other.locator('py-cell').first().locator('py-output')).toContainText('12');
  // Edits typed in the read-only tab are held, not written, and not replaced by the other tab's saves.
  await editorOf(other, 1).click();
  await other.keyboard.press('End');
  await other.keyboard.type(' # and in tab two');
  await expect(other.locator('#save-state')).toHaveText('Not saved: read-only');
  await editorOf(page, 1).click();
  await page.keyboard.press('End');
  await page.keyboard.type(' # again');
  await expect(page.locator('#save-state')).toHaveText('Saved in this browser');
  const banner = other.locator('#conflict');
  await expect(banner).toContainText('changed in another tab');
  await expect(editorOf(other, 1)).toHaveText(/# and in tab two$/);
  await other.getByRole('button', { name: 'Load the other version' }).click();
  await expect(editorOf(other, 1)).toHaveText('open("live.txt", "w").write("from tab one") # again');
  await expect(banner).toBeHidden();
});

test('two tabs on one notebook: the stale tab is told and chooses, nothing is lost silently', async ({ page, context }) => {
  await openNotebook(page);
  await typeInto(page, 1, 'tab = "one"');
  await savedHere(page);
  const other = await context.newPage();
  await openNotebook(other);
  await expect(editorOf(other, 1)).toHaveText('tab = "one"');
  // The second tab is read-only (the first owns the workspace): its edits are held, not written.
  await typeInto(other, 1, ' # and in tab two');
  await expect(other.locator('#save-state')).toHaveText('Not saved: read-only');
  // The first tab edits; the second learns of it at once and keeps its own edits until it chooses.
  await typeInto(page, 1, ' # edited in tab one');
  await savedHere(page);
  const banner = other.locator('#conflict');
  await expect(banner).toBeVisible();
  await expect(banner).toContainText('changed in another tab');
  await expect(editorOf(other, 1)).toHaveText('tab = "one" # and in tab two');
  await expect(other.locator('#save-state')).toHaveText('Not saved: conflict');
  await other.getByRole('button', { name: 'Load the other version' }).click();
  await expect(editorOf(other, 1)).toHaveText('tab = "one" # edited in tab one');
  await expect(banner).toBeHidden();
});

test('saving a notebook asks once that the browser keep this site storage (navigator.storage.persist)', async ({ page }) => {
  const persistCalls = await countPersistCalls(page);
  await openNotebookEditor(page);
  expect(await persistCalls()).toBe(0); // opening is not saving
  await typeInto(page, 1, 'kept = True');
  await expect.poll(persistCalls).toBe(1);
  await typeInto(page, 1, ' # and again');
  await savedHere(page);
  expect(await persistCalls()).toBe(1);
});

/** Every file under `folder` of this origin's OPFS ('workspace': the browser's workspace), sorted. */
function filesIn(page: Page, folder: string): Promise<string[]> {
  return page.evaluate(async (name) => {
    const out: string[] = [];
    const walk = async (dir: FileSystemDirectoryHandle, prefix: string): Promise<void> => {
      for await (const [entryName, handle] of dir.entries()) {
        if (handle.kind === 'directory') await walk(handle as FileSystemDirectoryHandle, `${prefix}${entryName}/`);
        else out.push(`${prefix}${entryName}`);
      }
    };
    await walk(await (await navigator.storage.getDirectory()).getDirectoryHandle(name, { create: true }), '');
    return out.sort();
  }, folder);
}

const readPicked = (page: Page, path: string) =>
  page.evaluate(async (parts) => {
    let dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('picked-folder');
    for (const part of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(part);
    return (await (await dir.getFileHandle(parts[parts.length - 1]!)).getFile()).text();
  }, path.split('/'));

const oneCell = (source: string) =>
  JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [{ id: 'c0', cell_type: 'code', metadata: {}, source, outputs: [], execution_count: null }],
  });

// Playwright cannot answer the OS folder dialog: as in files.spec, showDirectoryPicker returns a
// folder of the Origin Private File System, a genuine FileSystemDirectoryHandle.
test("a local folder's notebooks are edited in place: run in their folder, saved and renamed on disk; closing returns to the workspace's; Reset all leaves the folder", async ({
  page,
}) => {
  test.setTimeout(300_000);
  await page.addInitScript(() => {
    window.showDirectoryPicker = async () => (await navigator.storage.getDirectory()).getDirectoryHandle('picked-folder', { create: true });
  });
  await openNotebook(page);
  await openCells(page, 'home.ipynb', ['home = 1']);
  await savedHere(page);
  // On "disk" before it is opened: a notebook beside its data in a subfolder, and one at the top.
  await page.evaluate(
    async ({ study, second }) => {
      const root = await (await navigator.storage.getDirectory()).getDirectoryHandle('picked-folder', { create: true });
      const put = async (dir: FileSystemDirectoryHandle, name: string, text: string) => {
        const writable = await (await dir.getFileHandle(name, { create: true })).createWritable();
        await writable.write(text);
        await writable.close();
      };
      const analysis = await root.getDirectoryHandle('analysis', { create: true });
      await put(analysis, 'data.txt', 'beside the notebook');
      await put(analysis, 'study.ipynb', study);
      await put(root, 'second.ipynb', second);
    },
    { study: oneCell('import os\nprint(os.getcwd(), open("data.txt").read())'), second: oneCell('import os\nprint(os.getcwd())') },
  );
  const before = await filesIn(page, 'workspace');
  const panel = page.locator('py-files');
  await panel.getByRole('button', { name: 'Open local folder' }).click();
  // The folder's newest notebook is open: that file, not a copy in the browser.
  await expect(page.locator('#name')).toHaveValue(/^(second|study)\.ipynb$/);
  await expect(page.locator('#save-state')).toHaveText('Saved to the folder');
  await expect(page.locator('py-status')).toContainText('Python idle', { timeout: 120_000 });
  // Opened from the file browser: the file itself; Python's cwd is its folder in the mounted tree.
  await panel.getByRole('button', { name: 'Folder analysis', exact: true }).click();
  await entry(page, 'study.ipynb').click();
  await expect(page.locator('#name')).toHaveValue('study.ipynb');
  await page.getByRole('button', { name: 'Run all', exact: true }).click();
  const output = page.locator('py-cell').first().locator('py-output');
  await expect(output).toHaveText('/workspace/analysis beside the notebook', { timeout: 60_000 });
  await expect(page.locator('#save-state')).toHaveText('Saved to the folder');
  expect(await readPicked(page, 'analysis/study.ipynb')).toContain('/workspace/analysis beside the notebook');
  // Renamed on disk; 'saved' is said once the file has its new name.
  await page.locator('#name').fill('renamed');
  await page.locator('#name').press('Enter');
  await expect(page.locator('#save-state')).toHaveText('Saved to the folder');
  expect(await filesIn(page, 'picked-folder')).toEqual(['analysis/data.txt', 'analysis/renamed.ipynb', 'second.ipynb']);
  expect(await readPicked(page, 'analysis/renamed.ipynb')).toContain('/workspace/analysis beside the notebook');
  // Nothing of the folder went into the browser's workspace.
  expect(await filesIn(page, 'workspace')).toEqual(before);

  await panel.getByRole('button', { name: 'Close local folder' }).click();
  await expect(page.locator('#name')).toHaveValue('home.ipynb');
  await expect(page.locator('#save-state')).toHaveText('Saved in this browser');
  await expect(editorOf(page, 1)).toHaveText('home = 1');
  await expect(page.locator('py-status')).toContainText('Python idle', { timeout: 120_000 });

  // Reset all while a folder is open erases the browser's data, never the folder on disk.
  await panel.getByRole('button', { name: 'Open local folder' }).click();
  await expect(page.locator('#name')).toHaveValue(/^(renamed|second)\.ipynb$/);
  const questions: string[] = [];
  page.on('dialog', (dialog) => {
    questions.push(dialog.message());
    void dialog.accept();
  });
  await page.getByRole('button', { name: 'Reset all browser data…' }).click();
  await expect(page.locator('#name')).toHaveValue('Untitled.ipynb', { timeout: 120_000 });
  expect(questions.join(' ')).toContain('The local folder you opened is not touched');
  expect(await filesIn(page, 'workspace')).not.toContain('home.ipynb');
  expect(await filesIn(page, 'picked-folder')).toEqual(['analysis/data.txt', 'analysis/renamed.ipynb', 'second.ipynb']);
});
