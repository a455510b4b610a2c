// Companion data on a docs page (embed): the page config's `files` and a cell's `data-files` are in
// the workspace before the cell runs; failures and bad syntax are shown on the cell; after one
// online visit under the service worker the page's files come back offline.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createRequire } from 'node:module';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import { openNotebook } from './notebook-page';

const cells = (page: Page) => page.locator('.pyloom-cell');
const outputOf = (page: Page, index: number) => cells(page).nth(index).locator('py-output');
const run = (page: Page, index: number) => cells(page).nth(index).getByRole('button', { name: 'Run this Python cell' }).click();
const lock = readFileSync(resolve(createRequire(import.meta.url).resolve('pyodide/pyodide.mjs'), '../pyodide-lock.json'));
const python = JSON.parse(lock.toString()).info.python as string;

/** A server that answers every request 404, readable cross-origin (CORS, CORP). */
async function notFoundServer(): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) =>
    res
      .writeHead(404, { 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin', Connection: 'close' })
      .end('no such file'),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/data/gone.csv`, server };
}

test("page config files and a cell's data-files are fetched before the cell runs; a failed fetch, a bad checksum and bad syntax are shown on the cell", async ({
  page,
  baseURL,
}) => {
  test.setTimeout(240_000);
  const missing = await notFoundServer();
  await page.goto(`/test/e2e/pages/embed-files.html?missing=${encodeURIComponent(missing.url)}`);
  await expect(cells(page)).toHaveCount(4);
  await run(page, 0);
  await expect(outputOf(page, 0).locator('pre.stdout')).toHaveText(`${python}\n`, { timeout: 120_000 });
  await expect(outputOf(page, 0).locator('pre.stderr')).toHaveCount(0);

  await run(page, 1);
  await expect(outputOf(page, 1).locator('pre.stdout')).toHaveText('True False False\n');
  const errors = outputOf(page, 1).locator('pre.stderr');
  await expect(errors).toContainText(`Data files: could not fetch ${missing.url} for "gone.csv": HTTP 404 Not Found`);
  await expect(errors).toContainText(
    `Data files: ${baseURL}/pyodide/pyodide-lock.json?as=embed-bad for "bad.json" does not match its sha256`,
  );
  await expect(cells(page).nth(1)).toHaveAttribute('data-status', 'ok');

  await run(page, 2);
  await expect(outputOf(page, 2).locator('pre.stdout')).toHaveText('ran\n');
  await expect(outputOf(page, 2).locator('pre.stderr')).toContainText(`Data files: data-files is not a JSON list (`);
  await expect(outputOf(page, 2).locator('pre.stderr')).toContainText(
    `write e.g. data-files='[{"path": "data/iris.csv", "url": "iris.csv"`,
  );
  missing.server.close();
});

test("the embed page's companion files work offline after one online visit", async ({ page, context }) => {
  test.setTimeout(300_000);
  // The notebook page registers the service worker, whose scope covers the docs pages beside it.
  await openNotebook(page);
  await expect(page.locator('#offline')).toContainText('Ready offline', { timeout: 120_000 });
  const missing = await notFoundServer();
  await page.goto(`/test/e2e/pages/embed-files.html?missing=${encodeURIComponent(missing.url)}`);
  await run(page, 0);
  await expect(outputOf(page, 0).locator('pre.stdout')).toHaveText(`${python}\n`, { timeout: 120_000 });
  await run(page, 1);
  await expect(outputOf(page, 1).locator('pre.stdout')).toHaveText('True False False\n');
  // Out of the workspace again, so offline they can only come from the cache.
  await run(page, 3);
  await expect(outputOf(page, 3).locator('pre.stdout')).toHaveText('False False\n');

  missing.server.close();
  await context.setOffline(true);
  await page.reload();
  await expect(cells(page)).toHaveCount(4);
  await run(page, 0);
  await expect(outputOf(page, 0).locator('pre.stdout')).toHaveText(`${python}\n`, { timeout: 120_000 });
  await run(page, 1);
  await expect(outputOf(page, 1).locator('pre.stdout')).toHaveText('True False False\n');
  await expect(outputOf(page, 1).locator('pre.stderr')).toContainText(`could not fetch ${missing.url} for "gone.csv"`);
});
