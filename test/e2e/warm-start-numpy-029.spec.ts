// Warm start with numpy in Chromium, on Pyodide 0.29.0 with genuine numpy 2.2.5 from ../shared/wheels
// (skipped with the reason when absent): a session imports numpy; the Restart after it boots cold
// once and snapshots numpy into Cache Storage; the Restart after that restores it with the
// shared-library fix-up, and numpy works at once with the right values.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { NO_NUMPY_WHY, NUMPY_029_WHEEL, PYODIDE_029_DIR, SHARED_WHEELS } from '../unit/helpers/pyodide-029';

test.skip(!SHARED_WHEELS, `skipped: ${NO_NUMPY_WHY}`);
test.describe.configure({ timeout: 600_000 });

const TYPES: Record<string, string> = {
  '.mjs': 'text/javascript',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};

/** The 0.29.0 core under /core/ and the numpy wheel under /wheels/, with the headers an isolated page needs. */
let server: Server | undefined;
let base = '';
test.beforeAll(async () => {
  server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    let file: string | undefined;
    if (path.startsWith('/core/') && !path.includes('..')) file = resolve(PYODIDE_029_DIR, path.slice('/core/'.length));
    if (path === `/wheels/${NUMPY_029_WHEEL}`) file = resolve(SHARED_WHEELS!, 'pyodide-0.29.0', NUMPY_029_WHEEL);
    let body: Buffer | undefined;
    try {
      body = file ? readFileSync(file) : undefined;
    } catch {
      body = undefined;
    }
    const headers = { 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin', Connection: 'close' };
    if (!body) return void res.writeHead(404, headers).end();
    res
      .writeHead(200, { ...headers, 'Content-Type': TYPES[extname(file!)] ?? 'application/octet-stream', 'Content-Length': body.length })
      .end(body);
  });
  await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
test.afterAll(async () => new Promise<void>((done) => (server ? server.close(() => done()) : done())));

test('Restart after a numpy session snapshots numpy; the next Restart restores it and numpy works at once', async ({ page }) => {
  await page.goto('/test/e2e/pages/harness.html');
  await expect(page.locator('body[data-ready=true]')).toBeAttached();
  const cell =
    'import numpy as np\nprint(np.arange(10).sum(), np.linalg.det(np.array([[2.0, 1.0], [1.0, 3.0]])).round(6), np.fft.fft(np.ones(4)).real.tolist())';
  const first = await page.evaluate(
    async ({ base, cell }) => {
      const runtime = window.pyloom.createRuntime({ indexURL: `${base}/core/`, packageBaseUrl: `${base}/wheels/` });
      (window as unknown as { numpyRuntime: typeof runtime }).numpyRuntime = runtime;
      const info = await runtime.ready;
      const reply = await runtime.execute(cell);
      return { info, reply };
    },
    { base, cell },
  );
  expect(first.info.pyodideVersion).toBe('0.29.0');
  expect(first.reply.outputs).toMatchObject([{ output_type: 'stream', text: '45 5.0 [4.0, 0.0, 0.0, 0.0]\n' }]);

  type Info = { snapshot: string; snapshotFallback?: string; timings: Record<string, number> };
  const restart = () =>
    page.evaluate(async () => {
      const runtime = (window as unknown as { numpyRuntime: { restart(): Promise<unknown>; ready: Promise<unknown> } }).numpyRuntime;
      await runtime.restart();
      return (await runtime.ready) as Info;
    });
  const stored = () => page.evaluate(() => (window as unknown as { numpyRuntime: { bootInfo?: Info } }).numpyRuntime.bootInfo?.snapshot);

  // The Restart after the numpy session: cold, taking the snapshot with numpy.
  const taking = await restart();
  expect(taking.snapshot, taking.snapshotFallback).toBe('saving');
  await expect.poll(stored, { timeout: 300_000 }).toBe('taken');

  // The next Restart restores it: numpy is there without a download, values right, counts from 1.
  const restored = await restart();
  expect(restored.snapshotFallback, restored.snapshotFallback).toBeUndefined();
  expect(restored.snapshot).toBe('restored');
  const after = await page.evaluate(async (cell) => {
    const runtime = (
      window as unknown as { numpyRuntime: { execute(code: string): Promise<{ executionCount: number | null; outputs: unknown[] }> } }
    ).numpyRuntime;
    const names = await runtime.execute(
      'print(sorted(k for k in globals() if not k.startswith("_") and k not in ("In", "Out", "exit", "quit", "get_ipython", "display")))',
    );
    return { names, numpy: await runtime.execute(cell) };
  }, cell);
  expect(after.names.executionCount).toBe(1);
  expect(after.names.outputs).toMatchObject([{ output_type: 'stream', text: '[]\n' }]);
  expect(after.numpy.outputs).toMatchObject([{ output_type: 'stream', text: '45 5.0 [4.0, 0.0, 0.0, 0.0]\n' }]);
  console.log(
    `Chromium 0.29.0 numpy: restore boot phases ${JSON.stringify(restored.timings)}; cold boot that took it ${JSON.stringify(taking.timings)}`,
  );
});
