// anywidget 0.9.15 (genuine wheel, with psygnal and typing_extensions) in Chromium: the counter of
// anywidget's docs on a trusted page (ESM in the page) and an untrusted one (ESM in a sandboxed
// iframe), and what code in that iframe can reach of the host page.
import { expect, test, type Page } from '@playwright/test';
import { useWidgetWheels } from './widget-wheels';

const wheelsBase = useWidgetWheels();

async function start(page: Page, trusted: boolean): Promise<void> {
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

/** The counter of anywidget's "Getting started", with a _css rule the test can see applied. */
const COUNTER = [
  'import anywidget, traitlets',
  'class CounterWidget(anywidget.AnyWidget):',
  '    _esm = """',
  'function render({ model, el }) {',
  '  let button = document.createElement("button");',
  '  button.className = "counter-button";',
  '  button.innerHTML = `count is ${model.get("value")}`;',
  '  button.addEventListener("click", () => {',
  '    model.set("value", model.get("value") + 1);',
  '    model.save_changes();',
  '  });',
  '  model.on("change:value", () => {',
  '    button.innerHTML = `count is ${model.get("value")}`;',
  '  });',
  '  el.appendChild(button);',
  '}',
  'export default { render };',
  '"""',
  '    _css = ".counter-button { color: rgb(1, 2, 3); }"',
  '    value = traitlets.Int(0).tag(sync=True)',
  'counter = CounterWidget(value=40)',
  'counter',
].join('\n');

async function counterRoundTrip(page: Page, button: ReturnType<Page['locator']>): Promise<void> {
  await expect(button).toHaveText('count is 40');
  await expect(button).toHaveCSS('color', 'rgb(1, 2, 3)');
  await button.click();
  await button.click();
  await expect(button).toHaveText('count is 42');
  await expect.poll(() => python(page, 'counter.value')).toBe('42');
  expect(await run(page, 'set', 'counter.value = 100')).toBe('ok');
  await expect(button).toHaveText('count is 100');
}

/** model.send with a binary buffer to Python, which answers with a custom message and a buffer. */
const ECHO = [
  'class Echo(anywidget.AnyWidget):',
  '    _esm = """',
  'export default { render({ model, el }) {',
  '  model.on("msg:custom", (content, buffers) => {',
  '    const bytes = new Uint8Array(buffers[0].buffer, buffers[0].byteOffset, buffers[0].byteLength);',
  '    el.textContent = `reply ${content.n} ${buffers.length} ${bytes.join(",")}`;',
  '  });',
  '  const button = document.createElement("button");',
  '  button.textContent = "send";',
  '  button.onclick = () => model.send({ n: 7 }, undefined, [new Uint8Array([1, 2, 3])]);',
  '  el.append(button);',
  '}};',
  '"""',
  'got = []',
  'def on_msg(widget, content, buffers):',
  '    got.append((content, [bytes(b) for b in buffers]))',
  '    widget.send({"n": content["n"] + 1}, buffers=[bytes(b) + bytes([4]) for b in buffers])',
  'echo = Echo()',
  'echo.on_msg(on_msg)',
  'echo',
].join('\n');

async function customRoundTrip(page: Page, root: { locator: Page['locator'] }): Promise<void> {
  expect(await run(page, 'echo', ECHO)).toBe('ok');
  await root.locator('button', { hasText: 'send' }).click();
  await expect(root.locator('text=reply')).toHaveText('reply 8 1 1,2,3,4');
  expect(await python(page, 'got')).toBe("[({'n': 7}, [b'\\x01\\x02\\x03'])]");
}

test('trusted page: the anywidget counter runs in the page; a click increments value in Python, Python sets value and the view updates; custom messages carry buffers both ways', async ({
  page,
}) => {
  await start(page, true);
  expect(await run(page, 'counter', COUNTER)).toBe('ok');
  const widget = page.locator('#counter .widget[data-state=done]');
  await expect(widget.locator('iframe')).toHaveCount(0);
  await counterRoundTrip(page, widget.locator('button.counter-button'));
  await page.screenshot({ path: test.info().outputPath('anywidget-trusted.png') });
  await customRoundTrip(page, page.locator('#echo'));
});

test('untrusted page: the anywidget counter runs in a sandbox="allow-scripts" iframe sized to its content; click, Python updates and custom messages with buffers cross the bridge both ways', async ({
  page,
}) => {
  await start(page, false);
  expect(await run(page, 'counter', COUNTER)).toBe('ok');
  const frame = page.locator('#counter .widget[data-state=done] iframe.pyloom-anywidget-frame');
  await expect(frame).toHaveCount(1);
  expect(await frame.getAttribute('sandbox')).toBe('allow-scripts');
  // The page itself never holds the widget's button: it exists only inside the frame.
  await expect(page.locator('#counter button.counter-button')).toHaveCount(0);
  await counterRoundTrip(page, page.frameLocator('#counter iframe.pyloom-anywidget-frame').locator('button.counter-button'));
  await expect.poll(() => frame.evaluate((element) => element.getBoundingClientRect().height)).toBeGreaterThan(10);
  await page.screenshot({ path: test.info().outputPath('anywidget-untrusted.png') });
  await customRoundTrip(page, page.frameLocator('#echo iframe.pyloom-anywidget-frame'));

  // An _esm that is a URL (anywidget's dev mode) is refused, never fetched.
  const requested: string[] = [];
  page.on('request', (request) => requested.push(request.url()));
  expect(await run(page, 'remote', 'class Remote(anywidget.AnyWidget):\n    _esm = "https://widgets.invalid/counter.js"\nRemote()')).toBe(
    'ok',
  );
  await expect(page.locator('#remote .anywidget-error')).toContainText('its _esm is a URL (https://widgets.invalid/counter.js)');
  expect(requested.filter((url) => url.includes('widgets.invalid'))).toEqual([]);
});

/** An ESM that tries to reach the host page and reports each try to Python through its model. */
const PROBE = [
  'import anywidget, traitlets, json',
  'class Probe(anywidget.AnyWidget):',
  '    _esm = """',
  'const attempt = (fn) => { try { const v = fn(); return "reached: " + String(v).slice(0, 60); } catch (e) { return "blocked: " + e.name; } };',
  'export default { render({ model, el }) {',
  '  const report = {',
  '    "parent.document": attempt(() => parent.document.body.tagName),',
  '    "top.document": attempt(() => top.document.title),',
  '    "document.cookie": attempt(() => document.cookie || "(empty)"),',
  '    "localStorage": attempt(() => localStorage.getItem("pyloom-probe")),',
  '    "indexedDB": attempt(() => indexedDB.open("pyloom-probe") && "opened"),',
  '    "top.location": attempt(() => top.location.href),',
  '    "parent.widgetPage": attempt(() => typeof parent.widgetPage.runtime),',
  '    "frameElement": attempt(() => { if (window.frameElement === null) throw new DOMException("no frame element", "NullFrameElement"); return window.frameElement.tagName; }),',
  '  };',
  '  if (model.get("navigate")) report["navigate top"] = attempt(() => { top.location.href = "about:blank#escaped"; return "navigated"; });',
  '  el.textContent = "probed";',
  '  if (model.get("navigate")) model.set("_esm", "export default { render() { parent.document.title = 1 } } // evil-" + "esm");',
  '  model.set("report", JSON.stringify(report));',
  '  model.save_changes();',
  '}};',
  '"""',
  '    report = traitlets.Unicode("").tag(sync=True)',
  '    navigate = traitlets.Bool(False).tag(sync=True)',
].join('\n');

async function probe(page: Page, navigate: boolean): Promise<Record<string, string>> {
  await page.evaluate(() => {
    document.cookie = 'pyloom-probe=secret';
    localStorage.setItem('pyloom-probe', 'secret');
  });
  expect(await run(page, 'probe', `${PROBE}\np = Probe(navigate=${navigate ? 'True' : 'False'})\np`)).toBe('ok');
  await expect.poll(() => python(page, 'len(p.report) > 0')).toBe('True');
  return JSON.parse(await python(page, 'p.report')) as Record<string, string>;
}

test("untrusted page: code in the anywidget iframe cannot reach the host's DOM, cookies, storage, location or Pyloom's runtime (trusted control reaches them)", async ({
  page,
}) => {
  const url = '/test/e2e/pages/widgets.html';
  // Control: the same probe in the page (trusted) does reach everything, so "blocked" below is real.
  await start(page, true);
  const control = await probe(page, false);
  expect(control['parent.document']).toBe('reached: BODY');
  expect(control['document.cookie']).toContain('pyloom-probe=secret');
  expect(control['localStorage']).toBe('reached: secret');
  expect(control['parent.widgetPage']).toBe('reached: object');

  await start(page, false);
  const report = await probe(page, true);
  console.info(`sandboxed anywidget probe: ${JSON.stringify(report)}`);
  for (const [what, outcome] of Object.entries(report)) expect(outcome, what).toMatch(/^blocked: /);
  expect(Object.keys(report)).toHaveLength(9);
  expect(new URL(page.url()).pathname).toBe(url);
  // The frame's own code cannot rewrite the widget's code (a trusted view of it would run that).
  expect(await python(page, '"evil-esm" in p._esm, p._esm.lstrip().startswith("const attempt")')).toBe('False True');
  expect(await page.evaluate(() => [document.cookie, localStorage.getItem('pyloom-probe')])).toEqual(['pyloom-probe=secret', 'secret']);
});
