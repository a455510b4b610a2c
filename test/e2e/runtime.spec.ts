// The Runtime in a real Chromium worker: boot, streamed output, results, queue, restart.
import { expect, test } from '@playwright/test';

test.beforeEach(async ({ page }) => {
  await page.goto('/test/e2e/pages/harness.html');
  await expect(page.locator('body[data-ready=true]')).toBeAttached();
});

test('boots in a worker, streams output and returns the result', async ({ page }) => {
  const result = await page.evaluate(async () => {
    const runtime = window.pyloom.createRuntime();
    const statuses: string[] = [];
    const phases: string[] = [];
    runtime.addEventListener('status', (e) => statuses.push((e as CustomEvent).detail.status));
    runtime.addEventListener('progress', (e) => {
      const progress = (e as CustomEvent).detail;
      if (progress.kind === 'boot') phases.push(progress.phase);
    });
    const info = await runtime.ready;
    const streamed: string[] = [];
    const reply = await runtime.execute('import sys\nprint("hello", "world")\nprint("oops", file=sys.stderr)\n40 + 2', {
      onOutput: (event) => streamed.push(event.output_type),
    });
    return { info, reply, statuses, phases, streamed, isolated: crossOriginIsolated };
  });
  expect(result.isolated).toBe(true);
  expect(result.info.pyodideVersion).toMatch(/^\d+\.\d+\.\d+/);
  expect(result.info.interruptible).toBe(true);
  expect(result.phases).toEqual(['import-pyodide', 'load-pyodide', 'install-pyloom', 'start-shell', 'ready']);
  expect(result.statuses).toEqual(['idle', 'busy', 'idle']);
  expect(result.reply).toEqual({
    status: 'ok',
    executionCount: 1,
    outputs: [
      { output_type: 'stream', name: 'stdout', text: 'hello world\n' },
      { output_type: 'stream', name: 'stderr', text: 'oops\n' },
      { output_type: 'execute_result', execution_count: 1, data: { 'text/plain': '42' }, metadata: {} },
    ],
  });
  expect(result.streamed).toContain('execute_result');
});

test('queues executions in order, keeps state, and restarts to a fresh interpreter', async ({ page }) => {
  const result = await page.evaluate(async () => {
    const runtime = window.pyloom.createRuntime();
    // Submitted before boot finishes: they must wait, then run in order.
    const replies = await Promise.all([
      runtime.execute('import asyncio\nawait asyncio.sleep(0.05)\nx = 1'),
      runtime.execute('x += 1\nx'),
      runtime.execute('x * 10'),
    ]);
    const slow = window.runUntilPrinted(runtime, 'import time\nprint("started", flush=True)\nwhile True: time.sleep(0.01)');
    const queued = runtime.execute('"never runs"');
    await slow.started; // running in the worker, with one cell queued behind it
    const restarted = runtime.restart();
    const [slowReply, queuedReply] = await Promise.all([slow.reply, queued]);
    await restarted;
    const after = await runtime.execute("'x' in globals()");
    const count = await runtime.execute('1');
    runtime.dispose();
    let disposedError = '';
    await runtime.execute('1').catch((e: Error) => (disposedError = e.message));
    return { replies, slowReply, queuedReply, after, count, disposedError, status: runtime.status };
  });
  expect(result.replies.map((r) => r.outputs[0])).toEqual([
    undefined,
    { output_type: 'execute_result', execution_count: 2, data: { 'text/plain': '2' }, metadata: {} },
    { output_type: 'execute_result', execution_count: 3, data: { 'text/plain': '20' }, metadata: {} },
  ]);
  expect(result.slowReply.status).toBe('aborted');
  expect(result.queuedReply).toEqual({ status: 'aborted', executionCount: null, outputs: [] });
  expect(result.after.outputs[0]).toMatchObject({ data: { 'text/plain': 'False' }, execution_count: 1 });
  expect(result.count.executionCount).toBe(2);
  expect(result.status).toBe('dead');
  expect(result.disposedError).toMatch(/disposed/);
});

test('boot reports the bytes of Pyodide core files as they download', async ({ page }) => {
  const downloads = await page.evaluate(async () => {
    const runtime = window.pyloom.createRuntime();
    const seen: { file: string; loaded: number; total: number | null; done: boolean; executionId: number | null }[] = [];
    runtime.addEventListener('progress', (e) => {
      const p = (e as CustomEvent).detail;
      if (p.kind === 'download') seen.push({ file: p.file, loaded: p.loaded, total: p.total, done: p.done, executionId: p.executionId });
    });
    await runtime.ready;
    runtime.dispose();
    return seen;
  });
  const wasm = downloads.filter((d) => d.file === 'pyodide.asm.wasm');
  const done = wasm.find((d) => d.done);
  expect(done, JSON.stringify(downloads.slice(0, 5))).toBeDefined();
  expect(done!.loaded).toBeGreaterThan(5_000_000);
  expect(done!.executionId).toBeNull();
  expect(downloads.some((d) => d.file === 'python_stdlib.zip' && d.done)).toBe(true);
});
