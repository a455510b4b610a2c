// The notebook page as a user drives it: keyboard, toolbar, files, autosave, two tabs.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Ajv from 'ajv-draft-04';
import { SCHEMA_MISSING, SCHEMA_PATH } from '../nbformat-schema';
import { openCells, openNotebook, openNotebookEditor } from './notebook-page';
import { expect, test, type Locator, type Page } from '@playwright/test';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/notebooks/jupyter-v4.5.ipynb');
const V3_FIXTURE = resolve(import.meta.dirname, '../fixtures/notebooks/ipython2-v3.ipynb');

const cells = (page: Page) => page.locator('py-cell');
const editorOf = (page: Page, n: number, kind = 'Code') => page.getByRole('textbox', { name: `${kind} cell ${n} source` });
const outputOf = (page: Page, n: number) => page.locator(`py-cell:nth-child(${n}) py-output`);

/** Type into cell n's editor as a user would (CodeMirror closes brackets and indents itself). */
async function typeInto(page: Page, n: number, text: string): Promise<Locator> {
  const editor = editorOf(page, n);
  await editor.click();
  await page.keyboard.type(text);
  return editor;
}

async function exportNotebook(page: Page): Promise<Record<string, unknown>> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download .ipynb' }).click()]);
  const path = await download.path();
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

function validateAgainstSchema(notebook: unknown): string[] {
  const ajv = new Ajv({ strict: false, allErrors: true });
  const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA_PATH!, 'utf8')) as object);
  return validate(notebook) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

async function savedHere(page: Page): Promise<void> {
  await expect(page.locator('#save-state')).toHaveText('Saved in this browser');
}

test('type code with the keyboard, Shift+Enter runs it and selects the next cell', async ({ page }) => {
  await openNotebook(page);
  await typeInto(page, 1, 'print("typed")\n6 * 7');
  await page.keyboard.press('Shift+Enter');
  await expect(outputOf(page, 1).locator('pre').first()).toHaveText('typed');
  await expect(outputOf(page, 1).locator('pre').nth(1)).toHaveText('42');
  await expect(page.locator('py-cell').first().getByText('[1]:')).toBeVisible();
  // The last cell ran, so a new one was added below and is being edited.
  await expect(cells(page)).toHaveCount(2);
  await expect(editorOf(page, 2)).toBeFocused();
  await page.keyboard.type('1/0');
  await page.keyboard.press('Control+Enter');
  await expect(outputOf(page, 2).locator('pre.error')).toContainText('ZeroDivisionError: division by zero');
  await expect(cells(page)).toHaveCount(2); // Ctrl+Enter runs in place
});

test('input() in a cell: a box in the cell takes the answer', async ({ page }) => {
  await openNotebook(page);
  await typeInto(page, 1, 'answer = input("Your name: ")\nf"Hello, {answer}!"');
  await page.keyboard.press('Shift+Enter');
  const box = page.getByRole('textbox', { name: 'Your name:' });
  await box.fill('Grace');
  await box.press('Enter');
  await expect(outputOf(page, 1).locator('pre.text')).toHaveText("'Hello, Grace!'");
  await expect(box).toHaveCount(0);
});

test('Tab completes names from the live namespace', async ({ page }) => {
  await openNotebook(page);
  await typeInto(page, 1, 'import math\nfavourite_number = 7');
  await page.keyboard.press('Control+Enter');
  await expect(page.locator('py-cell').first().getByText('[1]:')).toBeVisible();
  await page.keyboard.press('b');
  await page.keyboard.press('Enter');
  // Several matches: a list, narrowed by typing on, Enter takes the selected one.
  await page.keyboard.type('math.is');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('option', { name: /^isqrt/ })).toBeVisible();
  await expect(page.getByRole('option', { name: /^isclose/ })).toBeVisible();
  await page.keyboard.type('q');
  await expect(page.locator('py-notebook').getByRole('option')).toHaveText([/^Code/, /^Markdown/, /^Raw/, /^isqrt/]);
  await page.keyboard.press('Enter');
  // One match: Tab inserts it at once, as in Jupyter.
  await page.keyboard.type('(16) + math.sq');
  await page.keyboard.press('Tab');
  // (The answer comes from the worker; text typed before it arrives wins over it.)
  await expect(editorOf(page, 2)).toHaveText('math.isqrt(16) + math.sqrt');
  await page.keyboard.type('(16) + favour');
  await page.keyboard.press('Tab');
  await expect(editorOf(page, 2)).toHaveText('math.isqrt(16) + math.sqrt(16) + favourite_number');
  await page.keyboard.press('Shift+Enter');
  await expect(outputOf(page, 2).locator('pre')).toHaveText('15.0');
});

test('command mode: A, B, D D, Z, M, Y, J, K and arrows, all from the keyboard', async ({ page }) => {
  await openNotebookEditor(page);
  await typeInto(page, 1, 'first = 1');
  await page.keyboard.press('Escape');
  await expect(page.locator('py-cell').first()).toBeFocused();
  await page.keyboard.press('b');
  await page.keyboard.press('Enter');
  await page.keyboard.type('second = 2');
  await page.keyboard.press('Escape');
  await page.keyboard.press('a'); // above the second
  await expect(cells(page)).toHaveCount(3);
  await page.keyboard.press('m');
  await expect(cells(page).nth(1)).toHaveAttribute('data-type', 'markdown');
  await page.keyboard.press('y');
  await expect(cells(page).nth(1)).toHaveAttribute('data-type', 'code');
  await page.keyboard.press('d');
  await page.keyboard.press('d');
  await expect(cells(page)).toHaveCount(2);
  await page.keyboard.press('k');
  await expect(cells(page).nth(0)).toHaveAttribute('selected', '');
  await page.keyboard.press('j');
  await expect(cells(page).nth(1)).toHaveAttribute('selected', '');
  await page.keyboard.press('d');
  await page.keyboard.press('d');
  await expect(cells(page)).toHaveCount(1);
  await page.keyboard.press('z');
  await expect(cells(page)).toHaveCount(2);
  await expect(editorOf(page, 2)).toHaveText('second = 2');
  // Every action has a named control too.
  for (const name of [
    'Insert cell above',
    'Insert cell below',
    'Delete cells',
    'Undo cell operation',
    'Move cells up',
    'Move cells down',
    'Run',
    'Run all',
    'Interrupt',
    'Restart',
    'Restart & run all',
    'Clear outputs',
  ]) {
    await expect(page.getByRole('button', { name, exact: true })).toBeVisible();
  }
  await expect(page.getByRole('combobox', { name: 'Cell type' })).toBeVisible();
});

test('run all from the toolbar, with queued marks while waiting', async ({ page }) => {
  await openNotebook(page);
  await typeInto(page, 1, 'import time\ntime.sleep(1.5)\nvalue = 5');
  await page.keyboard.press('Alt+Enter');
  await page.keyboard.type('value * 2');
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Run all', exact: true }).click();
  await expect(cells(page).nth(0)).toHaveAttribute('data-state', 'running');
  await expect(cells(page).nth(1)).toHaveAttribute('data-state', 'queued');
  await expect(cells(page).nth(1).getByText('[…]:')).toBeVisible();
  await expect(outputOf(page, 2).locator('pre')).toHaveText('10', { timeout: 60_000 });
  await expect(cells(page).nth(1)).not.toHaveAttribute('data-state', /./);
});

test('a Markdown cell with math renders with KaTeX, and edits on Enter', async ({ page }) => {
  await openNotebookEditor(page);
  await editorOf(page, 1).click();
  await page.keyboard.press('Escape');
  await page.keyboard.press('m');
  await page.keyboard.press('Enter');
  const editor = editorOf(page, 1, 'Markdown');
  await expect(editor).toBeFocused();
  await page.keyboard.type('# Euler\nThe identity $e^{i\\pi} + 1 = 0$ and\n$$\\int_0^1 x\\,dx = \\tfrac12$$');
  await page.keyboard.press('Shift+Enter');
  const rendered = cells(page).first().locator('py-output.markdown');
  await expect(rendered.locator('h1')).toHaveText('Euler');
  await expect(rendered.locator('.katex')).toHaveCount(2);
  await expect(rendered.locator('.katex-display')).toHaveCount(1);
  // Shift+Enter on the last cell added a code cell below, in edit mode; back up: Enter edits again.
  await expect(cells(page)).toHaveCount(2);
  await page.keyboard.press('Escape');
  await page.keyboard.press('k');
  await page.keyboard.press('Enter');
  await expect(editorOf(page, 1, 'Markdown')).toBeFocused();
});

test('import a real .ipynb with outputs, run it, export it valid against the nbformat schema', async ({ page }) => {
  await openNotebook(page);
  await page.locator('#open-file').setInputFiles(FIXTURE);
  await expect(page.locator('#name')).toHaveValue('jupyter-v4.5.ipynb');
  const original = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { cells: unknown[] };
  await expect(cells(page)).toHaveCount(original.cells.length);
  // Stored outputs show before anything runs.
  await expect(page.locator('py-output img').first()).toBeVisible();
  await page.getByRole('button', { name: 'Run all', exact: true }).click();
  await expect(page.locator('py-status')).toContainText('Python idle');
  await expect(page.locator('py-cell[data-state]')).toHaveCount(0, { timeout: 60_000 });
  const exported = await exportNotebook(page);
  expect(exported).toMatchObject({ nbformat: 4, nbformat_minor: 5 });
  expect((exported['metadata'] as Record<string, unknown>)['x_pyloom_fixture']).toBeDefined(); // unknown metadata kept
  test.skip(!SCHEMA_PATH, SCHEMA_MISSING);
  expect(validateAgainstSchema(exported)).toEqual([]);
});

test('reload: the notebook and its outputs are restored from the browser', async ({ page }) => {
  // The page's write of the renamed file waits until the test lets it go (first load only): the
  // moment between a rename and its file write, which a reload could otherwise fall into.
  await page.addInitScript(() => {
    if (sessionStorage.getItem('rename-write-held')) return;
    sessionStorage.setItem('rename-write-held', '1');
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const createWritable = FileSystemFileHandle.prototype.createWritable;
    FileSystemFileHandle.prototype.createWritable = async function (this: FileSystemFileHandle, ...args) {
      if (this.name === 'Restored.ipynb') await held;
      return createWritable.apply(this, args);
    };
    Object.assign(window, { releaseRenameWrite: release });
  });
  await openNotebook(page);
  await typeInto(page, 1, 'print("kept across reloads")');
  await page.keyboard.press('Shift+Enter');
  await expect(outputOf(page, 1).locator('pre')).toHaveText('kept across reloads');
  await savedHere(page);
  await page.locator('#name').fill('Restored');
  await page.locator('#name').press('Enter');
  // Not "saved" while the file is not yet written under its new name.
  await expect(page.locator('#save-state')).toHaveText('Saving…');
  await page.evaluate(() => (window as unknown as { releaseRenameWrite: () => void }).releaseRenameWrite());
  // The save state alone says when a reload keeps the new name.
  await savedHere(page);
  await page.reload();
  await expect(page.locator('#name')).toHaveValue('Restored.ipynb');
  await expect(editorOf(page, 1)).toHaveText('print("kept across reloads")');
  await expect(outputOf(page, 1).locator('pre')).toHaveText('kept across reloads');
  await expect(page.locator('py-cell').first().getByText('[1]:')).toBeVisible();
});

test('bad files give a clear error and leave the open notebook as it was', async ({ page }) => {
  await openNotebookEditor(page);
  await typeInto(page, 1, 'work = "precious"');
  await savedHere(page);
  const error = page.locator('#file-error');
  const cases: { name: string; body: Buffer; expect: RegExp }[] = [
    { name: 'notes.ipynb', body: Buffer.from('this is not JSON'), expect: /not.*JSON|JSON/i },
    { name: 'list.ipynb', body: Buffer.from('[1, 2, 3]'), expect: /not a (Jupyter )?notebook/i },
    {
      name: 'future.ipynb',
      body: Buffer.from(JSON.stringify({ nbformat: 5, nbformat_minor: 0, metadata: {}, cells: [] })),
      expect: /nbformat|version/i,
    },
    { name: 'latin1.ipynb', body: Buffer.from([0x7b, 0x22, 0xe9, 0xff, 0x22, 0x7d]), expect: /UTF-8/i },
  ];
  for (const bad of cases) {
    await page.locator('#open-file').setInputFiles({ name: bad.name, mimeType: 'application/json', buffer: bad.body });
    await expect(error).toBeVisible();
    await expect(error).toContainText(`Could not open ${bad.name}`);
    await expect(error).toContainText(bad.expect);
    await expect(error).toContainText('unchanged');
    await expect(page.locator('#name')).toHaveValue('Untitled.ipynb');
    await expect(editorOf(page, 1)).toHaveText('work = "precious"');
    await page.getByRole('button', { name: 'Dismiss' }).first().click();
  }
});

test('nbformat 3, several MB and unknown output types load with the repairs listed', async ({ page }) => {
  await openNotebookEditor(page);
  const warnings = page.locator('#file-warnings');
  await page.locator('#open-file').setInputFiles(V3_FIXTURE);
  await expect(warnings).toContainText(/nbformat 3/);
  await expect(page.locator('#name')).toHaveValue('ipython2-v3.ipynb');
  await page.locator('#file-warnings-close').click();

  const big = {
    nbformat: 4,
    nbformat_minor: 4,
    metadata: {},
    cells: Array.from({ length: 400 }, (_, i) => ({
      cell_type: 'code',
      execution_count: i + 1,
      metadata: {},
      source: [`x${i} = ${i}\n`, `print(x${i})`],
      outputs: [{ output_type: 'stream', name: 'stdout', text: ['y'.repeat(10_000) + '\n'] }],
    })),
  };
  big.cells[1]!.outputs.push({ output_type: 'widget_state_v9', data: {} } as never);
  const body = Buffer.from(JSON.stringify(big));
  expect(body.length).toBeGreaterThan(4_000_000);
  await page.locator('#open-file').setInputFiles({ name: 'big.ipynb', mimeType: 'application/json', buffer: body });
  await expect(page.locator('#name')).toHaveValue('big.ipynb');
  await expect(cells(page)).toHaveCount(400, { timeout: 60_000 });
  await expect(warnings).toContainText(/widget_state_v9/);
  await expect(page.locator('#file-error')).toBeHidden();
});

test('open a notebook by URL (?open=) and keep a list of notebooks: switch, duplicate, delete', async ({ page }) => {
  await page.route(
    (url) => url.pathname === '/shared/demo.ipynb',
    (route) => route.fulfill({ contentType: 'application/json', body: readFileSync(FIXTURE) }),
  );
  await openNotebookEditor(page, '/?open=/shared/demo.ipynb');
  await expect(page.locator('#name')).toHaveValue('demo.ipynb');
  await page.getByRole('button', { name: 'New', exact: true }).click();
  await expect(page.locator('#name')).toHaveValue('Untitled.ipynb');
  await page.getByRole('button', { name: 'Notebooks', exact: true }).click();
  const list = page.getByRole('complementary', { name: 'Notebooks in this browser' });
  await expect(list.getByRole('listitem')).toHaveCount(2);
  await list.getByRole('button', { name: 'Duplicate demo.ipynb' }).click();
  await expect(page.locator('#name')).toHaveValue('demo-Copy.ipynb');
  await expect(list.getByRole('listitem')).toHaveCount(3);
  await list.getByRole('button', { name: 'Untitled.ipynb', exact: true }).click();
  await expect(page.locator('#name')).toHaveValue('Untitled.ipynb');
  page.once('dialog', (dialog) => void dialog.accept());
  await list.getByRole('button', { name: 'Delete Untitled.ipynb' }).click();
  await expect(list.getByRole('listitem')).toHaveCount(2);
  await expect(page.locator('#name')).not.toHaveValue('Untitled.ipynb');
});

test('reset all browser data asks first, then removes every notebook', async ({ page }) => {
  await openNotebook(page);
  await typeInto(page, 1, 'gone = True');
  await savedHere(page);
  page.once('dialog', (dialog) => void dialog.dismiss());
  await page.getByRole('button', { name: 'Reset all browser data…' }).click();
  await expect(editorOf(page, 1)).toHaveText('gone = True');
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: 'Reset all browser data…' }).click();
  await expect(page.locator('py-status')).toContainText('Python idle', { timeout: 120_000 });
  await expect(editorOf(page, 1)).not.toContainText('gone');
  await page.getByRole('button', { name: 'Notebooks', exact: true }).click();
  await expect(page.getByRole('complementary', { name: 'Notebooks in this browser' }).getByRole('listitem')).toHaveCount(1);
});

test('screenshot: a notebook with rich outputs (attached to the test artifacts)', async ({ page }, testInfo) => {
  await openNotebook(page);
  await page.setViewportSize({ width: 1280, height: 1100 });
  const sources = [
    '# A Pyloom notebook\nEverything here ran **in this browser**: $\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}$',
    'from IPython.display import HTML, display\nrows = "".join(f"<tr><td>{n}</td><td>{n*n}</td><td>{n**3}</td></tr>" for n in range(1, 6))\nHTML(f"<table><thead><tr><th>n</th><th>n²</th><th>n³</th></tr></thead><tbody>{rows}</tbody></table>")',
    'import struct, zlib\nfrom IPython.display import Image\ndef png(w, h):\n    raw = b"".join(b"\\0" + bytes(v for x in range(w) for v in (x * 255 // w, y * 255 // h, 160)) for y in range(h))\n    chunk = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))\n    return b"\\x89PNG\\r\\n\\x1a\\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")\nImage(png(240, 80))',
    'print("stdout line")\n{"name": "pyloom", "cells": 5, "nested": {"ok": True}}',
    'def broken():\n    return 1 / 0\nbroken()',
  ];
  await openCells(page, 'showcase.ipynb', sources, new Set([0]));
  await page.getByRole('button', { name: 'Run all', exact: true }).click();
  await expect(outputOf(page, 5).locator('pre.error')).toContainText('ZeroDivisionError', { timeout: 60_000 });
  await expect(outputOf(page, 3).locator('img')).toBeVisible();
  await expect(outputOf(page, 2).locator('table')).toBeVisible();
  const path = testInfo.outputPath('notebook-page.png');
  await page.screenshot({ fullPage: true, path });
  await testInfo.attach('notebook-page', { path, contentType: 'image/png' });
});

test('drop a .ipynb on the page to open it', async ({ page }) => {
  await openNotebookEditor(page);
  const text = readFileSync(FIXTURE, 'utf8');
  const dataTransfer = await page.evaluateHandle((content) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([content], 'dropped.ipynb', { type: 'application/x-ipynb+json' }));
    return transfer;
  }, text);
  await page.dispatchEvent('main', 'dragover', { dataTransfer });
  await expect(page.locator('body')).toHaveClass(/dragging/);
  await page.dispatchEvent('main', 'drop', { dataTransfer });
  await expect(page.locator('#name')).toHaveValue('dropped.ipynb');
  await expect(page.locator('body')).not.toHaveClass(/dragging/);
  await expect(cells(page)).toHaveCount((JSON.parse(text) as { cells: unknown[] }).cells.length);
});

test('editor basics, clear outputs, restart & run all', async ({ page }) => {
  await openNotebook(page);
  const editor = await typeInto(page, 1, 'value = 6\nif value:\nvalue * 7');
  // Enter after the colon indented the next line; the test typed no spaces.
  await expect(editor).toHaveText('value = 6if value:    value * 7');
  await page.keyboard.press('Shift+Tab'); // dedent the last line
  // Not a wait for a result: the pause is the input. A person pauses, and CodeMirror groups edits
  // closer than 500 ms into one undo step; any pause longer than that gives two steps.
  await page.waitForTimeout(700);
  await page.keyboard.press('Control+/'); // comment toggle on the current line
  await expect(editor).toHaveText('value = 6if value:# value * 7');
  await page.keyboard.press('Control+z');
  await expect(editor).toHaveText('value = 6if value:value * 7');
  await page.keyboard.press('Control+y'); // redo
  await expect(editor).toHaveText('value = 6if value:# value * 7');
  await page.keyboard.press('Control+a');
  await page.keyboard.type('value = 6\nprint(value)');
  await page.keyboard.press('Control+Enter');
  await expect(outputOf(page, 1).locator('pre').first()).toHaveText('6');
  await page.getByRole('button', { name: 'Clear outputs', exact: true }).click();
  await expect(outputOf(page, 1).locator('pre')).toHaveCount(0);
  await expect(page.locator('py-cell').first().getByText('[ ]:')).toBeVisible();
  await page.getByRole('button', { name: 'Restart & run all', exact: true }).click();
  await expect(outputOf(page, 1).locator('pre').first()).toHaveText('6', { timeout: 120_000 });
  await expect(page.locator('py-cell').first().getByText('[1]:')).toBeVisible(); // a fresh runtime
});
