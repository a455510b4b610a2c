// When Python runs out of memory or the runtime crashes under a notebook: the cell says what
// happened, the page stays usable, the next run gets a fresh runtime, and nothing saved is lost.
import { expect, test, type Page } from '@playwright/test';
import { UNISOLATED_ORIGIN } from '../../playwright.config';
import { openCells, openNotebook } from './notebook-page';

const output = (page: Page, n: number) => page.locator(`py-cell:nth-child(${n}) py-output`);

async function runCell(page: Page, n: number): Promise<void> {
  const cell = page.locator(`py-cell:nth-child(${n})`);
  await cell.getByText(/^\[.*\]:$/).click();
  // The key runs the active cell: wait until the click made this one active (a click during the
  // previous cell's output growing can land elsewhere).
  await expect(cell).toHaveAttribute('active', '');
  await page.keyboard.press('Control+Enter');
}

test('a crashed runtime (a C-level trap) is reported in its cell; the next run starts fresh; reload keeps it all', async ({ page }) => {
  await openNotebook(page);
  // Calling a null C function pointer traps in WebAssembly: a Pyodide fatal error, like a segfault.
  await openCells(page, 'crash.ipynb', [
    'kept = "before"\nkept',
    'import ctypes\nctypes.CFUNCTYPE(None)(0)()',
    'print("fresh runtime")\nkept',
  ]);
  await runCell(page, 1);
  await expect(output(page, 1).locator('pre')).toHaveText("'before'");
  await runCell(page, 2);
  await expect(output(page, 2)).toContainText('RuntimeDied', { timeout: 60_000 });
  await expect(output(page, 2)).toContainText('Pyodide has suffered a fatal error');
  await expect(output(page, 2)).toContainText('Variables were lost');
  await expect(page.locator('py-status')).toContainText('Python dead');
  // The page is still usable: the next run replaces the runtime.
  await runCell(page, 3);
  await expect(output(page, 3).locator('pre').first()).toHaveText('fresh runtime', { timeout: 120_000 });
  await expect(output(page, 3)).toContainText("NameError: name 'kept' is not defined");
  await expect(page.locator('#save-state')).toHaveText('Saved in this browser');
  await page.reload();
  await expect(page.locator('#name')).toHaveValue('crash.ipynb');
  await expect(output(page, 1).locator('pre')).toHaveText("'before'");
  await expect(output(page, 2)).toContainText('RuntimeDied');
  await expect(output(page, 3).locator('pre').first()).toHaveText('fresh runtime');
});

test('an out-of-memory cell: MemoryError in the cell, the page usable, the notebook intact after reload', async ({ page }) => {
  test.setTimeout(300_000);
  await openNotebook(page);
  await openCells(page, 'crash.ipynb', [
    'kept = "before"',
    'hog = []\nwhile True:\n    hog.append(bytearray(200 * 1024 * 1024))',
    'del hog\nkept',
  ]);
  await runCell(page, 1);
  await runCell(page, 2);
  await expect(output(page, 2)).toContainText('MemoryError', { timeout: 120_000 });
  await runCell(page, 3);
  await expect(output(page, 3).locator('pre')).toHaveText("'before'", { timeout: 120_000 });
  await expect(page.locator('#save-state')).toHaveText('Saved in this browser');
  await page.reload();
  await expect(page.locator('py-cell')).toHaveCount(3);
  await expect(output(page, 2)).toContainText('MemoryError');
  await expect(output(page, 3).locator('pre')).toHaveText("'before'");
});

for (const isolated of [true, false]) {
  test(`Interrupt on a runaway cell, ${isolated ? 'isolated: KeyboardInterrupt, variables kept' : 'not isolated: the runtime restarts and the cell says variables were lost'}`, async ({
    page,
  }) => {
    if (!isolated) {
      // A host without COOP/COEP whose deployment keeps it that way (no isolation from the service worker).
      await page.route(`${UNISOLATED_ORIGIN}/pyloom.json`, (route) =>
        route.fulfill({ contentType: 'application/json', body: JSON.stringify({ isolation: 'off' }) }),
      );
    }
    await openNotebook(page, `${isolated ? '' : UNISOLATED_ORIGIN}/`);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(isolated);
    await openCells(page, 'crash.ipynb', ['kept = "before"', 'while True:\n    pass', 'kept']);
    await runCell(page, 1);
    await runCell(page, 2);
    await expect(page.locator('py-cell:nth-child(2)')).toHaveAttribute('data-state', 'running');
    await page.getByRole('button', { name: 'Interrupt', exact: true }).click();
    if (isolated) {
      await expect(output(page, 2)).toContainText('KeyboardInterrupt', { timeout: 60_000 });
      await runCell(page, 3);
      await expect(output(page, 3).locator('pre')).toHaveText("'before'");
    } else {
      await expect(output(page, 2)).toContainText('runtime restarted to stop the running cell: variables were lost', { timeout: 60_000 });
      await expect(page.locator('py-status')).toContainText('Python idle', { timeout: 120_000 });
      await runCell(page, 3);
      await expect(output(page, 3)).toContainText("NameError: name 'kept' is not defined");
    }
  });
}
