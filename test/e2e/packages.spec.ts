// Packages in Chromium: the browser's own loading path (fetch with SRI, CORS under COEP), from a
// mirror and from an index served by a local server, with progress where the code runs.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { expect, test } from '@playwright/test';
import { buildTestPackages, lockEntries } from '../unit/helpers/test-wheels';
import { TOOLS_MISSING, toolLockEntry, toolWheel, type ToolWheel } from '../unit/helpers/install-tools';

const require = createRequire(import.meta.url);
const pinnedLock = JSON.parse(readFileSync(join(dirname(require.resolve('pyodide/pyodide.mjs')), 'pyodide-lock.json'), 'utf8'));
const { a, b } = buildTestPackages();

let server: Server;
let base = '';
test.beforeAll(async () => {
  const routes: Record<string, Uint8Array | string> = {
    '/lock.json': JSON.stringify({ ...pinnedLock, packages: { ...pinnedLock.packages, ...lockEntries([a, b]) } }),
    [`/mirror/${a.wheel.fileName}`]: a.wheel.bytes,
    [`/mirror/${b.wheel.fileName}`]: b.wheel.bytes,
    [`/files/${a.wheel.fileName}`]: a.wheel.bytes,
    [`/files/${b.wheel.fileName}`]: b.wheel.bytes,
    [`/files-wrong/${a.wheel.fileName}`]: b.wheel.bytes,
    [`/files-wrong/${b.wheel.fileName}`]: b.wheel.bytes,
    '/simple/pyloom-test-a/': `<a href="../../files/${a.wheel.fileName}#sha256=${a.wheel.sha256}">${a.wheel.fileName}</a>`,
    '/simple/pyloom-test-b/': `<a href="../../files/${b.wheel.fileName}#sha256=${b.wheel.sha256}">${b.wheel.fileName}</a>`,
  };
  server = createServer((req, res) => {
    const body = routes[(req.url ?? '').split('?')[0]!];
    // A cross-origin mirror must allow CORS (and be embeddable under COEP require-corp).
    const headers = { 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin' };
    if (body === undefined) res.writeHead(404, headers).end();
    else res.writeHead(200, { ...headers, 'Content-Type': typeof body === 'string' ? 'text/html' : 'application/octet-stream' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Absolute file URLs, as PyPI gives them (micropip 0.11 does not resolve relative ones), and the
  // genuine micropip/packaging wheels from ../shared/wheels for index installs through a tools lock
  // (the Pyodide CDN of the pinned lock is not reachable from this machine).
  routes['/simple/pyloom-test-a/'] = `<a href="${base}/files/${a.wheel.fileName}#sha256=${a.wheel.sha256}">${a.wheel.fileName}</a>`;
  routes['/simple/pyloom-test-b/'] = `<a href="${base}/files/${b.wheel.fileName}#sha256=${b.wheel.sha256}">${b.wheel.fileName}</a>`;
  const tools = [toolWheel('micropip'), toolWheel('packaging')].filter((w): w is ToolWheel => w !== undefined);
  routes['/tools-lock.json'] = JSON.stringify({
    ...pinnedLock,
    packages: { ...pinnedLock.packages, ...Object.fromEntries(tools.map((t) => [t.name, toolLockEntry(t)])) },
  });
  for (const tool of tools) routes[`/mirror/${tool.fileName}`] = tool.bytes;
});
test.afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

test('an import loads a package and its dependency from a mirror, with progress in the cell', async ({ page }) => {
  await page.goto('/test/e2e/pages/harness.html');
  await expect(page.locator('body[data-ready=true]')).toBeAttached();
  const result = await page.evaluate(async (base) => {
    const runtime = window.pyloom.createRuntime({ lockFileURL: `${base}/lock.json`, packageBaseUrl: `${base}/mirror/` });
    const progress: { file: string; loaded: number; total: number | null; done: boolean; at: number }[] = [];
    await runtime.ready;
    const warm = performance.now();
    await runtime.execute('1');
    const plainMs = performance.now() - warm;
    const t0 = performance.now();
    const reply = await runtime.execute('import pyloom_test_a\npyloom_test_a.answer()', {
      onProgress: (p) => progress.push({ file: p.file, loaded: p.loaded, total: p.total, done: p.done, at: performance.now() - t0 }),
    });
    const ms = performance.now() - t0;
    const installed = await runtime.installPackages(['pyloom-test-b']);
    runtime.dispose();
    return { reply, progress, ms, installed, plainMs };
  }, base);
  expect(result.reply.outputs).toEqual([{ output_type: 'execute_result', execution_count: 2, data: { 'text/plain': '42' }, metadata: {} }]);
  const finals = result.progress
    .filter((p) => p.done)
    .map((p) => p.file)
    .sort();
  expect(finals).toEqual([a.wheel.fileName, b.wheel.fileName].sort());
  expect(result.installed).toEqual([]); // already loaded by the import
  console.info(
    `browser: import of 2 test packages from a local mirror: ${result.ms.toFixed(0)} ms (a plain cell: ${result.plainMs.toFixed(1)} ms); downloads done at ${result.progress
      .filter((p) => p.done)
      .map((p) => p.at.toFixed(0))
      .join(', ')} ms`,
  );
});

test('%pip install from an index in the browser, and a refused tampered mirror file', async ({ page }) => {
  test.skip(TOOLS_MISSING !== undefined, TOOLS_MISSING ?? '');
  await page.goto('/test/e2e/pages/harness.html');
  await expect(page.locator('body[data-ready=true]')).toBeAttached();
  const result = await page.evaluate(async (base) => {
    const runtime = window.pyloom.createRuntime({
      indexUrls: [`${base}/simple/`],
      lockFileURL: `${base}/tools-lock.json`,
      packageBaseUrl: `${base}/mirror/`,
    });
    const pip = await runtime.execute('%pip install pyloom-test-a\nimport pyloom_test_a\npyloom_test_a.answer()');
    runtime.dispose();
    // The lock says a's sha256, but this "mirror" serves b's bytes under a's name.
    const tampered = window.pyloom.createRuntime({ lockFileURL: `${base}/lock.json`, packageBaseUrl: `${base}/files-wrong/` });
    const bad = await tampered.execute('import pyloom_test_a');
    tampered.dispose();
    return { pip, bad };
  }, base);
  expect(result.pip.outputs.at(-1)).toMatchObject({ data: { 'text/plain': '42' } });
  expect(result.bad.status).toBe('error');
  const text = JSON.stringify(result.bad.outputs);
  expect(text).toContain("No module named 'pyloom_test_a'");
  expect(text).toMatch(/could not load pyloom-test-a/);
  expect(text).toMatch(/refused pyloom_test_a-2\.0\.0-py3-none-any\.whl|integrity/i);
});
