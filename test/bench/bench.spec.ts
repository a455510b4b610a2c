// Benchmark (figures, not pass/fail): cold start against bare Pyodide, round trips, print flood.
// Writes test/bench/results/latest.json and prints a table.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { test, type Browser } from '@playwright/test';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 5);
const ROUND_TRIPS = 200;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

/** A fresh context (empty cache, new worker) per sample: each is a first visit. */
async function coldStart(browser: Browser, path: string): Promise<number> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(path);
  const result = await page.evaluate(() => window.benchResult!);
  await context.close();
  if (String(result.value) !== '2') throw new Error(`${path}: 1+1 gave ${JSON.stringify(result.value)}`);
  return result.firstResultMs;
}

/**
 * One fresh context: the first visit, then (once the offline copy and the snapshot are stored) a
 * second visit, then a third with the network off. Each figure: navigation to the first result.
 */
async function visits(browser: Browser): Promise<{ first: number; second: number; offline: number; secondSnapshot?: string }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const visit = async () => {
    await page.waitForFunction(() => window.benchResult !== undefined, undefined, { timeout: 60_000 });
    const result = await page.evaluate(() => window.benchResult!);
    if (String(result.value) !== '2') throw new Error(`1+1 gave ${JSON.stringify(result.value)}`);
    return result;
  };
  await page.goto('/test/bench/pages/pyloom.html');
  const first = await visit();
  // Polled from here: the offline copy and the snapshot are written in the background.
  for (let tries = 0; !(await page.evaluate(() => window.secondVisitReady())); tries++) {
    if (tries > 600) throw new Error('the offline copy or the snapshot was not stored within 2 minutes');
    await page.waitForTimeout(200);
  }
  await page.goto('/test/bench/pages/pyloom.html');
  const second = await visit();
  if (process.env['BENCH_VERBOSE']) console.log('second visit boot phases (ms):', JSON.stringify(second.timings));
  await context.setOffline(true);
  await page.goto('/test/bench/pages/pyloom.html');
  const offline = await visit();
  await context.close();
  if (offline.snapshot !== 'restored') throw new Error(`the offline visit booted with snapshot: ${offline.snapshot}; the second with ${second.snapshot}`);
  return { first: first.firstResultMs, second: second.firstResultMs, offline: offline.firstResultMs, secondSnapshot: second.snapshot };
}

test('benchmark', async ({ browser }) => {
  const bare: number[] = [];
  const pyloom: number[] = [];
  const second: number[] = [];
  const offline: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    // Interleaved so drift in the machine's load hits both alike.
    bare.push(await coldStart(browser, '/test/bench/pages/bare.html'));
    const run = await visits(browser);
    pyloom.push(run.first);
    second.push(run.second);
    offline.push(run.offline);
  }

  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/test/bench/pages/pyloom.html');
  await page.evaluate(() => window.benchResult);
  const warm = await page.evaluate(async (n) => {
    const times: number[] = [];
    for (let i = 0; i < n; i += 1) {
      const t0 = performance.now();
      await window.runtime.execute('1+1');
      times.push(performance.now() - t0);
    }
    window.longestTaskMs = 0;
    let messages = 0;
    const t0 = performance.now();
    const reply = await window.runtime.execute('for i in range(100_000):\n    print(i)', { onOutput: () => (messages += 1) });
    const floodMs = performance.now() - t0;
    await new Promise((r) => setTimeout(r, 100)); // let the long-task observer report
    const text = reply.outputs.map((o) => (o.output_type === 'stream' ? o.text : '')).join('');
    return { times, floodMs, messages, chars: text.length, longestTaskMs: window.longestTaskMs, boot: window.runtime.bootInfo };
  }, ROUND_TRIPS);
  await context.close();

  const results = {
    date: new Date().toISOString(),
    machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30) },
    browser: `Chromium ${browser.version()} (headless)`,
    pyodide: warm.boot?.pyodideVersion,
    runs: RUNS,
    coldStartMs: {
      barePyodide: { median: median(bare), samples: bare },
      pyloomFirstVisit: { median: median(pyloom), samples: pyloom, ratioToBare: median(pyloom) / median(bare) },
      pyloomSecondVisit: { median: median(second), samples: second, ratioToBare: median(second) / median(bare) },
      pyloomSecondVisitOffline: { median: median(offline), samples: offline, ratioToBare: median(offline) / median(bare) },
    },
    bootPhasesMs: warm.boot?.timings,
    roundTrip1plus1Ms: { median: median(warm.times), p95: percentile(warm.times, 95), n: ROUND_TRIPS },
    print100kLines: { ms: warm.floodMs, messages: warm.messages, chars: warm.chars, longestMainThreadTaskMs: warm.longestTaskMs },
  };
  mkdirSync('test/bench/results', { recursive: true });
  writeFileSync('test/bench/results/latest.json', `${JSON.stringify(results, null, 2)}\n`);

  const f = (ms: number) => `${ms.toFixed(ms < 10 ? 2 : 0)} ms`;
  const rows: [string, string][] = [
    ['machine', `${results.machine.cpu}, ${results.machine.cores} cores; ${results.browser}; Pyodide ${results.pyodide}`],
    [`(a) bare loadPyodide + 1+1, median of ${RUNS}`, f(median(bare))],
    [`(b) Pyloom first visit to first result, median of ${RUNS}`, `${f(median(pyloom))} (${(median(pyloom) / median(bare)).toFixed(2)}× a)`],
    [`(c) Pyloom second visit (cache + snapshot), median of ${RUNS}`, `${f(median(second))} (${(median(second) / median(bare)).toFixed(2)}× a)`],
    [`(d) Pyloom second visit, network off, median of ${RUNS}`, `${f(median(offline))} (${(median(offline) / median(bare)).toFixed(2)}× a)`],
    [`execute("1+1") round trip, median / p95 of ${ROUND_TRIPS}`, `${f(results.roundTrip1plus1Ms.median)} / ${f(results.roundTrip1plus1Ms.p95)}`],
    ['100,000 printed lines', `${f(warm.floodMs)}, ${warm.messages} messages, longest main-thread task ${f(warm.longestTaskMs)}`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log(`\n${rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n')}\n`);
});
