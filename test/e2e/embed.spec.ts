// The docs-page embed in Chromium: shared and separate runtimes, Thebe markup, output-only and
// autorun cells, Run all, hostile output, style isolation, and what a page downloads.
import { expect, test, type Page } from '@playwright/test';
import { XSS_VECTORS } from '../fixtures/xss-vectors';
import { clickEverything } from './xss-clicks';

const cells = (page: Page) => page.locator('.pyloom-cell');
const outputOf = (page: Page, index: number) => cells(page).nth(index).locator('py-output');

test('the demo docs page: autorun output-only cell, then Run all in order with shared state and a separate group', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto('/src/embed/demo/index.html');
  await expect(page.locator('html[data-pyloom-embed=ready]')).toBeAttached();
  await expect(cells(page)).toHaveCount(6);
  // The hidden-code cell runs on load and shows only its output (Markdown with math).
  const widget = cells(page).nth(3);
  await expect(widget.locator('py-output .markdown strong')).toHaveText('17 primes', { timeout: 120_000 });
  await expect(widget.locator('textarea, pre[part=code], button')).toHaveCount(0);
  await expect(widget.locator('py-output .katex')).toHaveCount(1);

  await page.getByRole('button', { name: 'Run all on this page' }).click();
  await expect(outputOf(page, 0).locator('pre.text')).toHaveText('17');
  await expect(outputOf(page, 0).locator('pre.text')).toHaveCount(1); // re-run replaced, not appended
  await expect(outputOf(page, 1).locator('pre.stdout')).toHaveText('largest gap: 6\n');
  await expect(outputOf(page, 1).locator('pre.text')).toHaveText('[1, 2, 2, 4, 2, 4, 2, 4, 6, 2]');
  await expect(outputOf(page, 2).locator('td').nth(1)).toHaveText('4');
  await expect(outputOf(page, 4).locator('pre.text')).toHaveText('False'); // the "scratch" runtime
  await expect(outputOf(page, 5).locator('pre.text')).toHaveText('440'); // Thebe markup block
  await expect(page.locator('[data-output]')).toHaveCount(0); // predefined output replaced
  await expect(cells(page).nth(1)).toHaveAttribute('data-status', 'ok');
  await page.screenshot({ path: test.info().outputPath('embed-demo.png'), fullPage: true });
});

test('a page written for Thebe works after swapping the script; code is editable', async ({ page }) => {
  await page.goto('/test/e2e/pages/thebe.html');
  await expect(cells(page)).toHaveCount(2);
  await expect(page.locator('[data-output]')).toHaveText('predefined output');
  expect(page.workers()).toHaveLength(0); // nothing boots before the first Run
  const editors = page.getByRole('textbox', { name: 'Python code' });
  await expect(editors).toHaveCount(2);
  await cells(page).nth(0).getByRole('button', { name: 'Run this Python cell' }).click();
  await expect(cells(page).nth(0).getByRole('status')).toContainText('Starting Python'); // progress in the cell
  await expect(outputOf(page, 0).locator('pre.stdout')).toHaveText('x is 6\n', { timeout: 120_000 });
  // The block becomes the editor (CodeMirror) on first focus.
  await editors.nth(1).click();
  await cells(page).nth(1).locator('.cm-content').fill('x * 100');
  await cells(page).nth(1).getByRole('button', { name: 'Run this Python cell' }).click();
  await expect(outputOf(page, 1).locator('pre.text')).toHaveText('600');
  await expect(page.locator('[data-output]')).toHaveCount(0);
});

test("%load in an embedded cell replaces its editor's text; running it again runs the loaded code", async ({ page }) => {
  await page.goto('/test/e2e/pages/thebe.html');
  const editor = cells(page).nth(1).locator('.cm-content');
  const run = cells(page).nth(1).getByRole('button', { name: 'Run this Python cell' });
  await page.getByRole('textbox', { name: 'Python code' }).nth(1).click();
  await editor.fill("snippet = 'print(41 + 1)'");
  await run.click();
  await expect(cells(page).nth(1).getByRole('status')).toContainText('Done', { timeout: 120_000 });
  await editor.fill('%load snippet');
  await run.click();
  await expect(editor).toHaveText('# %load snippetprint(41 + 1)');
  await run.click();
  await expect(outputOf(page, 1).locator('pre.stdout')).toHaveText('42\n');
});

test('output cannot reach the host page: no script runs, no cookies, no style leaks either way', async ({ page }) => {
  await page.goto('/test/e2e/pages/embed-hostile.html');
  const output = outputOf(page, 0);
  // Python runs in a worker: the page's document (and its cookies, storage, DOM) is not there.
  await expect(output.locator('pre.stdout')).toHaveText('python sees the page document: False\n', { timeout: 120_000 });
  const clicked = await clickEverything(page, 'py-output');
  expect(clicked.dispatched).toBeGreaterThanOrEqual(1); // the javascript: link, kept inert
  // The settle: payloads of the same kinds on the host page itself, clicked the same way. Once
  // they have run, the output's had their chance.
  await page.evaluate(() => {
    const control = document.createElement('div');
    control.id = 'control';
    control.innerHTML = `<img src=x onerror="pwn('control-img')"><a href="javascript:pwn('control-link')">control</a>`;
    document.body.append(control);
  });
  await clickEverything(page, '#control');
  const sentinel = () => page.evaluate(() => (window as unknown as { hostSentinel: string[] }).hostSentinel);
  await expect.poll(async () => [...new Set(await sentinel())].sort()).toEqual(['control-img', 'control-link']);
  expect((await sentinel()).filter((what) => !what.startsWith('control'))).toEqual([]);
  await expect(output.locator('.notice', { hasText: 'application/javascript output was not run' })).toHaveCount(1);
  expect(await page.locator('#host-text').evaluate((el) => getComputedStyle(el).color)).toBe('rgb(0, 0, 0)');
  expect(await output.locator('b').evaluate((el) => getComputedStyle(el).color)).not.toBe('rgb(255, 0, 0)');
  await expect(cells(page).nth(0).getByRole('textbox', { name: 'Python code' })).toHaveCount(1); // editable by default
  // The embed adds one global.
  expect(await page.evaluate(() => Object.keys(window).filter((k) => k.toLowerCase().includes('pyloom')))).toEqual(['pyloomEmbed']);
});

test('bytes a docs page loads before and after the first Run', async ({ page }) => {
  const sizes: { url: string; bytes: number; phase: 'before' | 'after' }[] = [];
  let phase: 'before' | 'after' = 'before';
  page.on('response', async (response) => {
    const url = response.url();
    if (!url.startsWith('http://127.0.0.1') || url.endsWith('.html')) return;
    const bytes = Number(response.headers()['content-length'] ?? (await response.body().catch(() => Buffer.alloc(0))).length);
    sizes.push({ url: url.replace(/^http:\/\/127\.0\.0\.1:\d+/, ''), bytes, phase });
  });
  await page.goto('/test/e2e/pages/thebe.html');
  await expect(cells(page)).toHaveCount(2);
  await page.waitForLoadState('networkidle');
  const before = sizes.filter((s) => s.phase === 'before');
  expect(before.every((s) => !s.url.includes('pyodide') && !s.url.includes('worker'))).toBe(true);
  phase = 'after';
  await cells(page).nth(0).getByRole('button', { name: 'Run this Python cell' }).click();
  await expect(outputOf(page, 0).locator('pre.stdout')).toHaveText('x is 6\n', { timeout: 120_000 });
  const after = sizes.filter((s) => s.phase === 'after');
  const sum = (list: typeof sizes) => list.reduce((n, s) => n + s.bytes, 0);
  console.info(
    `embed, before the first Run: ${before.length} files, ${sum(before)} bytes (${before.map((s) => `${s.url} ${s.bytes}`).join(', ')})`,
  );
  console.info(
    `embed, first Run: ${after.length} more files, ${sum(after)} bytes (${after.map((s) => `${s.url.split('/').pop()} ${s.bytes}`).join(', ')})`,
  );
});

test('the embed works when its script, worker and Pyodide come from another origin', async ({ page, baseURL }) => {
  // This page on the unisolated server, Pyloom from the isolated one: a CDN-like setup.
  const { UNISOLATED_ORIGIN } = await import('../../playwright.config');
  await page.goto(`${UNISOLATED_ORIGIN}/test/e2e/pages/embed-cross-origin.html?from=${encodeURIComponent(baseURL!)}`);
  await expect(cells(page)).toHaveCount(1);
  await cells(page).nth(0).getByRole('button', { name: 'Run this Python cell' }).click();
  await expect(outputOf(page, 0).locator('pre.text')).toHaveText("'emscripten'", { timeout: 120_000 });
});

test('py-cell and code.language-python blocks, preload, dark theme, and trust opted into by the page', async ({ page }) => {
  const workerStarted = page.waitForEvent('worker');
  await page.goto('/test/e2e/pages/embed-options.html');
  await workerStarted; // preload: Python boots before any Run
  await expect(cells(page)).toHaveCount(3);
  await expect(cells(page).nth(0)).toHaveAttribute('theme', 'dark');
  await cells(page).nth(0).getByRole('button', { name: 'Run this Python cell' }).click();
  await expect(outputOf(page, 0).locator('pre.stdout')).toHaveText('from a py-cell\n', { timeout: 120_000 });
  await cells(page).nth(1).getByRole('button', { name: 'Run this Python cell' }).click();
  await expect.poll(() => page.evaluate(() => (window as unknown as { trustedRan?: boolean }).trustedRan)).toBe(true);
});

// The limit is counted from when the page sends the request; on a loaded machine the worker may
// still be placing the workspace then (test/unit/kernel.test.ts covers that window exactly).
test('a cell with data-timeout is interrupted when its time is up, and the runtime lives on', async ({ page }) => {
  await page.goto('/test/e2e/pages/embed-options.html');
  await expect(cells(page)).toHaveCount(3);
  const slow = cells(page).nth(2);
  await slow.getByRole('button', { name: 'Run this Python cell' }).click();
  await expect(slow.getByRole('status')).toHaveText('Stopped after the 1 s time limit', { timeout: 120_000 });
  await expect(outputOf(page, 2).locator('pre.error')).toContainText('KeyboardInterrupt');
  await cells(page).nth(0).getByRole('button', { name: 'Run this Python cell' }).click();
  await expect(outputOf(page, 0).locator('pre.stdout')).toHaveText('from a py-cell\n');
});

// Two tests (the corpus, then the control page), each with its own budget: each boots Python and
// displays 160 outputs, which takes tens of seconds on a loaded machine.
test(`the XSS corpus (${XSS_VECTORS.length} vectors as HTML and Markdown) through an embed cell runs nothing on the docs page`, async ({
  page,
}) => {
  test.setTimeout(300_000);
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto('/test/e2e/pages/embed-xss.html?trust=0');
  const url = page.url();
  await expect(outputOf(page, 0).locator('pre.stdout')).toHaveText(`shown ${XSS_VECTORS.length}\n`, { timeout: 150_000 });
  const clicked = await clickEverything(page, 'py-output', 'a, area, button, input, summary, [class*=xss-click]');
  expect(clicked.dispatched).toBeGreaterThan(0); // sanitized, the corpus still leaves inert links and controls
  // The settle: payloads of the same asynchronous kinds on the page itself, clicked the same
  // way; once they have run, the output's had their chance.
  await page.evaluate(() => {
    const control = document.createElement('div');
    control.id = 'control';
    control.innerHTML = `<img src=x onerror="__pwned('control-img')"><a href="javascript:__pwned('control-link')">control</a><span class="xss-click" onclick="__pwned('control-click')">control</span>`;
    document.body.append(control);
  });
  await clickEverything(page, '#control');
  const pwned = () => page.evaluate(() => (window as unknown as { pwned: string[] }).pwned);
  await expect.poll(async () => [...new Set(await pwned())].sort()).toEqual(['control-click', 'control-img', 'control-link']);
  expect((await pwned()).filter((id) => !id.startsWith('control'))).toEqual([]);
  expect(dialogs).toEqual([]);
  expect(page.url()).toBe(url);
});

test('the control: the same docs page with trust opted into does trip the sentinel, so the check above can fail', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto('/test/e2e/pages/embed-xss.html?trust=1');
  await expect(outputOf(page, 0).locator('pre.stdout')).toHaveText(`shown ${XSS_VECTORS.length}\n`, { timeout: 150_000 });
  await expect.poll(() => page.evaluate(() => (window as unknown as { pwned: string[] }).pwned.length)).toBeGreaterThan(0);
});
