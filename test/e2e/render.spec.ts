// Rich output in Chromium: XSS payloads never execute in untrusted mode (checked with a sentinel),
// and Python's IPython.display classes produce the right elements.
import { expect, test } from '@playwright/test';
import { XSS_VECTORS } from '../fixtures/xss-vectors';

test.beforeEach(async ({ page }) => {
  await page.goto('/test/e2e/pages/render.html');
  await expect(page.locator('body[data-ready=true]')).toBeAttached();
});

test(`untrusted output runs none of ${XSS_VECTORS.length} XSS vectors (as HTML, SVG and Markdown); trusted output does run script`, async ({ page }) => {
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  const url = page.url();
  await page.evaluate((vectors) => {
    const output = window.makeOutput(false);
    output.id = 'untrusted';
    output.outputs = vectors.flatMap(({ markup }) => [
      { output_type: 'display_data', data: { 'text/html': markup, 'text/plain': 'x' }, metadata: {} },
      { output_type: 'display_data', data: { 'image/svg+xml': markup, 'text/plain': 'x' }, metadata: {} },
      { output_type: 'display_data', data: { 'text/markdown': `text\n\n${markup}\n\n[link](javascript:__pwned('md-link'))`, 'text/plain': 'x' }, metadata: {} },
    ]);
  }, XSS_VECTORS);
  // Click every link and button the outputs kept: a surviving javascript: URL or form action runs now.
  const clickable = page.locator('#untrusted').locator('a, button, input[type=submit]');
  for (const element of await clickable.all()) await element.click({ force: true, noWaitAfter: true, timeout: 2000 }).catch(() => undefined);
  await page.waitForTimeout(1500); // onerror/onload/animation payloads are asynchronous
  expect(await page.evaluate(() => window.pwned)).toEqual([]);
  expect(dialogs).toEqual([]);
  expect(page.url()).toBe(url);
  expect(await page.evaluate(() => typeof window.__pwned)).toBe('function'); // not clobbered

  // The control: the same sentinel is hit when output is trusted, so the check above can fail.
  await page.evaluate(() => {
    const output = window.makeOutput(true);
    output.outputs = [
      { output_type: 'display_data', data: { 'text/html': `<img src=x onerror="__pwned('trusted-img')"><script>__pwned('trusted-script')</script>` }, metadata: {} },
      { output_type: 'display_data', data: { 'application/javascript': `__pwned('trusted-js:' + (element instanceof HTMLElement))` }, metadata: {} },
    ];
  });
  await expect.poll(() => page.evaluate(() => [...window.pwned].sort())).toEqual(['trusted-img', 'trusted-js:true', 'trusted-script']);
});

test('styles of the page and of outputs do not leak into each other', async ({ page }) => {
  const result = await page.evaluate(() => {
    const pageStyle = document.createElement('style');
    pageStyle.textContent = 'pre, b { color: rgb(255, 0, 0) !important; }';
    document.head.append(pageStyle);
    const probe = document.createElement('p');
    probe.textContent = 'host text';
    document.body.append(probe);
    const output = window.makeOutput(false);
    output.outputs = [
      { output_type: 'display_data', data: { 'text/html': '<style>p { color: rgb(0, 0, 255) !important; } * { position: fixed; }</style><b>inside</b>' }, metadata: {} },
      { output_type: 'stream', name: 'stdout', text: 'stream' },
    ];
    return new Promise<{ hostColor: string; bColor: string; preColor: string }>((resolve) =>
      requestAnimationFrame(() => {
        const root = output.shadowRoot!;
        resolve({
          hostColor: getComputedStyle(probe).color,
          bColor: getComputedStyle(root.querySelector('b')!).color,
          preColor: getComputedStyle(root.querySelector('pre')!).color,
        });
      }),
    );
  });
  expect(result.hostColor).toBe('rgb(0, 0, 0)'); // the output's <style> did not reach the page
  expect(result.bColor).not.toBe('rgb(255, 0, 0)'); // the page's style did not reach the output
  expect(result.preColor).not.toBe('rgb(255, 0, 0)');
});

test('Python display classes and a custom _repr_mimebundle_ become the right elements', async ({ page }) => {
  await page.evaluate(async () => {
    const output = window.makeOutput(false);
    output.id = 'py';
    const runtime = window.createRuntime();
    const code = [
      'import base64, struct, zlib',
      'from IPython.display import HTML, Markdown, Latex, Math, Image, SVG, JSON, Javascript, Pretty, clear_output, update_display',
      'def png():',
      '    c = lambda k, b: struct.pack(">I", len(b)) + k + b + struct.pack(">I", zlib.crc32(k + b))',
      '    return b"\\x89PNG\\r\\n\\x1a\\n" + c(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)) + c(b"IDAT", zlib.compress(b"\\x00\\xff\\x00\\x00\\xff\\x00\\x00" * 2)) + c(b"IEND", b"")',
      'class Custom:',
      '    def _repr_mimebundle_(self, include=None, exclude=None):',
      '        return {"text/html": "<span class=\\"custom\\">custom bundle</span>", "text/plain": "Custom()"}',
      'display(HTML("<b class=\\"html\\">bold</b>"))',
      'display(Markdown("# Heading"))',
      'display(Latex(r"$\\alpha^2$"))',
      'display(Math(r"\\frac{1}{2}"))',
      'display(Image(data=png(), width=20))',
      'display(SVG("<svg xmlns=\\"http://www.w3.org/2000/svg\\" width=\\"10\\" height=\\"10\\"><circle r=\\"5\\"/></svg>"))',
      'display(JSON({"key": [1, 2]}, root="data"))',
      'display(Javascript("window.__pwned(\\"js\\")"))',
      'display(Pretty("pretty text"))',
      'display(Custom())',
      'print("\\x1b[32mgreen\\x1b[0m")',
      'display(Markdown("counter 1"), display_id="c")',
      'update_display(Markdown("counter 2"), display_id="c")',
      '1 / 0',
    ].join('\n');
    await runtime.execute(code, { onOutput: (event) => output.apply(event) });
    runtime.dispose();
  });
  const out = page.locator('#py');
  await expect(out.locator('b.html')).toHaveText('bold');
  await expect(out.locator('h1')).toHaveText('Heading');
  await expect(out.locator('.latex .katex')).toHaveCount(2);
  await expect(out.locator('img[src^="data:image/png;base64,"]')).toHaveAttribute('width', '20');
  await expect(out.locator('img[src^="data:image/svg+xml;base64,"]')).toHaveCount(1);
  await expect(out.locator('.json summary').first()).toHaveText('data: {…} 1 keys');
  await expect(out.locator('.notice', { hasText: 'application/javascript output was not run: this output is not trusted.' })).toHaveCount(1);
  await expect(out.locator('pre.text', { hasText: '<IPython.core.display.Javascript object>' })).toHaveCount(1);
  await expect(out.locator('pre.text', { hasText: 'pretty text' })).toHaveCount(1);
  await expect(out.locator('span.custom')).toHaveText('custom bundle');
  await expect(out.locator('pre.stdout span')).toHaveText('green');
  await expect(out.locator('.markdown', { hasText: 'counter' })).toHaveText('counter 2');
  await expect(out.locator('pre.error')).toContainText('ZeroDivisionError: division by zero');
  expect(await page.evaluate(() => window.pwned)).toEqual([]);
  // KaTeX styles reach the shadow root: a typeset fraction is laid out, not raw text.
  const fracHeight = await out.locator('.katex .mfrac').first().evaluate((el) => el.getBoundingClientRect().height);
  expect(fracHeight).toBeGreaterThan(10);
  await out.screenshot({ path: test.info().outputPath('rich-outputs.png') });
});

test('very long output is folded behind "Show all" and the page stays responsive', async ({ page }) => {
  const renderMs = await page.evaluate(() => {
    const output = window.makeOutput(false);
    output.id = 'long';
    const text = Array.from({ length: 200_000 }, (_, i) => `\x1b[32mline\x1b[0m ${i}`).join('\n');
    const start = performance.now();
    output.outputs = [{ output_type: 'stream', name: 'stdout', text }];
    return output.updateComplete.then(() => performance.now() - start);
  });
  const out = page.locator('#long');
  const button = out.getByRole('button', { name: /Show all \(200,000 lines/ });
  await expect(button).toBeVisible();
  await expect(out.locator('pre')).not.toContainText('line 100000\n');
  console.info(`200,000-line stream folded render: ${renderMs.toFixed(0)} ms`);
  await button.click();
  await expect(out.locator('pre')).toContainText('line 100000\n');
  await expect(out.getByRole('button', { name: /Show all/ })).toHaveCount(0);
});
