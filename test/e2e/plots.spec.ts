// Plot renderers in Chromium from outputs recorded with the real Python libraries
// (test/fixtures/plots/record.py): Plotly, Vega-Lite v4/v5/v6 and Vega v5, Bokeh json_item.
// Each library loads only when an output needs it; Vega runs under a CSP without 'unsafe-eval';
// untrusted Bokeh documents with code or HTML are refused (a trusted control shows they would run).
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../fixtures/plots/${name}`, import.meta.url), 'utf8'));
const plotlyBundle = fixture('plotly.json')['bundle'] as Record<string, unknown>;
const altairBundle = fixture('altair.json')['bundle'] as Record<string, unknown>;
const altairSpec = altairBundle['application/vnd.vegalite.v6.json'] as Record<string, unknown>;
const vegaSpec = fixture('vega-v5.json')['spec'];
const bokehItem = fixture('bokeh.json')['item'];
const bokehDiv = fixture('bokeh-div.json')['item'];
const bokehCustomJs = fixture('bokeh-customjs.json')['item'];

/** Shows one display_data output per bundle in a fresh <py-output id=…> and waits for the plots. */
async function show(page: Page, id: string, trusted: boolean, bundles: Record<string, unknown>[]): Promise<void> {
  await page.evaluate(
    async ({ id, trusted, bundles }) => {
      const output = window.makeOutput(trusted);
      output.id = id;
      output.outputs = bundles.map((data) => ({ output_type: 'display_data' as const, data, metadata: {} }));
      await output.updateComplete;
      await window.plotsSettled();
    },
    { id, trusted, bundles },
  );
}

/** JavaScript chunk requests of the page, with their sizes as served (bytes, before compression). */
function watchScripts(page: Page): { url: string; bytes: number }[] {
  const scripts: { url: string; bytes: number }[] = [];
  page.on('response', async (response) => {
    if (!response.url().endsWith('.js')) return;
    const body = await response.body().catch(() => Buffer.alloc(0));
    scripts.push({ url: response.url(), bytes: body.length });
  });
  return scripts;
}

async function open(page: Page, path = '/test/e2e/pages/plots.html'): Promise<void> {
  await page.goto(path);
  await expect(page.locator('body[data-ready=true]')).toBeAttached();
}

test('Plotly: a recorded figure draws both traces with the mode bar styled inside the shadow root; nothing of Plotly loads before', async ({
  page,
}) => {
  const scripts = watchScripts(page);
  await open(page);
  expect(scripts.filter((s) => /plotly|vega|bokeh/i.test(s.url))).toEqual([]);
  await show(page, 'plotly', false, [plotlyBundle]);
  const host = page.locator('#plotly .plot.plotly');
  await expect(host).toHaveAttribute('data-state', 'done');
  await expect(host.locator('.scatterlayer .trace')).toHaveCount(1);
  await expect(host.locator('.barlayer .trace')).toHaveCount(1);
  await expect(host.locator('.gtitle')).toHaveText('Recorded Plotly figure');
  // Plotly's own CSS reached the shadow root: the mode bar is hidden until hover, as on a plain page.
  const copied = await host.evaluate((element) => element.shadowRoot?.querySelector('style[data-plotly-styles]')?.textContent?.length ?? 0);
  expect(copied).toBeGreaterThan(1000);
  await expect(host.locator('.modebar')).toHaveCSS('position', 'absolute');
  const chunks = scripts.filter((s) => /plotly/i.test(s.url));
  expect(chunks.length).toBe(1);
  expect(scripts.filter((s) => /vega|bokeh/i.test(s.url))).toEqual([]);
  console.info(`lazy chunk bytes: Plotly ${chunks.map((c) => c.bytes).join(' + ')}`);
});

test('Vega-Lite v6 (Altair 6, recorded), v5, v4 and Vega v5 render through vega-embed; signals and expressions work', async ({ page }) => {
  const scripts = watchScripts(page);
  await open(page);
  const asSchema = (version: string) => ({ ...altairSpec, $schema: `https://vega.github.io/schema/vega-lite/${version}.json` });
  await show(page, 'vega', false, [
    altairBundle,
    { 'application/vnd.vegalite.v5+json': asSchema('v5.20.1') },
    { 'application/vnd.vegalite.v4+json': asSchema('v4.17.0') },
    { 'application/vnd.vega.v5+json': vegaSpec },
  ]);
  const hosts = page.locator('#vega .plot.vega');
  await expect(hosts).toHaveCount(4);
  for (let i = 0; i < 3; i++) {
    await expect(hosts.nth(i)).toHaveAttribute('data-state', 'done');
    await expect(hosts.nth(i).locator('.mark-rect path')).toHaveCount(7);
    await expect(hosts.nth(i).locator('.role-title-text')).toHaveText('Recorded Altair chart');
  }
  const vega = hosts.nth(3);
  await expect(vega).toHaveAttribute('data-state', 'done');
  const bars = vega.locator('.mark-rect path');
  await expect(bars).toHaveCount(4);
  // The update expression ran (length(data('table')) > 3): the bars are steelblue, not red.
  await expect(bars.first()).toHaveAttribute('fill', 'steelblue');
  // A hover sets the tooltip signal; the text mark shows the formula's value (28 × 2).
  await bars.first().hover();
  await expect(vega.locator('.mark-text.role-mark text')).toHaveText('56');
  const chunks = scripts.filter((s) => /vega/i.test(s.url));
  expect(chunks.length).toBeGreaterThan(0);
  console.info(`lazy chunk bytes: Vega ${chunks.map((c) => c.bytes).join(' + ')}`);
});

test('Vega-Lite, Vega and Plotly render under a Content-Security-Policy without unsafe-eval (no new Function)', async ({ page }) => {
  await open(page, '/test/e2e/pages/plots-csp.html');
  expect(await page.evaluate(() => window.evalBlocked)).toBe(true);
  await show(page, 'csp', false, [altairBundle, { 'application/vnd.vega.v5+json': vegaSpec }, plotlyBundle]);
  const hosts = page.locator('#csp .plot');
  await expect(hosts.nth(0)).toHaveAttribute('data-state', 'done');
  await expect(hosts.nth(0).locator('.mark-rect path')).toHaveCount(7);
  await expect(hosts.nth(1)).toHaveAttribute('data-state', 'done');
  await expect(hosts.nth(1).locator('.mark-rect path').first()).toHaveAttribute('fill', 'steelblue');
  await hosts.nth(1).locator('.mark-rect path').first().hover();
  await expect(hosts.nth(1).locator('.mark-text.role-mark text')).toHaveText('56');
  await expect(hosts.nth(2)).toHaveAttribute('data-state', 'done');
  await expect(hosts.nth(2).locator('.scatterlayer .trace')).toHaveCount(1);
  expect(await page.evaluate(() => window.cspViolations)).toEqual([]);
});

test('Bokeh: a recorded json_item renders with BokehJS pinned to the Pyodide lock; untrusted documents with CustomJS or HTML are refused, trusted ones run', async ({
  page,
}) => {
  const scripts = watchScripts(page);
  await open(page);
  await show(page, 'bokeh', false, [{ 'application/vnd.bokeh.json-item+json': bokehItem }]);
  const host = page.locator('#bokeh .plot.bokeh');
  await expect(host).toHaveAttribute('data-state', 'done');
  await expect(host.locator('canvas').first()).toBeVisible();
  const box = await host.locator('canvas').first().boundingBox();
  expect(box?.width).toBeGreaterThan(300);

  await show(page, 'bokeh-untrusted', false, [
    { 'application/vnd.bokeh.json-item+json': bokehDiv },
    { 'application/vnd.bokeh.json-item+json': bokehCustomJs },
  ]);
  const refused = page.locator('#bokeh-untrusted .plot.bokeh');
  await expect(refused.nth(0)).toHaveAttribute('data-state', 'error');
  await expect(refused.nth(0).locator('.notice')).toContainText(
    'holds a Div model, which runs JavaScript or inserts HTML; this output is not trusted',
  );
  await expect(refused.nth(1).locator('.notice')).toContainText('holds a CustomJS model');
  expect(await page.evaluate(() => window.pwned)).toEqual([]);

  // The control: trusted, the same Div's onerror does run, so the refusal above is what stops it.
  await show(page, 'bokeh-trusted', true, [{ 'application/vnd.bokeh.json-item+json': bokehDiv }]);
  await expect(page.locator('#bokeh-trusted .plot.bokeh')).toHaveAttribute('data-state', 'done');
  await expect.poll(() => page.evaluate(() => window.pwned)).toEqual(['bokeh-div']);
  const chunks = scripts.filter((s) => /bokeh/i.test(s.url));
  expect(chunks.length).toBeGreaterThan(0);
  console.info(`lazy chunk bytes: Bokeh ${chunks.map((c) => c.bytes).join(' + ')}`);
});
