// Accessibility and look: axe-core (from npm) on the notebook page and the embed demo page in the
// light and dark themes, with code, Markdown, an error, an image and a table output: no serious or
// critical violation, and no content outside landmarks (`region`). Also the header at 1280 px and below 800 px, and screenshots of both themes.
import { createRequire } from 'node:module';
import type { AxeResults } from 'axe-core';
import { expect, test, type Page, type TestInfo } from '@playwright/test';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAIAAACQkWg2AAAAHUlEQVR4nGNgGAWjYBSMglEwCkbBKBgFo2AUDAcAEAAAAf+PZ7EAAAAASUVORK5CYII=';
const TABLE = `<div><table border="1" class="dataframe"><thead><tr style="text-align: right;"><th></th><th>city</th><th>population</th></tr></thead>
<tbody><tr><th>0</th><td>Lyon</td><td>522250</td></tr><tr><th>1</th><td>Nantes</td><td>320732</td></tr><tr><th>2</th><td>Lille</td><td>236710</td></tr></tbody></table></div>`;

/** A notebook with the output kinds a reader meets: result, stream, error, image, table. */
const NOTEBOOK = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {},
  cells: [
    {
      id: 'md',
      cell_type: 'markdown',
      metadata: {},
      source: '# Cities\nPopulation figures, *rounded*, with a [link](https://example.org).',
    },
    {
      id: 'res',
      cell_type: 'code',
      metadata: {},
      execution_count: 1,
      source: 'n = 3\nn * 7',
      outputs: [{ output_type: 'execute_result', execution_count: 1, data: { 'text/plain': '21' }, metadata: {} }],
    },
    {
      id: 'out',
      cell_type: 'code',
      metadata: {},
      execution_count: 2,
      source: 'print("hello")',
      outputs: [{ output_type: 'stream', name: 'stdout', text: 'hello\n' }],
    },
    {
      id: 'err',
      cell_type: 'code',
      metadata: {},
      execution_count: 3,
      source: '1 / 0',
      outputs: [
        {
          output_type: 'error',
          ename: 'ZeroDivisionError',
          evalue: 'division by zero',
          traceback: [
            '\x1b[0;31m---------------------------------------------------------------------------\x1b[0m',
            '\x1b[0;31mZeroDivisionError\x1b[0m                         Traceback (most recent call last)',
            'Cell \x1b[0;32mIn[3], line 1\x1b[0m\n\x1b[0;32m----> 1\x1b[0m \x1b[38;5;241m1\x1b[39m \x1b[38;5;241m/\x1b[39m \x1b[38;5;241m0\x1b[39m',
            '\x1b[0;31mZeroDivisionError\x1b[0m: division by zero',
          ],
        },
      ],
    },
    {
      id: 'img',
      cell_type: 'code',
      metadata: {},
      execution_count: 4,
      source: 'Image(data)',
      outputs: [{ output_type: 'display_data', data: { 'image/png': PNG, 'text/plain': '<Image>' }, metadata: {} }],
    },
    {
      id: 'tab',
      cell_type: 'code',
      metadata: {},
      execution_count: 5,
      source: 'df',
      outputs: [{ output_type: 'execute_result', execution_count: 5, data: { 'text/html': TABLE, 'text/plain': 'df' }, metadata: {} }],
    },
  ],
};

async function openAuditNotebook(page: Page): Promise<void> {
  await page.goto('/');
  // Without its 'nbformat' key the file opens with a notice banner, which the audit covers too.
  const { nbformat: _version, ...unversioned } = NOTEBOOK;
  // A file chosen before the app has set up its first notebook is not seen (as in notebook-page.ts).
  await expect(page.locator('#name')).not.toHaveValue('');
  await page
    .locator('#open-file')
    .setInputFiles({ name: 'cities.ipynb', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(unversioned)) });
  await expect(page.locator('#name')).toHaveValue(/^cities(-\d+)?\.ipynb$/);
  await expect(page.locator('py-cell')).toHaveCount(NOTEBOOK.cells.length);
  await expect(page.locator('#file-warnings')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Notices' })).toContainText("no 'nbformat' version");
  await expect(page.locator('py-cell').nth(5).locator('table')).toBeVisible();
  await expect(page.locator('py-status')).toContainText('Python idle', { timeout: 120_000 });
}

/** Serious and critical violations, and `region` (moderate: content outside landmarks), one line each, with where they are. */
async function audit(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const results = await page.evaluate(() =>
    (window as unknown as { axe: { run(context: Document, options: object): Promise<AxeResults> } }).axe.run(document, {
      resultTypes: ['violations'],
    }),
  );
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical' || v.id === 'region')
    .flatMap((v) => v.nodes.map((node) => `${v.impact} ${v.id}: ${JSON.stringify(node.target)} ${node.failureSummary ?? ''}`));
}

async function screenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await testInfo.attach(name, { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
}

for (const scheme of ['light', 'dark'] as const) {
  test(`notebook page, ${scheme} theme: no serious or critical axe violation, all content in landmarks; screenshot`, async ({
    page,
  }, testInfo) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: 1280, height: 900 });
    await openAuditNotebook(page);
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe(scheme === 'dark' ? 'rgb(13, 17, 23)' : 'rgb(255, 255, 255)');
    // Panels and a multi-cell selection are part of the page a user audits too.
    await page.locator('py-cell').nth(1).locator('.prompt').click();
    await page.keyboard.press('Shift+J');
    await page.getByRole('button', { name: 'Table of contents', exact: true }).click();
    await page.getByRole('button', { name: 'Find and replace', exact: true }).click();
    await page.getByRole('searchbox', { name: 'Find' }).fill('n');
    expect(await audit(page)).toEqual([]);
    await screenshot(page, testInfo, `notebook-${scheme}.png`);
    await page.keyboard.press('Escape');
    await page.locator('py-cell').nth(1).locator('.prompt').click();
    await page.keyboard.press('h');
    await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
    expect(await audit(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+Shift+C');
    await expect(page.getByRole('combobox', { name: 'Command' })).toBeFocused();
    expect(await audit(page)).toEqual([]);
  });

  test(`embed demo page, ${scheme} theme: no serious or critical axe violation, all content in landmarks, after running every cell; screenshot`, async ({
    page,
  }, testInfo) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto('/src/embed/demo/index.html');
    await page.getByRole('button', { name: 'Run all on this page' }).click();
    await expect(page.locator('.pyloom-cell').nth(2).locator('table')).toBeVisible({ timeout: 120_000 });
    await expect(page.locator('.pyloom-cell').last().locator('py-output')).toContainText(/\d+/, { timeout: 120_000 });
    expect(await audit(page)).toEqual([]);
    await screenshot(page, testInfo, `embed-${scheme}.png`);
  });
}

test('the theme switch overrides the system preference and is kept on reload', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/');
  const theme = page.getByRole('combobox', { name: 'Theme' });
  await theme.selectOption('dark');
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await expect.poll(background).toBe('rgb(13, 17, 23)');
  await page.reload();
  await expect(theme).toHaveValue('dark');
  await expect.poll(background).toBe('rgb(13, 17, 23)');
  await theme.selectOption('auto');
  await expect.poll(background).toBe('rgb(255, 255, 255)');
});

test('header: one line at 1280 px, reflows without overflow below 800 px; visible focus on its controls', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/');
  await expect(page.locator('#offline')).not.toBeEmpty({ timeout: 30_000 });
  const rows = () =>
    page.evaluate(() => {
      const header = document.querySelector('header')!;
      const tops = [...header.children]
        .filter((el) => (el as HTMLElement).offsetParent !== null)
        .map((el) => Math.round(el.getBoundingClientRect().top + el.getBoundingClientRect().height / 2));
      return {
        rows: new Set(tops.map((t) => Math.round(t / 8))).size,
        overflow: header.scrollWidth - header.clientWidth,
        height: header.getBoundingClientRect().height,
      };
    });
  const wide = await rows();
  expect(wide.rows).toBe(1);
  expect(wide.overflow).toBeLessThanOrEqual(0);
  await page.setViewportSize({ width: 640, height: 800 });
  const narrow = await rows();
  expect(narrow.rows).toBeGreaterThan(1);
  expect(narrow.overflow).toBeLessThanOrEqual(0);
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  // Keyboard focus is drawn on header controls and toolbar buttons.
  await page.getByRole('button', { name: 'New', exact: true }).focus();
  await page.keyboard.press('Tab');
  const outline = await page.evaluate(() => {
    let el = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return el ? getComputedStyle(el).outlineStyle : 'none';
  });
  expect(outline).not.toBe('none');
});
