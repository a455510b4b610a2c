// Benchmark (figures, not pass/fail): execute("1+1") round trips on a local Jupyter Server's
// IPython kernel next to the Pyodide runtime's, in the same Chromium. Writes results/remote-latest.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { test } from '@playwright/test';
import { jupyterMissing, startJupyter } from '../jupyter-server';

const ROUND_TRIPS = 200;
const missing = jupyterMissing();

const summary = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)]!, p95: s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)]!, n: s.length };
};

test('remote kernel round trip', async ({ page, baseURL }) => {
  test.skip(!!missing, `needs a local Jupyter Server: ${missing}`);
  const server = await startJupyter({ allowOrigin: new URL(baseURL!).origin });
  try {
    await page.goto('/test/e2e/pages/harness.html');
    const times = await page.evaluate(
      async ({ baseUrl, token, n }) => {
        const measure = async (runtime: { execute(code: string): Promise<unknown>; ready: Promise<unknown>; dispose(): void }) => {
          await runtime.ready;
          await runtime.execute('1+1'); // first execution warms both sides up
          const samples: number[] = [];
          for (let i = 0; i < n; i += 1) {
            const t0 = performance.now();
            await runtime.execute('1+1');
            samples.push(performance.now() - t0);
          }
          runtime.dispose();
          return samples;
        };
        const jupyter = await measure(window.pyloom.createRuntime({ kind: 'jupyter', serverSettings: { baseUrl, token } }));
        const pyodide = await measure(window.pyloom.createRuntime());
        return { jupyter, pyodide };
      },
      { baseUrl: server.baseUrl, token: server.token, n: ROUND_TRIPS },
    );
    const results = { date: new Date().toISOString(), jupyterServer: summary(times.jupyter), pyodide: summary(times.pyodide) };
    mkdirSync('test/bench/results', { recursive: true });
    writeFileSync('test/bench/results/remote-latest.json', `${JSON.stringify(results, null, 2)}\n`);
    const f = (s: { median: number; p95: number }) => `${s.median.toFixed(2)} ms / ${s.p95.toFixed(2)} ms`;
    console.log(
      `\nexecute("1+1") round trip, median / p95 of ${ROUND_TRIPS}\n  local Jupyter Server (IPython kernel, websocket)  ${f(results.jupyterServer)}\n  Pyodide runtime (worker in the page)             ${f(results.pyodide)}\n`,
    );
  } finally {
    await server.stop();
  }
});
