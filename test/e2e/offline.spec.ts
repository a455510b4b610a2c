// Offline after the first visit, in Chromium: the service worker (src/offline/sw.ts) precaches
// the app and Pyodide, caches packages as they load, serves them with the network gone, deletes
// other versions' caches, clears on request, and makes a header-less host crossOriginIsolated.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { UNISOLATED_ORIGIN } from '../../playwright.config';
import { buildTestPackages, lockEntries } from '../unit/helpers/test-wheels';
import { TOOLS_MISSING, toolLockEntry, toolWheel, type ToolWheel } from '../unit/helpers/install-tools';

const require = createRequire(import.meta.url);
const pinnedLock = JSON.parse(readFileSync(join(dirname(require.resolve('pyodide/pyodide.mjs')), 'pyodide-lock.json'), 'utf8'));
/** The build the Playwright web server made (playwright.config.ts). */
const OUT_DIR = resolve(process.env['PYLOOM_TEST_OUTDIR'] ?? 'dist-test');
const PAGE = '/test/e2e/pages/offline.html';
const FORTY_TWO = [{ output_type: 'execute_result', execution_count: 1, data: { 'text/plain': '42' }, metadata: {} }];

interface Served {
  origin: string;
  /** Paths asked for, in order. */
  requests: string[];
  /** Stop listening and drop open connections: from now on the host is gone. */
  close(): Promise<void>;
}

async function serve(
  handler: (path: string) => { status: number; headers: Record<string, string>; body?: Uint8Array | string },
): Promise<Served> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]!);
    requests.push(path);
    const answer = handler(path);
    res.writeHead(answer.status, answer.headers).end(answer.body);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.zip': 'application/zip',
  '.whl': 'application/zip',
  '.woff2': 'font/woff2',
};

/** A static host for the test build that this test can switch off (the preview server it cannot). */
function serveBuild(extra: Record<string, string> = {}): Promise<Served> {
  const isolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
  return serve((path) => {
    const added = extra[path];
    if (added !== undefined) return { status: 200, headers: { ...isolation, 'Content-Type': 'application/json' }, body: added };
    let file = normalize(join(OUT_DIR, path));
    if (!file.startsWith(OUT_DIR)) return { status: 403, headers: {} };
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) return { status: 404, headers: isolation };
    return {
      status: 200,
      headers: { ...isolation, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' },
      body: readFileSync(file),
    };
  });
}

const { a, b } = buildTestPackages();

/**
 * A cross-origin package host: a mirror with a lock file that lists the two test packages, and an
 * index (a PEP 691 JSON page for pyloom-test-a, a PEP 503 HTML page for its dependency).
 */
function servePackages(): Promise<Served> {
  const routes: Record<string, [string, Uint8Array | string]> = {
    '/lock.json': ['application/json', JSON.stringify({ ...pinnedLock, packages: { ...pinnedLock.packages, ...lockEntries([a, b]) } })],
    [`/mirror/${a.wheel.fileName}`]: ['application/zip', a.wheel.bytes],
    [`/mirror/${b.wheel.fileName}`]: ['application/zip', b.wheel.bytes],
    '/simple/pyloom-test-a/': [
      'application/vnd.pypi.simple.v1+json',
      JSON.stringify({
        meta: { 'api-version': '1.0' },
        name: 'pyloom-test-a',
        files: [{ filename: a.wheel.fileName, url: `ORIGIN/mirror/${a.wheel.fileName}`, hashes: { sha256: a.wheel.sha256 } }],
      }),
    ],
    '/simple/pyloom-test-b/': ['text/html', `<a href="ORIGIN/mirror/${b.wheel.fileName}#sha256=${b.wheel.sha256}">${b.wheel.fileName}</a>`],
  };
  // Index installs go through micropip (and packaging), which load from the lock like any lock
  // package: here the genuine wheels from ../shared/wheels, as a page's own mirror would serve them
  // (the Pyodide CDN of the pinned lock is not reachable from this machine).
  const tools = [toolWheel('micropip'), toolWheel('packaging')].filter((w): w is ToolWheel => w !== undefined);
  routes['/tools-lock.json'] = [
    'application/json',
    JSON.stringify({
      ...pinnedLock,
      packages: { ...pinnedLock.packages, ...Object.fromEntries(tools.map((t) => [t.name, toolLockEntry(t)])) },
    }),
  ];
  for (const tool of tools) routes[`/mirror/${tool.fileName}`] = ['application/zip', tool.bytes];
  // Absolute file URLs, as PyPI gives them: micropip 0.11 does not resolve relative ones (README).
  let origin = '';
  const served = serve((path) => {
    const headers = { 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin' };
    const route = routes[path];
    if (route === undefined) return { status: 404, headers };
    const body = typeof route[1] === 'string' ? route[1].replaceAll('ORIGIN', origin) : route[1];
    return { status: 200, headers: { ...headers, 'Content-Type': route[0] }, body };
  });
  return served.then((s) => {
    origin = s.origin;
    return s;
  });
}

async function finished(page: Page): Promise<Window['offlineTest']> {
  await expect(page.locator('body[data-done=true]')).toBeAttached({ timeout: 120_000 });
  return page.evaluate(() => window.offlineTest);
}

const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;
const phases = (timings: Record<string, number | undefined> | undefined): string =>
  Object.entries(timings ?? {})
    .map(([phase, ms]) => `${phase} ${ms?.toFixed(0)}`)
    .join(', ');

for (const source of ['mirror', 'index'] as const) {
  test(`after one online visit the page boots, runs and imports a cached package (${source}) with the network gone`, async ({
    page,
    context,
  }) => {
    test.setTimeout(360_000);
    if (source === 'index' && TOOLS_MISSING) test.skip(true, TOOLS_MISSING);
    const app = await serveBuild();
    const packages = await servePackages();
    try {
      // Booted before registering, as an app that does not wait would: the worker is claimed with the
      // page, so the cell's package downloads (after activation) go through the cache too; a custom
      // lock file it read while booting is handed to registerOffline (alsoCache).
      const query =
        source === 'mirror'
          ? `lock=${encodeURIComponent(`${packages.origin}/lock.json`)}&packages=${encodeURIComponent(`${packages.origin}/mirror/`)}`
          : `index=${encodeURIComponent(`${packages.origin}/simple/`)}&lock=${encodeURIComponent(`${packages.origin}/tools-lock.json`)}&packages=${encodeURIComponent(`${packages.origin}/mirror/`)}`;
      await page.goto(`${app.origin}${PAGE}?order=runtime-first&${query}`);
      const online = await finished(page);
      expect(online.error).toBeUndefined();
      expect(online.reply?.outputs).toEqual(FORTY_TWO);
      const state = await page.evaluate(() => window.pyloomOffline.offlineStatus());
      const wheels = source === 'index' ? 4 : 2; // + micropip and packaging for an index install
      expect(state).toMatchObject({ supported: true, controlled: true, ready: true, packages: wheels });
      expect(packages.requests.filter((path) => path.endsWith('.whl'))).toHaveLength(wheels);
      console.info(
        `offline (${source}): first visit cached ${state.cachedFiles} files, ${mb(state.cachedBytes)} (build ${state.build}); ` +
          `first visit: result ${online.resultMs?.toFixed(0)} ms after navigation start (boot ms: ${phases(online.bootTimings)})`,
      );

      // The hosts are gone, not just unreachable for the page: nothing can answer but the cache.
      await context.setOffline(true);
      await app.close();
      await packages.close();
      const seenBefore = app.requests.length + packages.requests.length;
      await page.reload();
      const offline = await finished(page);
      expect(offline.error).toBeUndefined();
      expect(offline.reply?.outputs).toEqual(FORTY_TWO);
      expect(offline.isolated).toBe(true); // the cached page kept its COOP/COEP
      expect(app.requests.length + packages.requests.length).toBe(seenBefore);
      console.info(
        `offline (${source}): second visit, network off: result ${offline.resultMs?.toFixed(0)} ms after navigation start (boot ms: ${phases(offline.bootTimings)})`,
      );
    } finally {
      await context.setOffline(false);
      await app.close();
      await packages.close();
    }
  });
}

test('activation deletes caches of other versions of this scope only; clearOfflineCache empties ours and unregisters', async ({
  page,
  baseURL,
}) => {
  const scope = `${baseURL}/`;
  const planted = [
    `pyloom-shell-000000000000@${scope}`,
    `pyloom-pyodide-0.26.0@${scope}`,
    `pyloom-packages-0.26.0@${scope}`,
    `pyloom-shell-000000000000@${scope}other/`, // another deployment on this origin
    'someone-elses-cache',
  ];
  // Same origin, before the worker exists: an older Pyloom's caches and a neighbour's. The older
  // shell cache also holds one of this build's hashed files (a font the page never loads): the
  // install must copy it across rather than download it again.
  await page.goto('/test/e2e/pages/harness.html');
  const font = await page.evaluate(async (names) => {
    for (const name of names) await (await caches.open(name)).put('/planted', new Response('x'));
    const sw = await (await fetch('/sw.js')).text();
    const manifest = JSON.parse(sw.slice(sw.indexOf('{'), sw.indexOf(';\n'))) as { hashed: string[] };
    const file = new URL(
      manifest.hashed.find((path) => path.endsWith('.woff2'))!,
      location.origin,
    ).href;
    await (await caches.open(names[0]!)).put(file, new Response('copied from an earlier build'));
    return file;
  }, planted);

  await page.goto(`${PAGE}?run=0`);
  const registered = await finished(page);
  expect(registered.error).toBeUndefined();
  expect(registered.state).toMatchObject({ supported: true, controlled: true, ready: true });
  const after = await page.evaluate(() => caches.keys());
  expect(after).not.toContain(planted[0]);
  expect(after).not.toContain(planted[1]);
  expect(after).not.toContain(planted[2]);
  expect(after).toEqual(expect.arrayContaining([planted[3], planted[4]]));
  const ours = after.filter((name) => name.startsWith('pyloom-') && name.endsWith(`@${scope}`));
  expect(ours.sort()).toEqual([`pyloom-pyodide-314.0.7@${scope}`, `pyloom-shell-${registered.state?.build}@${scope}`]);
  const copied = await page.evaluate(
    async ([name, file]) => (await (await caches.open(name!)).match(file!))?.text(),
    [`pyloom-shell-${registered.state?.build}@${scope}`, font],
  );
  expect(copied).toBe('copied from an earlier build');

  await page.evaluate(() => window.pyloomOffline.clearOfflineCache());
  expect((await page.evaluate(() => caches.keys())).sort()).toEqual([planted[3], planted[4]].sort());
  expect(await page.evaluate(() => navigator.serviceWorker.getRegistrations().then((r) => r.length))).toBe(0);
  const cleared = await page.evaluate(() => window.pyloomOffline.offlineStatus());
  expect(cleared).toMatchObject({ ready: false, cachedFiles: 0, cachedBytes: 0, packages: 0 });
});

/** A 1×1 PNG from another origin that sends neither CORS nor CORP, like most third-party images. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const imageLoads = (page: Page, src: string): Promise<boolean> =>
  page.evaluate(
    (src) =>
      new Promise<boolean>((resolve) => {
        const image = new Image();
        image.onload = () => resolve(true);
        image.onerror = () => resolve(false);
        image.src = src;
      }),
    src,
  );

test('on a host without COOP/COEP the service worker adds them: one reload, then crossOriginIsolated', async ({ page, browser }) => {
  test.setTimeout(360_000);
  const images = await serve(() => ({ status: 200, headers: { 'Content-Type': 'image/png' }, body: PNG }));
  try {
    let loads = 0;
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) loads += 1;
    });
    await page.goto(`${UNISOLATED_ORIGIN}${PAGE}`);
    const result = await finished(page); // the first load reloads itself before it gets here
    expect(result.error).toBeUndefined();
    expect(result.isolated).toBe(true);
    expect(result.interruptible).toBe(true); // the runtime got its SharedArrayBuffer
    expect(result.reply?.outputs).toEqual(FORTY_TWO);
    expect(loads).toBe(2);
    // The price of require-corp: a third-party image without CORP no longer loads.
    expect(await imageLoads(page, `${images.origin}/a.png`)).toBe(false);
    // Reloading again neither loops nor loses isolation.
    await page.reload();
    expect(await finished(page)).toMatchObject({ isolated: true });
    expect(loads).toBe(3);

    // credentialless: isolated too (Chromium, Firefox), and such images load (without cookies).
    // Switched off: the worker still caches, but adds nothing and reloads nothing.
    for (const coep of ['credentialless', 'off'] as const) {
      const context = await browser.newContext();
      try {
        const other = await context.newPage();
        let otherLoads = 0;
        other.on('framenavigated', (frame) => {
          if (frame === other.mainFrame()) otherLoads += 1;
        });
        await other.goto(`${UNISOLATED_ORIGIN}${PAGE}?coep=${coep}`);
        const state = await finished(other);
        expect(state.error).toBeUndefined();
        const isolated = coep === 'credentialless';
        expect(state).toMatchObject({ isolated, interruptible: isolated, state: { controlled: true, ready: true } });
        expect(otherLoads).toBe(isolated ? 2 : 1);
        expect(await imageLoads(other, `${images.origin}/b.png`)).toBe(true);
      } finally {
        await context.close();
      }
    }
  } finally {
    await images.close();
  }
});

test('the notebook page: online visit runs a cell importing a package; offline reload restores the notebook, boots and runs it again', async ({
  page,
  context,
}) => {
  test.setTimeout(360_000);
  const packages = await servePackages();
  // The deployment config beside index.html points the page at the package host.
  const app = await serveBuild({
    '/pyloom.json': JSON.stringify({ lockFileURL: `${packages.origin}/lock.json`, packageBaseUrl: `${packages.origin}/mirror/` }),
  });
  try {
    await page.goto(`${app.origin}/`);
    await expect(page.locator('py-status')).toContainText('Python idle', { timeout: 150_000 });
    const editor = page.getByRole('textbox', { name: 'Code cell 1 source' });
    await editor.click();
    await page.keyboard.type('import pyloom_test_a\npyloom_test_a.answer()');
    await page.keyboard.press('Control+Enter');
    const output = page.locator('py-cell').first().locator('py-output pre');
    await expect(output).toHaveText('42', { timeout: 120_000 });
    await expect(page.locator('#offline')).toContainText('Ready offline', { timeout: 150_000 });
    await expect(page.locator('#save-state')).toHaveText('Saved in this browser');
    console.info(`notebook page offline: ${await page.locator('#offline').textContent()}`);

    await context.setOffline(true);
    await app.close();
    await packages.close();
    const seen = app.requests.length + packages.requests.length;
    await page.reload();
    await expect(page.locator('py-status')).toContainText('Python idle', { timeout: 150_000 });
    await expect(editor).toHaveText('import pyloom_test_a' + 'pyloom_test_a.answer()');
    await expect(output).toHaveText('42'); // restored from the browser, not run yet
    await page.locator('py-cell').first().getByText('[1]:').click();
    await page.keyboard.press('Control+Enter');
    await expect(page.locator('py-cell').first().getByText('[1]:')).toBeVisible(); // a fresh runtime counts from 1 again
    await expect(output).toHaveText('42', { timeout: 120_000 });
    await expect(page.locator('py-cell').first()).not.toHaveAttribute('data-state', /./);
    expect(
      await page.evaluate(
        () => (window as unknown as { pyloomApp: { runtime: { bootInfo: { snapshot: string } } } }).pyloomApp.runtime.bootInfo.snapshot,
      ),
    ).toBe('restored');
    expect(app.requests.length + packages.requests.length).toBe(seen);
  } finally {
    await context.setOffline(false);
    await app.close();
    await packages.close();
  }
});
