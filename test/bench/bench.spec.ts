// Benchmark (figures, not pass/fail): cold start against bare Pyodide, round trips, print flood,
// and the timing figures the pass/fail tests leave out (long output on the main thread, interrupt
// latency). Writes test/bench/results/latest.json and prints one table.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { expect, test, type Browser } from '@playwright/test';

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
  await expect
    .poll(() => page.evaluate(() => window.secondVisitReady()), {
      timeout: 120_000,
      message: 'the offline copy or the snapshot was not stored within 2 minutes',
    })
    .toBe(true);
  await page.goto('/test/bench/pages/pyloom.html');
  const second = await visit();
  if (process.env['BENCH_VERBOSE']) console.log('second visit boot phases (ms):', JSON.stringify(second.timings));
  await context.setOffline(true);
  await page.goto('/test/bench/pages/pyloom.html');
  const offline = await visit();
  await context.close();
  if (offline.snapshot !== 'restored')
    throw new Error(`the offline visit booted with snapshot: ${offline.snapshot}; the second with ${second.snapshot}`);
  return { first: first.firstResultMs, second: second.firstResultMs, offline: offline.firstResultMs, secondSnapshot: second.snapshot };
}

const f = (ms: number) => `${ms.toFixed(ms < 10 ? 2 : 0)} ms`;
/** Filled by the tests below (one worker, in order), written and printed once at the end. */
const results: Record<string, unknown> = {};
const rows: [string, string][] = [];

test.afterAll(() => {
  mkdirSync('test/bench/results', { recursive: true });
  writeFileSync('test/bench/results/latest.json', `${JSON.stringify(results, null, 2)}\n`);
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log(`\n${rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n')}\n`);
});

test('start, round trips, print flood', async ({ browser }) => {
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
    await window.settleLongTasks();
    const text = reply.outputs.map((o) => (o.output_type === 'stream' ? o.text : '')).join('');
    return { times, floodMs, messages, chars: text.length, longestTaskMs: window.longestTaskMs, boot: window.runtime.bootInfo };
  }, ROUND_TRIPS);
  await context.close();

  Object.assign(results, {
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
  });
  const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length };
  rows.push(
    ['machine', `${machine.cpu}, ${machine.cores} cores; Chromium ${browser.version()} (headless); Pyodide ${warm.boot?.pyodideVersion}`],
    [`(a) bare loadPyodide + 1+1, median of ${RUNS}`, f(median(bare))],
    [
      `(b) Pyloom first visit to first result, median of ${RUNS}`,
      `${f(median(pyloom))} (${(median(pyloom) / median(bare)).toFixed(2)}× a)`,
    ],
    [
      `(c) Pyloom second visit (cache + snapshot), median of ${RUNS}`,
      `${f(median(second))} (${(median(second) / median(bare)).toFixed(2)}× a)`,
    ],
    [
      `(d) Pyloom second visit, network off, median of ${RUNS}`,
      `${f(median(offline))} (${(median(offline) / median(bare)).toFixed(2)}× a)`,
    ],
    [`execute("1+1") round trip, median / p95 of ${ROUND_TRIPS}`, `${f(median(warm.times))} / ${f(percentile(warm.times, 95))}`],
    ['100,000 printed lines', `${f(warm.floodMs)}, ${warm.messages} messages, longest main-thread task ${f(warm.longestTaskMs)}`],
  );
});

test('long output on the main thread: 200,000 lines folded, then expanded', async ({ browser }) => {
  const samples: { foldedMs: number; expandMs: number; ticks: number; medianGapMs: number; longestGapMs: number; longestTaskMs: number }[] =
    [];
  for (let i = 0; i < RUNS; i += 1) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto('/test/e2e/pages/render.html');
    await page.waitForFunction(() => document.body.dataset['ready'] === 'true');
    samples.push(
      await page.evaluate(async () => {
        let longestTaskMs = 0;
        const observer = new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) longestTaskMs = Math.max(longestTaskMs, entry.duration);
        });
        observer.observe({ type: 'longtask' });
        const text = Array.from({ length: 200_000 }, (_, i) => `\x1b[32mline\x1b[0m ${i}`).join('\n');
        const output = window.makeOutput(false);
        const folded = performance.now();
        output.outputs = [{ output_type: 'stream', name: 'stdout', text }];
        await output.updateComplete;
        await new Promise(requestAnimationFrame); // laid out and painted
        const foldedMs = performance.now() - folded;
        const root = output.shadowRoot!;
        const gaps: number[] = [];
        let last = performance.now();
        const timer = setInterval(() => {
          const now = performance.now();
          gaps.push(now - last);
          last = now;
        }, 10);
        const start = performance.now();
        root.querySelector<HTMLButtonElement>('button.show-all')!.click();
        const done = () => root.querySelector('pre[data-complete=true]') !== null;
        await new Promise<void>((resolve) => {
          if (done()) return resolve();
          new MutationObserver((_, o) => {
            if (!done()) return;
            o.disconnect();
            resolve();
          }).observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-complete'] });
        });
        const expandMs = performance.now() - start;
        clearInterval(timer);
        for (const entry of observer.takeRecords()) longestTaskMs = Math.max(longestTaskMs, entry.duration);
        observer.disconnect();
        const sorted = [...gaps].sort((a, b) => a - b);
        return {
          foldedMs,
          expandMs,
          ticks: gaps.length,
          medianGapMs: sorted[Math.floor(sorted.length / 2)] ?? 0,
          longestGapMs: sorted.at(-1) ?? 0,
          longestTaskMs,
        };
      }),
    );
    await context.close();
  }
  const m = (key: keyof (typeof samples)[number]) => median(samples.map((s) => s[key]));
  results['longOutput200kLines'] = {
    foldedRenderMs: m('foldedMs'),
    expandMs: m('expandMs'),
    timerTicks: m('ticks'),
    medianGapMs: m('medianGapMs'),
    longestGapMs: m('longestGapMs'),
    longestTaskMs: m('longestTaskMs'),
    samples,
  };
  rows.push(
    [`200,000 output lines, folded render, median of ${RUNS}`, f(m('foldedMs'))],
    [
      `200,000 lines expanded ("Show all"), median of ${RUNS}`,
      `${f(m('expandMs'))}; main-thread gap (10 ms timer) median ${f(m('medianGapMs'))}, longest ${f(m('longestGapMs'))}; longest task ${f(m('longestTaskMs'))}`,
    ],
  );
});

test("interrupt latency: interrupt() to the cell's KeyboardInterrupt reply", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/test/e2e/pages/harness.html');
  await page.waitForFunction(() => document.body.dataset['ready'] === 'true');
  const latency = await page.evaluate(async (runs) => {
    const runtime = window.pyloom.createRuntime({ interruptGraceMs: 60_000 });
    await runtime.ready;
    const cells = {
      busyLoop: 'print("started", flush=True)\nwhile True:\n    pass',
      timeSleep: 'import time\nprint("started", flush=True)\ntime.sleep(600)',
      awaiting: 'import asyncio\nprint("started", flush=True)\nawait asyncio.sleep(600)',
    };
    const out = { busyLoop: [] as number[], timeSleep: [] as number[], awaiting: [] as number[] };
    for (const [name, code] of Object.entries(cells) as [keyof typeof cells, string][]) {
      for (let i = 0; i < runs; i += 1) {
        const cell = window.runUntilPrinted(runtime, code);
        await cell.started;
        const t0 = performance.now();
        const how = runtime.interrupt();
        const reply = await cell.reply;
        out[name].push(performance.now() - t0);
        if ((await how) !== 'interrupted' || reply.status !== 'error') throw new Error(`${name}: ${await how}, ${reply.status}`);
      }
    }
    runtime.dispose();
    return { isolated: crossOriginIsolated, ...out };
  }, RUNS);
  await context.close();
  const names = { busyLoop: 'while True: pass', timeSleep: 'time.sleep(600)', awaiting: 'await asyncio.sleep(600)' } as const;
  results['interruptLatencyMs'] = latency;
  for (const [key, label] of Object.entries(names)) {
    const xs = latency[key as keyof typeof names];
    rows.push([`interrupt latency, ${label} (isolated), median / max of ${RUNS}`, `${f(median(xs))} / ${f(Math.max(...xs))}`]);
  }
});
