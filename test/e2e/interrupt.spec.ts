// Interrupts in a real worker, with and without cross-origin isolation, and worker errors.
import { expect, test, type Page } from '@playwright/test';
import { UNISOLATED_ORIGIN } from '../../playwright.config';

async function openHarness(page: Page, origin = ''): Promise<void> {
  await page.goto(`${origin}/test/e2e/pages/harness.html`);
  await expect(page.locator('body[data-ready=true]')).toBeAttached();
}

test('isolated: a busy loop and time.sleep are interrupted and the state is kept', async ({ page }) => {
  await openHarness(page);
  const result = await page.evaluate(async () => {
    // The grace before a restart is far beyond the expected tens of milliseconds (npm run bench
    // reports the latency): only a cell that does not stop turns into 'restarted' here.
    const runtime = window.pyloom.createRuntime({ interruptGraceMs: 30_000 });
    await runtime.execute('kept = 42');
    const loop = window.runUntilPrinted(runtime, 'print("started", flush=True)\nwhile True:\n    pass');
    await loop.started;
    const how = await runtime.interrupt();
    const loopReply = await loop.reply;
    const sleep = window.runUntilPrinted(runtime, 'import time\nprint("started", flush=True)\ntime.sleep(60)');
    await sleep.started;
    const sleepHow = await runtime.interrupt();
    const sleepReply = await sleep.reply;
    const after = await runtime.execute('kept');
    return { isolated: crossOriginIsolated, how, loopReply, sleepHow, sleepReply, after };
  });
  expect(result.isolated).toBe(true);
  expect(result.how).toBe('interrupted');
  expect(result.loopReply.status).toBe('error');
  expect(result.loopReply.outputs).toMatchObject([
    { output_type: 'stream', text: 'started\n' },
    { output_type: 'error', ename: 'KeyboardInterrupt' },
  ]);
  expect(result.sleepHow).toBe('interrupted');
  expect(result.sleepReply.outputs).toMatchObject([
    { output_type: 'stream', text: 'started\n' },
    { output_type: 'error', ename: 'KeyboardInterrupt' },
  ]);
  expect(result.after.outputs).toMatchObject([{ data: { 'text/plain': '42' } }]);
});

test('not isolated: an awaiting cell is interrupted in place; a busy loop restarts the runtime', async ({ page }) => {
  await openHarness(page, UNISOLATED_ORIGIN);
  const result = await page.evaluate(async () => {
    // An awaiting cell: a grace far beyond the expected milliseconds, so that only a cell that
    // does not stop in place turns into a restart.
    const patient = window.pyloom.createRuntime({ interruptGraceMs: 30_000 });
    await patient.execute('kept = 42');
    const waiting = window.runUntilPrinted(patient, 'import asyncio\nprint("started")\nwhile True:\n    await asyncio.sleep(0.01)');
    await waiting.started;
    const asyncHow = await patient.interrupt();
    const waitingReply = await waiting.reply;
    const keptAfterAsync = await patient.execute('kept');
    patient.dispose();
    // A busy loop: the default grace, then the restart.
    const runtime = window.pyloom.createRuntime();
    const reasons: string[] = [];
    runtime.addEventListener('status', (e) => {
      const reason = (e as CustomEvent).detail.reason;
      if (reason) reasons.push(reason);
    });
    await runtime.execute('kept = 42');
    const loop = window.runUntilPrinted(runtime, 'print("started", flush=True)\nwhile True:\n    pass');
    await loop.started;
    const loopHow = await runtime.interrupt();
    const loopReply = await loop.reply;
    const keptAfterRestart = await runtime.execute("'kept' in globals()");
    const sleeps = await runtime.execute('import time\ntime.sleep(0.01)\n"slept"'); // no interrupt buffer here
    return {
      isolated: crossOriginIsolated,
      interruptible: runtime.bootInfo?.interruptible,
      asyncHow,
      waitingReply,
      keptAfterAsync,
      loopHow,
      loopReply,
      keptAfterRestart,
      sleeps,
      reasons,
    };
  });
  expect(result.isolated).toBe(false);
  expect(result.asyncHow).toBe('interrupted');
  expect(result.waitingReply.outputs).toMatchObject([
    { output_type: 'stream', text: 'started\n' },
    { output_type: 'error', ename: 'KeyboardInterrupt' },
  ]);
  expect(result.keptAfterAsync.outputs).toMatchObject([{ data: { 'text/plain': '42' } }]);
  expect(result.loopHow).toBe('restarted');
  expect(result.loopReply.status).toBe('aborted');
  expect(result.reasons).toContain('runtime restarted to stop the running cell: variables were lost');
  expect(result.keptAfterRestart.outputs).toMatchObject([{ data: { 'text/plain': 'False' } }]);
  expect(result.sleeps.outputs).toMatchObject([{ data: { 'text/plain': "'slept'" } }]);
});

test('an uncaught error inside the worker is reported and the runtime survives it', async ({ page }) => {
  await openHarness(page);
  const result = await page.evaluate(async () => {
    const runtime = window.pyloom.createRuntime();
    const errors: string[] = [];
    const reported = new Promise<void>((resolve) =>
      runtime.addEventListener('error', (e) => {
        errors.push((e as CustomEvent).detail.message);
        resolve();
      }),
    );
    await runtime.execute('import js\njs.setTimeout(js.Function.new("throw new Error(\'from a timer callback\')"), 0)');
    await reported;
    const after = await runtime.execute('1 + 1');
    return { errors, status: runtime.status, after };
  });
  expect(result.errors).toEqual([expect.stringContaining('from a timer callback')]);
  expect(result.status).toBe('idle');
  expect(result.after.outputs).toMatchObject([{ data: { 'text/plain': '2' } }]);
});

test('isolated: input() and getpass() are answered by the page; interrupt while waiting; no answer is EOF', async ({ page }) => {
  await openHarness(page);
  const result = await page.evaluate(async () => {
    const runtime = window.pyloom.createRuntime();
    const asked: { prompt: string; password: boolean }[] = [];
    const answered = await runtime.execute('name = input("Name? ")\nfrom getpass import getpass\npw = getpass()\nname, len(pw)', {
      onInput: (request) => {
        asked.push(request);
        return request.password ? 's3cret' : 'Ada';
      },
    });
    let markAsked!: () => void;
    const waitingForAnswer = new Promise<void>((resolve) => (markAsked = resolve));
    const waiting = runtime.execute('input("never answered: ")', {
      onInput: () => {
        markAsked();
        return new Promise<string>(() => undefined);
      },
    });
    await waitingForAnswer;
    const how = await runtime.interrupt();
    const interrupted = await waiting;
    const eof = await runtime.execute('input()');
    const after = await runtime.execute('name');
    return { asked, answered, how, interrupted, eof, after };
  });
  expect(result.asked).toEqual([
    { prompt: 'Name? ', password: false },
    { prompt: 'Password: ', password: true },
  ]);
  expect(result.answered.outputs).toEqual([
    { output_type: 'stream', name: 'stdout', text: 'Name? Ada\nPassword: \n' },
    { output_type: 'execute_result', execution_count: 1, data: { 'text/plain': "('Ada', 6)" }, metadata: {} },
  ]);
  expect(result.how).toBe('interrupted');
  expect(result.interrupted.outputs).toMatchObject([{ output_type: 'error', ename: 'KeyboardInterrupt' }]);
  expect(result.eof.outputs).toMatchObject([{ output_type: 'error', ename: 'EOFError' }]);
  expect(result.after.outputs).toMatchObject([{ data: { 'text/plain': "'Ada'" } }]);
});

test('not isolated: input() explains what it needs', async ({ page }) => {
  await openHarness(page, UNISOLATED_ORIGIN);
  const reply = await page.evaluate(() => window.pyloom.createRuntime().execute('input("x? ")'));
  expect(reply.outputs).toMatchObject([
    { output_type: 'error', ename: 'RuntimeError', evalue: expect.stringContaining('cross-origin isolated page') },
  ]);
});
