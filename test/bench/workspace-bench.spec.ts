// Workspace figures (not pass/fail): a 50 MB CSV from upload to readable by Python, the longest
// main-thread task meanwhile, and first result after boot with a 500 MB workspace vs an empty one.
// Writes test/bench/results/workspace.json and prints a table.
import { mkdirSync, mkdtempSync, writeFileSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type Page } from '@playwright/test';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 3);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

interface BenchWindow {
  pyloomApp: {
    runtime: { ready: Promise<unknown>; execute(code: string): Promise<{ outputs: { output_type: string; text?: string }[] }> };
    files: {
      upload(items: { path: string; file: Blob }[]): Promise<void>;
      write(path: string, data: Blob): Promise<unknown>;
      clear(): Promise<void>;
    };
  };
}

/** A CSV of about `bytes` bytes on disk (the picker hands the page a disk-backed File). */
async function csvOnDisk(bytes: number): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), 'pyloom-bench-')), 'big.csv');
  const out = createWriteStream(path);
  const row = 'id,name,value,comment\n';
  out.write(row);
  let written = row.length;
  for (let i = 0; written < bytes; i++) {
    const line = `${i},name-${i % 997},${(i * 0.37).toFixed(3)},some text to make the row longer\n`;
    written += line.length;
    if (!out.write(line)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve) => out.end(() => resolve()));
  return path;
}

/** Navigation start → first cell result (it waits for the workspace mount). */
async function firstResult(page: Page): Promise<number> {
  await page.goto('/');
  await page.waitForFunction(() => 'pyloomApp' in window, undefined, { timeout: 60_000 });
  return page.evaluate(async () => {
    const app = (window as unknown as BenchWindow).pyloomApp;
    await app.runtime.execute('1');
    return performance.now();
  });
}

test('workspace benchmark', async ({ browser }) => {
  test.setTimeout(30 * 60_000);
  const csv = await csvOnDisk(50 * 1000 * 1000);
  const upload: { ms: number; longestTaskMs: number; maxGapMs: number }[] = [];
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await firstResult(page);
    await page.evaluate(() => {
      const input = Object.assign(document.createElement('input'), { type: 'file', id: 'bench-file' });
      document.body.append(input);
    });
    await page.locator('#bench-file').setInputFiles(csv);
    upload.push(
      await page.evaluate(async () => {
        const app = (window as unknown as BenchWindow).pyloomApp;
        const file = (document.getElementById('bench-file') as HTMLInputElement).files![0]!;
        let longestTaskMs = 0;
        const observer = new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) longestTaskMs = Math.max(longestTaskMs, entry.duration);
        });
        observer.observe({ type: 'longtask' });
        // The event loop's largest gap between timer turns: the longest task, also under 50 ms.
        let maxGapMs = 0;
        let last = performance.now();
        let ticking = true;
        const tick = () => {
          const now = performance.now();
          maxGapMs = Math.max(maxGapMs, now - last);
          last = now;
          if (ticking) setTimeout(tick, 0);
        };
        setTimeout(tick, 0);
        const t0 = performance.now();
        await app.files.upload([{ path: 'big.csv', file }]);
        const reply = await app.runtime.execute('with open("big.csv") as f:\n    print(f.readline().strip())');
        const ms = performance.now() - t0;
        ticking = false;
        await new Promise((resolve) => setTimeout(resolve, 0));
        observer.disconnect();
        if (!reply.outputs.some((o) => o.text?.startsWith('id,name')))
          throw new Error(`big.csv not readable: ${JSON.stringify(reply.outputs)}`);
        return { ms, longestTaskMs, maxGapMs };
      }),
    );
    await context.close();
  }

  // Boot: the same context, workspace empty vs 500 MB (10 files of 50 MB), warm starts alike.
  const context = await browser.newContext();
  const page = await context.newPage();
  await firstResult(page);
  await firstResult(page); // the snapshot is stored by now or soon: both cases below are second visits
  const empty: number[] = [];
  const full: number[] = [];
  for (let i = 0; i < RUNS; i++) empty.push(await firstResult(page));
  await page.evaluate(async () => {
    const app = (window as unknown as BenchWindow).pyloomApp;
    for (let i = 0; i < 10; i++) await app.files.write(`data/part-${i}.bin`, new Blob([new Uint8Array(50 * 1000 * 1000).fill(i)]));
  });
  for (let i = 0; i < RUNS; i++) full.push(await firstResult(page));
  const sizeCheck = await page.evaluate(async () => {
    const reply = await (window as unknown as BenchWindow).pyloomApp.runtime.execute(
      'import os\nprint(sum(os.path.getsize("data/" + n) for n in os.listdir("data")))',
    );
    return reply.outputs
      .map((o) => o.text ?? '')
      .join('')
      .trim();
  });
  await page.evaluate(() => (window as unknown as BenchWindow).pyloomApp.files.clear());
  await context.close();

  const results = {
    date: new Date().toISOString(),
    browser: `Chromium ${browser.version()} (headless)`,
    runs: RUNS,
    csv50MBUploadToReadableMs: { median: median(upload.map((u) => u.ms)), samples: upload.map((u) => u.ms) },
    longestMainThreadTaskDuringUploadMs: {
      longTaskApi: Math.max(...upload.map((u) => u.longestTaskMs)),
      largestEventLoopGap: Math.max(...upload.map((u) => u.maxGapMs)),
    },
    firstResultAfterNavigationMs: {
      emptyWorkspace: { median: median(empty), samples: empty },
      workspace500MB: { median: median(full), samples: full, bytesSeenByPython: sizeCheck },
      difference: median(full) - median(empty),
    },
  };
  mkdirSync('test/bench/results', { recursive: true });
  writeFileSync('test/bench/results/workspace.json', `${JSON.stringify(results, null, 2)}\n`);
  const f = (ms: number) => `${ms.toFixed(0)} ms`;
  console.log(
    [
      '',
      `50 MB CSV upload → readable by Python, median of ${RUNS}: ${f(results.csv50MBUploadToReadableMs.median)} (goal ≤ 3000 ms)`,
      `longest main-thread task during it: ${f(results.longestMainThreadTaskDuringUploadMs.largestEventLoopGap)} event-loop gap; Long Tasks API: ${results.longestMainThreadTaskDuringUploadMs.longTaskApi ? f(results.longestMainThreadTaskDuringUploadMs.longTaskApi) : 'none ≥ 50 ms'} (goal < 50 ms)`,
      `navigation → first result, empty workspace, median of ${RUNS}: ${f(median(empty))}`,
      `navigation → first result, 500 MB workspace (${sizeCheck} bytes), median of ${RUNS}: ${f(median(full))} (${f(results.firstResultAfterNavigationMs.difference)} more; goal ≤ +100 ms)`,
      '',
    ].join('\n'),
  );
});
