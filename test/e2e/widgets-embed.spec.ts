// The widget demo page (src/embed/demo/widgets.html) in Chromium: live ipywidgets in embed cells,
// from the genuine wheels of ../shared/wheels served locally instead of PyPI.
import { createHash } from 'node:crypto';
import { expect, test } from '@playwright/test';
import type { TestServer } from '../unit/helpers/http-server';
import { serveWidgetWheels, widgetWheelsMissing } from '../unit/helpers/widget-wheels';

const missing = widgetWheelsMissing();
test.skip(missing !== undefined, `skipped: ${missing}`);
test.describe.configure({ timeout: 240_000 });

let server: TestServer | undefined;
test.afterAll(async () => server?.close());

test('the widget demo: the hidden FileUpload + Button + Output app fingerprints a file with the same sha256; a slider in an editable cell drives interact', async ({
  page,
}, testInfo) => {
  server = await serveWidgetWheels();
  const config = { theme: 'auto', lockFileURL: `${server.base}/lock.json`, packageBaseUrl: `${server.base}/wheels/` };
  // The page names PyPI for ipywidgets; the test swaps in the local wheels, nothing else.
  let swapped = false;
  await page.route('**/src/embed/demo/widgets.html', async (route) => {
    const response = await route.fetch();
    const original = await response.text();
    const body = original.replace(
      /(<script type="application\/json" data-pyloom-config>)[^<]*(<\/script>)/,
      `$1${JSON.stringify(config)}$2`,
    );
    swapped = body !== original;
    await route.fulfill({ response, body });
  });
  await page.goto('/src/embed/demo/widgets.html');
  expect(swapped).toBe(true);
  const cells = page.locator('.pyloom-cell');
  await expect(cells).toHaveCount(2);

  const app = cells.nth(0);
  await expect(app.getByRole('textbox', { name: 'Python code' })).toHaveCount(0); // hidden code
  const form = app.locator('.widget[data-state=done]');
  const fingerprint = form.getByRole('button', { name: 'Fingerprint' });
  await expect(fingerprint).toBeDisabled();
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 7) % 256)),
  ]);
  const chooser = page.waitForEvent('filechooser');
  await form.getByRole('button', { name: /Choose a file/ }).click();
  await (await chooser).setFiles({ name: 'photo.png', mimeType: 'image/png', buffer: png });
  await expect(fingerprint).toBeEnabled();
  await fingerprint.click();
  const printed = form.locator('.jupyter-widgets-output-area');
  await expect(printed).toContainText(`photo.png: PNG image, ${png.length} bytes`);
  await expect(printed).toContainText(`sha256 ${createHash('sha256').update(png).digest('hex')}`);

  const sliderCell = cells.nth(1);
  await sliderCell.getByRole('button', { name: 'Run this Python cell' }).click();
  const slider = sliderCell.locator('.widget[data-state=done]');
  await expect(slider).toContainText('100 at 5% a year for 10 years: 162.89');
  for (let i = 0; i < 5; i++) await slider.locator('.noUi-handle').press('ArrowRight');
  await expect(slider.locator('.widget-readout')).toHaveText('15');
  await expect(slider).toContainText('100 at 5% a year for 15 years: 207.89');
  await testInfo.attach('widget demo page with live widgets', {
    body: await page.screenshot({ fullPage: true }),
    contentType: 'image/png',
  });
});
