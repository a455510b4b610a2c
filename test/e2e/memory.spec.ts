// Running out of WebAssembly memory is the cell's error, not the runtime's death.
import { expect, test } from '@playwright/test';

test('a cell that exhausts memory gets MemoryError and the runtime stays usable', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto('/test/e2e/pages/harness.html');
  await expect(page.locator('body[data-ready=true]')).toBeAttached();
  const result = await page.evaluate(async () => {
    const runtime = window.pyloom.createRuntime();
    await runtime.execute('kept = "before"');
    const hog = await runtime.execute('hog = []\nwhile True:\n    hog.append(bytearray(200 * 1024 * 1024))');
    const freed = await runtime.execute('n = len(hog)\ndel hog\nimport gc; gc.collect()\nn, kept');
    return { hog, freed, status: runtime.status };
  });
  expect(result.hog.status).toBe('error');
  expect(result.hog.outputs).toMatchObject([{ output_type: 'error', ename: 'MemoryError' }]);
  expect(result.status).toBe('idle');
  expect(result.freed.outputs[0]).toMatchObject({ output_type: 'execute_result' });
  const text = String((result.freed.outputs[0] as { data: Record<string, unknown> }).data['text/plain']);
  expect(text).toMatch(/^\(\d+, 'before'\)$/);
});
