// A Jupyter Book / sphinx-thebe page as those tools write it, in Chromium: the header's launch
// button (sphinx-book-theme's initThebeSBT → sphinx-thebe's initThebe) drives window.thebelab
// unchanged, with the published /pyloom-embed.js in place of Thebe's script tag.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';

const PAGE = fileURLToPath(new URL('pages/thebe-sphinx.html', import.meta.url));
const cells = (page: Page) => page.locator('.thebe-cell');
const outputOf = (page: Page, index: number) => cells(page).nth(index).locator('py-output');
const runButton = (page: Page, index: number) => cells(page).nth(index).locator('.thebelab-run-button');

test('a sphinx-thebe page: the Live Code button sets up the cells through thebelab, its status label follows, thebe-init runs, a second click changes nothing', async ({
  page,
}) => {
  test.setTimeout(240_000);
  // Served as a static docs host would (no cross-origin isolation headers); not part of the build.
  await page.route('**/docs/loops/index.html', (route) => route.fulfill({ contentType: 'text/html', body: readFileSync(PAGE) }));
  const notes: string[] = [];
  page.on('console', (message) => notes.push(message.text()));
  const scriptBytes: number[] = [];
  let launched = false;
  page.on('response', async (response) => {
    if (launched || response.request().resourceType() !== 'script') return;
    scriptBytes.push((await response.body().catch(() => Buffer.alloc(0))).length);
  });
  await page.goto('/docs/loops/index.html');
  await expect(page.locator('html[data-pyloom-thebe=ready]')).toBeAttached();
  await page.waitForLoadState('networkidle');
  expect(page.workers()).toHaveLength(0);
  await expect(page.locator('.pyloom-cell')).toHaveCount(0);
  launched = true;
  test.info().annotations.push({ type: 'script bytes before launch', description: String(scriptBytes.reduce((a, b) => a + b, 0)) });

  const started = Date.now();
  await page.getByRole('button', { name: 'Live Code' }).click();
  expect(await page.evaluate(() => (window as unknown as { thebeLoadedFromCdn: boolean }).thebeLoadedFromCdn)).toBe(false);
  await expect(cells(page)).toHaveCount(3); // two MyST-NB cells and the rST block with class "thebe"
  await expect(page.locator('button.copybtn')).toHaveCount(0);
  // The page's Pygments markup stays, styled by the page, until the editor loads.
  const keyword = cells(page).nth(0).locator('span.k').first();
  await expect(keyword).toHaveText('for');
  expect(await keyword.evaluate((el) => getComputedStyle(el).color)).toBe('rgb(0, 128, 0)');
  await expect(cells(page).nth(0)).toHaveAttribute('theme', 'dark'); // codeMirrorConfig.theme "abcdef"
  await expect(page.locator('[data-output]')).toContainText('(saved by the book build)');

  // The launch button sphinx-book-theme added follows thebelab.on("status", (evt, data) => …).
  const launch = page.locator('section .thebe-launch-button');
  await expect(launch.locator('.status')).toHaveText('ready', { timeout: 150_000 });
  await expect(launch).toHaveClass(/thebe-status-ready/);
  await expect(launch).not.toHaveClass(/thebe-status-starting/);
  // The thebe-init cell was run by clicking its .thebelab-run-button; kernelOptions.path is its folder.
  await expect(outputOf(page, 2).locator('pre.stdout')).toHaveText('init in loops\n');
  test.info().annotations.push({ type: 'launch click to first output (ms)', description: String(Date.now() - started) });
  expect(await page.evaluate(() => (window as unknown as { statusSeen: string[] }).statusSeen)).toEqual(['starting', 'ready']);

  await runButton(page, 0).click();
  await expect(outputOf(page, 0).locator('pre.stdout')).toHaveText('total & count: 6 3\n');
  await expect(page.locator('[data-output]')).toHaveCount(0);
  await runButton(page, 1).click();
  await expect(outputOf(page, 1).locator('pre.text')).toHaveText('42');

  // A second click: sphinx-thebe sees div.thebe-cell and adds no status hook; bootstrap() again adds no cell.
  await page.getByRole('button', { name: 'Live Code' }).click();
  await expect.poll(() => page.evaluate(() => window.thebelab!.cells.length)).toBe(3);
  await expect(page.locator('.pyloom-cell')).toHaveCount(3);
  await expect(outputOf(page, 1).locator('pre.text')).toHaveText('42');
  expect(notes.filter((n) => n.includes('Pyloom:'))).toEqual([]); // nothing to report: mode and theme are known keys
});
