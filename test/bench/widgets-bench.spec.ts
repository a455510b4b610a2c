// Benchmark (figures, not pass/fail): live widgets and lazy plot chunks. Slider → Python → DOM
// round trip (median, p95), first widget paint after its display output arrives (cold: the widget
// manager chunks load; warm), and the bytes each lazy chunk adds (raw and gzip). Uses the genuine
// widget wheels of ../shared/wheels; writes test/bench/results/widgets.json and prints a table.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { test, expect, type Browser, type Page } from '@playwright/test';
import type { TestServer } from '../unit/helpers/http-server';
import { serveWidgetWheels, widgetWheelsMissing } from '../unit/helpers/widget-wheels';

const ROUND_TRIPS = 200;
const COLD_RUNS = Number(process.env['BENCH_RUNS'] ?? 3);
const WARM_DISPLAYS = 20;

const missing = widgetWheelsMissing();
test.skip(missing !== undefined, `skipped: ${missing}`);

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const median = (xs: number[]) => {
  const s = sorted(xs);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const p95 = (xs: number[]) => sorted(xs)[Math.min(xs.length - 1, Math.ceil(0.95 * xs.length) - 1)]!;

let server: TestServer | undefined;
test.afterAll(async () => server?.close());
const results: Record<string, unknown> = { date: new Date().toISOString() };
const rows: [string, string][] = [];
test.afterAll(() => {
  mkdirSync('test/bench/results', { recursive: true });
  writeFileSync('test/bench/results/widgets.json', `${JSON.stringify(results, null, 2)}\n`);
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log(`\n${rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n')}\n`);
});

async function widgetPage(page: Page): Promise<void> {
  server ??= await serveWidgetWheels();
  await page.goto('/test/e2e/pages/widgets.html');
  await expect(page.locator('body[data-ready=true]')).toBeAttached();
  const base = server.base;
  await page.evaluate((base) => window.widgetPage.start(`${base}/lock.json`, `${base}/wheels/`, false), base);
}

/**
 * Runs `code` into a new <py-output>, and resolves with the ms from the widget-view output's arrival
 * in the page to the frame after its widget was drawn (data-state=done), for each widget displayed.
 */
function timeDisplay(page: Page, code: string): Promise<number> {
  return page.evaluate(async (code) => {
    const runtime = window.widgetPage.runtime!;
    const output = document.createElement('py-output');
    output.widgets = window.widgetPage.host();
    document.body.append(output);
    await output.updateComplete;
    let arrived = 0;
    const drawn = new Promise<number>((resolve) => {
      const observer = new MutationObserver(() => {
        const host = output.shadowRoot!.querySelector('.widget');
        if (host?.getAttribute('data-state') === 'done' || host?.getAttribute('data-state') === 'error') {
          observer.disconnect();
          requestAnimationFrame(() => resolve(performance.now() - arrived));
        }
      });
      observer.observe(output.shadowRoot!, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
    });
    await runtime.execute(code, {
      onOutput: (event) => {
        if ('data' in event && event.data['application/vnd.jupyter.widget-view+json'] && !arrived) arrived = performance.now();
        output.apply(event);
      },
    });
    return drawn;
  }, code);
}

async function coldFirstPaint(browser: Browser): Promise<number> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await widgetPage(page);
  // The import first (no comm yet), so the figure is display → paint, not the wheels' install.
  await page.evaluate(() => window.widgetPage.start_run('import ipywidgets as w'));
  const ms = await timeDisplay(page, 'w.IntSlider(value=1)');
  await context.close();
  return ms;
}

test('widgets: slider → Python → DOM round trip, first widget paint', async ({ browser, page }) => {
  test.setTimeout(15 * 60_000);
  const cold: number[] = [];
  for (let i = 0; i < COLD_RUNS; i += 1) cold.push(await coldFirstPaint(browser));

  await widgetPage(page);
  await page.evaluate(() => window.widgetPage.start_run('import ipywidgets as w'));
  await timeDisplay(page, 'w.IntSlider()'); // loads the manager: the displays below are warm
  const warm: number[] = [];
  for (let i = 0; i < WARM_DISPLAYS; i += 1) warm.push(await timeDisplay(page, `w.IntSlider(value=${i})`));

  await timeDisplay(
    page,
    [
      's = w.IntSlider(value=0, min=0, max=1000)',
      'echo = w.HTML(value="0")',
      's.observe(lambda change: setattr(echo, "value", str(change["new"])), names="value")',
      'w.VBox([s, echo])',
    ].join('\n'),
  );
  // Each step: a key press on the slider's handle (the model changes, the page sends it), Python's
  // observer sets the HTML widget, and the page shows it; timed to the DOM change (MutationObserver).
  const trips = await page.evaluate(async (count) => {
    const deep = (root: ParentNode, css: string): Element | undefined => {
      for (const el of root.querySelectorAll('*')) {
        if (el.matches(css)) return el;
        const inner = el.shadowRoot && deep(el.shadowRoot, css);
        if (inner) return inner;
      }
      return undefined;
    };
    const outputs = document.querySelectorAll('py-output');
    const last = outputs[outputs.length - 1]!;
    const handle = deep(last.shadowRoot!, '.noUi-handle')!;
    const echo = deep(last.shadowRoot!, '.widget-html-content')!;
    const times: number[] = [];
    for (let i = 1; i <= count; i += 1) {
      const shown = new Promise<void>((resolve) => {
        const observer = new MutationObserver(() => {
          if (echo.textContent === String(i)) {
            observer.disconnect();
            resolve();
          }
        });
        observer.observe(echo, { subtree: true, childList: true, characterData: true });
      });
      const t0 = performance.now();
      handle.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true, cancelable: true }));
      await shown;
      times.push(performance.now() - t0);
    }
    return times;
  }, ROUND_TRIPS);

  results['sliderRoundTripMs'] = { samples: trips.length, median: median(trips), p95: p95(trips), max: Math.max(...trips) };
  results['firstWidgetPaintMs'] = {
    cold: { samples: cold, median: median(cold) },
    warm: { samples: warm.length, median: median(warm), p95: p95(warm) },
  };
  const f = (ms: number) => `${ms.toFixed(1)} ms`;
  rows.push([
    `slider → Python → DOM round trip (${trips.length})`,
    `median ${f(median(trips))}, p95 ${f(p95(trips))} (goal p95 ≤ 50 ms), max ${f(Math.max(...trips))}`,
  ]);
  rows.push([
    `first widget paint after display, cold (${cold.length} fresh pages)`,
    `median ${f(median(cold))} (${cold.map(f).join(', ')})`,
  ]);
  rows.push([`widget paint after display, warm (${warm.length})`, `median ${f(median(warm))}, p95 ${f(p95(warm))}`]);
});

/** JavaScript files the page fetches from now on, with their bodies (for raw and gzip sizes). */
function watchScripts(page: Page): { url: string; body: Promise<Buffer> }[] {
  const scripts: { url: string; body: Promise<Buffer> }[] = [];
  page.on('response', (response) => {
    if (new URL(response.url()).pathname.endsWith('.js'))
      scripts.push({ url: response.url(), body: response.body().catch(() => Buffer.alloc(0)) });
  });
  return scripts;
}

test('lazy chunks: bytes each one adds when first used', async ({ page }) => {
  test.setTimeout(10 * 60_000);
  const chunks: Record<string, { files: string[]; raw: number; gzip: number }> = {};
  // The trigger resolves once its output was drawn, so every file it needed has been fetched
  // (Playwright reports page events in order, before the evaluate's own result).
  const record = async (name: string, scripts: { url: string; body: Promise<Buffer> }[], trigger: () => Promise<unknown>) => {
    const before = scripts.length;
    await trigger();
    const added = scripts.slice(before);
    const bodies = await Promise.all(added.map((s) => s.body));
    chunks[name] = {
      files: added.map((s) => new URL(s.url).pathname.split('/').pop()!),
      raw: bodies.reduce((sum, body) => sum + body.length, 0),
      gzip: bodies.reduce((sum, body) => sum + gzipSync(body).length, 0),
    };
  };
  const fixture = (name: string): Record<string, unknown> =>
    JSON.parse(readFileSync(new URL(`../fixtures/plots/${name}`, import.meta.url), 'utf8'));
  const show = (bundle: unknown) =>
    page.evaluate(async (data) => {
      const output = window.makeOutput(false);
      output.outputs = [{ output_type: 'display_data', data: data as Record<string, unknown>, metadata: {} }];
      await output.updateComplete;
      await window.plotsSettled();
    }, bundle);

  const plotScripts = watchScripts(page);
  await page.goto('/test/e2e/pages/plots.html');
  await expect(page.locator('body[data-ready=true]')).toBeAttached();
  await record('Plotly (plotly.js-dist-min)', plotScripts, () => show(fixture('plotly.json')['bundle']));
  await record('Vega-Lite / Vega (vega-embed + interpreter)', plotScripts, () =>
    show({ 'application/vnd.vega.v5+json': fixture('vega-v5.json')['spec'] }),
  );
  await record('Bokeh (BokehJS 3.9.0 core)', plotScripts, () =>
    show({ 'application/vnd.bokeh.json-item+json': fixture('bokeh.json')['item'] }),
  );

  const widgetScripts = watchScripts(page);
  await widgetPage(page);
  await page.evaluate(() => window.widgetPage.start_run('import ipywidgets as w'));
  await record('widget manager + controls (first slider)', widgetScripts, () => timeDisplay(page, 'w.IntSlider()'));
  await record('Output widget', widgetScripts, () => timeDisplay(page, 'w.Output()'));

  results['lazyChunkBytes'] = chunks;
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  for (const [name, chunk] of Object.entries(chunks))
    rows.push([
      `lazy chunk: ${name}`,
      `${kb(chunk.raw)} raw, ${kb(chunk.gzip)} gzip (${chunk.files.length} file${chunk.files.length === 1 ? '' : 's'})`,
    ]);
});
