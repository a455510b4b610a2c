// Saved widget state on the notebook page: a live slider is saved in the .ipynb (JupyterLab 4's
// metadata.widgets), and a notebook opened without running it shows its saved widgets statically;
// hostile markup in saved state runs nothing. The live part uses the genuine widget wheels.
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import type { TestServer } from '../unit/helpers/http-server';
import { serveWidgetWheels, widgetWheelsMissing } from '../unit/helpers/widget-wheels';
import { openCells } from './notebook-page';
import { clickEverything } from './xss-clicks';

const STATE = 'application/vnd.jupyter.widget-state+json';
const VIEW = 'application/vnd.jupyter.widget-view+json';
const missing = widgetWheelsMissing();
test.describe.configure({ timeout: 240_000 });

let server: TestServer | undefined;
test.afterAll(async () => server?.close());

/** The notebook page with the widget wheels in its lock (pyloom.json) when they are here, and a sentinel for payloads. */
async function openPage(page: Page): Promise<void> {
  // Only the live test needs the wheels; the saved-state tests run without them.
  if (!missing) {
    server ??= await serveWidgetWheels();
    const config = { lockFileURL: `${server.base}/lock.json`, packageBaseUrl: `${server.base}/wheels/` };
    await page.route('**/pyloom.json', (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify(config) }));
  }
  await page.addInitScript(() => {
    const w = window as unknown as { pwned: string[]; __pwned: (id: string) => void };
    w.pwned = [];
    w.__pwned = (id) => w.pwned.push(id);
  });
  await page.goto('/');
}

const savedValue = (page: Page) =>
  page.evaluate(async () => {
    const app = (
      window as unknown as {
        pyloomApp: {
          store: { load(id: string): Promise<{ notebook: { metadata: Record<string, unknown> } } | undefined> };
          meta: { id: string };
        };
      }
    ).pyloomApp;
    const stored = await app.store.load(app.meta.id);
    const widgets = stored?.notebook.metadata['widgets'] as
      Record<string, { state: Record<string, { model_name: string; state: { value?: number } }> }> | undefined;
    const models = Object.values(widgets?.['application/vnd.jupyter.widget-state+json']?.state ?? {});
    return models.find((m) => m.model_name === 'IntSliderModel')?.state.value;
  });

test('a live slider is saved with the notebook; reopened without running, it shows statically with the saved value, moves only in the page and is saved as moved', async ({
  page,
  browser,
}, testInfo) => {
  test.skip(missing !== undefined, `skipped: ${missing}`);
  await openPage(page);
  await expect(page.locator('py-status')).toContainText('Python idle', { timeout: 120_000 });
  await openCells(page, 'slider.ipynb', ['import ipywidgets as w\nslider = w.IntSlider(value=3, max=10, description="n")\nslider']);
  await page.getByRole('button', { name: 'Run all', exact: true }).click();
  const widget = page.locator('py-cell .widget[data-state=done]');
  await expect(widget.locator('.widget-readout')).toHaveText('3');
  for (let i = 0; i < 4; i++) await widget.locator('.noUi-handle').press('ArrowRight');
  await expect(widget.locator('.widget-readout')).toHaveText('7');
  // Autosave writes the widget state once the manager recorded the change.
  await expect.poll(() => savedValue(page)).toBe(7);
  await testInfo.attach('notebook page with a live slider', { body: await page.screenshot(), contentType: 'image/png' });

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download .ipynb' }).click()]);
  const file = readFileSync(await download.path());
  const saved = JSON.parse(file.toString('utf8')) as {
    metadata: {
      widgets: Record<string, { version_major: number; state: Record<string, { model_name: string; state: Record<string, unknown> }> }>;
    };
    cells: { outputs: { data?: Record<string, { model_id?: string }> }[] }[];
  };
  const document = saved.metadata.widgets[STATE]!;
  const modelId = saved.cells[0]!.outputs.map((o) => o.data?.[VIEW]?.model_id).find(Boolean)!;
  expect(document.version_major).toBe(2);
  expect(document.state[modelId]).toMatchObject({ model_name: 'IntSliderModel', state: { value: 7, description: 'n' } });

  // Another browser profile: nothing of the first session, Python not asked to run anything.
  const other = await browser.newContext();
  const reader = await other.newPage();
  await openPage(reader);
  await expect(reader.locator('#name')).not.toHaveValue('');
  await reader.locator('#open-file').setInputFiles({ name: 'slider-saved.ipynb', mimeType: 'application/json', buffer: file });
  await expect(reader.locator('#name')).toHaveValue('slider-saved.ipynb');
  const staticWidget = reader.locator('py-cell .widget[data-state=done]');
  await expect(staticWidget.locator('.widget-readout')).toHaveText('7');
  await expect(staticWidget.locator('.widget-label')).toHaveText('n');
  await staticWidget.locator('.noUi-handle').press('ArrowRight');
  await expect(staticWidget.locator('.widget-readout')).toHaveText('8');
  await expect.poll(() => savedValue(reader)).toBe(8); // moved here, saved again (as JupyterLab saves restored widgets)
  const reply = await reader.evaluate(async () => {
    const app = (
      window as unknown as {
        pyloomApp: { runtime: { execute(code: string): Promise<{ outputs: { output_type: string; text?: string }[] }> } };
      }
    ).pyloomApp;
    return (await app.runtime.execute("print('slider' in globals())")).outputs.map((o) => o.text ?? '').join('');
  });
  expect(reply.trim()).toBe('False');
  await testInfo.attach('reopened notebook with the saved slider (static)', { body: await reader.screenshot(), contentType: 'image/png' });
  await other.close();
});

test('the XSS corpus in saved widget state (HTML values, HTML descriptions, Labels) runs nothing when an untrusted notebook is opened', async ({
  page,
}) => {
  const { XSS_VECTORS } = await import('../fixtures/xss-vectors');
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  const base = (name: string) => ({ model_name: name, model_module: '@jupyter-widgets/base', model_module_version: '2.0.0', state: {} });
  const control = (name: string, state: Record<string, unknown>) => ({
    model_name: name,
    model_module: '@jupyter-widgets/controls',
    model_module_version: '2.0.0',
    state,
  });
  const state: Record<string, unknown> = {};
  const children: string[] = [];
  XSS_VECTORS.forEach(({ markup }, i) => {
    state[`layout${i}`] = base('LayoutModel');
    state[`html${i}`] = control('HTMLModel', { value: markup, layout: `IPY_MODEL_layout${i}`, style: `IPY_MODEL_htmlstyle${i}` });
    state[`htmlstyle${i}`] = control('HTMLStyleModel', {});
    state[`button${i}`] = control('ButtonModel', {
      description: markup,
      description_allow_html: true,
      layout: `IPY_MODEL_layout${i}`,
      style: `IPY_MODEL_buttonstyle${i}`,
    });
    state[`buttonstyle${i}`] = control('ButtonStyleModel', {});
    state[`label${i}`] = control('LabelModel', { value: markup, layout: `IPY_MODEL_layout${i}`, style: `IPY_MODEL_labelstyle${i}` });
    state[`labelstyle${i}`] = control('LabelStyleModel', {});
    children.push(`IPY_MODEL_html${i}`, `IPY_MODEL_button${i}`, `IPY_MODEL_label${i}`);
  });
  state['boxlayout'] = base('LayoutModel');
  state['box'] = control('VBoxModel', { children, layout: 'IPY_MODEL_boxlayout' });
  const notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { widgets: { [STATE]: { version_major: 2, version_minor: 0, state } } },
    cells: [
      {
        id: 'c0',
        cell_type: 'code',
        metadata: {},
        source: 'box',
        execution_count: 1,
        outputs: [
          {
            output_type: 'execute_result',
            execution_count: 1,
            metadata: {},
            data: { 'text/plain': 'VBox(...)', [VIEW]: { version_major: 2, version_minor: 0, model_id: 'box' } },
          },
        ],
      },
    ],
  };
  await openPage(page);
  await expect(page.locator('#name')).not.toHaveValue('');
  await page
    .locator('#open-file')
    .setInputFiles({ name: 'hostile-widgets.ipynb', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(notebook)) });
  const box = page.locator('py-cell .widget[data-state=done]');
  await expect(box.locator('.widget-html')).toHaveCount(XSS_VECTORS.length);
  await expect(box.locator('.widget-button')).toHaveCount(XSS_VECTORS.length);
  await clickEverything(page, 'py-cell');
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
  expect(await page.evaluate(() => (window as unknown as { pwned: string[] }).pwned)).toEqual([]);
  expect(dialogs).toEqual([]);
});

test('saved outputs whose widget module Pyloom lacks, or whose model was not saved, show placeholders saying so', async ({ page }) => {
  const view = (modelId: string) => ({
    output_type: 'display_data',
    metadata: {},
    data: { 'text/plain': 'a widget', [VIEW]: { version_major: 2, version_minor: 0, model_id: modelId } },
  });
  const notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      widgets: {
        [STATE]: {
          version_major: 2,
          version_minor: 0,
          state: { mystery: { model_name: 'MysteryModel', model_module: 'mystery-widgets', model_module_version: '^3.1.0', state: {} } },
        },
      },
    },
    cells: [
      { id: 'c0', cell_type: 'code', metadata: {}, source: 'w', execution_count: 1, outputs: [view('mystery'), view('never-saved')] },
    ],
  };
  await openPage(page);
  await expect(page.locator('#name')).not.toHaveValue('');
  await page
    .locator('#open-file')
    .setInputFiles({ name: 'placeholders.ipynb', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(notebook)) });
  const widgets = page.locator('py-cell .widget[data-state=error]');
  await expect(widgets.nth(0)).toContainText('mystery-widgets ^3.1.0');
  await expect(widgets.nth(1)).toContainText('run the cell again', { timeout: 120_000 }); // once Python is up and has no such widget
});
