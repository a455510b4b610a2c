// Browser tests: Chromium against the built app (`vite build --mode test` adds the test pages).
import { defineConfig } from '@playwright/test';
import { CHROMIUM_FLAGS, findChromium } from './test/e2e/browser.ts';

// PYLOOM_E2E_PORT and PYLOOM_TEST_OUTDIR let two runs share a machine without sharing a server.
const PORT = Number(process.env['PYLOOM_E2E_PORT'] ?? 4173);
const OUT_DIR = process.env['PYLOOM_TEST_OUTDIR'] ?? 'dist-test';
/** The same build served without cross-origin isolation headers, like a plain static host. */
export const UNISOLATED_ORIGIN = `http://127.0.0.1:${PORT + 1}`;

export default defineConfig({
  testDir: 'test/e2e',
  // Hang detectors, not performance bounds: a test takes 5–30 s here, and several times that on a
  // 2-core machine busy with other work (npm run test:stress); figures belong in npm run bench.
  timeout: 180_000,
  expect: { timeout: 60_000 },
  fullyParallel: false,
  workers: 2,
  retries: 0,
  reporter: [
    ['list'],
    ['json', { outputFile: process.env['PYLOOM_E2E_PORT'] ? `test-results/e2e-${PORT}.json` : 'test-results/e2e.json' }],
  ],
  // Not test-results/ itself: Playwright empties its outputDir, and the unit report lives there.
  outputDir: `test-results/e2e-artifacts${process.env['PYLOOM_E2E_PORT'] ? `-${PORT}` : ''}`,
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    browserName: 'chromium',
    launchOptions: { executablePath: findChromium(), args: CHROMIUM_FLAGS },
    // Off in CI: recording a trace of every test costs ~10 % of the browser tier's time (notebook.spec
    // 2.7 → 2.4 min) and CI keeps only its log, where error-context.md already shows the page.
    trace: process.env['CI'] ? 'off' : 'retain-on-failure',
  },
  // Started in order: the first builds, the second serves the same build without isolation.
  webServer: [
    {
      command: `npx vite build --mode test --outDir ${OUT_DIR} --logLevel warn && npx vite preview --mode test --outDir ${OUT_DIR} --host 127.0.0.1 --port ${PORT} --strictPort`,
      url: `http://127.0.0.1:${PORT}/test/e2e/pages/harness.html`,
      reuseExistingServer: !process.env['CI'],
      timeout: 300_000,
    },
    {
      command: `npx vite preview --mode test --outDir ${OUT_DIR} --host 127.0.0.1 --port ${PORT + 1} --strictPort`,
      env: { PYLOOM_NO_ISOLATION: '1' },
      url: `${UNISOLATED_ORIGIN}/test/e2e/pages/harness.html`,
      reuseExistingServer: !process.env['CI'],
      timeout: 60_000,
    },
  ],
});
