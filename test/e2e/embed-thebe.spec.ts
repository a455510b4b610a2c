// Thebe pages as people write them, in Chromium: a course page with a JavaScript-literal config
// under a CSP without unsafe-eval, a Jupyter Book / sphinx-thebe page whose launch button drives
// thebelab, stripPrompts on a doctest block, and a config with a syntax error.
import { expect, test, type Page } from '@playwright/test';

const cells = (page: Page) => page.locator('.pyloom-cell');
const outputOf = (page: Page, index: number) => cells(page).nth(index).locator('py-output');
const runButton = (page: Page, index: number) => cells(page).nth(index).getByRole('button', { name: 'Run this Python cell' });

test('a course page with the literal config: Activate sets up div.cell_input pre cells, Python starts (requestKernel), cells run; no CSP violation without unsafe-eval', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await page.addInitScript(() => {
    const seen: string[] = [];
    Object.assign(window, { cspViolations: seen });
    document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective} ${event.blockedURI}`));
  });
  const messages: string[] = [];
  page.on('console', (message) => messages.push(message.text()));
  await page.goto('/test/e2e/pages/thebe-course.html');
  await expect(page.locator('html[data-pyloom-thebe=ready]')).toBeAttached();
  // bootstrap is not set: Thebe waits for the page (here its Activate widget), and so does Pyloom.
  await expect(cells(page)).toHaveCount(0);
  await expect(page.locator('.thebe-status-field')).toHaveText('No Kernel Attached');
  expect(await page.evaluate(() => [typeof window.thebelab?.bootstrap, window.thebe === window.thebelab, window.thebelab?.engine])).toEqual(
    ['function', true, 'pyloom'],
  );
  expect(messages.filter((m) => m.includes('Thebe config'))).toEqual([]); // read, not "ignored"

  await page.getByRole('button', { name: 'Activate' }).click();
  await expect(cells(page)).toHaveCount(2);
  await expect(page.locator('pre.not-a-cell')).toHaveText('this block is prose, not a cell');
  // Thebe's per-cell buttons (all four by default).
  for (const name of ['Run this Python cell', 'Run all cells', 'Restart Python', 'Restart Python and run all cells']) {
    await expect(cells(page).nth(0).getByRole('button', { name, exact: true })).toHaveCount(1);
  }
  // requestKernel: Python boots without a Run; the status widget follows Thebe's status events.
  await expect(page.locator('.thebe-status-field')).toHaveText('ready', { timeout: 150_000 });
  await expect(page.locator('.thebe-status-field')).toHaveClass(/thebe-status-ready/);
  await runButton(page, 0).click();
  await expect(outputOf(page, 0).locator('pre.stdout')).toHaveText('total: 55\n');
  await runButton(page, 1).click();
  await expect(outputOf(page, 1).locator('pre.text')).toHaveText('3025');
  await expect(cells(page).nth(1).getByRole('status')).toHaveText('Done [2]');
  expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);
  // Thebe's restart button: Python starts afresh (status starting, then ready) and forgets `total`.
  await cells(page).nth(1).getByRole('button', { name: 'Restart Python', exact: true }).click();
  await expect(cells(page).nth(1).getByRole('status')).toHaveText('Python restarted', { timeout: 120_000 });
  await expect(page.locator('.thebe-status-field')).toHaveText('ready');
  await runButton(page, 1).click();
  await expect(outputOf(page, 1).locator('pre.error')).toContainText("NameError: name 'total' is not defined");
  // The control: the policy is in force, so a string evaluated by the page is blocked and reported
  // (Playwright's own evaluate bypasses CSP, a string given to setTimeout does not).
  await page.evaluate(() => setTimeout('window.cspProbe = "ran"', 0));
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations))
    .toEqual(['script-src eval']);
  expect(await page.evaluate(() => (window as unknown as { cspProbe?: string }).cspProbe)).toBeUndefined();
});

test('a Jupyter Book page: highlighting kept until the editor loads, the launch button calls thebelab.bootstrap() and its label follows thebelab.on("status"), predefined output until Run, kernelOptions.path', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const notes: string[] = [];
  page.on('console', (message) => notes.push(message.text()));
  await page.goto('/test/e2e/pages/thebe-jupyter-book.html');
  await expect(page.locator('html[data-pyloom-thebe=ready]')).toBeAttached();
  await expect(cells(page)).toHaveCount(0); // nothing happens before the reader launches
  expect(page.workers()).toHaveLength(0);

  const launch = page.locator('.thebe-launch-button');
  await launch.click();
  await expect(cells(page)).toHaveCount(3);
  // The page's Pygments markup is what the reader still sees, styled by the page's CSS.
  const keyword = cells(page).nth(0).locator('span.k').first();
  await expect(keyword).toHaveText('for');
  expect(await keyword.evaluate((el) => getComputedStyle(el).color)).toBe('rgb(0, 128, 0)');
  await expect(cells(page).nth(0).locator('.cm-editor')).toHaveCount(0);
  // The book's saved output stays until the cell runs.
  await expect(page.locator('[data-output]')).toContainText('(saved by the book build)');
  // The launch button's label follows Thebe's status events: starting, then ready.
  await expect(launch).toHaveText('Launching: ready', { timeout: 150_000 });
  await expect(launch).toHaveClass(/thebe-status-ready/);
  expect(await page.evaluate(() => (window as unknown as { statusSeen: string[] }).statusSeen.slice(0, 2))).toEqual(['starting', 'ready']);
  // The page's script ran its thebe-init cell through Thebe's run-button class once ready.
  await expect(outputOf(page, 2).locator('pre.stdout')).toHaveText('set up by a thebe-init cell\n');
  await expect(cells(page).nth(2).getByRole('status')).toHaveText('Done [1]'); // the working directory took no count
  // codeMirrorConfig: theme "abcdef" is dark; styleActiveLine is reported once.
  await expect(cells(page).nth(0)).toHaveAttribute('theme', 'dark');
  expect(notes.filter((n) => n.includes('codeMirrorConfig'))).toHaveLength(1);
  expect(notes.find((n) => n.includes('codeMirrorConfig'))).toContain('"styleActiveLine"');

  await runButton(page, 0).click();
  await expect(outputOf(page, 0).locator('pre.stdout')).toHaveText('[0, 1, 4, 9, 16]\n');
  await expect(page.locator('[data-output]')).toHaveCount(0);
  await expect(cells(page).nth(0).getByRole('status')).toHaveText('Done [2]');
  await expect(launch).toHaveText('Launching: ready'); // kernel states only: running a cell does not relabel it
  await runButton(page, 1).click();
  await expect(outputOf(page, 1).locator('pre.text')).toHaveText("'/workspace/chapter-2'");
  // Focus loads the editor (CodeMirror) in place of the page's block; Shift+Enter runs.
  await cells(page).nth(1).getByRole('textbox', { name: 'Python code' }).click();
  const editor = cells(page).nth(1).locator('.cm-content');
  await expect(editor).toBeVisible();
  await expect(cells(page).nth(1).locator('.highlight')).toHaveCount(0);
  await editor.fill('os.path.basename(os.getcwd()) * 2');
  await editor.press('Shift+Enter');
  await expect(outputOf(page, 1).locator('pre.text')).toHaveText("'chapter-2chapter-2'");
  await page.screenshot({ path: test.info().outputPath('thebe-jupyter-book.png'), fullPage: true });
});

test('stripPrompts: a Pygments-highlighted doctest block becomes one cell per example, runs; a data-language="r" block cannot run; and the embed loads no eval or new Function before Run', async ({
  page,
}) => {
  const scripts: { url: string; body: string }[] = [];
  let beforeRun = true;
  page.on('response', async (response) => {
    if (!beforeRun || response.request().resourceType() !== 'script') return;
    scripts.push({ url: response.url(), body: await response.text().catch(() => '') });
  });
  await page.goto('/test/e2e/pages/thebe-doctest.html');
  await expect(cells(page)).toHaveCount(3); // bootstrap: true; two examples and an R block
  // data-language other than Python: shown as the page wrote it, not runnable here, and saying so.
  await expect(cells(page).nth(2).getByRole('status')).toHaveText('This block is r: only Python runs in this browser');
  await expect(runButton(page, 2)).toBeDisabled();
  await expect(cells(page).nth(2).getByRole('textbox')).toHaveCount(0);
  // The editor loads on focus: its code is among what is checked.
  await cells(page).nth(0).getByRole('textbox', { name: 'Python code' }).click();
  await expect(cells(page).nth(0).locator('.cm-line')).toHaveText(["words = ['loom', 'py']", 'for w in words:', '    print(w.upper())']);
  await expect(cells(page).nth(0).locator('.cm-lineNumbers .cm-gutterElement', { hasText: /^3$/ })).toBeVisible(); // codeMirrorConfig.lineNumbers
  await page.waitForLoadState('networkidle');
  beforeRun = false;
  const bodies = scripts.filter((s) => s.body.length > 0);
  // What was loaded: the embed, the Thebe page code with the JSON5 parser, and the editor.
  const loaded = (text: string) => bodies.some((s) => s.body.includes(text));
  expect([loaded('text/x-thebe-config'), loaded('JSON5: invalid character'), loaded('cm-content')]).toEqual([true, true, true]);
  for (const { url, body } of bodies) expect(body, url).not.toMatch(/\beval\(|new Function|\bFunction\(/);

  await runButton(page, 0).click();
  await expect(outputOf(page, 0).locator('pre.stdout')).toHaveText('LOOM\nPY\n', { timeout: 120_000 });
  await runButton(page, 1).click();
  await expect(outputOf(page, 1).locator('pre.text')).toHaveText('42');
  // mountRunAllButton / mountRestartallButton false: only Run and Restart.
  await expect(cells(page).nth(0).getByRole('button')).toHaveText(['Run', 'Restart']);
});

test('a Thebe config with a syntax error: the console gives line and column, the cells still run with the defaults', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto('/test/e2e/pages/thebe-broken.html');
  await expect(cells(page)).toHaveCount(1); // default selector; set up at once since bootstrap could not be read
  expect(errors).toHaveLength(1);
  expect(errors[0]).toContain('line 4, column 3 of its text (predefinedOutput: true,)');
  expect(errors[0]).toContain("invalid character 'p'");
  expect(errors[0]).toContain('still run');
  await runButton(page, 0).click();
  await expect(outputOf(page, 0).locator('pre.stdout')).toHaveText('still runs\n', { timeout: 120_000 });
});

test('bootstrap() can be called again after load: it sets up blocks added since, and resolves with the cells; renderAllCells({ selector, codeMirrorConfig }); requestKernel() with events.on', async ({
  page,
}) => {
  await page.goto('/test/e2e/pages/thebe.html');
  await expect(cells(page)).toHaveCount(2);
  // bootstrap: true set them up on load; thebelab.cells lists them, as in Thebe.
  expect(await page.evaluate(() => window.thebelab!.cells.map(({ cell }) => cell.className))).toEqual(
    Array(2).fill('pyloom-cell thebe-cell thebelab-cell'),
  );
  const count = await page.evaluate(async () => {
    const pre = document.createElement('pre');
    pre.setAttribute('data-executable', 'true');
    pre.textContent = 'import os\nos.getcwd()';
    document.body.append(pre);
    // Options merge over the page config, kernelOptions.path too (Python has not started yet).
    const first = await window.thebelab!.bootstrap({ kernelOptions: { path: 'lesson-4' } });
    const again = await window.thebe!.bootstrap();
    // renderAllCells with its own selector: blocks the page config does not name.
    const extra = document.createElement('pre');
    extra.className = 'extra';
    extra.textContent = '3 * 3';
    document.body.append(extra);
    // Options merge over the page config for this call only: codeMirrorConfig.readOnly.
    const rendered = await window.thebelab!.renderAllCells({ selector: 'pre.extra', codeMirrorConfig: { readOnly: true } });
    return [first.cells.length, again.cells.length, rendered.length, document.querySelectorAll('.pyloom-cell').length];
  });
  expect(count).toEqual([3, 3, 1, 4]);
  await expect(cells(page).nth(3).getByRole('textbox')).toHaveCount(0);
  await expect(cells(page).nth(0).getByRole('textbox')).toHaveCount(1);
  // requestKernel() (the page says requestKernel: false): Python starts now; events.on hears it as Thebe 0.9 calls handlers.
  const started = await page.evaluate(async () => {
    const heard: string[] = [];
    window.thebe!.events.on('status', (name, data) => heard.push(`${name}:${data.status}`));
    const kernel = await window.thebelab!.requestKernel();
    return [kernel.name, heard];
  });
  expect(started).toEqual(['python3', ['status:starting', 'status:ready']]);
  await runButton(page, 3).click();
  await expect(outputOf(page, 3).locator('pre.text')).toHaveText('9', { timeout: 120_000 });
  await runButton(page, 2).click();
  await expect(outputOf(page, 2).locator('pre.text')).toHaveText("'/workspace/lesson-4'", { timeout: 120_000 });
});

test('a page without a Thebe config gets no Thebe globals and does not load the Thebe page code', async ({ page }) => {
  await page.route('**/docs/plain.html', (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: '<!doctype html><title>plain</title><pre data-executable>1 + 1</pre><script type="module" src="/pyloom-embed.js"></script>',
    }),
  );
  const scripts: Buffer[] = [];
  page.on('response', async (response) => {
    if (response.request().resourceType() === 'script') scripts.push(await response.body().catch(() => Buffer.alloc(0)));
  });
  await page.goto('/docs/plain.html');
  await expect(page.locator('html[data-pyloom-embed=ready]')).toBeAttached();
  await expect(cells(page)).toHaveCount(1);
  await page.waitForLoadState('networkidle');
  expect(await page.evaluate(() => [typeof window.thebelab, typeof window.thebe, typeof window.pyloomEmbed])).toEqual([
    'undefined',
    'undefined',
    'object',
  ]);
  expect(scripts.some((body) => body.includes('JSON5: invalid character'))).toBe(false);
  expect(scripts.some((body) => body.includes('text/x-thebe-config'))).toBe(true); // the control: the embed's own code was seen
  test.info().annotations.push({
    type: 'script bytes before Run (plain page)',
    description: String(scripts.reduce((n, body) => n + body.length, 0)),
  });
});

test("Python that cannot start: Thebe's status 'failed' with the reason, the 'error' event, the status widget, no unhandled rejection from Activate, and requestKernel() rejects", async ({
  page,
}) => {
  // A Thebe page whose own Pyloom config points Pyodide at a folder that does not exist.
  const html = `<!doctype html><title>no python</title>
    <script type="text/x-thebe-config">{ requestKernel: true }</script>
    <script type="application/json" data-pyloom-config>{ "indexURL": "/no-pyodide-here/" }</script>
    <div class="thebe-activate"></div><div class="thebe-status"></div><pre data-executable>1 + 1</pre>
    <script type="module" src="/pyloom-embed.js"></script>`;
  await page.route('**/docs/broken-python.html', (route) => route.fulfill({ contentType: 'text/html', body: html }));
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto('/docs/broken-python.html');
  await expect(page.locator('html[data-pyloom-thebe=ready]')).toBeAttached();
  await page.evaluate(() => {
    const heard: string[] = [];
    Object.assign(window, { heard });
    window.thebelab!.on('status', (_, data) => heard.push(`status:${data.status}`));
    window.thebelab!.on('error', (_, data) => heard.push(`error:${data.status}:${data.message.length > 0}`));
  });
  // Activate → bootstrap() with requestKernel: the start fails, and the page is told through the status.
  await page.getByRole('button', { name: 'Activate' }).click();
  await expect(cells(page)).toHaveCount(1);
  await expect(page.locator('.thebe-status-field')).toHaveText('failed');
  await expect(page.locator('.thebe-status-field')).toHaveClass(/thebe-status-failed/);
  await expect(page.locator('.thebe-status-message')).not.toBeEmpty();
  const result = await page.evaluate(() =>
    window.thebelab!.requestKernel().then(
      () => 'resolved',
      (error: unknown) => `rejected: ${error instanceof Error ? error.message : String(error)}`,
    ),
  );
  expect(result).toMatch(/^rejected: .+/);
  expect(await page.evaluate(() => (window as unknown as { heard: string[] }).heard)).toEqual([
    'status:starting',
    'status:failed',
    'error:error:true',
  ]);
  expect(pageErrors).toEqual([]);
});

test("Thebe's prompts example: stripPrompts with its own selector splits a block that is not executable, and the pieces run", async ({
  page,
}) => {
  // The shape of Thebe 0.8's docs/_static/html_examples/prompts.html, with Python in place of Sage.
  const html = `<!doctype html><title>prompts</title>
    <script type="text/x-thebe-config">{ bootstrap: true, stripPrompts: { inPrompt: 'sage: ', continuationPrompt: '....: ', selector: '.sage-input' } }</script>
    <pre class="sage-input" data-language="python">
    sage: a = 3
    sage: b = 4

    sage: a + b + \\
    ....: 5
    12
  </pre>
    <script type="module" src="/pyloom-embed.js"></script>`;
  await page.route('**/docs/prompts.html', (route) => route.fulfill({ contentType: 'text/html', body: html }));
  await page.goto('/docs/prompts.html');
  await expect(cells(page)).toHaveCount(2);
  await runButton(page, 0).click();
  await runButton(page, 1).click();
  await expect(outputOf(page, 1).locator('pre.text')).toHaveText('12', { timeout: 120_000 });
  await cells(page).nth(1).getByRole('textbox', { name: 'Python code' }).click();
  await expect(cells(page).nth(1).locator('.cm-line')).toHaveText(['a + b + \\', '5']);
});
