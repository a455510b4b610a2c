// `npm run bench`: figures, not pass/fail. Same build and Chromium as the browser tests.
import { defineConfig } from '@playwright/test';
import { CHROMIUM_FLAGS, findChromium } from '../e2e/browser.ts';

// PYLOOM_E2E_PORT / PYLOOM_TEST_OUTDIR: the same knobs as the browser tests, so a bench can run
// beside another checkout's tests without sharing a server or a build folder.
const PORT = Number(process.env['PYLOOM_E2E_PORT'] ?? 4175);
const OUT_DIR = process.env['PYLOOM_TEST_OUTDIR'] ?? 'dist';

export default defineConfig({
  testDir: '.',
  testMatch: [
    'bench.spec.ts',
    'remote.spec.ts',
    'notebook-bench.spec.ts',
    'workspace-bench.spec.ts',
    'widgets-bench.spec.ts',
    'notebook-files-bench.spec.ts',
  ],
  timeout: 20 * 60_000,
  workers: 1,
  reporter: [['list']],
  outputDir: `../../test-results/bench-artifacts${process.env['PYLOOM_E2E_PORT'] ? `-${PORT}` : ''}`,
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    browserName: 'chromium',
    launchOptions: { executablePath: findChromium(), args: CHROMIUM_FLAGS },
  },
  webServer: {
    command: `npx vite build --mode test --outDir ${OUT_DIR} --logLevel warn && npx vite preview --mode test --outDir ${OUT_DIR} --host 127.0.0.1 --port ${PORT} --strictPort`,
    url: `http://127.0.0.1:${PORT}/test/bench/pages/pyloom.html`,
    cwd: '../..',
    // PYLOOM_BENCH_REUSE=1: measure against a server already serving this build.
    reuseExistingServer: process.env['PYLOOM_BENCH_REUSE'] === '1',
    timeout: 180_000,
  },
});
