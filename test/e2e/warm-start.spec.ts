// Warm start in Chromium: the first boot leaves a memory snapshot in Cache Storage, the next start
// (a reload, a restart) restores it and is indistinguishable from a fresh runtime.
import { expect, test, type Page } from '@playwright/test';
import { UNISOLATED_ORIGIN } from '../../playwright.config';
import { openCells, openNotebook } from './notebook-page';

interface AppWindow {
  pyloomApp: { runtime: { bootInfo?: { snapshot: string; snapshotFallback?: string; timings: Record<string, number> } } };
}

const bootInfo = (page: Page) => page.evaluate(() => (window as unknown as AppWindow).pyloomApp.runtime.bootInfo);

async function snapshotStored(page: Page): Promise<boolean> {
  return page.evaluate(
    async () => (await caches.has('pyloom-snapshots')) && (await (await caches.open('pyloom-snapshots')).keys()).length === 1,
  );
}

async function runProbe(page: Page): Promise<string> {
  const probe = [
    'import sys',
    'print("stdout works")',
    'from IPython.display import HTML, display',
    'display(HTML("<b id=probe>display works</b>"))',
    'state = ("leftover" in globals(), sys.path[:3])',
    'leftover = 1',
    'state',
  ].join('\n');
  await openCells(page, 'probe.ipynb', [probe]);
  await page
    .locator('py-cell')
    .first()
    .getByText(/^\[.*\]:$/)
    .click();
  await page.keyboard.press('Control+Enter');
  const cell = page.locator('py-cell').first();
  await expect(cell.locator('py-output pre').first()).toHaveText('stdout works');
  await expect(cell.locator('py-output b')).toHaveText('display works');
  await expect(cell.getByText(/^\[\d+\]:$/)).toBeVisible(); // finished: its execute_result is in
  return (await cell.locator('py-output pre').last().textContent()) ?? '';
}

test('the second start restores the snapshot and behaves like a fresh runtime', async ({ page }) => {
  await openNotebook(page);
  const cold = await bootInfo(page);
  // 'saving' until the worker has stored it, then 'taken' (the snapshot event).
  expect(['saving', 'taken']).toContain(cold?.snapshot);
  const coldState = await runProbe(page);
  expect(coldState).toMatch(/^\(False,/);
  await expect.poll(async () => (await bootInfo(page))?.snapshot, { timeout: 120_000 }).toBe('taken');
  expect(await snapshotStored(page)).toBe(true);

  await page.reload();
  await expect(page.locator('py-status')).toContainText('Python idle', { timeout: 120_000 });
  const warm = await bootInfo(page);
  expect(warm?.snapshotFallback).toBeUndefined();
  expect(warm?.snapshot).toBe('restored');
  const warmState = await runProbe(page);
  // No variable of the earlier session, the same sys.path, counts from 1.
  expect(warmState).toBe(coldState);
  await expect(page.locator('py-cell').first().getByText('[1]:')).toBeVisible();
  console.info(
    `warm start: load-pyodide ${cold?.timings['load-pyodide']?.toFixed(0)} ms cold, ${warm?.timings['load-pyodide']?.toFixed(0)} ms restored`,
  );

  // A restart (the Restart button) restores it too.
  await page.getByRole('button', { name: 'Restart', exact: true }).click();
  await expect(page.locator('py-status')).toContainText('Python idle', { timeout: 120_000 });
  expect((await bootInfo(page))?.snapshot).toBe('restored');
});

test('without isolation, stopping a runaway cell restarts the runtime: measured with and without a snapshot', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto(`${UNISOLATED_ORIGIN}/test/e2e/pages/harness.html`);
  await expect(page.locator('body[data-ready=true]')).toBeAttached();
  const measure = (snapshot: boolean) =>
    page.evaluate(async (snapshot) => {
      const runtime = window.pyloom.createRuntime({ snapshot });
      await runtime.ready;
      await runtime.execute('kept = 1');
      const runaway = window.runUntilPrinted(runtime, 'print("started", flush=True)\nwhile True: pass');
      await runaway.started;
      const stop = performance.now();
      const outcome = await runtime.interrupt();
      const reply = await runtime.execute('"kept" in globals()');
      const usable = performance.now() - stop;
      const ended = await runaway.reply;
      const info = runtime.bootInfo;
      runtime.dispose();
      return { outcome, usable, ended: ended.status, reply, snapshot: info?.snapshot };
    }, snapshot);
  // A first runtime on this origin takes the snapshot; it stays up until the snapshot is stored.
  await page.evaluate(async () => {
    const window_ = window as unknown as { snapshotTaker?: { dispose(): void } };
    const runtime = window.pyloom.createRuntime();
    window_.snapshotTaker = runtime;
    await runtime.ready;
  });
  await expect.poll(() => snapshotStored(page), { timeout: 120_000 }).toBe(true);
  await page.evaluate(() => (window as unknown as { snapshotTaker: { dispose(): void } }).snapshotTaker.dispose());
  const warm = await measure(true);
  const cold = await measure(false);
  for (const result of [warm, cold]) {
    expect(result.outcome).toBe('restarted');
    expect(result.ended).toBe('aborted');
    expect(result.reply.outputs[0]).toMatchObject({ data: { 'text/plain': 'False' } });
  }
  expect(warm.snapshot).toBe('restored');
  expect(cold.snapshot).toBe('off');
  console.info(
    `stop → usable runtime, not isolated (1000 ms grace included): ${warm.usable.toFixed(0)} ms with the snapshot, ${cold.usable.toFixed(0)} ms without`,
  );
});
