// An anywidget saved in a notebook (JupyterLab 4's widget state) and opened without running: saved
// widgets are untrusted, so its ESM runs in the sandboxed iframe; a click there updates the saved state.
// Needs no wheels: nothing reaches Python.
import { expect, test, type Page } from '@playwright/test';

const STATE = 'application/vnd.jupyter.widget-state+json';
const VIEW = 'application/vnd.jupyter.widget-view+json';
test.describe.configure({ timeout: 240_000 });

const ESM = `
export default { render({ model, el }) {
  let reached = "none";
  try { reached = parent.document.title; } catch (e) { reached = e.name; }
  const button = document.createElement("button");
  button.className = "counter-button";
  const draw = () => { button.textContent = \`count is \${model.get("value")} (host: \${reached})\`; };
  button.addEventListener("click", () => { model.set("value", model.get("value") + 1); model.save_changes(); });
  model.on("change:value", draw);
  draw();
  el.appendChild(button);
}};`;

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
    return Object.values(widgets?.['application/vnd.jupyter.widget-state+json']?.state ?? {}).find((m) => m.model_name === 'AnyModel')
      ?.state.value;
  });

test('a saved anywidget opened without running renders in a sandboxed iframe; a click there is saved again, and the host page stays out of its reach', async ({
  page,
}, testInfo) => {
  const model = {
    model_name: 'AnyModel',
    model_module: 'anywidget',
    model_module_version: '~0.9.*',
    state: { _esm: ESM, _css: '.counter-button { color: rgb(1, 2, 3); }', _anywidget_id: 'test.Counter', value: 5 },
  };
  const notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { widgets: { [STATE]: { version_major: 2, version_minor: 0, state: { counter: model } } } },
    cells: [
      {
        id: 'c0',
        cell_type: 'code',
        metadata: {},
        source: 'counter',
        execution_count: 1,
        outputs: [
          {
            output_type: 'execute_result',
            execution_count: 1,
            metadata: {},
            data: { 'text/plain': 'Counter()', [VIEW]: { version_major: 2, version_minor: 0, model_id: 'counter' } },
          },
        ],
      },
    ],
  };
  await page.goto('/');
  await expect(page.locator('#name')).not.toHaveValue('');
  await page
    .locator('#open-file')
    .setInputFiles({ name: 'anywidget-saved.ipynb', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(notebook)) });
  const frame = page.locator('py-cell .widget[data-state=done] iframe.pyloom-anywidget-frame');
  await expect(frame).toHaveAttribute('sandbox', 'allow-scripts');
  const button = page.frameLocator('py-cell iframe.pyloom-anywidget-frame').locator('button.counter-button');
  await expect(button).toHaveText('count is 5 (host: SecurityError)');
  await expect(button).toHaveCSS('color', 'rgb(1, 2, 3)');
  await button.click();
  await expect(button).toHaveText('count is 6 (host: SecurityError)');
  await expect.poll(() => savedValue(page)).toBe(6);
  await testInfo.attach('saved anywidget (sandboxed)', { body: await page.screenshot(), contentType: 'image/png' });
});
