// Untrusted rich output in Chromium runs none of the XSS corpus (HTML, isolated HTML, SVG, Markdown,
// TeX), checked with a sentinel against a trusted control that does trip it, clicked the same way.
import { expect, test } from '@playwright/test';
import { ISOLATED_PRELUDE, MATH_VECTORS, XSS_VECTORS } from '../fixtures/xss-vectors';
import { clickEverything } from './xss-clicks';

test.beforeEach(async ({ page }) => {
  await page.goto('/test/e2e/pages/render.html');
  await expect(page.locator('body[data-ready=true]')).toBeAttached();
});

type DisplayData = { output_type: 'display_data'; data: Record<string, string>; metadata: Record<string, unknown> };
const display = (data: Record<string, string>, metadata: Record<string, unknown> = {}): DisplayData => ({
  output_type: 'display_data',
  data,
  metadata,
});

/**
 * One test per rendering path, so that each finishes well inside its timeout on a loaded machine.
 * `clickable`: the fewest elements the path must leave to click (a javascript: link is kept as
 * text or an inert <a>, so Markdown always has some).
 */
const XSS_PATHS: { name: string; outputs: DisplayData[]; frames: number; clickable: number }[] = [
  {
    name: `${XSS_VECTORS.length} vectors as HTML`,
    outputs: XSS_VECTORS.map(({ markup }) => display({ 'text/html': markup, 'text/plain': 'x' })),
    frames: 0,
    clickable: 1,
  },
  {
    name: `${XSS_VECTORS.length} vectors as isolated HTML`,
    outputs: XSS_VECTORS.map(({ markup }) =>
      display({ 'text/html': ISOLATED_PRELUDE + markup }, { 'text/html': { isolated: true, height: 40 } }),
    ),
    frames: XSS_VECTORS.length,
    clickable: 0,
  },
  {
    name: `${XSS_VECTORS.length} vectors as SVG`,
    outputs: XSS_VECTORS.map(({ markup }) => display({ 'image/svg+xml': markup, 'text/plain': 'x' })),
    frames: 0,
    clickable: 0,
  },
  {
    name: `${XSS_VECTORS.length} vectors as Markdown`,
    outputs: XSS_VECTORS.map(({ markup }) =>
      display({ 'text/markdown': `text\n\n${markup}\n\n[link](javascript:__pwned('md-link'))`, 'text/plain': 'x' }),
    ),
    frames: 0,
    clickable: XSS_VECTORS.length,
  },
  {
    name: `${MATH_VECTORS.length} TeX vectors as LaTeX and Markdown math`,
    outputs: MATH_VECTORS.flatMap(({ markup }) => [display({ 'text/latex': markup }), display({ 'text/markdown': `math ${markup}` })]),
    frames: 0,
    clickable: MATH_VECTORS.length,
  },
];

for (const path of XSS_PATHS) {
  test(`untrusted output runs none of the XSS corpus: ${path.name}; a trusted control does run, clicked the same way`, async ({
    page,
    context,
  }) => {
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const popups: string[] = [];
    context.on('page', (popup) => {
      popups.push(popup.url());
      void popup.close();
    });
    const url = page.url();
    await page.evaluate(async (outputs) => {
      const output = window.makeOutput(false);
      output.id = 'untrusted';
      output.outputs = outputs;
      await output.updateComplete;
    }, path.outputs);
    await expect(page.locator('#untrusted iframe')).toHaveCount(path.frames);
    if (path.frames) {
      // Untrusted frames get no sandbox permission at all, and every one has loaded (its payload
      // had its chance) before the sentinel is read.
      expect(await page.locator('#untrusted iframe').evaluateAll((frames) => frames.map((f) => f.getAttribute('sandbox')))).toEqual(
        Array(path.frames).fill(''),
      );
      await Promise.all(
        page
          .frames()
          .filter((f) => f.parentFrame() === page.mainFrame())
          .map((f) => f.waitForLoadState('load')),
      );
    }
    // Click everything clickable the outputs kept: a surviving javascript: URL, form action or
    // click handler runs now.
    const clicked = await clickEverything(page, '#untrusted');
    expect(clicked.dispatched).toBeGreaterThanOrEqual(path.clickable);

    // The control, after the clicks: trusted output with payloads of the same asynchronous kinds
    // (a failed image load, a clicked javascript: link, a click handler, a script in a frame),
    // clicked by the same code. Once all of them have fired, the untrusted ones had their chance.
    await page.evaluate((prelude) => {
      const output = window.makeOutput(true);
      output.id = 'control';
      output.outputs = [
        {
          output_type: 'display_data',
          data: {
            'text/html': `<img src=x onerror="__pwned('control-img')"><a href="javascript:__pwned('control-link')">link</a><span class="xss-click" onclick="__pwned('control-click')">click</span><script>__pwned('control-script')</script>`,
          },
          metadata: {},
        },
        {
          output_type: 'display_data',
          data: { 'application/javascript': `__pwned('control-js:' + (element instanceof HTMLElement))` },
          metadata: {},
        },
        {
          output_type: 'display_data',
          data: { 'text/html': `${prelude}<script>__pwned('control-frame')</script>` },
          metadata: { 'text/html': { isolated: true } },
        },
      ];
    }, ISOLATED_PRELUDE);
    await clickEverything(page, '#control');
    const control = ['control-click', 'control-img', 'control-js:true', 'control-link', 'control-script', 'isolated:control-frame'];
    await expect.poll(() => page.evaluate(() => [...new Set(window.pwned.filter((id) => id.includes('control')))].sort())).toEqual(control);

    expect(await page.evaluate(() => window.pwned.filter((id) => !id.includes('control')))).toEqual([]);
    expect(dialogs).toEqual([]);
    expect(popups.filter((u) => /^(javascript|data):/.test(u))).toEqual([]);
    expect(page.url()).toBe(url);
    expect(await page.evaluate(() => typeof window.__pwned)).toBe('function'); // not clobbered
    console.info(`XSS ${path.name}: ${clicked.dispatched} elements clicked (${clicked.mouse} links with the mouse too)`);
  });
}
