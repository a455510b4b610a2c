// Benchmark (figures, not pass/fail): the notebook page's longest main-thread task while opening a
// 400-cell notebook, while extending a selection over 100 cells and while moving those 100 cells.
// Wall-clock figures grow with the machine's load; the CPU (thread) time of the same tasks, from a
// Chromium trace, does not, so both are reported. Writes test/bench/results/notebook.json and prints a table.
import { mkdirSync, writeFileSync } from 'node:fs';
import { test, expect, type Browser, type Page } from '@playwright/test';

const CELLS = 400;
const SELECTED = 100;
const MOVES = 10;

/**
 * Starts two probes in the page: the Long Tasks API (tasks ≥ 50 ms) and a MessageChannel ping
 * whose largest gap bounds any task, long or not. `stop()` returns both, in ms.
 */
async function startProbe(page: Page): Promise<void> {
  await page.evaluate(() => {
    const state = { longest: 0, gap: 0, running: true };
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) state.longest = Math.max(state.longest, entry.duration);
    });
    observer.observe({ type: 'longtask' });
    const channel = new MessageChannel();
    let last = performance.now();
    channel.port1.onmessage = () => {
      const now = performance.now();
      state.gap = Math.max(state.gap, now - last);
      last = now;
      if (state.running) setTimeout(() => channel.port2.postMessage(0), 0);
    };
    channel.port2.postMessage(0);
    Object.assign(window, {
      stopProbe: async () => {
        // A long task is reported once it has ended: wait a frame, then take what is still pending.
        await new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
        for (const entry of observer.takeRecords()) state.longest = Math.max(state.longest, entry.duration);
        state.running = false;
        observer.disconnect();
        return { longTaskMs: state.longest, maxGapMs: state.gap };
      },
    });
  });
}
interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

/**
 * Chromium tracing around a phase: the renderer main thread's tasks with their CPU (thread) time,
 * which — unlike wall time — does not grow when other processes load the machine. Returns the
 * longest task's CPU time and the sum over all tasks, in ms.
 */
async function traced(browser: Browser, page: Page, phase: () => Promise<void>): Promise<{ longestTaskCpuMs: number; totalCpuMs: number }> {
  await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
  await phase();
  const events = (JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] }).traceEvents;
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const tasks = events.filter(
    (e) => e.pid === main?.pid && e.tid === main?.tid && e.ph === 'X' && e.name === 'RunTask' && e.tdur !== undefined,
  );
  const cpu = tasks.map((e) => (e.tdur ?? 0) / 1000);
  return { longestTaskCpuMs: Math.max(0, ...cpu), totalCpuMs: cpu.reduce((a, b) => a + b, 0) };
}

const stopProbe = (page: Page) =>
  page.evaluate(() => (window as unknown as { stopProbe(): Promise<{ longTaskMs: number; maxGapMs: number }> }).stopProbe());

function notebook(): Buffer {
  const cells = Array.from({ length: CELLS }, (_, i) =>
    i % 10 === 0
      ? { id: `m${i}`, cell_type: 'markdown', metadata: {}, source: `## Section ${i / 10}\nSome *text* for section ${i / 10}.` }
      : {
          id: `c${i}`,
          cell_type: 'code',
          metadata: {},
          execution_count: i,
          source: `value_${i} = ${i} * 2\nprint(value_${i})`,
          outputs: [{ output_type: 'stream', name: 'stdout', text: `${i * 2}\n` }],
        },
  );
  return Buffer.from(JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells }));
}

test('notebook page: open 400 cells, select and move 100', async ({ page, browser }) => {
  test.setTimeout(10 * 60_000);
  await page.goto('/');
  await expect(page.locator('py-status')).toContainText('Python idle', { timeout: 120_000 });

  await startProbe(page);
  const t0 = Date.now();
  const openCpu = await traced(browser, page, async () => {
    await page.locator('#open-file').setInputFiles({ name: 'big.ipynb', mimeType: 'application/json', buffer: notebook() });
    await expect(page.locator('py-cell')).toHaveCount(CELLS, { timeout: 120_000 });
    // Editors are made for the cells on (and near) the screen; the rest as they scroll into view.
    await expect(page.locator('py-cell').nth(8).locator('.cm-content')).toBeVisible({ timeout: 120_000 });
  });
  const openMs = Date.now() - t0;
  const open = { ...(await stopProbe(page)), ...openCpu };

  await page.locator('py-cell').nth(1).locator('.prompt').click();
  await startProbe(page);
  const t1 = Date.now();
  const selectCpu = await traced(browser, page, async () => {
    for (let i = 1; i < SELECTED; i += 1) await page.keyboard.press('Shift+J');
    await expect(page.locator('py-cell[selected]')).toHaveCount(SELECTED);
  });
  const selectMs = Date.now() - t1;
  const select = { ...(await stopProbe(page)), ...selectCpu };

  await startProbe(page);
  const t2 = Date.now();
  const moveCpu = await traced(browser, page, async () => {
    for (let i = 0; i < MOVES; i += 1) await page.keyboard.press('Control+Shift+ArrowDown');
    await expect(page.locator('py-cell').nth(1 + MOVES)).toHaveAttribute('data-id', 'c1');
  });
  const moveMs = Date.now() - t2;
  const move = { ...(await stopProbe(page)), ...moveCpu };

  const results = {
    date: new Date().toISOString(),
    open400Cells: { ms: openMs, ...open },
    extendSelectionTo100Cells: { presses: SELECTED - 1, ms: selectMs, ...select },
    move100Cells: { moves: MOVES, ms: moveMs, ...move },
  };
  mkdirSync('test/bench/results', { recursive: true });
  writeFileSync('test/bench/results/notebook.json', `${JSON.stringify(results, null, 2)}\n`);
  const f = (ms: number) => `${ms.toFixed(0)} ms`;
  const row = (name: string, r: { ms: number; longTaskMs: number; maxGapMs: number; longestTaskCpuMs: number; totalCpuMs: number }) =>
    `${name.padEnd(44)} ${f(r.ms).padStart(8)} total; longest task ${r.longTaskMs ? f(r.longTaskMs) : '< 50 ms'} (probe gap ${f(r.maxGapMs)}); CPU: longest task ${f(r.longestTaskCpuMs)}, all tasks ${f(r.totalCpuMs)}`;
  console.log(
    `\n${row(`open a ${CELLS}-cell notebook`, results.open400Cells)}\n${row(`extend the selection to ${SELECTED} cells (Shift+J)`, results.extendSelectionTo100Cells)}\n${row(`move ${SELECTED} selected cells ${MOVES}× (Ctrl+Shift+Down)`, results.move100Cells)}\n`,
  );
});
