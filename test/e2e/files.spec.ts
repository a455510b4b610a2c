// The workspace file browser as a user drives it in Chromium: drop a CSV and a folder, read them
// from a cell, write a file from a cell, see it survive reload / Restart / warm start, download it
// byte for byte, and storage full as the browser's own quota error.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { expect, test, type Page } from '@playwright/test';
import { openCells, openNotebook } from './notebook-page';
import { countPersistCalls } from './persist-calls';

const CSV = 'name,score\nada,3\nbob,5\n';
const sha256 = (bytes: Buffer | Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const panel = (page: Page) => page.locator('py-files');
const entryName = (name: string) => ({ name: new RegExp(`^(File|Folder) ${name.replace(/\./g, '\\.')}$`) });
const entry = (page: Page, name: string) => panel(page).getByRole('button', entryName(name));
const row = (page: Page, name: string) =>
  panel(page)
    .locator('li')
    .filter({ has: page.getByRole('button', entryName(name)) });

/** Files on disk to drop: scores.csv, helpers.py, and a folder lib/ with a nested file. */
function dropFixtures(): { csv: string; helpers: string; folder: string } {
  const dir = mkdtempSync(join(tmpdir(), 'pyloom-drop-'));
  writeFileSync(join(dir, 'scores.csv'), CSV);
  writeFileSync(join(dir, 'helpers.py'), 'def total(rows):\n    return sum(int(r["score"]) for r in rows)\n');
  mkdirSync(join(dir, 'lib', 'deep'), { recursive: true });
  writeFileSync(join(dir, 'lib', 'names.txt'), 'ada\nbob\n');
  writeFileSync(join(dir, 'lib', 'deep', 'note.txt'), 'deep file');
  return { csv: join(dir, 'scores.csv'), helpers: join(dir, 'helpers.py'), folder: join(dir, 'lib') };
}

/** A real OS-level drop of files and folders on the file list (Chromium's drag input). */
async function dropOnFileList(page: Page, paths: string[]): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const box = (await panel(page).locator('ul').boundingBox())!;
  const at = { x: box.x + box.width / 2, y: box.y + Math.min(20, box.height / 2) };
  const data = { items: [], files: paths, dragOperationsMask: 1 };
  for (const type of ['dragEnter', 'dragOver', 'drop'] as const) await cdp.send('Input.dispatchDragEvent', { type, ...at, data });
  await cdp.detach();
}

/** Open a one-cell notebook, run it, and expect its output text. */
async function runCell(page: Page, name: string, source: string, output: string | RegExp): Promise<void> {
  await openCells(page, name, [source]);
  await page.getByRole('button', { name: 'Run all', exact: true }).click();
  await expect(page.locator('py-cell').first().locator('py-output')).toHaveText(output, { timeout: 60_000 });
}

test('drop a CSV and a folder, read them from Python, write out.csv, keep it across reload, Restart and warm start, download it', async ({
  page,
}) => {
  test.setTimeout(240_000); // three boots of Python on a shared machine
  const persistCalls = await countPersistCalls(page);
  await openNotebook(page);
  expect(await persistCalls()).toBe(0);
  const fixtures = dropFixtures();
  await dropOnFileList(page, [fixtures.csv, fixtures.helpers, fixtures.folder]);
  await expect(entry(page, 'scores.csv')).toBeVisible();
  await expect(entry(page, 'lib')).toBeVisible();
  await expect(row(page, 'scores.csv')).toContainText(`${CSV.length} B`);
  await expect.poll(() => persistCalls()).toBe(1);

  await runCell(
    page,
    'read.ipynb',
    [
      'import csv, helpers, os',
      'with open("scores.csv", newline="") as f:',
      '    rows = list(csv.DictReader(f))',
      'names = open("lib/names.txt").read().split()',
      'with open("out.csv", "w", newline="") as f:',
      '    csv.writer(f).writerows([["name", "score"], *[[r["name"], int(r["score"]) * 10] for r in rows]])',
      'print(os.getcwd(), helpers.total(rows), names, open("lib/deep/note.txt").read())',
    ].join('\n'),
    "/workspace 8 ['ada', 'bob'] deep file",
  );
  const expected = Buffer.from('name,score\r\nada,30\r\nbob,50\r\n');
  await expect(entry(page, 'out.csv')).toBeVisible();

  const check = 'print("|".join(open("out.csv").read().splitlines()), os.path.exists("lib/deep/note.txt"))';
  const again = async (label: string) => {
    await runCell(page, `${label}.ipynb`, `import os\n${check}`, 'name,score|ada,30|bob,50 True');
  };
  await page.reload();
  await expect(page.locator('py-status')).toContainText('Python idle', { timeout: 60_000 });
  const warm = await page.evaluate(
    () => (window as unknown as { pyloomApp: { runtime: { bootInfo?: { snapshot: string } } } }).pyloomApp.runtime.bootInfo?.snapshot,
  );
  expect(warm).toBe('restored'); // the reload was a warm start: the snapshot holds no files
  await again('after-reload');
  await expect(entry(page, 'out.csv')).toBeVisible();
  await page.getByRole('button', { name: 'Restart', exact: true }).click();
  await expect(page.locator('py-status')).toContainText('Python idle', { timeout: 60_000 });
  await again('after-restart');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    panel(page).getByRole('button', { name: 'Download out.csv' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('out.csv');
  expect(sha256(readFileSync(await download.path()))).toBe(sha256(expected));
  const [zip] = await Promise.all([page.waitForEvent('download'), panel(page).getByRole('button', { name: 'Download lib' }).click()]);
  expect(zip.suggestedFilename()).toBe('lib.zip');
  expect(
    readFileSync(await zip.path())
      .subarray(0, 2)
      .toString(),
  ).toBe('PK');
});

test('files by keyboard: new folder, rename into it, view, delete with confirmation', async ({ page }) => {
  await openNotebook(page);
  await panel(page)
    .getByLabel('Upload files')
    .setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello notes') });
  await expect(entry(page, 'notes.txt')).toBeVisible();
  page.once('dialog', (dialog) => void dialog.accept('archive'));
  await panel(page).getByRole('button', { name: 'New folder' }).click();
  await expect(entry(page, 'archive')).toBeVisible();
  await entry(page, 'notes.txt').focus();
  page.once('dialog', (dialog) => void dialog.accept('archive/notes-2026.txt'));
  await page.keyboard.press('F2');
  await expect(entry(page, 'notes.txt')).toHaveCount(0);
  await entry(page, 'archive').focus();
  await page.keyboard.press('Enter');
  await expect(entry(page, 'notes-2026.txt')).toBeVisible();
  await entry(page, 'notes-2026.txt').press('Enter');
  await expect(panel(page).getByRole('region', { name: 'View of archive/notes-2026.txt' })).toContainText('hello notes');
  let question = '';
  page.once('dialog', (dialog) => {
    question = dialog.message();
    void dialog.dismiss();
  });
  await entry(page, 'notes-2026.txt').press('Delete');
  await expect.poll(() => question).toContain('Delete "archive/notes-2026.txt"?');
  await expect(entry(page, 'notes-2026.txt')).toBeVisible(); // dismissed: kept
  page.once('dialog', (dialog) => void dialog.accept());
  await entry(page, 'notes-2026.txt').press('Delete');
  await expect(entry(page, 'notes-2026.txt')).toHaveCount(0);
  await runCell(page, 'gone.ipynb', 'import os\nprint(os.listdir("archive"))', '[]');
  // A notebook in the workspace runs from another one (%run), and a module beside it imports.
  const other = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [
      {
        id: 'a',
        cell_type: 'code',
        metadata: {},
        source: 'from helpers2 import VALUE\nanswer = VALUE * 2',
        outputs: [],
        execution_count: null,
      },
    ],
  };
  await panel(page).getByRole('button', { name: 'workspace', exact: true }).click();
  await panel(page)
    .getByLabel('Upload files')
    .setInputFiles([
      { name: 'other.ipynb', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(other)) },
      { name: 'helpers2.py', mimeType: 'text/x-python', buffer: Buffer.from('VALUE = 21\n') },
    ]);
  await expect(entry(page, 'other.ipynb')).toBeVisible();
  await runCell(page, 'runner.ipynb', '%run other.ipynb\nprint(answer)', '42');
  // Opening a notebook file from the browser shows it.
  await entry(page, 'other.ipynb').click();
  await expect(page.getByRole('textbox', { name: 'Notebook name' })).toHaveValue('other.ipynb');
  await expect(page.locator('py-cell').first()).toContainText('answer = VALUE * 2');
});

test('storage full: the upload is refused with the file name and the space, and nothing is lost', async ({ page, baseURL }) => {
  await openNotebook(page);
  await panel(page)
    .getByLabel('Upload files')
    .setInputFiles({ name: 'keep.csv', mimeType: 'text/csv', buffer: Buffer.from('a,b\n1,2\n') });
  await expect(entry(page, 'keep.csv')).toBeVisible();
  // The browser's own quota, lowered for this origin (Chromium DevTools protocol): a real QuotaExceededError path.
  const cdp = await page.context().newCDPSession(page);
  const usage = await page.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(baseURL!).origin, quotaSize: usage + 1_000_000 });
  const big = Buffer.alloc(3_000_000, 'x');
  await panel(page).getByLabel('Upload files').setInputFiles({ name: 'keep.csv', mimeType: 'text/csv', buffer: big });
  await expect(panel(page).getByRole('alert')).toContainText(
    /Storage is full: "keep\.csv" \(2\.9 MB\) was not saved because (only .* is free|the browser refused more space) for this site\. Nothing was changed\./,
  );
  await runCell(page, 'kept.ipynb', 'print(open("keep.csv").read())', 'a,b\n1,2');
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(baseURL!).origin });
  await page.reload();
  await expect(row(page, 'keep.csv')).toContainText('8 B');
});

test('two tabs: the second is read-only until it takes over; the first saves its pending writes before letting go', async ({
  page,
  context,
}) => {
  test.setTimeout(240_000);
  await openNotebook(page);
  await expect(page.locator('#read-only')).toBeHidden();
  // Written by Python just after the cell ends (not by the cell): still pending when B takes over.
  await runCell(
    page,
    'a.ipynb',
    'import asyncio\nopen("from-a.txt", "w").write("A")\nasyncio.get_event_loop().call_soon(lambda: open("late.txt", "w").write("late"))\nprint("ok")',
    'ok',
  );
  const other = await context.newPage();
  await openNotebook(other);
  await expect(other.locator('#read-only')).toBeVisible();
  await expect(panel(other).getByLabel('Upload files')).toBeHidden();
  await other.getByRole('button', { name: 'Edit files here instead' }).click();
  await expect(other.locator('#read-only')).toBeHidden();
  await expect(page.locator('#read-only')).toBeVisible();
  await expect(entry(other, 'late.txt')).toBeVisible();
  await runCell(
    other,
    'b.ipynb',
    'open("from-b.txt", "w").write("B")\nprint(open("from-a.txt").read(), open("late.txt").read())',
    'A late',
  );
  await expect(panel(page).getByRole('button', { name: 'New folder' })).toBeDisabled();
  await page.reload();
  await expect(page.locator('#read-only')).toBeVisible();
  await expect(entry(page, 'from-b.txt')).toBeVisible();
});

test('a notebook with pyloom.files: fetched before its cells run, checked, and it runs offline after one online visit', async ({
  page,
  context,
}) => {
  test.setTimeout(240_000);
  const lock = readFileSync(resolve(createRequire(import.meta.url).resolve('pyodide/pyodide.mjs'), '../pyodide-lock.json'));
  // A file the server has but the service worker does not keep (the query makes it no precached URL).
  const url = '/pyodide/pyodide-lock.json?as=companion-data';
  const notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      pyloom: {
        files: [
          { path: 'data/lock.json', url, sha256: sha256(lock) },
          { path: 'bad.json', url, sha256: '0'.repeat(64) },
          { path: 'far.csv', url: 'http://127.0.0.1:9/far.csv' },
        ],
      },
    },
    cells: [
      {
        id: 'c0',
        cell_type: 'code',
        metadata: {},
        source: 'import json, os\nprint(json.load(open("data/lock.json"))["info"]["python"], os.path.exists("bad.json"))',
        outputs: [],
        execution_count: null,
      },
    ],
  };
  await openNotebook(page);
  await expect(page.locator('#offline')).toContainText('Ready offline', { timeout: 90_000 });
  await page
    .locator('#open-file')
    .setInputFiles({ name: 'companion.ipynb', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(notebook)) });
  // Run all only once the opened file is the notebook shown (else it runs the previous one).
  await expect(page.locator('#name')).toHaveValue(/^companion(-\d+)?\.ipynb$/);
  const version = JSON.parse(lock.toString()).info.python as string;
  await page.getByRole('button', { name: 'Run all', exact: true }).click();
  await expect(page.locator('py-cell').first().locator('py-output')).toHaveText(`${version} False`, { timeout: 60_000 });
  const message = panel(page).getByRole('alert');
  await expect(message).toContainText(`http://127.0.0.1:${new URL(page.url()).port}${url} for "bad.json" does not match its sha256`);
  await expect(message).toContainText('could not fetch http://127.0.0.1:9/far.csv for "far.csv"');
  // Gone from the workspace, and the network off: the next open fetches it from the cache.
  await runCell(page, 'rm.ipynb', 'import os\nos.remove("data/lock.json")\nprint(os.path.exists("data/lock.json"))', 'False');
  await context.setOffline(true);
  await page
    .locator('#open-file')
    .setInputFiles({ name: 'companion.ipynb', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(notebook)) });
  // Run all only once the opened file is the notebook shown (else it runs the previous one).
  await expect(page.locator('#name')).toHaveValue(/^companion(-\d+)?\.ipynb$/);
  await page.getByRole('button', { name: 'Run all', exact: true }).click();
  await expect(page.locator('py-cell').first().locator('py-output')).toHaveText(`${version} False`, { timeout: 60_000 });
  await page.reload();
  await expect(page.locator('py-status')).toContainText('Python idle', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Run all', exact: true }).click();
  await expect(page.locator('py-cell').first().locator('py-output')).toHaveText(`${version} False`, { timeout: 60_000 });
});

// Playwright cannot answer the OS folder dialog: showDirectoryPicker is replaced by one that
// returns a folder of the Origin Private File System, a genuine FileSystemDirectoryHandle with
// the same interface a picked folder has. The real picker and its permission prompt are not automated.
test('open a local folder: Python works on it, the file browser shows it, files go both ways; closing returns to the workspace', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await page.addInitScript(() => {
    window.showDirectoryPicker = async () => (await navigator.storage.getDirectory()).getDirectoryHandle('picked-folder', { create: true });
  });
  await openNotebook(page);
  await runCell(page, 'ws.ipynb', 'open("in-workspace.txt", "w").write("browser workspace")\nprint("ok")', 'ok');
  // A file already in the folder on "disk" before it is opened.
  await page.evaluate(async () => {
    const folder = await (await navigator.storage.getDirectory()).getDirectoryHandle('picked-folder', { create: true });
    const writable = await (await folder.getFileHandle('on-disk.txt', { create: true })).createWritable();
    await writable.write('written on disk');
    await writable.close();
  });
  await panel(page).getByRole('button', { name: 'Open local folder' }).click();
  await expect(panel(page)).toContainText('Working on the folder “picked-folder” on your disk');
  await expect(page.locator('py-status')).toContainText('Python idle', { timeout: 120_000 });
  await expect(entry(page, 'on-disk.txt')).toBeVisible();
  await expect(entry(page, 'in-workspace.txt')).toHaveCount(0);
  await runCell(
    page,
    'disk.ipynb',
    'import os\nprint(open("on-disk.txt").read(), os.path.exists("in-workspace.txt"))\nopen("from-python.txt", "w").write("written by Python");',
    'written on disk False',
  );
  await expect(entry(page, 'from-python.txt')).toBeVisible();
  const onDisk = await page.evaluate(async () => {
    const folder = await (await navigator.storage.getDirectory()).getDirectoryHandle('picked-folder');
    return (await (await folder.getFileHandle('from-python.txt')).getFile()).text();
  });
  expect(onDisk).toBe('written by Python');

  await panel(page).getByRole('button', { name: 'Close local folder' }).click();
  await expect(page.locator('py-status')).toContainText('Python idle', { timeout: 120_000 });
  await expect(entry(page, 'in-workspace.txt')).toBeVisible();
  await expect(entry(page, 'on-disk.txt')).toHaveCount(0);
});

test('where the browser has no File System Access API, Open local folder explains why and offers upload', async ({ page }) => {
  await page.addInitScript(() => {
    delete window.showDirectoryPicker;
  });
  await page.goto('/');
  await panel(page).getByRole('button', { name: 'Open local folder' }).click();
  await expect(panel(page).getByRole('alert')).toContainText('needs the File System Access API, which only Chromium-based browsers');
  await expect(panel(page).getByRole('alert')).toContainText('Use "Upload folder"');
  await expect(panel(page).getByLabel('Upload folder')).toBeFocused();
});
