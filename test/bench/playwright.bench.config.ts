// `npm run bench`: figures, not pass/fail. Same build and Chromium as the browser tests.
import { defineConfig } from '@playwright/test';
import { CHROMIUM_FLAGS, findChromium } from '../e2e/browser.ts';

export default defineConfig({
  testDir: '.',
  testMatch: ['bench.spec.ts', 'remote.spec.ts'],
  timeout: 20 * 60_000,
  workers: 1,
  reporter: [['list']],
  outputDir: '../../test-results/bench-artifacts',
  use: {
    baseURL: 'http://127.0.0.1:4175',
    browserName: 'chromium',
    launchOptions: { executablePath: findChromium(), args: CHROMIUM_FLAGS },
  },
  webServer: {
    command: 'npx vite build --mode test --logLevel warn && npx vite preview --mode test --host 127.0.0.1 --port 4175 --strictPort',
    url: 'http://127.0.0.1:4175/test/bench/pages/pyloom.html',
    cwd: '../..',
    reuseExistingServer: false,
    timeout: 180_000,
  },
});
