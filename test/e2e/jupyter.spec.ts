// Remote kernels in Chromium against a real Jupyter Server started by this file: a Thebe page
// pointing at it, the notebook page's runtime picker, Binder through a fake BinderHub, and the
// failures a user meets (wrong token, server down, CORS refused).
import { expect, test, type Page } from '@playwright/test';
import { UNISOLATED_ORIGIN } from '../../playwright.config';
import { startFakeBinderHub, type FakeBinderHub } from '../binder-hub-fake';
import { rmSync } from 'node:fs';
import { freePort, jupyterMissing, PYTHON, startJupyter, type JupyterServer } from '../jupyter-server';
import { unpackWidgetWheelsForServer, widgetWheelsMissing } from '../unit/helpers/widget-wheels';
import { openCells, openNotebook } from './notebook-page';

const ORIGIN = `http://127.0.0.1:${process.env['PYLOOM_E2E_PORT'] ?? 4173}`;
const missing = jupyterMissing();
test.skip(!!missing, `needs a local Jupyter Server: ${missing}`);

const widgetsMissing = widgetWheelsMissing();
let server: JupyterServer;
let widgetPath: string | undefined;
test.beforeAll(async () => {
  // ipywidgets for the kernels, unpacked from the genuine wheels (the widget test skips when absent).
  widgetPath = widgetsMissing ? undefined : unpackWidgetWheelsForServer(PYTHON);
  // Allows the isolated origin only: the unisolated one (port + 1) is a page it must refuse.
  server = await startJupyter({ allowOrigin: ORIGIN, ...(widgetPath ? { env: { PYTHONPATH: widgetPath } } : {}) });
});
test.afterAll(async () => {
  await server?.stop();
  if (widgetPath) rmSync(widgetPath, { recursive: true, force: true });
});

/**
 * The Thebe page with `baseUrl` and `token` in its config. (Not through page.route: Chromium treats
 * a fulfilled response as a public page, and Local Network Access then blocks its requests to 127.0.0.1.)
 */
async function openThebePage(page: Page, origin: string, baseUrl: string, token: string): Promise<void> {
  await page.goto(`${origin}/test/e2e/pages/thebe-server.html#${new URLSearchParams({ url: baseUrl, token })}`);
  await expect(page.locator('html[data-pyloom-embed=ready]')).toBeAttached();
}
const cell = (page: Page, n: number) => page.locator('.pyloom-cell').nth(n);

test('a Thebe page with serverSettings runs its cells on that server: streams, sanitized rich output, input()', async ({ page }) => {
  await openThebePage(page, ORIGIN, server.baseUrl, server.token);
  // requestKernel: the kernel starts on load, before any Run.
  await cell(page, 0).getByRole('button', { name: 'Run this Python cell' }).click();
  await expect(cell(page, 0).locator('py-output pre.stdout')).toContainText('in a server process', { timeout: 120_000 });
  expect(page.workers()).toHaveLength(0); // no Pyodide worker was started
  await cell(page, 1).getByRole('button', { name: 'Run this Python cell' }).click();
  await expect(cell(page, 1).locator('py-output b')).toHaveText('rich');
  await cell(page, 2).getByRole('button', { name: 'Run this Python cell' }).click();
  const box = cell(page, 2).getByRole('textbox', { name: 'Who?' });
  await box.fill('Ada');
  await box.press('Enter');
  await expect(cell(page, 2).locator('py-output pre.stdout')).toHaveText('Who? Ada\nhello Ada\n'); // prompt echoed as in Pyodide
  await expect(cell(page, 2)).toHaveAttribute('data-status', 'ok');
  // The HTML went through the same sanitizer as Pyodide's output: its handlers and script never ran.
  expect(await page.evaluate(() => (window as unknown as { hostSentinel: number[] }).hostSentinel)).toEqual([]);
});

test('a Thebe page on the server shows an ipywidgets slider made by the kernel', async ({ page }) => {
  test.skip(widgetsMissing !== undefined, `skipped: ${widgetsMissing}`);
  await openThebePage(page, ORIGIN, server.baseUrl, server.token);
  await cell(page, 3).getByRole('button', { name: 'Run this Python cell' }).click();
  await expect(cell(page, 3)).toHaveAttribute('data-status', 'ok', { timeout: 120_000 });
  const widget = cell(page, 3).locator('.widget[data-state=done]');
  await expect(widget.locator('.widget-readout')).toHaveText('4');
  await expect(widget.locator('.widget-label')).toHaveText('steps');
});

async function kernelIds(): Promise<string[]> {
  const response = await fetch(`${server.baseUrl}api/kernels`, { headers: { Authorization: `token ${server.token}` } });
  return ((await response.json()) as { id: string }[]).map((k) => k.id);
}

test("widgets over the kernel's comms: a slider made on the server renders; moved in the page, the kernel sees it; set in the kernel, the page follows", async ({
  page,
}) => {
  test.skip(widgetsMissing !== undefined, `skipped: ${widgetsMissing}`);
  await page.goto(`${ORIGIN}/test/e2e/pages/widgets.html`);
  await expect(page.locator('body[data-ready=true]')).toBeAttached();
  await page.evaluate(({ url, token }) => window.widgetPage.startRemote(url, token), { url: server.baseUrl, token: server.token });
  const status = await page.evaluate(
    (code) => window.widgetPage.run('ui', code),
    'import ipywidgets as w, sys\nprint(sys.platform)\nslider = w.IntSlider(value=5, max=100, description="n")\nslider',
  );
  expect(status).toBe('ok');
  expect(page.workers()).toHaveLength(0); // no Pyodide: the kernel is the server's
  const widget = page.locator('#ui .widget[data-state=done]');
  await expect(widget.locator('.widget-readout')).toHaveText('5');
  await expect(widget.locator('.widget-label')).toHaveText('n');
  await widget.locator('.noUi-handle').press('ArrowRight');
  await expect(widget.locator('.widget-readout')).toHaveText('6');
  // The update went out before this cell's execute_request on the same websocket: the kernel has it.
  expect((await page.evaluate(() => window.widgetPage.print('print(slider.value, sys.platform)'))).trim()).toBe('6 linux');
  expect(await page.evaluate(() => window.widgetPage.start_run('slider.value = 42'))).toBe('ok');
  await expect(widget.locator('.widget-readout')).toHaveText('42');
  // interact: its callback's print goes into its Output widget (routed by the page, as JupyterLab does).
  expect(await page.evaluate((code) => window.widgetPage.run('ui2', code), 'w.interact(lambda n: print("n =", n), n=slider);')).toBe('ok');
  const ui2 = page.locator('#ui2 .widget[data-state=done]');
  await expect(ui2.locator('py-output')).toHaveText('n = 42');
  await ui2.locator('.noUi-handle').press('ArrowRight');
  await expect(ui2.locator('py-output')).toHaveText('n = 43');
  await expect(widget.locator('.widget-readout')).toHaveText('43'); // the same model in both views
});

test('leaving the page shuts its kernel down on the server', async ({ page }) => {
  const before = await kernelIds();
  await openThebePage(page, ORIGIN, server.baseUrl, server.token);
  await cell(page, 0).getByRole('button', { name: 'Run this Python cell' }).click();
  await expect(cell(page, 0)).toHaveAttribute('data-status', 'ok', { timeout: 120_000 });
  const started = (await kernelIds()).filter((id) => !before.includes(id));
  expect(started).toHaveLength(1);
  await page.goto('about:blank');
  await expect.poll(async () => (await kernelIds()).filter((id) => started.includes(id)), { timeout: 60_000 }).toEqual([]);
});

test('a wrong token is reported in the cell as refused, and the token is not shown', async ({ page }) => {
  await openThebePage(page, ORIGIN, server.baseUrl, 'wrong-token-4711');
  await cell(page, 0).getByRole('button', { name: 'Run this Python cell' }).click();
  const status = cell(page, 0).getByRole('status');
  await expect(status).toContainText('refused the token (HTTP 403)', { timeout: 60_000 });
  await expect(status).not.toContainText('wrong-token-4711');
  await expect(cell(page, 0)).toHaveAttribute('data-status', 'failed');
});

test('a page whose origin the server does not allow is told which --ServerApp.allow_origin to set', async ({ page }) => {
  await openThebePage(page, UNISOLATED_ORIGIN, server.baseUrl, server.token);
  await cell(page, 0).getByRole('button', { name: 'Run this Python cell' }).click();
  await expect(cell(page, 0).getByRole('status')).toContainText(
    `does not allow requests from ${UNISOLATED_ORIGIN} (CORS). Start it with --ServerApp.allow_origin='${UNISOLATED_ORIGIN}'`,
    {
      timeout: 60_000,
    },
  );
});

test('a server that is down is reported as unreachable (and, on an isolated page, with the CORS hint too)', async ({ page }) => {
  const down = `http://127.0.0.1:${await freePort([server.port])}/`;
  await openThebePage(page, UNISOLATED_ORIGIN, down, 'x');
  await cell(page, 0).getByRole('button', { name: 'Run this Python cell' }).click();
  await expect(cell(page, 0).getByRole('status')).toContainText(
    `Could not reach the Jupyter server at ${down}: is it running, and is the URL right?`,
    { timeout: 60_000 },
  );
  // Cross-origin isolated pages cannot tell "down" from "CORS refused": the message names both.
  await page.goto(`${ORIGIN}/test/e2e/pages/harness.html`);
  const message = await page.evaluate(async (baseUrl) => {
    const runtime = window.pyloom.createRuntime({ kind: 'jupyter', serverSettings: { baseUrl, token: 'x' } });
    return runtime.ready.then(
      () => 'ready',
      (error: unknown) => String(error),
    );
  }, down);
  expect(message).toContain(
    `Could not reach the Jupyter server at ${down}: it is not running or not reachable from this browser, or it does not allow requests from ${ORIGIN}`,
  );
  expect(message).toContain(`--ServerApp.allow_origin='${ORIGIN}'`);
});

test('the notebook page: pick "Jupyter server…", run cells there; the choice is remembered per notebook, the token only when asked and never in the .ipynb', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await openNotebook(page);
  await expect(page.locator('#runtime-button')).toHaveText('Runs: In this browser');
  await page.locator('#runtime-button').click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Jupyter server…').check();
  // Pasted the way `jupyter server list` prints it: the token is split off the URL.
  await dialog.getByLabel('Server URL').fill(`${server.baseUrl}?token=${server.token}`);
  await dialog.getByLabel('Server URL').blur();
  await expect(dialog.getByLabel('Server URL')).toHaveValue(server.baseUrl);
  await dialog.getByRole('button', { name: 'Use this' }).click();
  await expect(page.locator('py-status')).toContainText(`Python idle on Jupyter server 127.0.0.1:${server.port}, kernel python3`, {
    timeout: 120_000,
  });
  await expect(page.locator('#runtime-button')).toHaveText(`Runs: Jupyter server 127.0.0.1:${server.port}`);

  const editor = page.getByRole('textbox', { name: 'Code cell 1 source' });
  await editor.click();
  await page.keyboard.type('import sys\nprint(sys.platform)\nname = input("Name: ")\nf"hi {name}"');
  await page.keyboard.press('Control+Enter');
  await page.getByRole('textbox', { name: 'Name:' }).fill('Grace');
  await page.getByRole('textbox', { name: 'Name:' }).press('Enter');
  const output = page.locator('py-cell').first().locator('py-output');
  await expect(output.locator('pre.text')).toHaveText("'hi Grace'");
  await expect(output.locator('pre.stdout')).toHaveText('linux\nName: Grace\n'); // not 'emscripten': it ran on the server
  await expect(page.locator('#save-state')).toHaveText('Saved in this browser');

  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }));
  expect(stored).toContain(server.baseUrl);
  expect(stored).not.toContain(server.token);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download .ipynb' }).click()]);
  const { readFileSync } = await import('node:fs');
  const ipynb = readFileSync(await download.path(), 'utf8');
  expect(ipynb).toContain('hi Grace');
  expect(ipynb).not.toContain(server.token);

  // Reload: the notebook still runs on the server, but the token was not kept: the picker asks for it.
  await page.reload();
  await expect(dialog).toBeVisible({ timeout: 120_000 });
  await expect(dialog.getByRole('alert')).toContainText('refused the token (HTTP 403). It needs a token');
  await expect(page.locator('py-cell').first().locator('py-output pre.text')).toHaveText("'hi Grace'"); // outputs kept
  await dialog.getByLabel('Token', { exact: true }).fill(server.token);
  await dialog.getByLabel('Remember the token in this browser').check();
  await dialog.getByRole('button', { name: 'Use this' }).click();
  await expect(page.locator('py-status')).toContainText('Python idle on Jupyter server', { timeout: 120_000 });
  expect(await page.evaluate(() => JSON.stringify({ ...localStorage }))).toContain(server.token);
  await page.reload();
  await expect(page.locator('py-status')).toContainText('Python idle on Jupyter server', { timeout: 120_000 });
  await expect(dialog).toBeHidden();

  // Back to the browser: Pyodide runs the next cell.
  await page.locator('#runtime-button').click();
  await dialog.getByRole('radio', { name: /In this browser/ }).check();
  await dialog.getByRole('button', { name: 'Use this' }).click();
  await expect(page.locator('py-status')).toContainText('Python idle', { timeout: 120_000 });
  await expect(page.locator('py-status')).not.toContainText('Jupyter server');
  await page.getByRole('textbox', { name: 'Code cell 1 source' }).click();
  await page.keyboard.press('Control+Enter');
  await page.getByRole('textbox', { name: 'Name:' }).fill('Pyodide');
  await page.getByRole('textbox', { name: 'Name:' }).press('Enter');
  await expect(output.locator('pre.stdout')).toHaveText('emscripten\nName: Pyodide\n'); // the same echo in both runtimes
});

test('Reset all browser data while the notebook runs on a Jupyter server erases the browser workspace, notebooks included', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await openNotebook(page);
  await openCells(page, 'kept-until-reset.ipynb', ['x = 1']);
  await expect(page.locator('#save-state')).toHaveText('Saved in this browser');
  // A data file beside it in the workspace's tree (the Origin Private File System folder the worker stores in).
  const workspaceFiles = () =>
    page.evaluate(async () => {
      const names: string[] = [];
      const tree = await (await navigator.storage.getDirectory()).getDirectoryHandle('workspace', { create: true });
      for await (const [name] of tree.entries()) names.push(name);
      return names.sort();
    });
  await page.evaluate(async () => {
    const tree = await (await navigator.storage.getDirectory()).getDirectoryHandle('workspace', { create: true });
    const writable = await (await tree.getFileHandle('data.csv', { create: true })).createWritable();
    await writable.write('a,b\n1,2\n');
    await writable.close();
  });
  expect(await workspaceFiles()).toEqual(expect.arrayContaining(['data.csv', 'kept-until-reset.ipynb']));
  await page.locator('#runtime-button').click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Jupyter server…').check();
  await dialog.getByLabel('Server URL').fill(server.baseUrl);
  await dialog.getByLabel('Token', { exact: true }).fill(server.token);
  await dialog.getByRole('button', { name: 'Use this' }).click();
  await expect(page.locator('py-status')).toContainText('Python idle on Jupyter server', { timeout: 120_000 });
  const questions: string[] = [];
  page.on('dialog', (question) => {
    questions.push(question.message());
    void question.accept();
  });
  await page.getByRole('button', { name: 'Reset all browser data…' }).click();
  // Erased by the page (no worker owns the files now), then the page starts afresh.
  await expect(page.locator('#name')).toHaveValue('Untitled.ipynb', { timeout: 120_000 });
  expect(questions.join(' ')).toContain('Delete every notebook, output, workspace file');
  expect(await workspaceFiles()).toEqual(['Untitled.ipynb']);
});

test.describe('Binder', () => {
  let hub: FakeBinderHub;
  test.beforeAll(async () => {
    hub = await startFakeBinderHub(await freePort([server.port]), { url: server.baseUrl, token: server.token });
  });
  test.afterAll(async () => {
    await hub?.stop();
  });

  test('binderOptions: the build log arrives as progress, the built server runs the cell, and the next page load reuses it', async ({
    page,
  }) => {
    await page.goto(`${ORIGIN}/test/e2e/pages/harness.html`);
    const run = (binderUrl: string) =>
      page.evaluate(async (url) => {
        const runtime = window.pyloom.createRuntime({
          kind: 'jupyter',
          binderOptions: { repo: 'pyloom/demo', ref: 'main', binderUrl: url },
        });
        const progress: string[] = [];
        runtime.addEventListener('progress', (e) => progress.push((e as CustomEvent<{ message: string }>).detail.message));
        const info = await runtime.ready;
        const reply = await runtime.execute('1 + 1');
        runtime.dispose();
        return { info, progress, result: reply.outputs[0], log: runtime.binderLog };
      }, binderUrl);
    const first = await run(hub.url);
    expect(hub.builds).toEqual(['/build/gh/pyloom/demo/main']);
    expect(first.info).toMatchObject({ server: server.baseUrl, binder: { repo: 'pyloom/demo', reused: false } });
    expect(first.progress).toContain('Binder building: Step 2/3 : RUN pip install -r requirements.txt');
    expect(first.log).toContain('Successfully built 0123abcd');
    expect(first.result).toMatchObject({ data: { 'text/plain': '2' } });
    await page.reload();
    const second = await run(hub.url);
    expect(second.info.binder).toEqual({ repo: 'pyloom/demo', reused: true });
    expect(hub.builds).toHaveLength(1); // no second build
    expect(second.result).toMatchObject({ data: { 'text/plain': '2' } });
  });

  test('a failed Binder build rejects with its log', async ({ page }) => {
    await page.goto(`${ORIGIN}/test/e2e/pages/harness.html`);
    const message = await page.evaluate(async (url) => {
      const runtime = window.pyloom.createRuntime({ kind: 'jupyter', binderOptions: { repo: 'pyloom/broken', binderUrl: url } });
      return runtime.ready.then(
        () => 'ready',
        (error: unknown) => String(error),
      );
    }, hub.url);
    expect(message).toContain('Binder could not build pyloom/broken: Build failed with exit code 1');
    expect(message).toContain('ERROR: Could not find a version that satisfies the requirement nosuchpackage==9.9');
  });
});
