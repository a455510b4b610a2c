// Shared steps of the notebook-page tests: open the page once Python is up, and open a notebook of
// code cells through the file picker (the way a user brings one in).
import { expect, type Page } from '@playwright/test';

export async function openNotebook(page: Page, path = '/'): Promise<void> {
  await page.goto(path);
  await expect(page.locator('py-status')).toContainText('Python idle', { timeout: 120_000 });
}

/**
 * Open the page for a test that runs no Python (editing, files, the notebook list, two tabs): it
 * is ready once the app has set up its first notebook, while Python may still be starting, as a
 * user may work then too. It does not wait for the cold boot (most of such a test's time).
 */
export async function openNotebookEditor(page: Page, path = '/'): Promise<void> {
  await page.goto(path);
  await expect(page.locator('#name')).not.toHaveValue('', { timeout: 120_000 });
  await expect(page.locator('py-cell').first()).toBeVisible();
}

/** Open `name` holding one cell per source (code, or Markdown where `markdown` says so; `outputs` by cell index, as stored). */
export async function openCells(
  page: Page,
  name: string,
  sources: string[],
  markdown: ReadonlySet<number> = new Set(),
  outputs: ReadonlyMap<number, unknown[]> = new Map(),
): Promise<void> {
  const notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: sources.map((source, i) =>
      markdown.has(i)
        ? { id: `c${i}`, cell_type: 'markdown', metadata: {}, source }
        : {
            id: `c${i}`,
            cell_type: 'code',
            metadata: {},
            source,
            outputs: outputs.get(i) ?? [],
            execution_count: outputs.has(i) ? i + 1 : null,
          },
    ),
  };
  // The app names its first notebook once it is set up; a file chosen before that is not seen.
  await expect(page.locator('#name')).not.toHaveValue('');
  await page.locator('#open-file').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(notebook)) });
  // The page opens with its own notebook (often one empty cell): wait until this file is the one shown.
  // A name already in the store gets a suffix ("probe-1.ipynb"), as a second open of the same file does.
  const stem = name.replace(/\.ipynb$/, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  await expect(page.locator('#name')).toHaveValue(new RegExp(`^${stem}(-\\d+)?\\.ipynb$`));
  await expect(page.locator('py-cell')).toHaveCount(sources.length);
}
