// Live ipywidgets in Chromium with the genuine wheels (ipywidgets 8.1.1, comm 0.2.2, traitlets
// 5.9.0, widgetsnbextension, jupyterlab_widgets) served by a local server through a test lock file.
import { expect, test, type Page } from '@playwright/test';
import { useWidgetWheels } from './widget-wheels';

const wheelsBase = useWidgetWheels();

async function start(page: Page, trusted = false): Promise<void> {
  await page.goto('/test/e2e/pages/widgets.html');
  await expect(page.locator('body[data-ready=true]')).toBeAttached();
  await page.evaluate(({ base, trusted }) => window.widgetPage.start(`${base}/lock.json`, `${base}/wheels/`, trusted), {
    base: wheelsBase(),
    trusted,
  });
}

const run = (page: Page, id: string, code: string) => page.evaluate(({ id, code }) => window.widgetPage.run(id, code), { id, code });
const python = async (page: Page, expression: string): Promise<string> =>
  (await page.evaluate((code) => window.widgetPage.print(code), `print(${expression})`)).trim();

test('a slider renders; moved 1000 times from the page while Python is busy, Python sees exactly the last value and interact refreshed per processed change', async ({
  page,
}) => {
  await start(page);
  expect(
    await run(
      page,
      'ui',
      [
        'import ipywidgets as w',
        'slider = w.IntSlider(value=0, min=0, max=1000, description="n")',
        'seen = []',
        'calls = []',
        'slider.observe(lambda change: seen.append(change["new"]), names="value")',
        'def f(n):',
        '    calls.append(n)',
        '    print("n =", n)',
        'w.interact(f, n=slider);',
      ].join('\n'),
    ),
  ).toBe('ok');
  const widget = page.locator('#ui .widget[data-state=done]');
  await expect(widget).toHaveCount(1);
  const handle = widget.locator('.noUi-handle');
  await expect(handle).toBeVisible();
  await expect(widget.locator('.widget-readout')).toHaveText('0');
  await expect(widget.locator('py-output')).toContainText('n = 0');
  await page.screenshot({ path: test.info().outputPath('slider.png') });
  // Python busy for a while: the page's updates wait and merge meanwhile.
  const busy = page.evaluate(() => window.widgetPage.start_run('import time\ncalls.clear()\nseen.clear()\ntime.sleep(3)'));
  // 1000 key presses on the slider's handle, sent from inside the page in one go (as fast as a
  // user dragging): each moves the slider one step and updates the model.
  await handle.evaluate((element) => {
    for (let i = 0; i < 1000; i++)
      element.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true, cancelable: true }));
  });
  await expect(widget.locator('.widget-readout')).toHaveText('1000');
  expect(await busy).toBe('ok');
  await expect(widget.locator('py-output')).toContainText('n = 1000');
  expect(await python(page, 'slider.value, seen[-1], calls == seen, len(calls) < 1000')).toBe('1000 1000 True True');
  const stats = await page.evaluate(() => window.widgetPage.stats());
  console.info(`1000 slider moves: Python handled ${await python(page, 'len(calls)')} updates; channel: ${JSON.stringify(stats)}`);
});

test('Button.on_click prints into an Output widget; jslink works while Python is busy', async ({ page }) => {
  await start(page);
  expect(
    await run(
      page,
      'app',
      [
        'import ipywidgets as w',
        'out = w.Output()',
        'button = w.Button(description="Classify")',
        'def clicked(b):',
        '    with out:',
        '        print("clicked!")',
        'button.on_click(clicked)',
        'a = w.IntSlider(description="a")',
        'b = w.IntText(description="b")',
        'w.jslink((a, "value"), (b, "value"))',
        'w.VBox([button, out, a, b])',
      ].join('\n'),
    ),
  ).toBe('ok');
  const app = page.locator('#app .widget[data-state=done]');
  await app.getByRole('button', { name: 'Classify' }).click();
  await expect(app.locator('.jupyter-widgets-output-area')).toContainText('clicked!');
  await app.getByRole('button', { name: 'Classify' }).click();
  await expect(app.locator('.jupyter-widgets-output-area py-output')).toHaveText(/clicked!\s*clicked!/);
  const busy = page.evaluate(() => window.widgetPage.start_run('import time\ntime.sleep(2)'));
  const text = app.locator('.widget-inline-hbox').filter({ hasText: 'b' }).locator('input');
  await text.fill('42');
  await text.press('Enter');
  await expect(app.locator('.widget-readout').first()).toHaveText('42'); // linked in the page, Python still asleep
  expect(await busy).toBe('ok');
  expect(await python(page, 'a.value, b.value')).toBe('42 42');
  await page.screenshot({ path: test.info().outputPath('button-output.png') });
});

test('FileUpload: a chosen file reaches Python with the same sha256', async ({ page }) => {
  await start(page);
  expect(await run(page, 'up', 'import ipywidgets as w\nupload = w.FileUpload()\nupload')).toBe('ok');
  const bytes = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 31) % 256));
  const { createHash } = await import('node:crypto');
  const expected = createHash('sha256').update(bytes).digest('hex');
  const chooser = page.waitForEvent('filechooser');
  await page.locator('#up .widget[data-state=done]').getByRole('button').click();
  await (await chooser).setFiles({ name: 'photo.jpg', mimeType: 'image/jpeg', buffer: bytes });
  await expect.poll(() => python(page, 'len(upload.value)')).toBe('1');
  expect(await python(page, 'upload.value[0].name, __import__("hashlib").sha256(upload.value[0].content).hexdigest()')).toBe(
    `photo.jpg ${expected}`,
  );
});

test('a widget whose JavaScript module is unknown shows a placeholder naming module and version', async ({ page }) => {
  await start(page);
  const code = [
    'import ipywidgets as w',
    'from traitlets import Unicode',
    'class Mystery(w.DOMWidget):',
    '    _model_name = Unicode("MysteryModel").tag(sync=True)',
    '    _model_module = Unicode("mystery-widgets").tag(sync=True)',
    '    _model_module_version = Unicode("^3.1.0").tag(sync=True)',
    '    _view_name = Unicode("MysteryView").tag(sync=True)',
    '    _view_module = Unicode("mystery-widgets").tag(sync=True)',
    '    _view_module_version = Unicode("^3.1.0").tag(sync=True)',
    'Mystery()',
  ].join('\n');
  expect(await run(page, 'mystery', code)).toBe('ok');
  await expect(page.locator('#mystery .widget')).toContainText('mystery-widgets ^3.1.0');
});

test('the XSS corpus through HTML widget values, HTML descriptions and Labels runs nothing on an untrusted page; trusted, an HTML widget does run script', async ({
  page,
}) => {
  const { XSS_VECTORS } = await import('../fixtures/xss-vectors');
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await start(page, false);
  const markups = JSON.stringify(XSS_VECTORS.map((vector) => vector.markup));
  const code = [
    'import ipywidgets as w, json',
    `markups = json.loads(${JSON.stringify(markups)})`,
    'items = []',
    'for m in markups:',
    '    items.append(w.HTML(value=m))',
    '    items.append(w.Button(description=m, description_allow_html=True))',
    '    items.append(w.Label(value=m))',
    'w.VBox(items)',
  ].join('\n');
  expect(await run(page, 'xss', code)).toBe('ok');
  const box = page.locator('#xss .widget[data-state=done]');
  await expect(box.locator('.widget-html')).toHaveCount(XSS_VECTORS.length);
  const clickable = box.locator('a, area, button, input, summary, [class*=xss-click]');
  await clickable.evaluateAll((elements) => {
    for (const element of elements) element.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }));
  });
  // onerror/onload payloads fire when their image settles: wait for every image the widgets kept.
  await box
    .locator('img')
    .evaluateAll((images) =>
      Promise.all(
        (images as HTMLImageElement[]).map((image) =>
          image.complete ? undefined : new Promise((resolve) => ['load', 'error'].forEach((type) => image.addEventListener(type, resolve))),
        ),
      ),
    );
  expect(await page.evaluate(() => window.pwned)).toEqual([]);
  expect(dialogs).toEqual([]);

  await page.goto('/test/e2e/pages/widgets.html');
  await start(page, true);
  expect(
    await run(page, 'trusted', 'import ipywidgets as w\nw.HTML(value="<img src=x onerror=\\"window.__pwned(\'html-widget\')\\">")'),
  ).toBe('ok');
  await expect.poll(() => page.evaluate(() => window.pwned)).toEqual(['html-widget']);
});

test('a widget displayed inside an Output widget is live (drawn by the same manager)', async ({ page }) => {
  await start(page);
  expect(
    await run(
      page,
      'nested',
      'import ipywidgets as w\nout = w.Output()\ninner = w.IntSlider(value=5, description="inner")\nwith out:\n    display(inner)\nout',
    ),
  ).toBe('ok');
  const area = page.locator('#nested .jupyter-widgets-output-area');
  await expect(area.locator('.widget[data-state=done] .widget-readout')).toHaveText('5');
  expect(await run(page, 'set', 'inner.value = 9')).toBe('ok');
  await expect(area.locator('.widget-readout')).toHaveText('9');
});
